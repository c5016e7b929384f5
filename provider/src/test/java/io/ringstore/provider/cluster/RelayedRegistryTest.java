package io.ringstore.provider.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.provider.event.EventBatch;
import io.ringstore.provider.event.EventRelay;
import io.ringstore.provider.event.ListenerRegistry;
import io.ringstore.provider.testing.StubCache;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;
import org.junit.jupiter.api.Test;

/**
 * A listener registry with a relay, without a cluster: what it asks the relay, what it hands it,
 * and what events heard from other nodes do.
 */
class RelayedRegistryTest {
  private final Cache<String, String> cache = StubCache.named("ringstore://test", "orders");
  private final FakeRelay relay = new FakeRelay();
  private final ListenerRegistry<String, String> registry = new ListenerRegistry<>(cache, Runnable::run, null, relay);

  @Test
  void whenAnotherNodeListensEveryTypeIsRecordedWithOldValuesAndPublishedBeforeLocalDelivery() {
    assertThat(registry.newBatch().isNoOp()).isTrue();
    assertThat(registry.wants(EventType.UPDATED)).isFalse();

    relay.othersListen = true;
    EventBatch<String, String> batch = registry.newBatch();
    assertThat(batch.isNoOp()).isFalse();
    assertThat(registry.wants(EventType.UPDATED)).isTrue(); // so the cache fetches old values
    batch.created("a", "1");
    batch.updated("a", "1", "2");
    batch.removed("a", "2");
    batch.expired("b", "3");
    batch.fire();
    assertThat(relay.published).containsExactly(List.of("CREATED a 1 -", "UPDATED a 2 1", "REMOVED a 2 2", "EXPIRED b 3 3"));

    // nobody else listens any more: the next operation records nothing and publishes nothing
    relay.othersListen = false;
    assertThat(registry.newBatch().isNoOp()).isTrue();
    assertThat(registry.wants(EventType.UPDATED)).isFalse();
  }

  @Test
  void theFirstRegistrationStartsHearingAndTheLastStopsIt() {
    Recorder one = new Recorder();
    Recorder two = new Recorder();
    MutableCacheEntryListenerConfiguration<String, String> first = configuration(one, true);
    MutableCacheEntryListenerConfiguration<String, String> second = configuration(two, false);
    registry.register(first);
    registry.register(second);
    assertThat(relay.listening).containsExactly(true);
    registry.deregister(first);
    assertThat(relay.listening).containsExactly(true);
    registry.deregister(second);
    assertThat(relay.listening).containsExactly(true, false);
    registry.register(first);
    registry.close();
    assertThat(relay.listening).containsExactly(true, false, true, false);
  }

  @Test
  void eventsFromOtherNodesReachLocalListenersOnlyAndAreNeverPublishedAgain() {
    Recorder synchronous = new Recorder();
    registry.register(configuration(synchronous, true));
    relay.othersListen = true; // even then, a remote batch is not sent back out
    EventBatch<String, String> heard = registry.remoteBatch();
    heard.created("k", "v");
    heard.fire();
    assertThat(synchronous.heard).containsExactly("k=v");
    assertThat(relay.published).isEmpty();
  }

  @Test
  void aFailingLocalListenerDoesNotKeepTheEventsFromOtherNodes() {
    registry.register(new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(new Failing()), null, false, true));
    relay.othersListen = true;
    EventBatch<String, String> batch = registry.newBatch();
    batch.created("k", "v");
    assertThatThrownBy(batch::fire).isInstanceOf(CacheEntryListenerException.class);
    assertThat(relay.published).hasSize(1);
  }

  private static MutableCacheEntryListenerConfiguration<String, String> configuration(Recorder recorder, boolean synchronous) {
    return new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(recorder), null, true, synchronous);
  }

  /** A relay that records what it is told. */
  static final class FakeRelay implements EventRelay<String, String> {
    volatile boolean othersListen;
    final List<List<String>> published = new ArrayList<>();
    final List<Boolean> listening = new ArrayList<>();

    @Override
    public boolean othersListen() {
      return othersListen;
    }

    @Override
    public void publish(List<? extends CacheEntryEvent<String, String>> events) {
      List<String> texts = new ArrayList<>();
      for (CacheEntryEvent<String, String> e : events) {
        texts.add(e.getEventType() + " " + e.getKey() + " " + e.getValue() + " " + (e.isOldValueAvailable() ? e.getOldValue() : "-"));
      }
      published.add(texts);
    }

    @Override
    public void listening(boolean any) {
      listening.add(any);
    }
  }

  static final class Recorder implements CacheEntryCreatedListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;
    final List<String> heard = new ArrayList<>();

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> heard.add(e.getKey() + "=" + e.getValue()));
    }
  }

  static final class Failing implements CacheEntryCreatedListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      throw new IllegalStateException("listener fails");
    }
  }
}
