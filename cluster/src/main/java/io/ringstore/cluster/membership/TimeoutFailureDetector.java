package io.ringstore.cluster.membership;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The simplest failure detector: a node is alive while its heartbeat moved less than
 * {@code timeout} ago. Unlike phi accrual it does not adapt to the observed arrival rate, so the
 * timeout must cover the time gossip takes to bring a heartbeat (about log2(n) rounds) plus some
 * slack.
 *
 * <p>Thread-safety: not thread-safe (see {@link FailureDetector}).
 */
public final class TimeoutFailureDetector implements FailureDetector {
  private final long timeoutNanos;
  private final Map<NodeId, Long> lastReportNanos = new HashMap<>();

  /** A detector that calls a node down {@code timeout} after its last heartbeat progress. */
  public TimeoutFailureDetector(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("failure detector timeout = " + timeout + "; need > 0");
    }
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public void report(NodeId node, long nowNanos) {
    lastReportNanos.put(node, nowNanos);
  }

  @Override
  public boolean isAlive(NodeId node, long nowNanos) {
    Long last = lastReportNanos.get(node);
    return last != null && nowNanos - last < timeoutNanos;
  }

  @Override
  public void forget(NodeId node) {
    lastReportNanos.remove(node);
  }

  @Override
  public String describe(NodeId node, long nowNanos) {
    Long last = lastReportNanos.get(node);
    if (last == null) {
      return "no heartbeat seen";
    }
    long silentNanos = nowNanos - last;
    return String.format(Locale.ROOT, "%,d ms without heartbeat %s timeout %,d ms", silentNanos / 1_000_000,
        silentNanos < timeoutNanos ? "<" : ">=", timeoutNanos / 1_000_000);
  }
}
