package io.ringstore.provider.expiry;

import io.ringstore.spi.StoredRecord;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.jspecify.annotations.Nullable;

/**
 * One cache's {@link ExpiryPolicy}, asked the spec's three questions and answered in millis.
 *
 * <p>Each {@code *Millis()} method returns how long the entry lives from now:
 * <ul>
 *   <li>{@link #ETERNAL} for {@link Duration#ETERNAL} (the record gets {@link StoredRecord#NEVER});</li>
 *   <li>{@code 0} for {@link Duration#ZERO}, or a duration shorter than a millisecond: the entry is
 *       expired at once (a created entry is not stored at all);</li>
 *   <li>{@link #UNCHANGED} when an update or access leaves the expiry as it is: the policy returned
 *       {@code null}, or threw (the spec: an exception from the policy must not fail the
 *       operation; it is logged at DEBUG);</li>
 *   <li>otherwise the duration in millis.</li>
 * </ul>
 * For creation, {@code null} and an exception count as {@link #ETERNAL}.
 *
 * <p>The policy is asked on every operation it applies to, never cached, because the TCK and users
 * count the calls. The exceptions are the spec's own policies whose answers are fixed: the exact
 * {@link EternalExpiryPolicy} ({@link #isEternal()} lets the cache skip the questions and the clock
 * entirely), and {@link CreatedExpiryPolicy} and {@link ModifiedExpiryPolicy}, which never renew
 * on access ({@link #hasAccessExpiry()}).
 *
 * <p>Thread-safety: thread-safe if the policy is.
 */
public final class ExpiryCalculator {
  private static final System.Logger LOG = System.getLogger(ExpiryCalculator.class.getName());

  /** The entry never expires. */
  public static final long ETERNAL = Long.MAX_VALUE;

  /** The entry keeps the expiry it has. */
  public static final long UNCHANGED = -1;

  private final ExpiryPolicy policy;
  private final boolean eternal;
  private final boolean accessExpiry;

  /** Wraps {@code policy}. */
  public ExpiryCalculator(ExpiryPolicy policy) {
    this.policy = policy;
    Class<?> type = policy.getClass();
    this.eternal = type == EternalExpiryPolicy.class;
    this.accessExpiry = !eternal && type != CreatedExpiryPolicy.class && type != ModifiedExpiryPolicy.class;
  }

  /** The policy. */
  public ExpiryPolicy policy() {
    return policy;
  }

  /**
   * True for the exact {@link EternalExpiryPolicy}: creation is always {@link #ETERNAL} and updates
   * and accesses are always {@link #UNCHANGED}, so no clock reading is needed.
   */
  public boolean isEternal() {
    return eternal;
  }

  /**
   * False when accesses never change the expiry: the exact {@link EternalExpiryPolicy},
   * {@link CreatedExpiryPolicy} and {@link ModifiedExpiryPolicy}, whose access answer is always
   * {@code null}. A read of such a cache need not write anything.
   */
  public boolean hasAccessExpiry() {
    return accessExpiry;
  }

  /** How long a created entry lives. */
  public long creationMillis() {
    if (eternal) {
      return ETERNAL;
    }
    Duration duration;
    try {
      duration = policy.getExpiryForCreation();
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "ExpiryPolicy.getExpiryForCreation threw; the entry does not expire", e);
      return ETERNAL;
    }
    return duration == null ? ETERNAL : millis(duration);
  }

  /** How long an updated entry lives from now, or {@link #UNCHANGED}. */
  public long updateMillis() {
    if (eternal) {
      return UNCHANGED;
    }
    Duration duration;
    try {
      duration = policy.getExpiryForUpdate();
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "ExpiryPolicy.getExpiryForUpdate threw; the expiry is left unchanged", e);
      return UNCHANGED;
    }
    return duration == null ? UNCHANGED : millis(duration);
  }

  /** How long an accessed entry lives from now, or {@link #UNCHANGED}. */
  public long accessMillis() {
    if (eternal) {
      return UNCHANGED;
    }
    Duration duration;
    try {
      duration = policy.getExpiryForAccess();
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "ExpiryPolicy.getExpiryForAccess threw; the expiry is left unchanged", e);
      return UNCHANGED;
    }
    return duration == null ? UNCHANGED : millis(duration);
  }

  /**
   * The absolute expiry of an entry that lives {@code millis} (not {@link #UNCHANGED}) from
   * {@code nowMillis}: {@link StoredRecord#NEVER} for {@link #ETERNAL}, saturating on overflow.
   */
  public static long expiresAt(long millis, long nowMillis) {
    if (millis == ETERNAL) {
      return StoredRecord.NEVER;
    }
    long at = nowMillis + millis;
    return at < nowMillis || at == StoredRecord.NEVER ? StoredRecord.NEVER - 1 : at;
  }

  private static long millis(Duration duration) {
    if (duration.isEternal()) {
      return ETERNAL;
    }
    if (duration.isZero()) {
      return 0;
    }
    TimeUnit unit = duration.getTimeUnit();
    long millis = unit.toMillis(duration.getDurationAmount());
    return millis == Long.MAX_VALUE ? ETERNAL - 1 : Math.max(0, millis);
  }

  /** Closes the policy if it is {@link Closeable}; failures are logged. */
  public void close() {
    closeQuietly(policy, "ExpiryPolicy");
  }

  /** Closes {@code resource} if it is {@link Closeable}, logging a failure at WARNING. */
  public static void closeQuietly(@Nullable Object resource, String what) {
    if (resource instanceof Closeable closeable) {
      try {
        closeable.close();
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "closing the " + what + " " + resource.getClass().getName() + " failed", e);
      }
    }
  }
}
