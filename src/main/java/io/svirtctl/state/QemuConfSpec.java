package io.svirtctl.state;

/**
 * Stands for the {@code qemu_conf} mapping in the schema; its properties come from libvirt's key
 * catalog, not from Java fields.
 */
record QemuConfSpec() {}
