package io.ringstore.provider.event;

import java.util.ArrayList;
import java.util.List;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/**
 * The events of one cache operation, collected while it runs and delivered by {@link #fire()} once
 * it has taken effect.
 *
 * <p>Obtain one from {@link ListenerRegistry#newBatch()}. When nothing listens, that is a shared
 * no-op batch: every method returns at once and nothing is allocated. A batch records only the
 * event types some registered listener wants ({@link ListenerRegistry#wants(EventType)}), or every
 * type when another node listens (its events then also go to the registry's {@link EventRelay}).
 *
 * <p>Values: {@code updated} takes the old value when the cache knows it (pass null if not; the
 * event then has no old value); {@code removed} and {@code expired} take the value the entry held,
 * which listeners see as both {@code getOldValue()} and {@code getValue()} (JCache 1.1).
 *
 * <p>Thread-safety: not thread-safe; one operation on one thread fills and fires it. {@link #fire()}
 * empties the batch, so it may be filled and fired again.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class EventBatch<K, V> {

  @SuppressWarnings("rawtypes")
  private static final EventBatch NO_OP = new EventBatch<>(null, false);

  // constant after construction; null for the shared no-op batch
  private final @Nullable ListenerRegistry<K, V> registry;
  // true if another node listens: record every type, and fire() hands the events to the relay too
  private final boolean toOthers;

  // confined to the operation's thread
  private @Nullable List<EntryEvent<K, V>> events;

  EventBatch(@Nullable ListenerRegistry<K, V> registry, boolean toOthers) {
    this.registry = registry;
    this.toOthers = toOthers;
  }

  @SuppressWarnings("unchecked")
  static <K, V> EventBatch<K, V> noOp() {
    return (EventBatch<K, V>) NO_OP;
  }

  /** True for the shared batch that records nothing. */
  public boolean isNoOp() {
    return registry == null;
  }

  /** Records that {@code key} was created with {@code value}. */
  public void created(K key, V value) {
    if (registry != null && (toOthers || registry.wants(EventType.CREATED))) {
      add(EntryEvent.created(registry.source(), key, value));
    }
  }

  /** Records that {@code key} changed from {@code oldValue} (null if unknown) to {@code value}. */
  public void updated(K key, @Nullable V oldValue, V value) {
    if (registry != null && (toOthers || registry.wants(EventType.UPDATED))) {
      add(EntryEvent.updated(registry.source(), key, oldValue, value));
    }
  }

  /** Records that {@code key}, holding {@code oldValue}, was removed. */
  public void removed(K key, @Nullable V oldValue) {
    if (registry != null && (toOthers || registry.wants(EventType.REMOVED))) {
      add(EntryEvent.ended(registry.source(), EventType.REMOVED, key, oldValue));
    }
  }

  /** Records that {@code key}, holding {@code oldValue}, expired. */
  public void expired(K key, @Nullable V oldValue) {
    if (registry != null && (toOthers || registry.wants(EventType.EXPIRED))) {
      add(EntryEvent.ended(registry.source(), EventType.EXPIRED, key, oldValue));
    }
  }

  /** The number of events recorded and not yet fired. */
  public int size() {
    return events == null ? 0 : events.size();
  }

  /**
   * Forgets the events recorded after the first {@code size}: those of a step that did not take
   * effect (its write was refused) or that is run again.
   */
  public void truncate(int size) {
    List<EntryEvent<K, V>> recorded = events;
    if (recorded != null && recorded.size() > size) {
      recorded.subList(size, recorded.size()).clear();
    }
  }

  private void add(EntryEvent<K, V> event) {
    if (events == null) {
      events = new ArrayList<>(4);
    }
    events.add(event);
  }

  /**
   * Delivers the recorded events and empties the batch. Synchronous listeners run now, on this
   * thread, in event order; asynchronous listeners get the events on the registry's executor, in
   * order per key. Each registration's filter decides which events its listener sees.
   *
   * @throws javax.cache.event.CacheEntryListenerException if a synchronous listener or filter threw
   *     a runtime exception (wrapped unless it already was one), after every other synchronous
   *     listener got its events; an {@link Error} propagates unchanged
   */
  public void fire() {
    List<EntryEvent<K, V>> pending = events;
    if (registry == null || pending == null || pending.isEmpty()) {
      return;
    }
    events = null;
    registry.dispatch(pending, toOthers);
  }
}
