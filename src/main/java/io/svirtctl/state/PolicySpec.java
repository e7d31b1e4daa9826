package io.svirtctl.state;

/**
 * Guard rails the state file opts out of explicitly.
 *
 * @param allowUnconfined whether {@code security_driver: none} (guests without sVirt) is accepted
 */
public record PolicySpec(boolean allowUnconfined) {}
