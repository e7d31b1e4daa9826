package io.svirtctl.learn;

import java.util.Objects;

/** What the record parser made of one log line. */
public sealed interface ParseResult
    permits ParseResult.Parsed, ParseResult.NotAppArmor, ParseResult.Unparsed {

  /** An AppArmor record. */
  record Parsed(AuditRecord record) implements ParseResult {
    public Parsed {
      Objects.requireNonNull(record, "record");
    }
  }

  /** A line that is no AppArmor record (another subsystem's message). */
  record NotAppArmor() implements ParseResult {}

  /** A line that looks like an AppArmor record but cannot be read; {@code reason} says why. */
  record Unparsed(String reason) implements ParseResult {
    public Unparsed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
