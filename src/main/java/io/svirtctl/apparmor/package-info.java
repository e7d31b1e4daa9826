/**
 * AppArmor profile documents: headers and flags, mode changes with aa-complain/aa-enforce semantics, managed rule blocks, sVirt template instantiation, and the rule lexer that reads one state-file rule as apparmor_parser reads a profile body. Pure text in, text out (include targets are checked against a host through {@code IncludeCheck}, implemented in {@code host}).
 *
 * <p>May depend on: the root package only.
 */
package io.svirtctl.apparmor;
