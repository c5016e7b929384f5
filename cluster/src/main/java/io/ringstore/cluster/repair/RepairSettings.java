package io.ringstore.cluster.repair;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * How anti-entropy runs on a node: how often, how fine its trees are, and how fast it may move
 * records. The lead maps each to a property {@code ringstore.repair.<component>}.
 *
 * <p>Invariants, checked at construction with errors that name the setting, the value and the
 * bound: {@code interval > 0}; {@code 1 <= depth <= MerkleTree.MAX_DEPTH}; {@code 1 <=
 * maxRecordsPerSecond <= 1,000,000,000}; {@code maxBytesInFlight >= 1}; {@code 1 <=
 * maxRecordsPerBatch <= 512}; {@code requestTimeout > 0}.
 * <p>Thread-safety: immutable.
 *
 * @param interval the pause between the end of one periodic round and the start of the next
 * @param depth the depth of the Merkle trees: {@code 2^depth} leaves per exchange; deeper trees
 *     find a few differing keys with fewer keys listed, at the price of more hashes on the wire
 *     (about 16 bytes a leaf for a full descent) and 16 bytes a leaf of memory
 * @param maxRecordsPerSecond the most records an exchange pulls and pushes per second (a token
 *     bucket on the node's ticker, one second of burst)
 * @param maxBytesInFlight the most record bytes an exchange has travelling at once (estimated
 *     from the records moved so far: a batch grows from one record while it stays under the bound)
 * @param maxRecordsPerBatch the most records pulled (and then pushed) in one batch of requests
 * @param requestTimeout how long one request of an exchange waits for its answer
 */
public record RepairSettings(Duration interval, int depth, long maxRecordsPerSecond, long maxBytesInFlight,
    int maxRecordsPerBatch, Duration requestTimeout) {

  /** The default pause between periodic rounds. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);
  /** The default depth: 1,024 leaves. */
  public static final int DEFAULT_DEPTH = 10;
  /** The default record rate. */
  public static final long DEFAULT_MAX_RECORDS_PER_SECOND = 1000;
  /** The default bound on record bytes in flight: 4 MiB. */
  public static final long DEFAULT_MAX_BYTES_IN_FLIGHT = 4L << 20;
  /** The default batch. */
  public static final int DEFAULT_MAX_RECORDS_PER_BATCH = 64;
  /** The largest batch (the replica protocol's batch bound). */
  public static final int MAX_RECORDS_PER_BATCH = 512;
  /** The default request timeout. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  public RepairSettings {
    requireNonNull(interval, "interval");
    requireNonNull(requestTimeout, "requestTimeout");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("repair interval = " + interval + " is out of range; need > 0");
    }
    if (depth < 1 || depth > MerkleTree.MAX_DEPTH) {
      throw new IllegalArgumentException("repair depth = " + depth + " is out of range; need 1 <= depth <= "
          + MerkleTree.MAX_DEPTH);
    }
    if (maxRecordsPerSecond < 1 || maxRecordsPerSecond > 1_000_000_000L) {
      throw new IllegalArgumentException("repair maxRecordsPerSecond = " + maxRecordsPerSecond
          + " is out of range; need 1 <= maxRecordsPerSecond <= 1000000000");
    }
    if (maxBytesInFlight < 1) {
      throw new IllegalArgumentException("repair maxBytesInFlight = " + maxBytesInFlight + " is out of range; need >= 1");
    }
    if (maxRecordsPerBatch < 1 || maxRecordsPerBatch > MAX_RECORDS_PER_BATCH) {
      throw new IllegalArgumentException("repair maxRecordsPerBatch = " + maxRecordsPerBatch
          + " is out of range; need 1 <= maxRecordsPerBatch <= " + MAX_RECORDS_PER_BATCH);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero() || requestTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("repair requestTimeout = " + requestTimeout + " is out of range; need >= 1 ms");
    }
  }

  /** The defaults. */
  public static RepairSettings defaults() {
    return new RepairSettings(DEFAULT_INTERVAL, DEFAULT_DEPTH, DEFAULT_MAX_RECORDS_PER_SECOND, DEFAULT_MAX_BYTES_IN_FLIGHT,
        DEFAULT_MAX_RECORDS_PER_BATCH, DEFAULT_REQUEST_TIMEOUT);
  }

  /** These settings with another depth. */
  public RepairSettings withDepth(int newDepth) {
    return new RepairSettings(interval, newDepth, maxRecordsPerSecond, maxBytesInFlight, maxRecordsPerBatch, requestTimeout);
  }

  /** These settings with another record rate. */
  public RepairSettings withMaxRecordsPerSecond(long perSecond) {
    return new RepairSettings(interval, depth, perSecond, maxBytesInFlight, maxRecordsPerBatch, requestTimeout);
  }

  /** These settings with periodic rounds every {@code newInterval}. */
  public RepairSettings withInterval(Duration newInterval) {
    return new RepairSettings(newInterval, depth, maxRecordsPerSecond, maxBytesInFlight, maxRecordsPerBatch, requestTimeout);
  }

  /** The prefix of every repair property. */
  public static final String PREFIX = "ringstore.repair.";

  private static final List<String> NAMES = List.of("periodic", "intervalMillis", "depth",
      "maxRecordsPerSecond", "maxBytesInFlight", "maxRecordsPerBatch", "requestTimeoutMillis");

  /**
   * The defaults changed by the {@code ringstore.repair.*} entries of {@code properties}
   * ({@code periodic} is read by {@link #periodic(Properties)}).
   *
   * @throws IllegalArgumentException naming the property and its value for an unknown
   *     {@code ringstore.repair.*} name, a value that is not a whole number, or one out of range
   */
  public static RepairSettings from(Properties properties) {
    Set<String> unknown = new TreeSet<>();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(PREFIX) && !NAMES.contains(name.substring(PREFIX.length()))) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown repair setting(s) " + unknown + "; known: "
          + NAMES.stream().map(n -> PREFIX + n).toList());
    }
    RepairSettings d = defaults();
    long interval = whole(properties, "intervalMillis", d.interval.toMillis(), 1_000, Duration.ofDays(30).toMillis());
    long depth = whole(properties, "depth", d.depth, 1, MerkleTree.MAX_DEPTH);
    long rate = whole(properties, "maxRecordsPerSecond", d.maxRecordsPerSecond, 1, 1_000_000_000L);
    long bytes = whole(properties, "maxBytesInFlight", d.maxBytesInFlight, 1024, 1L << 34);
    long batch = whole(properties, "maxRecordsPerBatch", d.maxRecordsPerBatch, 1, MAX_RECORDS_PER_BATCH);
    long timeout = whole(properties, "requestTimeoutMillis", d.requestTimeout.toMillis(), 1, 600_000);
    return new RepairSettings(Duration.ofMillis(interval), (int) depth, rate, bytes, (int) batch, Duration.ofMillis(timeout));
  }

  /**
   * Whether {@code properties} leave periodic rounds on ({@code ringstore.repair.periodic}, default
   * {@code true}; rounds on demand run either way).
   *
   * @throws IllegalArgumentException if the value is not {@code true} or {@code false}
   */
  public static boolean periodic(Properties properties) {
    String value = properties.getProperty(PREFIX + "periodic");
    if (value == null) {
      return true;
    }
    if (!value.trim().equals("true") && !value.trim().equals("false")) {
      throw new IllegalArgumentException(PREFIX + "periodic = '" + value + "' is not true or false");
    }
    return Boolean.parseBoolean(value.trim());
  }

  private static long whole(Properties properties, String name, long fallback, long min, long max) {
    String text = properties.getProperty(PREFIX + name);
    if (text == null) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PREFIX + name + " = '" + text + "' is not a whole number", e);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(PREFIX + name + " = " + value + " is out of range; need " + min + " to " + max);
    }
    return value;
  }
}
