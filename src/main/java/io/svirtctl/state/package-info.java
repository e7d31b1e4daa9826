/**
 * Desired state: the YAML model bound to records, fleet merge, strict validation with positions, and the JSON Schema of the state file.
 *
 * <p>May depend on: the root package, {@code qemuconf} (key catalog and typed values), {@code apparmor} (flag and rule rules), Jackson. Never {@code host}, {@code plan}, {@code apply}, {@code render}, {@code cli}.
 */
package io.svirtctl.state;
