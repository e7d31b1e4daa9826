/**
 * A lossless document model of libvirt's virConf format (qemu.conf): parsing exactly as libvirt does, byte-for-byte round trips, the key catalog with typed values, and edits that keep every untouched byte.
 *
 * <p>May depend on: the root package only. No I/O beyond what a caller hands in as text.
 */
package io.svirtctl.qemuconf;
