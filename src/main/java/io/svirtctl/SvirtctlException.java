package io.svirtctl;

/**
 * Base of every error svirtctl reports to its user. Domain code throws subclasses; only the
 * command line decides exit codes and how they are printed.
 */
public abstract class SvirtctlException extends RuntimeException {

  protected SvirtctlException(String message) {
    super(message);
  }

  protected SvirtctlException(String message, Throwable cause) {
    super(message, cause);
  }
}
