package io.ringstore.provider.event;

import io.ringstore.provider.testing.StubCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.Closeable;
import java.io.IOError;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListenerRegistryTest {

  private final Cache<String, String> cache = StubCache.named("ringstore://test", "orders");
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final ListenerRegistry<String, String> registry =
      new ListenerRegistry<>(cache, executor, getClass().getClassLoader());

  @AfterEach
  void shutDown() {
    registry.close();
    executor.shutdownNow();
  }

  static <K, V> CacheEntryListenerConfiguration<K, V> sync(
      RecordingListener<K, V> listener, boolean oldValueRequired) {
    return new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, oldValueRequired, true);
  }

  static <K, V> CacheEntryListenerConfiguration<K, V> async(RecordingListener<K, V> listener) {
    return new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, true, false);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <K, V> CacheEntryListenerConfiguration<K, V> syncFiltered(
      RecordingListener<K, V> listener, CacheEntryEventFilter<K, V> filter) {
    Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory = (Factory) (Factory<Object>) () -> filter;
    return new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), filterFactory, false, true);
  }

  @Test
  void newBatchIsTheSharedNoOpWhenNothingListens() {
    EventBatch<String, String> first = registry.newBatch();
    EventBatch<String, String> second = registry.newBatch();

    assertThat(first).isSameAs(second);
    assertThat(first.isNoOp()).isTrue();
    first.created("k", "v");
    assertThat(first.size()).isZero();
    first.fire();
    for (EventType type : EventType.values()) {
      assertThat(registry.wants(type)).as(type.name()).isFalse();
    }
  }

  @Test
  void wantsFollowsTheInterfacesOfRegisteredListeners() {
    CreatedOnly listener = new CreatedOnly();
    CacheEntryListenerConfiguration<String, String> configuration =
        new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(listener), null, false, true);

    registry.register(configuration);
    assertThat(registry.wants(EventType.CREATED)).isTrue();
    assertThat(registry.wants(EventType.UPDATED)).isFalse();
    assertThat(registry.wants(EventType.REMOVED)).isFalse();
    assertThat(registry.wants(EventType.EXPIRED)).isFalse();
    assertThat(registry.newBatch().isNoOp()).isFalse();

    registry.deregister(configuration);
    assertThat(registry.wants(EventType.CREATED)).isFalse();
    assertThat(registry.newBatch().isNoOp()).isTrue();
  }

  @Test
  void aListenerGetsOnlyTheTypesItImplements() {
    CreatedOnly listener = new CreatedOnly();
    registry.register(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(listener), null, false, true));

    EventBatch<String, String> batch = registry.newBatch();
    batch.created("a", "1");
    batch.updated("a", "1", "2");
    batch.removed("a", "2");
    batch.expired("b", "3");
    assertThat(batch.size()).as("types nobody wants are not even recorded").isEqualTo(1);
    batch.fire();

    assertThat(listener.created).hasValue(1);
  }

  @Test
  void synchronousListenersRunOnTheCallerInEventOrderGroupingRunsOfOneType() {
    RecordingListener<String, String> listener = new RecordingListener<>();
    registry.register(sync(listener, true));

    EventBatch<String, String> batch = registry.newBatch();
    batch.created("a", "1");
    batch.created("b", "1");
    batch.updated("a", "1", "2");
    batch.removed("b", "1");
    batch.created("c", "1");
    batch.fire();

    assertThat(listener.calls).extracting(RecordingListener.Call::type).containsExactly(
        EventType.CREATED, EventType.UPDATED, EventType.REMOVED, EventType.CREATED);
    assertThat(listener.calls).allSatisfy(call -> assertThat(call.thread()).isSameAs(Thread.currentThread()));
    assertThat(listener.events()).extracting(e -> (String) e.getKey()).containsExactly("a", "b", "a", "b", "c");
    assertThat(listener.events()).allSatisfy(event -> assertThat((Object) event.getSource()).isSameAs(cache));
    assertThat(batch.size()).as("fire empties the batch").isZero();
  }

  @Test
  void oldValuesAreSuppliedWhenRequired() {
    RecordingListener<String, String> listener = new RecordingListener<>();
    registry.register(sync(listener, true));

    EventBatch<String, String> batch = registry.newBatch();
    batch.created("k", "v1");
    batch.updated("k", "v1", "v2");
    batch.removed("k", "v2");
    batch.expired("j", "v3");
    batch.fire();

    List<CacheEntryEvent<? extends String, ? extends String>> events = listener.events();
    assertThat(events.get(0).getValue()).isEqualTo("v1");
    assertThat(events.get(0).isOldValueAvailable()).isFalse();
    assertThat(events.get(0).getOldValue()).isNull();
    assertThat(events.get(1).getValue()).isEqualTo("v2");
    assertThat(events.get(1).isOldValueAvailable()).isTrue();
    assertThat(events.get(1).getOldValue()).isEqualTo("v1");
    assertThat(events.get(2).getEventType()).isEqualTo(EventType.REMOVED);
    assertThat(events.get(2).isOldValueAvailable()).isTrue();
    assertThat(events.get(2).getOldValue()).isEqualTo("v2");
    assertThat(events.get(2).getValue()).as("JCache 1.1: value of a removal is the old value").isEqualTo("v2");
    assertThat(events.get(3).getEventType()).isEqualTo(EventType.EXPIRED);
    assertThat(events.get(3).getOldValue()).isEqualTo("v3");
    assertThat(events.get(3).getValue()).isEqualTo("v3");
  }

  @Test
  void oldValuesAreWithheldWhenNotRequired() {
    RecordingListener<String, String> listener = new RecordingListener<>();
    registry.register(sync(listener, false));

    EventBatch<String, String> batch = registry.newBatch();
    batch.updated("k", "v1", "v2");
    batch.removed("k", "v2");
    batch.fire();

    List<CacheEntryEvent<? extends String, ? extends String>> events = listener.events();
    assertThat(events.get(0).getValue()).isEqualTo("v2");
    assertThat(events.get(0).isOldValueAvailable()).isFalse();
    assertThat(events.get(0).getOldValue()).isNull();
    assertThat(events.get(1).isOldValueAvailable()).isFalse();
    assertThat(events.get(1).getOldValue()).isNull();
    assertThat(events.get(1).getValue()).isNull();
  }

  @Test
  void filtersApplyPerRegistrationAndSeeTheOldValue() {
    RecordingListener<String, String> all = new RecordingListener<>();
    RecordingListener<String, String> vowels = new RecordingListener<>();
    registry.register(sync(all, false));
    registry.register(syncFiltered(vowels, event -> event.getValue().contains("o")));

    EventBatch<String, String> batch = registry.newBatch();
    batch.created("1", "Sooty");
    batch.created("2", "Lucky");
    batch.removed("1", "Sooty");
    batch.fire();

    assertThat(all.events()).hasSize(3);
    assertThat(vowels.events()).extracting(CacheEntryEvent::getEventType)
        .containsExactly(EventType.CREATED, EventType.REMOVED);
  }

  @Test
  void anEqualConfigurationCannotBeRegisteredTwice() {
    RecordingListener<String, String> listener = new RecordingListener<>();
    registry.register(sync(listener, true));

    assertThatThrownBy(() -> registry.register(sync(listener, true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("orders")
        .hasMessageContaining("already registered");

    registry.register(sync(listener, false)); // not equal: another flag
    assertThat(registry.configurations()).hasSize(2);
    registry.deregister(sync(listener, true));
    registry.deregister(sync(listener, true)); // no effect the second time
    assertThat(registry.configurations()).containsExactly(sync(listener, false));
    registry.register(sync(listener, true));
    assertThat(registry.configurations()).hasSize(2);
  }

  @Test
  void nullConfigurationsAreRefused() {
    assertThatThrownBy(() -> registry.register(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> registry.deregister(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> registry.register(
        new MutableCacheEntryListenerConfiguration<>(null, null, false, true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CacheEntryListenerFactory is null");
  }

  @Test
  void deregisterAndCloseCloseCloseableListenersAndFilters() {
    RecordingListener<String, String> first = new RecordingListener<>();
    RecordingListener<String, String> second = new RecordingListener<>();
    ClosingFilter filter = new ClosingFilter();
    CacheEntryListenerConfiguration<String, String> firstConfiguration = syncFiltered(first, filter);
    registry.register(firstConfiguration);
    registry.register(sync(second, true));

    registry.deregister(firstConfiguration);
    assertThat(first.closed).hasValue(1);
    assertThat(filter.closed).hasValue(1);
    assertThat(second.closed).hasValue(0);

    registry.close();
    registry.close();
    assertThat(second.closed).as("close is idempotent").hasValue(1);
    assertThat(registry.isClosed()).isTrue();
    assertThat(registry.newBatch().isNoOp()).isTrue();
    assertThatThrownBy(() -> registry.register(sync(first, true)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aSynchronousListenersRuntimeExceptionReachesTheCallerWrapped() {
    RecordingListener<String, String> healthy = new RecordingListener<>();
    registry.register(sync(new Throwing(new UnsupportedOperationException("broken")), true));
    registry.register(sync(healthy, true));

    EventBatch<String, String> batch = registry.newBatch();
    batch.created("k", "v");

    assertThatThrownBy(batch::fire)
        .isInstanceOf(CacheEntryListenerException.class)
        .hasMessageContaining("orders")
        .hasCauseInstanceOf(UnsupportedOperationException.class);
    assertThat(healthy.events()).as("other listeners still get the events").hasSize(1);
  }

  @Test
  void aCacheEntryListenerExceptionAndAnErrorPassUnchanged() {
    CacheEntryListenerException original = new CacheEntryListenerException("I broke");
    registry.register(sync(new Throwing(original), true));
    EventBatch<String, String> batch = registry.newBatch();
    batch.created("k", "v");
    assertThatThrownBy(batch::fire).isSameAs(original);

    IOError error = new IOError(null);
    registry.register(sync(new Throwing(error), false));
    EventBatch<String, String> second = registry.newBatch();
    second.created("k", "v");
    assertThatThrownBy(second::fire).isSameAs(error);
  }

  @Test
  void asynchronousListenersRunOnTheExecutorAndTheirExceptionsAreNotPropagated() {
    RecordingListener<String, String> listener = new RecordingListener<>();
    registry.register(async(listener));
    registry.register(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(new Throwing(new IllegalStateException("async broken"))), null, false, false));

    EventBatch<String, String> batch = registry.newBatch();
    batch.created("k", "v");
    batch.updated("k", "v", "w");
    batch.fire(); // does not throw

    await().atMost(Duration.ofSeconds(10)).until(() -> listener.events().size() == 2);
    assertThat(listener.calls).allSatisfy(call -> assertThat(call.thread()).isNotSameAs(Thread.currentThread()));
    assertThat(listener.events()).extracting(CacheEntryEvent::getEventType)
        .containsExactly(EventType.CREATED, EventType.UPDATED);
    await().atMost(Duration.ofSeconds(10)).until(() -> registry.pendingAsyncTasks() == 0);
  }

  @Test
  void aRefusingExecutorRunsAsynchronousDeliveryOnTheCaller() {
    ListenerRegistry<String, String> refusing = new ListenerRegistry<>(cache, task -> {
      throw new RejectedExecutionException("shut down");
    }, null);
    RecordingListener<String, String> listener = new RecordingListener<>();
    refusing.register(async(listener));

    EventBatch<String, String> batch = refusing.newBatch();
    batch.created("k", "v");
    batch.fire();

    assertThat(listener.events()).hasSize(1);
    assertThat(listener.calls.get(0).thread()).isSameAs(Thread.currentThread());
    refusing.close();
    assertThat(listener.closed).hasValue(1);
  }

  @Test
  void eventsUnwrapToThemselvesOnly() {
    RecordingListener<String, String> listener = new RecordingListener<>();
    registry.register(sync(listener, true));
    EventBatch<String, String> batch = registry.newBatch();
    batch.created("k", "v");
    batch.fire();

    CacheEntryEvent<? extends String, ? extends String> event = listener.events().get(0);
    assertThat(event.unwrap(CacheEntryEvent.class)).isSameAs(event);
    assertThatThrownBy(() -> event.unwrap(String.class)).isInstanceOf(IllegalArgumentException.class);
    assertThat(event.toString()).doesNotContain("k").doesNotContain("\"v\"");
  }

  /** Implements only the created sub-interface. */
  static final class CreatedOnly implements CacheEntryCreatedListener<String, String>, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final AtomicInteger created = new AtomicInteger();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(event -> created.incrementAndGet());
    }
  }

  /** Throws the given throwable on every call. */
  static final class Throwing extends RecordingListener<String, String> {
    private static final long serialVersionUID = 1L;
    private final transient Throwable toThrow;

    Throwing(Throwable toThrow) {
      this.toThrow = toThrow;
    }

    @Override
    void record(EventType type, Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      if (toThrow instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw (Error) toThrow;
    }
  }

  /** A filter that accepts everything and counts closes. */
  static final class ClosingFilter implements CacheEntryEventFilter<String, String>, Closeable {
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public boolean evaluate(CacheEntryEvent<? extends String, ? extends String> event) {
      return true;
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }
}
