package io.ringstore.cluster.sim;

import io.ringstore.spi.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one simulated run did and what its checks found: the history (operations and faults), the
 * final state, the verdict, the counts the summary adds up, and a digest of it all (the same seed
 * must give the same digest).
 *
 * <p>Thread-safety: not thread-safe (the operations are mutable records of the run).
 */
record SimResult(SimSettings settings, List<SimOperation> history, List<String> events,
    Map<String, @Nullable StoredRecord> finalRecords, Map<String, Map<String, @Nullable StoredRecord>> replicaRecords,
    SimChecker.Verdict verdict, int faults, long messages, long dropped, long duplicated, int divergedBeforeFinalRead,
    long simulatedMillis) {

  boolean passed() {
    return verdict.passed();
  }

  /** The keys with a violation, in the order found. */
  List<String> failingKeys() {
    List<String> keys = new ArrayList<>();
    for (SimChecker.Violation v : verdict.violations()) {
      if (v.key() != null && !keys.contains(v.key())) {
        keys.add(v.key());
      }
    }
    return keys;
  }

  /** The history of {@code key}: its operations in invocation order, the faults, and what its replicas hold at the end. */
  String historyOf(String key) {
    StringBuilder text = new StringBuilder();
    text.append("faults:\n");
    for (String event : events) {
      text.append("  ").append(event).append('\n');
    }
    text.append("operations on ").append(key).append(":\n");
    for (SimOperation op : history) {
      if (op.key.equals(key)) {
        text.append("  ").append(op.describe()).append('\n');
      }
    }
    text.append("final read: ").append(finalRecords.containsKey(key) ? SimOperation.describe(finalRecords.get(key)) : "FAILED")
        .append('\n');
    Map<String, @Nullable StoredRecord> held = replicaRecords.get(key);
    if (held != null) {
      held.forEach((node, record) -> text.append("  replica ").append(node).append(": ").append(SimOperation.describe(record))
          .append('\n'));
    }
    return text.toString();
  }

  /** A digest of the whole run (settings, faults, every operation, the end state): equal for equal runs. */
  String digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(settings.toString().getBytes(StandardCharsets.UTF_8));
      for (String event : events) {
        sha.update(event.getBytes(StandardCharsets.UTF_8));
      }
      for (SimOperation op : history) {
        sha.update(op.describe().getBytes(StandardCharsets.UTF_8));
      }
      replicaRecords.forEach((key, held) -> held.forEach((node, record) ->
          sha.update((key + node + SimOperation.describe(record)).getBytes(StandardCharsets.UTF_8))));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  int operations() {
    return history.size();
  }
}
