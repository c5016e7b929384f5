package io.ringstore.provider.event;

import java.io.Closeable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/** Records every call and event it receives, with the thread that delivered it. */
class RecordingListener<K, V> implements CacheEntryCreatedListener<K, V>,
    CacheEntryUpdatedListener<K, V>, CacheEntryRemovedListener<K, V>,
    CacheEntryExpiredListener<K, V>, Closeable, Serializable {

  private static final long serialVersionUID = 1L;

  /** One listener call: its type, its events and the delivering thread. */
  record Call<K, V>(EventType type, List<CacheEntryEvent<? extends K, ? extends V>> events,
      Thread thread) {}

  final List<Call<K, V>> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger closed = new AtomicInteger();

  List<CacheEntryEvent<? extends K, ? extends V>> events() {
    List<CacheEntryEvent<? extends K, ? extends V>> all = new ArrayList<>();
    calls.forEach(call -> all.addAll(call.events()));
    return all;
  }

  void record(EventType type, Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    List<CacheEntryEvent<? extends K, ? extends V>> copy = new ArrayList<>();
    events.forEach(copy::add);
    calls.add(new Call<>(type, copy, Thread.currentThread()));
  }

  @Override
  public void onCreated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    record(EventType.CREATED, events);
  }

  @Override
  public void onUpdated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    record(EventType.UPDATED, events);
  }

  @Override
  public void onRemoved(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    record(EventType.REMOVED, events);
  }

  @Override
  public void onExpired(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
    record(EventType.EXPIRED, events);
  }

  @Override
  public void close() {
    closed.incrementAndGet();
  }
}
