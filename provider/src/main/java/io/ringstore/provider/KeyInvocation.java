package io.ringstore.provider;

import io.ringstore.cluster.replication.Mutation;
import io.ringstore.provider.event.EventBatch;
import io.ringstore.provider.processor.ProcessorEntry;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import java.util.Objects;
import javax.cache.event.EventType;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import org.jspecify.annotations.Nullable;

/**
 * {@code invoke}: an {@link EntryProcessor} run on one key atomically with respect to every other
 * operation on that key, and the net effect it had applied as one mutation.
 *
 * <p>Order, as in the reference implementation: the processor runs on a {@link ProcessorEntry}
 * (reading through the loader if the cache is read-through and it reads an absent value); anything
 * it throws reaches the caller as an {@link EntryProcessorException} and changes nothing. Then its
 * net effect is applied: a create or update calls the writer's {@code write} and stores the value
 * with the creation or update expiry; a load stores without the writer; a remove calls the
 * writer's {@code delete}; a read renews the access expiry. A writer failure reaches the caller as
 * the {@link javax.cache.integration.CacheWriterException} and changes nothing.
 *
 * <p>Thread-safety: not thread-safe; one instance per invocation.
 *
 * @param <K> the key type
 * @param <V> the value type
 * @param <T> the processor's result type
 */
final class KeyInvocation<K, V, T> extends KeyStep<K, V> {
  private final EntryProcessor<K, V, T> processor;
  private final Object[] arguments;

  // outcome
  @Nullable T result;
  boolean stored;
  boolean removed;

  KeyInvocation(KeyspaceCache<K, V> cache, K key, EntryProcessor<K, V, T> processor, Object[] arguments, EventBatch<K, V> batch) {
    super(cache, key, batch);
    this.processor = processor;
    this.arguments = arguments;
  }

  @Override
  void reset() {
    result = null;
    stored = false;
    removed = false;
  }

  @Override
  Mutation decide(@Nullable StoredRecord current) {
    ProcessorEntry<K, V> entry = new ProcessorEntry<>(key, present, this::presentValue, cache.readThrough);
    try {
      result = processor.process(entry, arguments);
    } catch (EntryProcessorException e) {
      throw e;
    } catch (Exception e) {
      throw new EntryProcessorException("cache '" + cache.getName() + "': the EntryProcessor " + processor.getClass().getName()
          + " threw " + e, e);
    }
    switch (entry.operation()) {
      case NONE:
        return Mutation.KEEP;
      case ACCESS:
        return access();
      case CREATE:
      case LOAD:
      case UPDATE:
        return write(entry);
      case REMOVE:
        if (cache.writeThrough != null) {
          cache.writeThrough.delete(key);
        }
        if (!present) {
          return Mutation.KEEP;
        }
        removed = true;
        batch.removed(key, freshPresentValue());
        return Mutation.DELETE;
      default:
        throw new AssertionError(entry.operation());
    }
  }

  private Mutation write(ProcessorEntry<K, V> entry) {
    V value = Objects.requireNonNull(entry.value());
    boolean update = entry.operation() == ProcessorEntry.Operation.UPDATE;
    if (entry.operation() != ProcessorEntry.Operation.LOAD && cache.writeThrough != null) {
      cache.writeThrough.write(key, value);
    }
    Bytes bytes = encode(value);
    Mutation.Write write = store(bytes, update);
    if (write == null) {
      return Mutation.KEEP;
    }
    stored = true;
    if (update) {
      batch.updated(key, cache.listeners.wants(EventType.UPDATED) ? freshPresentValue() : null, value);
    } else {
      batch.created(key, value);
    }
    return write;
  }

  /** The present value decoded again: the processor may have changed the copy it was given. */
  private @Nullable V freshPresentValue() {
    StoredRecord record = live;
    return record == null ? null : cache.values.valueOf(record);
  }

  /** Whether a value was present when the processor started (a hit). */
  boolean hit() {
    return present;
  }
}
