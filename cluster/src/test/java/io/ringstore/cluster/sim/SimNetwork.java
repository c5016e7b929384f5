package io.ringstore.cluster.sim;

import io.ringstore.cluster.replication.ReplicaTransport;
import io.ringstore.cluster.replication.ReplicaUnreachableException;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.cluster.wire.WireCodec;
import io.ringstore.spi.env.Scheduler;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The simulated network between {@link SimNode}s: every request and reply goes through
 * {@link WireCodec} (as on the event bus) and is delivered as a task of the simulation's time after
 * a delay drawn from the seed (mostly short, sometimes long: messages overtake each other), or lost
 * ({@link #dropProbability}), or delivered twice ({@link #duplicateProbability}).
 *
 * <p>Partitions are a set of cut directed links: a message on a cut link is lost when it would
 * arrive (one-way cuts, bridges and majority/minority splits are sets of links). A crashed node
 * receives nothing (nor does its next incarnation receive what was sent to the last one, as a
 * broken connection would lose it); a paused node receives at {@link SimNode#resume()}.
 *
 * <p>A request not answered within its timeout fails with a {@link ReplicaUnreachableException}
 * naming the node, as the event bus's transport does; the timeout is a timer of the sending node.
 *
 * <p>Thread-safety: not thread-safe; the simulation's one thread runs it.
 */
final class SimNetwork {
  /** Bounds no simulated frame reaches; decoding checks them as a receiver would. */
  private static final int MAX_FRAME_BYTES = 16 << 20;

  private final SimWorld world;
  private final SplittableRandom random;
  private final boolean[][] cut;
  private double dropProbability;
  private double duplicateProbability;
  private long slowDelayNanos;
  private long messages;
  private long dropped;
  private long duplicated;

  SimNetwork(SimWorld world, SplittableRandom random, int nodes, double dropProbability, double duplicateProbability,
      long slowDelayMillis) {
    this.slowDelayNanos = slowDelayMillis * 1_000_000L;
    this.world = world;
    this.random = random;
    this.cut = new boolean[nodes][nodes];
    this.dropProbability = dropProbability;
    this.duplicateProbability = duplicateProbability;
  }

  /** The transport {@code node}'s coordinator of incarnation {@code incarnation} sends through. */
  ReplicaTransport transport(SimNode node, int incarnation) {
    return new Transport(node, incarnation);
  }

  /** Cuts the link from {@code from} to {@code to} (one way). */
  void cut(int from, int to) {
    if (from != to) {
      cut[from][to] = true;
    }
  }

  boolean isCut(int from, int to) {
    return cut[from][to];
  }

  /** Restores every link. */
  void healAll() {
    for (boolean[] row : cut) {
      java.util.Arrays.fill(row, false);
    }
  }

  /** From now on no message is lost or duplicated, nor slower than 20 ms (the quiet period after the faults). */
  void makeReliable() {
    dropProbability = 0;
    duplicateProbability = 0;
    slowDelayNanos = Math.min(slowDelayNanos, 20_000_000L);
  }

  long messages() {
    return messages;
  }

  long dropped() {
    return dropped;
  }

  long duplicated() {
    return duplicated;
  }

  /** Sends {@code frame} from {@code from} to {@code to}: {@code onArrival} runs there, as its work, if it arrives. */
  private void deliver(SimNode from, SimNode to, Runnable onArrival) {
    messages++;
    if (random.nextDouble() < dropProbability) {
      dropped++;
      return;
    }
    int copies = 1;
    if (random.nextDouble() < duplicateProbability) {
      duplicated++;
      copies = 2;
    }
    int incarnation = to.incarnation();
    int fromIndex = from.index();
    int toIndex = to.index();
    for (int i = 0; i < copies; i++) {
      world.time().schedule(() -> {
        if (cut[fromIndex][toIndex]) {
          dropped++;
          return;
        }
        to.execute(incarnation, onArrival);
      }, Duration.ofNanos(delayNanos()));
    }
  }

  /** 50 us to 2 ms mostly; one message in 20 takes 2 ms to the run's slow delay, so messages overtake each other. */
  private long delayNanos() {
    if (random.nextInt(20) == 0) {
      return 2_000_000L + random.nextLong(slowDelayNanos - 2_000_000L);
    }
    return 50_000L + random.nextLong(1_950_000L);
  }

  /** One coordinator's way out: requests and their replies cross the network as bytes. */
  private final class Transport implements ReplicaTransport {
    private final SimNode from;
    private final int incarnation;
    private final Scheduler timers;

    Transport(SimNode from, int incarnation) {
      this.from = from;
      this.incarnation = incarnation;
      this.timers = (task, delay) -> world.time().schedule(() -> from.execute(incarnation, task), delay);
    }

    @Override
    public CompletionStage<ReplicaReply> send(String nodeId, ReplicaRequest request, long timeoutMillis) {
      CompletableFuture<ReplicaReply> reply = new CompletableFuture<>();
      SimNode to = world.node(nodeId);
      byte[] frame = WireCodec.encode(request);
      Scheduler.Cancellable timeout = timers.schedule(() -> reply.completeExceptionally(new ReplicaUnreachableException(nodeId,
          "node " + nodeId + " did not answer a " + request.getClass().getSimpleName() + " within " + timeoutMillis
              + " ms (simulated network)")), Duration.ofMillis(timeoutMillis));
      deliver(from, to, () -> {
        ReplicaRequest received = WireCodec.decodeRequest(frame, MAX_FRAME_BYTES);
        to.endpoint().handle(received).whenComplete((answer, failure) -> {
          ReplicaReply sent = failure == null ? answer : new ReplicaReply.Refused(ReplicaReply.Refused.Reason.ERROR,
              "node " + nodeId + ": " + failure, "", 0, 0);
          byte[] replyFrame = WireCodec.encode(sent);
          deliver(to, from, () -> {
            if (from.incarnation() == incarnation && !reply.isDone()) {
              timeout.cancel();
              reply.complete(WireCodec.decodeReply(replyFrame, MAX_FRAME_BYTES));
            }
          });
        });
      });
      return reply;
    }
  }
}
