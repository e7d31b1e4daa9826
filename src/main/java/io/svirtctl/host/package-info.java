/**
 * The machine: root-relative paths, safe reads, atomic writes, the run lock, domain XML, kernel AppArmor status and the apparmor_parser runner.
 *
 * <p>May depend on: the root package, {@code qemuconf}, {@code apparmor}.
 */
package io.svirtctl.host;
