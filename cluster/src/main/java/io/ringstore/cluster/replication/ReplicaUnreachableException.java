package io.ringstore.cluster.replication;

import io.ringstore.spi.RingstoreException;

/**
 * A replica did not answer: it timed out, could not be reached, or answered with a reply that did
 * not decode. The message names the node and why.
 */
public class ReplicaUnreachableException extends RingstoreException {
  private static final long serialVersionUID = 1L;

  private final String nodeId;

  public ReplicaUnreachableException(String nodeId, String message, Throwable cause) {
    super(message, cause);
    this.nodeId = nodeId;
  }

  public ReplicaUnreachableException(String nodeId, String message) {
    super(message);
    this.nodeId = nodeId;
  }

  /** The node that did not answer. */
  public String nodeId() {
    return nodeId;
  }
}
