package io.svirtctl.apply;

/** Whether a journaled run finished: an incomplete run stopped (or crashed) part-way. */
public enum RunStatus {
  COMPLETE,
  INCOMPLETE
}
