package io.svirtctl.state;

/**
 * Guard rails the state file opts out of explicitly.
 *
 * @param allowUnconfined whether settings that run guests unconfined are accepted (driver {@code
 *     none}, {@code security_default_confined} off, mode or template flag {@code unconfined}); see
 *     {@link UnconfinedPolicy}
 */
public record PolicySpec(boolean allowUnconfined) {}
