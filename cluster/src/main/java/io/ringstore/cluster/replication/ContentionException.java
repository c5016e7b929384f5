package io.ringstore.cluster.replication;

import io.ringstore.spi.RingstoreException;

/**
 * A read-modify-write of one key gave up: every attempt met a concurrent update of the key at its
 * primary, for at least {@link Coordinator#MAX_ATTEMPTS} attempts and the keyspace's write timeout (or
 * {@link Coordinator#MAX_ATTEMPTS_AT_ALL} attempts). Nothing of the last attempt was written.
 */
public class ContentionException extends RingstoreException {
  private static final long serialVersionUID = 1L;

  public ContentionException(String message) {
    super(message);
  }
}
