package io.svirtctl;

/**
 * A run that could not be carried out (a lock held too long, a file changed since planning, a
 * failed write or reload). The message is one line for the user; nothing is half-applied.
 */
public class OperationFailedException extends SvirtctlException {

  public OperationFailedException(String message) {
    super(message);
  }

  public OperationFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
