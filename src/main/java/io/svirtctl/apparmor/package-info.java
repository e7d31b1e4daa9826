/**
 * AppArmor profile documents: headers and flags, mode changes with aa-complain/aa-enforce semantics, managed rule blocks and sVirt template instantiation. Pure text in, text out.
 *
 * <p>May depend on: the root package only.
 */
package io.svirtctl.apparmor;
