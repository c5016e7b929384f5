package io.ringstore.cluster.repair;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.env.Ticker;

/**
 * A token bucket on a {@link Ticker}: {@code perSecond} tokens a second, at most one second's
 * worth saved up. A taker asks how long to wait before it may go on; the tokens are taken at once
 * (the bucket may go into debt), so takers that honour the waits never exceed the rate over any
 * second by more than the burst.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class TokenBucket {
  private final Ticker ticker;
  private final long perSecond;
  // tokens, scaled by 1e9 (nano-tokens) so that refill is exact integer arithmetic; guarded by this
  private long nanoTokens;
  private long refilledAtNanos;

  public TokenBucket(Ticker ticker, long perSecond) {
    this.ticker = requireNonNull(ticker, "ticker");
    if (perSecond < 1 || perSecond > 1_000_000_000L) {
      throw new IllegalArgumentException("rate = " + perSecond + " a second is out of range; need 1 to 1000000000");
    }
    this.perSecond = perSecond;
    this.refilledAtNanos = ticker.nanos();
    this.nanoTokens = capacity();
  }

  private long capacity() {
    return perSecond * 1_000_000_000L;
  }

  /** Takes {@code tokens} and returns how many nanoseconds the taker waits before going on (0: at once). */
  public synchronized long take(long tokens) {
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens = " + tokens + "; need >= 0");
    }
    long now = ticker.nanos();
    long elapsed = now - refilledAtNanos;
    refilledAtNanos = now;
    // elapsed x perSecond nano-tokens (saturating: a debt is repaid, then the bucket fills to its capacity)
    long refill = elapsed >= Long.MAX_VALUE / 2 / perSecond ? Long.MAX_VALUE / 2 : elapsed * perSecond;
    nanoTokens = Math.min(capacity(), nanoTokens + refill);
    nanoTokens -= Math.multiplyHigh(tokens, 1_000_000_000L) != 0 ? Long.MAX_VALUE / 2 : tokens * 1_000_000_000L;
    return nanoTokens >= 0 ? 0 : -nanoTokens / perSecond + 1;
  }
}
