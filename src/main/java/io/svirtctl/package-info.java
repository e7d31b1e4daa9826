/**
 * svirtctl: declarative management of libvirt's QEMU sVirt confinement.
 *
 * <p>The root package holds only the few types every layer shares: source locations and the
 * typed exceptions that the command line maps to exit codes. It depends on nothing else of
 * svirtctl.
 */
package io.svirtctl;
