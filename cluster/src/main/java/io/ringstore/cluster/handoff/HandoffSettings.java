package io.ringstore.cluster.handoff;

import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a node keeps and hands off hints ({@code ringstore.handoff.*}, docs/hinted-handoff.md).
 *
 * <p>Invariants: every bound below holds; a bad value is refused naming the property, the value and
 * the bound. Thread-safety: immutable.
 *
 * @param enabled whether this node keeps hints at all ({@code ringstore.handoff.enabled})
 * @param maxBytes the most bytes of hints the node keeps, all keyspaces together; a hint past it is
 *     not kept but counted, and marks its target for anti-entropy repair ({@code maxBytes})
 * @param maxAge how old a hint may grow before it is dropped undelivered (counted, its target
 *     marked for repair): a node down longer than this is brought up to date by repair
 *     ({@code maxAgeMillis})
 * @param replayInterval how often the node looks for live targets with hints to hand off
 *     ({@code replayIntervalMillis})
 * @param replayBytesPerSecond the most hint bytes a replay sends a second, per target and keyspace
 *     ({@code replayBytesPerSecond})
 * @param replayWindow the most hints a replay has in flight at once ({@code replayWindow})
 */
public record HandoffSettings(boolean enabled, long maxBytes, Duration maxAge, Duration replayInterval,
    long replayBytesPerSecond, int replayWindow) {

  /** The prefix of every handoff property. */
  public static final String PREFIX = "ringstore.handoff.";

  public static final long MIN_MAX_BYTES = 1024;
  public static final long MAX_MAX_BYTES = 1L << 40;
  public static final Duration MIN_MAX_AGE = Duration.ofSeconds(1);
  public static final Duration MAX_MAX_AGE = Duration.ofDays(30);
  public static final Duration MIN_REPLAY_INTERVAL = Duration.ofMillis(10);
  public static final Duration MAX_REPLAY_INTERVAL = Duration.ofMinutes(10);
  public static final long MIN_REPLAY_BYTES_PER_SECOND = 1024;
  public static final int MAX_REPLAY_WINDOW = 1024;

  private static final Set<String> NAMES = Set.of("enabled", "maxBytes", "maxAgeMillis", "replayIntervalMillis",
      "replayBytesPerSecond", "replayWindow");

  private static final HandoffSettings DEFAULTS = new HandoffSettings(true, 64L << 20, Duration.ofHours(3),
      Duration.ofSeconds(1), 8L << 20, 64);

  public HandoffSettings {
    check("maxBytes", maxBytes, MIN_MAX_BYTES, MAX_MAX_BYTES);
    check("maxAgeMillis", maxAge.toMillis(), MIN_MAX_AGE.toMillis(), MAX_MAX_AGE.toMillis());
    check("replayIntervalMillis", replayInterval.toMillis(), MIN_REPLAY_INTERVAL.toMillis(), MAX_REPLAY_INTERVAL.toMillis());
    check("replayBytesPerSecond", replayBytesPerSecond, MIN_REPLAY_BYTES_PER_SECOND, Long.MAX_VALUE);
    check("replayWindow", replayWindow, 1, MAX_REPLAY_WINDOW);
  }

  /** Hints on: 64 MiB, 3 hours, looked for every second, 8 MiB/s and 64 in flight per replay. */
  public static HandoffSettings defaults() {
    return DEFAULTS;
  }

  /** These settings with hints off: replicas that miss a write catch up by read repair and anti-entropy only. */
  public HandoffSettings disabled() {
    return new HandoffSettings(false, maxBytes, maxAge, replayInterval, replayBytesPerSecond, replayWindow);
  }

  /** These settings with another byte bound. */
  public HandoffSettings withMaxBytes(long newMaxBytes) {
    return new HandoffSettings(enabled, newMaxBytes, maxAge, replayInterval, replayBytesPerSecond, replayWindow);
  }

  /** These settings with another age bound. */
  public HandoffSettings withMaxAge(Duration newMaxAge) {
    return new HandoffSettings(enabled, maxBytes, newMaxAge, replayInterval, replayBytesPerSecond, replayWindow);
  }

  /** These settings with another replay pace. */
  public HandoffSettings withReplay(Duration interval, long bytesPerSecond, int window) {
    return new HandoffSettings(enabled, maxBytes, maxAge, interval, bytesPerSecond, window);
  }

  /**
   * The defaults changed by the {@code ringstore.handoff.*} entries of {@code properties}.
   *
   * @throws IllegalArgumentException naming the property and the value for an unknown
   *     {@code ringstore.handoff.*} name, a value that does not parse, or one out of range
   */
  public static HandoffSettings from(Properties properties) {
    Set<String> unknown = new TreeSet<>();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(PREFIX) && !NAMES.contains(name.substring(PREFIX.length()))) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      Set<String> known = new TreeSet<>();
      NAMES.forEach(n -> known.add(PREFIX + n));
      throw new IllegalArgumentException("unknown handoff setting(s) " + unknown + "; known: " + known);
    }
    HandoffSettings d = DEFAULTS;
    String enabled = properties.getProperty(PREFIX + "enabled");
    boolean on = d.enabled;
    if (enabled != null) {
      String value = enabled.trim();
      if (!value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException(PREFIX + "enabled = '" + enabled + "' is not true or false");
      }
      on = Boolean.parseBoolean(value);
    }
    return new HandoffSettings(on,
        number(properties, "maxBytes", d.maxBytes),
        Duration.ofMillis(number(properties, "maxAgeMillis", d.maxAge.toMillis())),
        Duration.ofMillis(number(properties, "replayIntervalMillis", d.replayInterval.toMillis())),
        number(properties, "replayBytesPerSecond", d.replayBytesPerSecond),
        (int) Math.min(Integer.MAX_VALUE, number(properties, "replayWindow", d.replayWindow)));
  }

  private static long number(Properties properties, String name, long fallback) {
    String value = properties.getProperty(PREFIX + name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PREFIX + name + " = '" + value + "' is not a whole number", e);
    }
  }

  private static void check(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(PREFIX + name + " = " + value + " is out of range; need " + min
          + (max == Long.MAX_VALUE ? " or more" : " to " + max));
    }
  }
}
