package io.ringstore.provider.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.provider.RingstoreCache;
import io.ringstore.provider.RingstoreCachingProvider;
import io.ringstore.provider.codec.EntryCodec;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cache entry listeners across nodes: three cache managers in one JVM, each its own clustered node,
 * with replicated caches of the same name on each. A listener registered on one node hears the
 * events of operations run on another exactly once each (counted: every test ends with a marker
 * operation whose event comes after any duplicate could have, on synchronous listeners, which
 * get remote events in arrival order), with old values only when it asks for them; a node's own
 * listener is not told twice; filters and deregistration work across nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterListenersTest {
  private static final ClassLoader LOADER = ClusterListenersTest.class.getClassLoader();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<CacheManager> managers = new ArrayList<>();
  private CacheManager alpha;
  private CacheManager bravo;
  private CacheManager charlie;

  @BeforeAll
  void startThreeNodes() {
    int port = freePort();
    alpha = manager("alpha", port, port);
    bravo = manager("bravo", 0, port);
    charlie = manager("charlie", 0, port);
    await().atMost(WAIT).untilAsserted(() -> {
      for (CacheManager manager : managers) {
        assertThat(alive(manager.unwrap(RingstoreNode.class))).containsExactlyInAnyOrder("alpha", "bravo", "charlie");
      }
    });
  }

  @AfterAll
  void stop() {
    managers.forEach(CacheManager::close);
  }

  private CacheManager manager(String id, int port, int seedPort) {
    Properties p = new Properties();
    p.setProperty("ringstore.node.id", id);
    p.setProperty("ringstore.gossip.intervalMillis", "100");
    p.setProperty("ringstore.gossip.downAfterMillis", "2000");
    if (port != 0) {
      p.setProperty("ringstore.cluster.port", Integer.toString(port));
    }
    p.setProperty("ringstore.cluster.seeds", "127.0.0.1:" + seedPort);
    CacheManager manager = Caching.getCachingProvider(RingstoreCachingProvider.class.getName())
        .getCacheManager(URI.create("ringstore:events-" + id), LOADER, p);
    managers.add(manager);
    return manager;
  }

  private static List<String> alive(RingstoreNode node) {
    return node.membership().view().members().values().stream().filter(Member::alive).map(m -> m.id().value())
        .collect(Collectors.toList());
  }

  /** The cache {@code name} on each of the three nodes, with N = 3, W = 2, R = 2 (or as given). */
  private List<Cache<String, String>> caches(String name, RingstoreConfiguration<String, String> configuration) {
    List<Cache<String, String>> caches = new ArrayList<>();
    for (CacheManager manager : List.of(alpha, bravo, charlie)) {
      caches.add(manager.createCache(name, new RingstoreConfiguration<>(configuration)));
    }
    return caches;
  }

  private List<Cache<String, String>> caches(String name) {
    return caches(name, new RingstoreConfiguration<String, String>().setTypes(String.class, String.class).setReplication(3, 2, 2));
  }

  private static MutableCacheEntryListenerConfiguration<String, String> listening(Recorder recorder, boolean oldValues,
      boolean synchronous) {
    return new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(recorder), null, oldValues, synchronous);
  }

  @Test
  void aListenerOnOneNodeHearsEveryEventOfAnotherNodeOnceWithOldValuesWhenAsked() {
    List<Cache<String, String>> caches = caches("heard");
    Cache<String, String> onAlpha = caches.get(0);
    Recorder withOld = new Recorder();
    Recorder withoutOld = new Recorder();
    caches.get(1).registerCacheEntryListener(listening(withOld, true, true));
    caches.get(2).registerCacheEntryListener(listening(withoutOld, false, true));

    onAlpha.put("k1", "v1");
    onAlpha.put("k1", "v2");
    assertThat(onAlpha.replace("k1", "v3")).isTrue();
    assertThat(onAlpha.replace("k1", "nope", "v4")).isFalse(); // no event
    assertThat(onAlpha.remove("k1")).isTrue();
    assertThat(onAlpha.remove("k1")).isFalse(); // no event
    onAlpha.putAll(Map.of("k2", "v5"));
    assertThat(onAlpha.getAndPut("k2", "v6")).isEqualTo("v5");
    onAlpha.put("end", "x");

    List<String> expectedWithOld = List.of("CREATED k1=v1", "UPDATED k1=v2 old v1", "UPDATED k1=v3 old v2",
        "REMOVED k1 old v3", "CREATED k2=v5", "UPDATED k2=v6 old v5", "CREATED end=x");
    await().atMost(WAIT).untilAsserted(() -> assertThat(withOld.heard).containsExactlyElementsOf(expectedWithOld));
    await().atMost(WAIT).untilAsserted(() -> assertThat(withoutOld.heard).containsExactly("CREATED k1=v1",
        "UPDATED k1=v2", "UPDATED k1=v3", "REMOVED k1", "CREATED k2=v5", "UPDATED k2=v6", "CREATED end=x"));
    // remote events are delivered on another thread than the operation's (which ran on alpha)
    assertThat(withOld.threads).doesNotContain(Thread.currentThread().getName());
  }

  @Test
  void listenersOnTwoNodesEachHearAnEventOnceWhereverItIsMade() {
    List<Cache<String, String>> caches = caches("both");
    Recorder onAlpha = new Recorder();
    Recorder onBravo = new Recorder();
    caches.get(0).registerCacheEntryListener(listening(onAlpha, true, true));
    caches.get(1).registerCacheEntryListener(listening(onBravo, true, true));

    caches.get(0).put("a", "1");
    // alpha's synchronous listener heard alpha's operation before put returned, on this thread
    assertThat(onAlpha.heard).containsExactly("CREATED a=1");
    assertThat(onAlpha.threads).containsOnly(Thread.currentThread().getName());
    caches.get(1).put("b", "2");
    assertThat(onBravo.heard).contains("CREATED b=2");
    caches.get(2).put("c", "3"); // charlie has no listener; its operation still reaches both
    // an asynchronous operation fires (and publishes) on the thread that completes it
    ((RingstoreCache<String, String>) caches.get(2)).putAsync("d", "4").toCompletableFuture().join();
    caches.get(0).put("end", "x");
    caches.get(1).put("end", "y");

    await().atMost(WAIT).untilAsserted(() -> assertThat(onAlpha.heard).containsExactlyInAnyOrder(
        "CREATED a=1", "CREATED b=2", "CREATED c=3", "CREATED d=4", "CREATED end=x", "UPDATED end=y old x"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(onBravo.heard).containsExactlyInAnyOrder(
        "CREATED a=1", "CREATED b=2", "CREATED c=3", "CREATED d=4", "CREATED end=x", "UPDATED end=y old x"));
    // each node's own events came first from its own operation; the others' in the order made
    assertThat(onAlpha.heard).containsSubsequence("CREATED a=1", "CREATED end=x");
    assertThat(onBravo.heard).containsSubsequence("CREATED b=2", "UPDATED end=y old x");
  }

  @Test
  void asynchronousListenersHearRemoteEventsOnceEach() {
    List<Cache<String, String>> caches = caches("async");
    Recorder recorder = new Recorder();
    caches.get(2).registerCacheEntryListener(listening(recorder, true, false));
    for (int i = 0; i < 50; i++) {
      caches.get(i % 2).put("k" + i, "v" + i);
    }
    for (int i = 0; i < 50; i += 5) {
      caches.get(0).remove("k" + i);
    }
    caches.get(0).put("end", "x");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("CREATED k" + i + "=v" + i);
    }
    for (int i = 0; i < 50; i += 5) {
      expected.add("REMOVED k" + i + " old v" + i);
    }
    expected.add("CREATED end=x");
    await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.heard).containsExactlyInAnyOrderElementsOf(expected));
  }

  @Test
  void filtersAndDeregistrationWorkAcrossNodes() throws Exception {
    List<Cache<String, String>> caches = caches("filtered");
    Recorder filtered = new Recorder();
    Recorder all = new Recorder();
    MutableCacheEntryListenerConfiguration<String, String> filteredConfiguration = new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(filtered), FactoryBuilder.factoryOf(new YesOnly()), true, true);
    MutableCacheEntryListenerConfiguration<String, String> allConfiguration = listening(all, true, true);
    Cache<String, String> onBravo = caches.get(1);
    onBravo.registerCacheEntryListener(filteredConfiguration);
    onBravo.registerCacheEntryListener(allConfiguration);

    caches.get(0).put("yes-1", "a");
    caches.get(0).put("no-1", "b");
    caches.get(0).put("yes-end", "c");
    await().atMost(WAIT).untilAsserted(() -> assertThat(all.heard).containsExactly(
        "CREATED yes-1=a", "CREATED no-1=b", "CREATED yes-end=c"));
    assertThat(filtered.heard).containsExactly("CREATED yes-1=a", "CREATED yes-end=c");

    onBravo.deregisterCacheEntryListener(filteredConfiguration);
    caches.get(2).put("yes-2", "d");
    await().atMost(WAIT).untilAsserted(() -> assertThat(all.heard).contains("CREATED yes-2=d"));
    assertThat(filtered.heard).containsExactly("CREATED yes-1=a", "CREATED yes-end=c");

    // with its last listener gone, bravo stops consuming the cache's events: the other nodes see it,
    // and an operation made meanwhile is not heard by a listener registered after it
    onBravo.deregisterCacheEntryListener(allConfiguration);
    await().atMost(WAIT).until(() -> registeredNodes(alpha, "filtered").isEmpty());
    caches.get(0).put("yes-3", "e");
    Recorder later = new Recorder();
    onBravo.registerCacheEntryListener(listening(later, true, true));
    assertThat(registeredNodes(alpha, "filtered")).hasSize(1);
    caches.get(0).put("yes-4", "f");
    await().atMost(WAIT).untilAsserted(() -> assertThat(later.heard).containsExactly("CREATED yes-4=f"));
    assertThat(all.heard).doesNotContain("CREATED yes-3=e", "CREATED yes-4=f");
    assertThat(filtered.heard).hasSize(2);
  }

  @Test
  void anExpiryIsHeardOnceWhicheverReplicasNoticeIt() {
    RingstoreConfiguration<String, String> configuration = new RingstoreConfiguration<String, String>()
        .setTypes(String.class, String.class).setReplication(3, 2, 2);
    configuration.setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 200)));
    List<Cache<String, String>> caches = caches("expiring", configuration);
    Recorder onBravo = new Recorder();
    Recorder onCharlie = new Recorder();
    caches.get(1).registerCacheEntryListener(listening(onBravo, true, true));
    caches.get(2).registerCacheEntryListener(listening(onCharlie, true, true));
    caches.get(0).put("read", "v");
    caches.get(0).put("written", "w");
    // a read on alpha reaches every replica, whose engines all find the copy expired: one EXPIRED
    await().atMost(WAIT).until(() -> caches.get(0).get("read") == null);
    // an update on alpha finds "written" (created with "read") expired too: one EXPIRED, then CREATED
    caches.get(0).put("written", "w2");
    for (Cache<String, String> cache : caches) {
      cache.put("end-" + cache.getCacheManager().getURI(), "x");
    }
    for (Recorder recorder : List.of(onBravo, onCharlie)) {
      await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.heard).filteredOn(e -> e.startsWith("CREATED end-")).hasSize(3));
      assertThat(recorder.heard).filteredOn(e -> !e.startsWith("CREATED end-")).containsExactlyInAnyOrder(
          "CREATED read=v", "CREATED written=w", "EXPIRED read old v", "EXPIRED written old w", "CREATED written=w2");
    }
  }

  @Test
  void framesPastTheBoundsAreRefusedSplitOrDroppedAndCounted() {
    Cache<String, String> source = caches("bounded").get(0);
    EntryCodec<String, String> codec = EntryCodec.of("bounded", new RingstoreConfiguration<String, String>()
        .setTypes(String.class, String.class), LOADER);
    Vertx alphaBus = alpha.unwrap(RingstoreNode.class).vertx();
    Vertx bravoBus = bravo.unwrap(RingstoreNode.class).vertx();
    Vertx charlieBus = charlie.unwrap(RingstoreNode.class).vertx();
    List<Runnable> parked = new ArrayList<>();
    ClusterEvents<String, String> small = new ClusterEvents<>("bounded-raw", "bravo", bravoBus, codec, Runnable::run, 1024, 16);
    ClusterEvents<String, String> large = new ClusterEvents<>("bounded-raw", "alpha", alphaBus, codec, Runnable::run, 1 << 20, 16);
    ClusterEvents<String, String> stuck = new ClusterEvents<>("bounded-raw", "charlie", charlieBus, codec, parked::add, 1 << 20, 2);
    assertThat(large.othersListen()).isFalse();
    small.listening(true);
    stuck.listening(true);
    assertThat(large.othersListen()).isTrue();

    // an event larger than the sender's bound is not sent: refused, counted
    List<CacheEntryEvent<String, String>> big = List.of(new TestEvent(source, EventType.CREATED, "k", "x".repeat(2000)));
    small.publish(big);
    assertThat(small.refusedFrames()).isEqualTo(1);
    assertThat(small.publishedFrames()).isZero();
    // sent by a node with a larger bound, it is refused by the receiver with the small one; the other takes it
    large.publish(big);
    assertThat(large.publishedFrames()).isEqualTo(1);
    await().atMost(WAIT).until(() -> small.refusedFrames() == 2 && stuck.receivedFrames() == 1);
    assertThat(small.receivedFrames()).isZero();

    // a batch larger than one frame is split: 10 events of about 306 bytes, 3 to a 1 KiB frame
    List<CacheEntryEvent<String, String>> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(new TestEvent(source, EventType.CREATED, "k", "y".repeat(300)));
    }
    small.publish(batch);
    assertThat(small.publishedFrames()).isEqualTo(4);
    // the stuck receiver (its executor runs nothing) queues 2 frames (the first frame of all is
    // among them) and drops the rest, counting them
    await().atMost(WAIT).until(() -> stuck.receivedFrames() == 5);
    assertThat(stuck.droppedFrames()).isEqualTo(3);
    assertThat(parked).hasSize(1); // one drain task at a time
    parked.get(0).run();
    small.listening(false);
    stuck.listening(false);
    assertThat(large.othersListen()).isFalse();
  }

  /** A plain event for {@link ClusterEvents#publish}. */
  static final class TestEvent extends CacheEntryEvent<String, String> {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final String value;

    TestEvent(Cache<String, String> source, EventType type, String key, String value) {
      super(source, type);
      this.key = key;
      this.value = value;
    }

    @Override
    public String getKey() {
      return key;
    }

    @Override
    public String getValue() {
      return value;
    }

    @Override
    public String getOldValue() {
      return null;
    }

    @Override
    public boolean isOldValueAvailable() {
      return false;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
      throw new IllegalArgumentException("cannot unwrap to " + clazz);
    }
  }

  /** The nodes (Vert.x ids) consuming the events of cache {@code name}, as {@code manager}'s cluster manager knows them. */
  private static List<String> registeredNodes(CacheManager manager, String name) throws Exception {
    VertxInternal vertx = (VertxInternal) manager.unwrap(RingstoreNode.class).vertx();
    CompletableFuture<List<RegistrationInfo>> answer = new CompletableFuture<>();
    vertx.clusterManager().getRegistrations(ClusterEvents.ADDRESS_PREFIX + name, (list, failure) -> {
      if (failure != null) {
        answer.completeExceptionally(failure);
      } else {
        answer.complete(list);
      }
    });
    return answer.get(10, TimeUnit.SECONDS).stream().map(RegistrationInfo::nodeId).collect(Collectors.toList());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records every event as text, and the threads it was told on. */
  static final class Recorder implements CacheEntryCreatedListener<String, String>, CacheEntryUpdatedListener<String, String>,
      CacheEntryRemovedListener<String, String>, CacheEntryExpiredListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;
    final ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();

    private void record(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      threads.add(Thread.currentThread().getName());
      for (CacheEntryEvent<? extends String, ? extends String> e : events) {
        String text = switch (e.getEventType()) {
          case CREATED, UPDATED -> e.getEventType() + " " + e.getKey() + "=" + e.getValue();
          case REMOVED, EXPIRED -> e.getEventType() + " " + e.getKey();
        };
        if (e.isOldValueAvailable()) {
          text += " old " + e.getOldValue();
        }
        heard.add(text);
      }
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      record(events);
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      record(events);
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      record(events);
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      record(events);
    }
  }

  /** Passes the events of keys that start with "yes". */
  static final class YesOnly implements CacheEntryEventFilter<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean evaluate(CacheEntryEvent<? extends String, ? extends String> event) {
      return event.getKey().startsWith("yes");
    }
  }
}
