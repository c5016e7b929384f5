package io.ringstore.spi;

/**
 * A read or write could not gather the answers its quorum needs (R or W) within its timeout, or
 * the key has fewer reachable replicas than the quorum. A failed write may have reached some
 * replicas; it was not acknowledged.
 */
public class QuorumNotReachedException extends RingstoreException {
  private static final long serialVersionUID = 1L;

  private final int required;
  private final int reached;

  public QuorumNotReachedException(String message, int required, int reached) {
    super(message);
    this.required = required;
    this.reached = reached;
  }

  /** The quorum the operation needed. */
  public int required() {
    return required;
  }

  /** How many replicas answered. */
  public int reached() {
    return reached;
  }
}
