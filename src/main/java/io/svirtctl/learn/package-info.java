/**
 * Learning rules from AppArmor's audit records: streaming log reading, a record parser for every
 * form the kernel's records arrive in (auditd, kern.log/syslog, dmesg, journald), turning the
 * events of {@code libvirt-<uuid>} profiles into the rules AppArmor's own log tool would propose,
 * and leaving out what the declared state already allows.
 *
 * <p>May depend on: the root package, {@code state} (the declared rules), {@code apparmor} (glob
 * matching, tunables, rule checks), {@code host} (domain XML, the root's paths). Used by {@code
 * render} and {@code cli}.
 */
package io.svirtctl.learn;
