package io.svirtctl.plan;

import java.util.Locale;

/** How bad a doctor finding is. */
public enum Severity {
  OK,
  INFO,
  WARNING,
  ERROR;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
