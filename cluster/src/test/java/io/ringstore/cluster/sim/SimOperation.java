package io.ringstore.cluster.sim;

import io.ringstore.spi.Dot;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One client operation of a simulated run, as the history records it: who asked which node what,
 * when it was invoked and completed (simulated micros), and how it ended.
 *
 * <p>A write's version is the sibling of the record its commit returned that holds the write's
 * unique value ({@link #dots()}); a delete's, every sibling of the tombstone it returned. Failed
 * and unknown writes are not acknowledged: they may or may not be in the store (as in Dynamo).
 *
 * <p>Thread-safety: not thread-safe; the simulation's thread fills it in.
 */
final class SimOperation {
  /** What a client asked. */
  enum Kind {
    /** A read at R. */
    READ,
    /** A read-modify-write put: a quorum read, then a conditional commit at the primary. */
    PUT,
    /** A blind put: no read, an unconditional commit at the primary. */
    BLIND_PUT,
    /**
     * A put with the causal context of the client's last read of the key (the extended API's
     * {@code put(k, v, context)}): it replaces only what that read saw; newer values stay as siblings.
     */
    CONTEXT_PUT,
    /** A delete (a tombstone) after a quorum read. */
    DELETE
  }

  /** How it ended. */
  enum Outcome {
    /** Not answered yet (while the run goes on). */
    PENDING,
    /** Acknowledged. */
    OK,
    /** Failed with an exception: not acknowledged (a write may still have been stored). */
    FAILED,
    /** Never answered (its node crashed, or it was still running at the end). */
    UNKNOWN
  }

  final int id;
  final int client;
  final String node;
  final Kind kind;
  final String key;
  final @Nullable String value;
  final long invokeMicros;
  long completeMicros = -1;
  Outcome outcome = Outcome.PENDING;
  @Nullable StoredRecord record;
  @Nullable String error;
  /** A context put's causal context. */
  @Nullable VectorClock context;

  SimOperation(int id, int client, String node, Kind kind, String key, @Nullable String value, long invokeMicros) {
    this.id = id;
    this.client = client;
    this.node = node;
    this.kind = kind;
    this.key = key;
    this.value = value;
    this.invokeMicros = invokeMicros;
  }

  boolean isWrite() {
    return kind != Kind.READ;
  }

  boolean acknowledged() {
    return outcome == Outcome.OK;
  }

  /**
   * The versions this acknowledged write made or confirmed, which every later state of the key
   * must have seen: a put's own sibling, a delete's tombstone siblings (none if it deleted nothing).
   */
  List<Dot> dots() {
    List<Dot> dots = new ArrayList<>(1);
    StoredRecord made = record;
    if (made == null) {
      return dots;
    }
    for (Sibling sibling : made.siblings()) {
      if (kind == Kind.DELETE ? sibling.isTombstone() : sibling.value() != null && sibling.value().asUtf8().equals(value)) {
        dots.add(sibling.dot());
      }
    }
    return dots;
  }

  /** One line of the history: every field, in a fixed format (the digest is made of these). */
  String describe() {
    StringBuilder line = new StringBuilder();
    line.append('#').append(id).append(" c").append(client).append(' ').append(node).append(' ').append(kind).append(' ').append(key);
    if (value != null) {
      line.append(" = ").append(value);
    }
    if (context != null) {
      line.append(" with context ").append(context);
    }
    line.append(" [").append(micros(invokeMicros)).append(" .. ").append(completeMicros < 0 ? "" : micros(completeMicros))
        .append("] ").append(outcome.name().toLowerCase(java.util.Locale.ROOT));
    if (outcome == Outcome.OK) {
      line.append(" -> ").append(describe(record));
    }
    if (error != null) {
      line.append(": ").append(error);
    }
    return line.toString();
  }

  /** A record as the history shows it: clock and every sibling with its dot and value. */
  static String describe(@Nullable StoredRecord record) {
    if (record == null) {
      return "nothing";
    }
    StringBuilder text = new StringBuilder().append(record.clock()).append(' ');
    List<Sibling> siblings = record.siblings();
    text.append('[');
    for (int i = 0; i < siblings.size(); i++) {
      Sibling s = siblings.get(i);
      text.append(i == 0 ? "" : ", ").append(s.dot()).append('=').append(s.isTombstone() ? "(deleted)" : s.value().asUtf8());
    }
    return text.append(']').toString();
  }

  private static String micros(long micros) {
    return String.format(java.util.Locale.ROOT, "%d.%03d ms", micros / 1000, micros % 1000);
  }
}
