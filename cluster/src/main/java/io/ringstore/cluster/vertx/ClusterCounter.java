package io.ringstore.cluster.vertx;

import io.ringstore.cluster.vertx.Change.CounterKind;
import io.ringstore.cluster.vertx.Change.CounterUpdate;
import io.vertx.core.Future;
import io.vertx.core.shareddata.Counter;

/**
 * A cluster-wide counter: every read and update is sequenced by the coordinator (so they are
 * linearizable) and its result comes back on the caller's context. An unknown counter is 0.
 *
 * <p>Thread-safety: thread-safe (stateless over {@link SharedState}).
 */
final class ClusterCounter implements Counter {
  // constant after construction
  private final SharedState state;
  private final CallerContext caller;
  private final String name;

  ClusterCounter(SharedState state, CallerContext caller, String name) {
    this.state = state;
    this.caller = caller;
    this.name = name;
  }

  @Override
  public Future<Long> get() {
    return run(CounterKind.GET, 0, 0);
  }

  @Override
  public Future<Long> incrementAndGet() {
    return run(CounterKind.ADD_AND_GET, 1, 0);
  }

  @Override
  public Future<Long> getAndIncrement() {
    return run(CounterKind.GET_AND_ADD, 1, 0);
  }

  @Override
  public Future<Long> decrementAndGet() {
    return run(CounterKind.ADD_AND_GET, -1, 0);
  }

  @Override
  public Future<Long> addAndGet(long value) {
    return run(CounterKind.ADD_AND_GET, value, 0);
  }

  @Override
  public Future<Long> getAndAdd(long value) {
    return run(CounterKind.GET_AND_ADD, value, 0);
  }

  @Override
  public Future<Boolean> compareAndSet(long expected, long value) {
    return caller.on(state.operate((origin, opId) -> new CounterUpdate(origin, opId, name, CounterKind.COMPARE_AND_SET, expected, value)));
  }

  private Future<Long> run(CounterKind what, long a, long b) {
    return caller.on(state.operate((origin, opId) -> new CounterUpdate(origin, opId, name, what, a, b)));
  }
}
