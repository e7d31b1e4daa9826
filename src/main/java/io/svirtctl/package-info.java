/**
 * svirtctl: declarative management of libvirt's QEMU sVirt confinement.
 *
 * <p>The root package holds only the few types every layer shares: source locations, the typed
 * exceptions that the command line maps to exit codes, UUIDs, strict UTF-8 decoding and the one
 * "did you mean" edit distance. It depends on nothing else of svirtctl.
 */
package io.svirtctl;
