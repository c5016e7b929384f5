package io.ringstore.provider.cluster;

import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.provider.codec.EntryCodec;
import io.ringstore.provider.event.EventBatch;
import io.ringstore.provider.event.EventRelay;
import io.ringstore.provider.event.ListenerRegistry;
import io.ringstore.spi.Bytes;
import io.vertx.core.Completable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/**
 * The cache entry events of one clustered cache, between this node and the caches of the same name
 * on the other nodes: an {@link EventRelay} over the Vert.x event bus.
 *
 * <p><b>Sending.</b> The node that runs an operation (its coordinating node) fires the events to
 * its own listeners and, when {@link #othersListen()} found another node consuming the cache's
 * address {@value #ADDRESS_PREFIX}{@code <cache name>}, publishes them there as {@link EventFrame}s
 * (keys and values as the cache's codec encodes them, which are the bytes it stores). Whether
 * another node listens is the cluster manager's registry of event-bus consumers, read once per
 * operation (Ringstore's cluster manager answers from memory). A batch that does not fit one frame
 * of {@code maxFrameBytes} is sent as several; a single event that does not fit is not sent, and
 * counted ({@link #refusedFrames()}) and logged (the first time and every 10,000th).
 *
 * <p><b>Hearing.</b> While the local cache has at least one listener, this node has exactly one
 * consumer on the address (so a published frame reaches each listening node once). Its handler
 * (on an event loop) checks the frame's size and format, skips frames this node sent, and queues
 * the rest; one drain task at a time on the manager's executor decodes them with the local codec
 * and delivers them through {@link ListenerRegistry#remoteBatch()}, in the order they arrived. So
 * events from other nodes are asynchronous for every listener: a synchronous listener runs on the
 * drain thread, not on the thread of the operation (which ran on another node). The queue holds at
 * most {@code maxQueuedFrames} frames; past that a frame is dropped, counted
 * ({@link #droppedFrames()}) and logged. Malformed or oversized frames are refused, counted and
 * logged the same way.
 *
 * <p>Invariants: at most one consumer; at most one drain task runs; frames of one origin are
 * delivered in the order the event bus delivered them (Vert.x keeps one connection per pair of
 * nodes, so in the order they were published).
 *
 * <p>Thread-safety: thread-safe. The consumer is guarded by this object's lock, the queue by its
 * own.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ClusterEvents<K, V> implements EventRelay<K, V> {
  private static final System.Logger LOG = System.getLogger(ClusterEvents.class.getName());

  /** The event-bus address of a cache's events is this prefix and the cache's name. */
  public static final String ADDRESS_PREFIX = "ringstore.events.";
  /** Default bound on one event frame, sent or received; below the event bus's own 16 MiB default. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 8 << 20;
  /** Default bound on frames heard and not yet delivered. */
  public static final int DEFAULT_MAX_QUEUED_FRAMES = 16_384;
  /** How long registering or removing the consumer waits for the cluster to know. */
  static final Duration REGISTRATION_WAIT = Duration.ofSeconds(10);
  // the frame header's varint event count takes at most this many bytes
  private static final int MAX_COUNT_BYTES = 5;

  // constant after construction
  private final String cacheName;
  private final String address;
  private final String origin;
  private final Vertx vertx;
  private final ClusterManager clusterManager;
  private final String busNodeId;
  private final EntryCodec<K, V> codec;
  private final Executor executor;
  private final int maxFrameBytes;
  private final int maxQueuedFrames;
  private final int frameBaseBytes;
  private final Completable<List<RegistrationInfo>> onRegistrations = this::registrationsAre;

  // set once by attach()
  private volatile @Nullable ListenerRegistry<K, V> registry;
  // the last answer of the cluster manager's registry
  private volatile boolean othersListen;
  // guarded by this
  private @Nullable MessageConsumer<Buffer> consumer;
  // guarded by queue
  private final ArrayDeque<EventFrame> queue = new ArrayDeque<>();
  private boolean draining;

  private final AtomicLong publishedFrames = new AtomicLong();
  private final AtomicLong receivedFrames = new AtomicLong();
  private final AtomicLong refusedFrames = new AtomicLong();
  private final AtomicLong droppedFrames = new AtomicLong();
  private final AtomicLong undecodableEvents = new AtomicLong();

  ClusterEvents(String cacheName, String origin, Vertx vertx, EntryCodec<K, V> codec, Executor executor, int maxFrameBytes,
      int maxQueuedFrames) {
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    this.address = ADDRESS_PREFIX + cacheName;
    this.origin = Objects.requireNonNull(origin, "origin");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.clusterManager = Objects.requireNonNull(((VertxInternal) vertx).clusterManager(),
        "the Vert.x instance of a clustered node has no cluster manager");
    this.busNodeId = clusterManager.getNodeId();
    this.codec = Objects.requireNonNull(codec, "codec");
    this.executor = Objects.requireNonNull(executor, "executor");
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("maxFrameBytes = " + maxFrameBytes + " is out of range; need >= 1024");
    }
    if (maxQueuedFrames < 1) {
      throw new IllegalArgumentException("maxQueuedFrames = " + maxQueuedFrames + " is out of range; need >= 1");
    }
    this.maxFrameBytes = maxFrameBytes;
    this.maxQueuedFrames = maxQueuedFrames;
    this.frameBaseBytes = EventFrameCodec.headerLength(origin) + MAX_COUNT_BYTES;
  }

  /**
   * The relay of cache {@code cacheName} on {@code node}, or null if the cache is alone: an embedded
   * node (no Vert.x), or a store-by-reference cache (its stored values are handles to objects of
   * this JVM, which cannot travel). Call {@link #attach} before the first listener registers.
   */
  public static <K, V> @Nullable ClusterEvents<K, V> forCache(String cacheName, RingstoreNode node, EntryCodec<K, V> codec,
      Executor executor) {
    Vertx vertx = node.vertx();
    if (vertx == null || codec.isByReference()) {
      return null;
    }
    return new ClusterEvents<>(cacheName, node.nodeId(), vertx, codec, executor, DEFAULT_MAX_FRAME_BYTES,
        DEFAULT_MAX_QUEUED_FRAMES);
  }

  /** Sets the registry whose listeners hear other nodes' events (once, before any registration). */
  public void attach(ListenerRegistry<K, V> listeners) {
    if (registry != null) {
      throw new IllegalStateException("cache '" + cacheName + "': the event relay is already attached");
    }
    registry = Objects.requireNonNull(listeners, "listeners");
  }

  /** The event-bus address of this cache's events. */
  public String address() {
    return address;
  }

  @Override
  public boolean othersListen() {
    // Ringstore's cluster manager completes at once from its replicated registry; another manager
    // may answer later, and then this operation goes by the previous answer
    clusterManager.getRegistrations(address, onRegistrations);
    return othersListen;
  }

  private void registrationsAre(@Nullable List<RegistrationInfo> registrations, @Nullable Throwable failure) {
    boolean others;
    if (failure != null || registrations == null) {
      others = true; // unknown: publish (the event bus delivers to whoever consumes; none is no harm)
    } else {
      others = false;
      for (RegistrationInfo info : registrations) {
        if (!busNodeId.equals(info.nodeId())) {
          others = true;
          break;
        }
      }
    }
    if (others != othersListen) {
      othersListen = others;
    }
  }

  @Override
  public void publish(List<? extends CacheEntryEvent<K, V>> events) {
    try {
      List<EventFrame.Event> frame = new ArrayList<>(events.size());
      int frameBytes = frameBaseBytes;
      for (CacheEntryEvent<K, V> event : events) {
        EventFrame.Event encoded = encode(event);
        if (encoded == null) {
          continue;
        }
        int length = encoded.encodedLength();
        if (frameBaseBytes + length > maxFrameBytes) {
          long count = refusedFrames.incrementAndGet();
          logOften(count, () -> "cache '" + cacheName + "': a " + event.getEventType() + " event takes " + length
              + " bytes, past the event frame bound maxFrameBytes = " + maxFrameBytes
              + "; other nodes' listeners do not hear it (" + count + " frames refused so far)");
          continue;
        }
        if (frameBytes + length > maxFrameBytes) {
          send(frame);
          frame = new ArrayList<>();
          frameBytes = frameBaseBytes;
        }
        frame.add(encoded);
        frameBytes += length;
      }
      if (!frame.isEmpty()) {
        send(frame);
      }
    } catch (RuntimeException e) {
      long count = refusedFrames.incrementAndGet();
      logOften(count, () -> "cache '" + cacheName + "': publishing events to other nodes failed (" + count
          + " frames refused so far)", e);
    }
  }

  private EventFrame.@Nullable Event encode(CacheEntryEvent<K, V> event) {
    try {
      EventType type = event.getEventType();
      Bytes key = codec.encodeKey(event.getKey());
      V old = event.isOldValueAvailable() ? event.getOldValue() : null;
      Bytes oldBytes = old == null ? null : codec.encodeValue(old);
      V value = type == EventType.CREATED || type == EventType.UPDATED ? event.getValue() : null;
      Bytes newBytes = value == null ? null : codec.encodeValue(value);
      return new EventFrame.Event(type, key, oldBytes, newBytes);
    } catch (RuntimeException e) {
      long count = refusedFrames.incrementAndGet();
      logOften(count, () -> "cache '" + cacheName + "': a " + event.getEventType()
          + " event cannot be encoded for other nodes; their listeners do not hear it (" + count + " refused so far)", e);
      return null;
    }
  }

  private void send(List<EventFrame.Event> events) {
    byte[] frame = EventFrameCodec.encode(new EventFrame(origin, events));
    vertx.eventBus().publish(address, Buffer.buffer(frame));
    publishedFrames.incrementAndGet();
  }

  @Override
  public synchronized void listening(boolean any) {
    try {
      if (any && consumer == null) {
        MessageConsumer<Buffer> c = vertx.eventBus().consumer(address, this::onFrame);
        consumer = c;
        await(c.completion(), "registering the consumer of " + address);
      } else if (!any && consumer != null) {
        MessageConsumer<Buffer> c = consumer;
        consumer = null;
        await(c.unregister(), "removing the consumer of " + address);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cache '" + cacheName + "': " + (any ? "starting" : "stopping")
          + " to hear other nodes' events failed", e);
    }
  }

  /**
   * Waits until the cluster knows of the change, so that an operation on another node after the
   * registration returns is heard; never on a Vert.x thread (that could block the very event loop
   * the change needs).
   */
  private void await(Future<Void> change, String what) {
    if (Context.isOnVertxThread()) {
      return;
    }
    try {
      change.toCompletionStage().toCompletableFuture().get(REGISTRATION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.log(Level.WARNING, () -> "cache '" + cacheName + "': " + what + " took longer than " + REGISTRATION_WAIT.toMillis()
          + " ms; events of operations other nodes make meanwhile may not be heard");
    } catch (ExecutionException e) {
      LOG.log(Level.WARNING, "cache '" + cacheName + "': " + what + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether this node consumes the cache's address now (while a local listener is registered). */
  public synchronized boolean isListening() {
    return consumer != null;
  }

  private void onFrame(Message<Buffer> message) {
    Buffer body = message.body();
    EventFrame frame;
    try {
      if (body == null) {
        throw new IllegalArgumentException("an event message without a body");
      }
      if (body.length() > maxFrameBytes) {
        throw new IllegalArgumentException("an event frame of " + body.length() + " bytes is past the bound maxFrameBytes = "
            + maxFrameBytes);
      }
      frame = EventFrameCodec.decode(body.getBytes(), maxFrameBytes);
    } catch (IllegalArgumentException e) {
      long count = refusedFrames.incrementAndGet();
      logOften(count, () -> "cache '" + cacheName + "': refused an event frame from the event bus: " + e.getMessage()
          + " (" + count + " frames refused so far)");
      return;
    }
    if (frame.origin().equals(origin)) {
      return; // this node's own operation: its listeners heard it already
    }
    receivedFrames.incrementAndGet();
    synchronized (queue) {
      if (queue.size() >= maxQueuedFrames) {
        long count = droppedFrames.incrementAndGet();
        logOften(count, () -> "cache '" + cacheName + "': " + maxQueuedFrames + " event frames from other nodes wait for delivery,"
            + " the bound maxQueuedFrames; dropped a frame of " + frame.events().size() + " events from node " + frame.origin()
            + " (" + count + " frames dropped so far); a listener is too slow");
        return;
      }
      queue.add(frame);
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // the manager is closing: nothing will drain; forget what is queued
      int lost;
      synchronized (queue) {
        lost = queue.size();
        queue.clear();
        draining = false;
      }
      LOG.log(Level.DEBUG, () -> "cache '" + cacheName + "': the executor refused to deliver " + lost
          + " event frames from other nodes (closing)");
    }
  }

  private void drain() {
    while (true) {
      EventFrame frame;
      synchronized (queue) {
        frame = queue.poll();
        if (frame == null) {
          draining = false;
          return;
        }
      }
      deliver(frame);
    }
  }

  private void deliver(EventFrame frame) {
    ListenerRegistry<K, V> listeners = registry;
    if (listeners == null || listeners.isClosed()) {
      return;
    }
    EventBatch<K, V> batch = listeners.remoteBatch();
    if (batch.isNoOp()) {
      return;
    }
    for (EventFrame.Event event : frame.events()) {
      try {
        K key = codec.decodeKey(event.key());
        V old = event.oldValue() == null ? null : codec.decodeValue(event.oldValue());
        switch (event.type()) {
          case CREATED -> batch.created(key, decoded(event.newValue()));
          case UPDATED -> batch.updated(key, old, decoded(event.newValue()));
          case REMOVED -> batch.removed(key, old);
          case EXPIRED -> batch.expired(key, old);
        }
      } catch (RuntimeException e) {
        long count = undecodableEvents.incrementAndGet();
        logOften(count, () -> "cache '" + cacheName + "': a " + event.type() + " event from node " + frame.origin()
            + " cannot be decoded here; its listeners do not hear it (" + count + " so far)", e);
      }
    }
    try {
      batch.fire();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, () -> "cache '" + cacheName + "': a synchronous listener or filter threw on events from node "
          + frame.origin() + "; events from other nodes have no caller to report it to", e);
    }
  }

  private V decoded(@Nullable Bytes bytes) {
    return Objects.requireNonNull(codec.decodeValue(Objects.requireNonNull(bytes, "value")), "decoded value");
  }

  /** Frames this node published. */
  public long publishedFrames() {
    return publishedFrames.get();
  }

  /** Frames from other nodes this node accepted (its own are skipped, not counted). */
  public long receivedFrames() {
    return receivedFrames.get();
  }

  /** Frames refused: malformed or oversized ones heard, and events too large or unencodable to send. */
  public long refusedFrames() {
    return refusedFrames.get();
  }

  /** Frames heard and dropped because the delivery queue was at its bound. */
  public long droppedFrames() {
    return droppedFrames.get();
  }

  /** Events heard that the local codec could not decode. */
  public long undecodableEvents() {
    return undecodableEvents.get();
  }

  private static void logOften(long count, Supplier<String> message) {
    if (count == 1 || count % 10_000 == 0) {
      LOG.log(Level.WARNING, message);
    }
  }

  private static void logOften(long count, Supplier<String> message, Throwable thrown) {
    if (count == 1 || count % 10_000 == 0) {
      LOG.log(Level.WARNING, message, thrown);
    }
  }

  @Override
  public String toString() {
    return "ClusterEvents[" + address + " from " + origin + "]";
  }
}
