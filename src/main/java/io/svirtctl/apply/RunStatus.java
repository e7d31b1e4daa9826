package io.svirtctl.apply;

/**
 * Whether a journaled run finished: an incomplete run stopped (or crashed) part-way; a rolled-back
 * run failed part-way and put back every file it had changed, so it changed nothing.
 */
public enum RunStatus {
  COMPLETE,
  INCOMPLETE,
  ROLLED_BACK
}
