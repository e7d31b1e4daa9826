package io.svirtctl.host;

/** Placeholder until the host snapshot lands; replaced at merge. */
public record Fingerprint(String value) {}
