package io.ringstore.provider;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.SiblingResolver;
import java.util.List;

/**
 * Every version the replicas hold for one key, with the causal context that covers them all:
 * what {@link RingstoreCache#getVersionsWithContext} returns. Writing with {@link #context()}
 * ({@link RingstoreCache#put(Object, Object, CausalContext)}) replaces exactly these versions;
 * versions written meanwhile by others stay beside the new one as siblings.
 *
 * <p>Invariants: {@code versions} is unmodifiable; it is empty when the key holds nothing or only
 * a delete, and has several elements when concurrent writes left siblings that no read has
 * resolved. A version whose value is {@code null} records a concurrent delete. The context of a
 * key that was never written is {@link CausalContext#EMPTY}; that of a deleted key covers the
 * delete.
 * <p>Thread-safety: immutable if the values are.
 *
 * @param versions the siblings, as a {@link SiblingResolver} would see them
 * @param context what a reader of these versions has seen
 * @param <V> the value type
 */
public record Versions<V>(List<SiblingResolver.Version<V>> versions, CausalContext context) {
  public Versions {
    versions = List.copyOf(versions);
    requireNonNull(context, "context");
  }
}
