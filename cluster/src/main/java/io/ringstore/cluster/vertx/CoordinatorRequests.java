package io.ringstore.cluster.vertx;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Sends requests to the coordinator and follows it when it changes. A request that fails while
 * the registry came to name another coordinator (the old one left, or was removed as down) is sent
 * again to the new one. A request that fails in transport (the connection is refused or closes, or
 * no reply comes in time) may have met a crashed coordinator: it waits, up to
 * {@code failoverWait}, for the registry to name another coordinator (after a takeover, see
 * {@link FailureWatch}) and is then sent again. If the coordinator stays the same, the failure is
 * reported: the coordinator lives and may still apply the change, so it is not sent twice; so is
 * an error answer ({@link ClusterChannel.RemoteError}) of a coordinator that stays. A request
 * refused as from a non-member ({@link NotMemberException}) waits for this node to rejoin and is
 * sent once more. A request is sent {@value #MAX_ATTEMPTS} times at most.
 *
 * <p><b>A retried change may apply twice</b>: a coordinator that crashed in the middle of a change
 * may have applied it on some members before the change is sent again to its successor. A
 * registration is added at most once ({@code RegistrationAdded} of a registration already present
 * changes nothing); anything whose repetition matters must be made idempotent the same way.
 *
 * <p>Thread-safety: thread-safe.
 */
final class CoordinatorRequests {
  private static final System.Logger LOG = System.getLogger(CoordinatorRequests.class.getName());

  /** How often one request is sent at most (coordinators can change several times in a row). */
  static final int MAX_ATTEMPTS = 5;

  /** What the requests read of the registry. */
  interface Registry {
    /** Whether this node is the coordinator (the request is then handled locally). */
    boolean isCoordinator();

    /** The coordinator's channel address, or null if this node is in no cluster. */
    @Nullable String coordinatorAddress();

    /** This node rejoins (or has rejoined) the cluster; fails if it cannot. */
    Future<Void> rejoin();
  }

  // constant after construction
  private final Vertx vertx;
  private final ClusterChannel channel;
  private final Registry registry;
  private final Duration poll;
  private final int maxPolls;

  /**
   * Requests over {@code channel}; after a transport failure, the registry is looked at every
   * {@code poll} for a new coordinator, for {@code failoverWait} at most.
   */
  CoordinatorRequests(Vertx vertx, ClusterChannel channel, Registry registry, Duration poll, Duration failoverWait) {
    this.vertx = vertx;
    this.channel = channel;
    this.registry = registry;
    this.poll = poll;
    this.maxPolls = (int) Math.max(1, failoverWait.toMillis() / Math.max(1, poll.toMillis()));
  }

  /** Has the coordinator handle {@code request}: {@code local} runs it if this node is the coordinator. */
  Future<Buffer> send(Buffer request, Supplier<Future<Buffer>> local) {
    return attempt(request, local, false, 1);
  }

  /** As {@link #send}, but a refusal as from a non-member is final (for what a rejoin itself sends). */
  Future<Buffer> sendWithoutRejoin(Buffer request, Supplier<Future<Buffer>> local) {
    return attempt(request, local, true, 1);
  }

  private Future<Buffer> attempt(Buffer request, Supplier<Future<Buffer>> local, boolean rejoined, int attempts) {
    if (channel.isClosed()) {
      return Future.failedFuture(new IllegalStateException("the cluster channel is closed: this node has left the cluster"));
    }
    if (registry.isCoordinator()) {
      return local.get();
    }
    String coordinator = registry.coordinatorAddress();
    if (coordinator == null) {
      return Future.failedFuture(new IllegalStateException("this node is not in a cluster (join first)"));
    }
    return channel.request(coordinator, request).recover(failure -> {
      if (channel.isClosed() || attempts >= MAX_ATTEMPTS) {
        return Future.failedFuture(failure);
      }
      if (failure instanceof NotMemberException) {
        return rejoined ? Future.failedFuture(failure)
            : registry.rejoin().compose(v -> attempt(request, local, true, attempts + 1), e -> Future.failedFuture(failure));
      }
      if (registry.isCoordinator() || !Objects.equals(registry.coordinatorAddress(), coordinator)) {
        // the coordinator changed meanwhile (it left, or was removed as down): try its successor
        return attempt(request, local, rejoined, attempts + 1);
      }
      if (failure instanceof ClusterChannel.RemoteError) {
        return Future.failedFuture(failure);
      }
      return newCoordinator(coordinator, 0).compose(changed -> {
        if (!changed) {
          return Future.failedFuture(failure);
        }
        LOG.log(Level.INFO, "a request to the coordinator at {0} failed ({1}); sending it to the new coordinator",
            coordinator, failure.getMessage());
        return attempt(request, local, rejoined, attempts + 1);
      });
    });
  }

  private Future<Boolean> newCoordinator(String old, int polls) {
    if (registry.isCoordinator() || !Objects.equals(registry.coordinatorAddress(), old)) {
      return Future.succeededFuture(registry.isCoordinator() || registry.coordinatorAddress() != null);
    }
    if (polls >= maxPolls) {
      return Future.succeededFuture(false);
    }
    Promise<Boolean> changed = Promise.promise();
    vertx.setTimer(Math.max(1, poll.toMillis()), t -> newCoordinator(old, polls + 1).onComplete(changed));
    return changed.future();
  }
}
