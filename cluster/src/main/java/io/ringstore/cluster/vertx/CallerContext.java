package io.ringstore.cluster.vertx;

import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import org.jspecify.annotations.Nullable;

/**
 * Hands the outcome of a shared-data operation back on the Vert.x context of the code that started
 * it (as Vert.x's own shared data does), whatever thread the cluster channel completed it on.
 *
 * <p>Thread-safety: thread-safe (immutable).
 */
final class CallerContext {
  // constant after construction
  private final VertxInternal vertx;

  CallerContext(VertxInternal vertx) {
    this.vertx = vertx;
  }

  /** {@code outcome}, completed on the calling thread's context (or a new one). */
  @SuppressWarnings("unchecked")
  <T> Future<T> on(Future<? extends @Nullable Object> outcome) {
    ContextInternal context = vertx.getOrCreateContext();
    PromiseInternal<T> promise = context.promise();
    outcome.onComplete(ar -> {
      if (ar.succeeded()) {
        promise.tryComplete((T) ar.result());
      } else {
        promise.tryFail(ar.cause());
      }
    });
    return promise.future();
  }
}
