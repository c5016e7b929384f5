package io.ringstore.provider.processor;

import io.ringstore.provider.integration.ReadThrough;
import java.util.Objects;
import java.util.function.Supplier;
import javax.cache.processor.MutableEntry;
import org.jspecify.annotations.Nullable;

/**
 * The entry an {@link javax.cache.processor.EntryProcessor} sees: the key, its value as it was when
 * the processor started (decoded only if the processor asks), and what the processor did to it.
 *
 * <p>The net effect follows the reference implementation: reading a present value is an
 * {@link Operation#ACCESS}; reading an absent value of a read-through cache loads it
 * ({@link Operation#LOAD}); {@code setValue} is a {@link Operation#CREATE} of an absent entry or an
 * {@link Operation#UPDATE} of a present one; {@code remove} undoes a create or load
 * ({@link Operation#NONE}) and otherwise is a {@link Operation#REMOVE}. The cache applies the net
 * effect once the processor returns, atomically with the read.
 *
 * <p>Thread-safety: not thread-safe; used by one processor invocation on one thread.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ProcessorEntry<K, V> implements MutableEntry<K, V> {

  /** The net effect of a processor on its entry. */
  public enum Operation {
    /** Nothing the cache must act on. */
    NONE,
    /** The present value was read: the access expiry applies. */
    ACCESS,
    /** An absent entry was given a value. */
    CREATE,
    /** An absent entry was loaded through read-through. */
    LOAD,
    /** A present entry was given a new value. */
    UPDATE,
    /** The entry was removed. */
    REMOVE
  }

  private final K key;
  private final boolean existed;
  private final Supplier<? extends @Nullable V> original;
  private final @Nullable ReadThrough<K, V> readThrough;

  private @Nullable V value;
  private Operation operation = Operation.NONE;

  /**
   * @param key the entry's key
   * @param existed whether the entry was present when the processor started
   * @param original supplies the value it had then (called at most once, only if {@code existed})
   * @param readThrough the loader of a read-through cache, or {@code null}
   */
  public ProcessorEntry(K key, boolean existed, Supplier<? extends @Nullable V> original, @Nullable ReadThrough<K, V> readThrough) {
    this.key = key;
    this.existed = existed;
    this.original = original;
    this.readThrough = readThrough;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public @Nullable V getValue() {
    if (operation == Operation.NONE && existed && value == null) {
      value = original.get();
    }
    if (value != null) {
      if (operation == Operation.NONE) {
        operation = Operation.ACCESS;
      }
    } else if (readThrough != null && operation != Operation.REMOVE) {
      value = readThrough.load(key);
      if (value != null) {
        operation = Operation.LOAD;
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    return operation == Operation.NONE ? existed : value != null;
  }

  @Override
  public void remove() {
    operation = operation == Operation.CREATE || operation == Operation.LOAD ? Operation.NONE : Operation.REMOVE;
    value = null;
  }

  @Override
  public void setValue(V newValue) {
    Objects.requireNonNull(newValue, "value");
    operation = existed ? Operation.UPDATE : Operation.CREATE;
    value = newValue;
  }

  /** What the processor did, net. */
  public Operation operation() {
    return operation;
  }

  /** Whether the entry was present when the processor started. */
  public boolean existed() {
    return existed;
  }

  /** The value the processor left (for CREATE, LOAD and UPDATE). */
  public @Nullable V value() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("a processor's entry cannot be unwrapped to " + clazz.getName());
  }
}
