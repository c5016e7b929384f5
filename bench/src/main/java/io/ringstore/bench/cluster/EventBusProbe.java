package io.ringstore.bench.cluster;

import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.MessageConsumerOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.cache.CacheManager;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor of the transport Ringstore's replicas talk over: how long the clustered Vert.x event
 * bus, as a Ringstore node runs it, takes to carry a {@value #MESSAGE_BYTES}-byte request to
 * another node and its reply back, with none of Ringstore's replication on top. Beside
 * {@link LoopbackProbe} (bare TCP) it splits a replicated operation's time into the wire, the
 * event bus, and Ringstore's own work.
 *
 * <ul>
 *   <li>{@code roundTrip}: node 0 sends one request to node 1 and waits for the reply: what a
 *       quorum read at R = 2 costs at the least when the coordinator holds a replica.
 *   <li>{@code fanOutRoundTrip}: node 0 sends one request to node 1 and one to node 2, then waits
 *       for both replies: the floor of a W = 3 write (or an R = 3 read) by a coordinator holding a
 *       replica.
 * </ul>
 *
 * <p>The three nodes are started as the cluster benchmark's are ({@link RingstoreCluster}): each
 * is the node of its own Ringstore {@code CacheManager}, clustered on loopback through the
 * provider's own launcher, so each runs Ringstore's cluster manager, its hardened event bus (the
 * frame-bound transport) and the default {@code ringstore.bus.eventLoops}; no cache is created.
 * Nodes 1 and 2 each consume at {@code ringstore.probe.<node id>} and reply with the body they got,
 * as a {@link Buffer}. Requests are sent from the benchmark thread (not a Vert.x thread), as a
 * cache caller's are, with the same calls as Ringstore's replica transport (a {@code Buffer} made
 * from a {@code byte[]}, a send timeout, the reply's bytes copied out into a
 * {@link CompletableFuture}), and the benchmark thread waits as a synchronous Ringstore call does:
 * on a queue that the outcome's completion wakes.
 *
 * <p>The default mode is {@code SampleTime} in microseconds; {@code -bm thrpt} gives round trips
 * per second. Gossip and the cluster manager's heartbeats run meanwhile, as on any node.
 *
 * <p>Thread-safety: the nodes and their consumers are shared and thread-safe; each call waits on
 * a queue of its own, so {@code -t} above 1 is fine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
public class EventBusProbe {
  /** Bytes of each message: the size of one benchmark value. */
  public static final int MESSAGE_BYTES = ClusterWorkload.VALUE_BYTES;

  /** The address prefix of the probe's consumers (the replica service's is {@code ringstore.replica.}). */
  static final String ADDRESS_PREFIX = "ringstore.probe.";

  private static final int MEMBERS = 3;
  /** The send timeout of each request; a round trip that takes it fails the benchmark. */
  private static final long REQUEST_TIMEOUT_MILLIS = 5_000;
  /** How long setup waits for each step (consumer registered, first reply) and teardown for each close. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final long RETRY_MILLIS = 50;
  private static final Runnable WAKE = () -> {};

  private final Ticker ticker = Env.system().ticker();

  // set in setup
  private final List<CacheManager> managers = new ArrayList<>(MEMBERS);
  private final List<MessageConsumer<Buffer>> consumers = new ArrayList<>(MEMBERS - 1);
  private @Nullable Vertx sender;
  private String firstAddress = "";
  private String secondAddress = "";
  private byte[] message = new byte[0];

  /**
   * Starts the three nodes, registers the echo consumers on nodes 1 and 2, and sends each one
   * request from node 0 before measuring (so the bus connections are open).
   *
   * @throws IllegalStateException if the nodes do not form a cluster or a consumer does not answer in time
   */
  @Setup(Level.Trial)
  public void setUp() {
    managers.addAll(RingstoreCluster.startNodes("probe", ClusterBenchmark.JOIN_TIMEOUT));
    try {
      sender = vertx(RingstoreCluster.node(managers.get(0)));
      firstAddress = echoAt(RingstoreCluster.node(managers.get(1)));
      secondAddress = echoAt(RingstoreCluster.node(managers.get(2)));
      byte[] bytes = new byte[MESSAGE_BYTES];
      SplittableRandom random = new SplittableRandom(ClusterWorkload.DEFAULT_SEED);
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) random.nextInt(256);
      }
      message = bytes;
      awaitRoute(firstAddress);
      awaitRoute(secondAddress);
    } catch (RuntimeException | Error e) {
      try {
        tearDown();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Unregisters the consumers and closes the three nodes (their Vert.x instances and threads). */
  @TearDown(Level.Trial)
  public void tearDown() {
    RuntimeException failure = null;
    for (MessageConsumer<Buffer> consumer : consumers) {
      try {
        join(consumer.unregister(), "unregistering the probe consumer at " + consumer.address());
      } catch (RuntimeException e) {
        failure = add(failure, e);
      }
    }
    consumers.clear();
    try {
      RingstoreCluster.closeAll(managers, failure);
    } catch (RuntimeException e) {
      failure = e;
    }
    managers.clear();
    sender = null;
    if (failure != null) {
      throw failure;
    }
  }

  @Benchmark
  public int roundTrip() {
    return await(request(firstAddress))[0];
  }

  @Benchmark
  public int fanOutRoundTrip() {
    CompletableFuture<byte[]> first = request(firstAddress);
    CompletableFuture<byte[]> second = request(secondAddress);
    return await(first.thenCombine(second, (a, b) -> a[0] + b[0]));
  }

  /** Sends the message to {@code address} from node 0 as Ringstore's replica transport sends a request. */
  private CompletableFuture<byte[]> request(String address) {
    Vertx vertx = sender;
    if (vertx == null) {
      throw new IllegalStateException("the probe's nodes are not started");
    }
    CompletableFuture<byte[]> reply = new CompletableFuture<>();
    vertx.eventBus().<Buffer>request(address, Buffer.buffer(message), new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MILLIS))
        .onComplete(ar -> {
          if (ar.failed()) {
            reply.completeExceptionally(ar.cause());
          } else {
            reply.complete(ar.result().body().getBytes());
          }
        });
    return reply;
  }

  /**
   * Waits for {@code outcome} as a synchronous Ringstore call does: on a fresh queue that the
   * outcome's completion puts a wake-up step on, with twice the request timeout as a safety net.
   */
  private <T> T await(CompletableFuture<T> outcome) {
    LinkedBlockingQueue<Runnable> steps = new LinkedBlockingQueue<>();
    outcome.whenComplete((value, failure) -> steps.add(WAKE));
    long deadline = ticker.nanos() + TimeUnit.MILLISECONDS.toNanos(2 * REQUEST_TIMEOUT_MILLIS);
    try {
      while (!outcome.isDone()) {
        long left = deadline - ticker.nanos();
        if (left <= 0) {
          throw new IllegalStateException("a probe request had no reply within " + 2 * REQUEST_TIMEOUT_MILLIS + " ms");
        }
        Runnable step = steps.poll(left, TimeUnit.NANOSECONDS);
        if (step != null) {
          step.run();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a probe reply", e);
    }
    return outcome.join();
  }

  /**
   * Registers on {@code node} a consumer at {@code ringstore.probe.<node id>} that replies with the
   * body it got, with the replica service's buffer bound; returns its address once every member
   * knows the registration.
   */
  private String echoAt(RingstoreNode node) {
    String address = ADDRESS_PREFIX + node.nodeId();
    MessageConsumer<Buffer> consumer = vertx(node).eventBus().consumer(new MessageConsumerOptions().setAddress(address)
        .setMaxBufferedMessages(65_536));
    consumer.handler((Message<Buffer> request) -> request.reply(request.body()));
    consumers.add(consumer);
    join(consumer.completion(), "registering the probe consumer at " + address);
    return address;
  }

  /** Sends requests to {@code address} until one is answered (a consumer no one knows of yet is retried). */
  private void awaitRoute(String address) {
    long deadline = ticker.nanos() + READY_TIMEOUT.toNanos();
    while (true) {
      try {
        await(request(address));
        return;
      } catch (CompletionException e) {
        boolean unknown = e.getCause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
        if (!unknown || deadline - ticker.nanos() <= 0) {
          throw new IllegalStateException("node 0's request to " + address + " failed: " + e.getCause(), e.getCause());
        }
      }
      Vertx vertx = sender;
      if (vertx != null) {
        join(vertx.timer(RETRY_MILLIS, TimeUnit.MILLISECONDS), "waiting before another request to " + address);
      }
    }
  }

  private static void join(Future<?> future, String what) {
    try {
      future.toCompletionStage().toCompletableFuture().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " took longer than " + READY_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " was interrupted", e);
    }
  }

  private static RuntimeException add(@Nullable RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private static Vertx vertx(RingstoreNode node) {
    Vertx vertx = node.vertx();
    if (vertx == null) {
      throw new IllegalStateException("node " + node.nodeId() + " is embedded; the probe needs clustered nodes");
    }
    return vertx;
  }
}
