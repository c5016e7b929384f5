package io.ringstore.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Renders {@link Score}s as the Markdown tables of {@code bench/README.md}.
 *
 * <p>The main table has one row per (benchmark, threads, config) and one column per provider.
 * Each cell is the throughput in ops/us followed by its ratio to the best peer of that row (the
 * highest of Caffeine, Ehcache and the RI that were measured), e.g. {@code 12.3 (0.85x)}; a peer
 * that is the best shows {@code 1.00x}. A missing figure is {@code -}.
 *
 * <p>Thread-safety: immutable.
 */
public final class ResultTable {
  private static final List<String> BENCHMARK_ORDER = List.of("get", "put", "putIfAbsent", "getAll");

  // constant after construction
  private final List<Score> scores;
  private final List<String> providers;

  /** A table of {@code scores} with columns for {@code providers}, in that order. */
  public ResultTable(List<Score> scores, List<String> providers) {
    this.scores = List.copyOf(scores);
    this.providers = List.copyOf(providers);
  }

  private record RowKey(String benchmark, int threads, String config) {}

  private Map<RowKey, Map<String, Score>> rows() {
    Comparator<RowKey> order = Comparator
        .comparingInt((RowKey k) -> rank(BENCHMARK_ORDER, k.benchmark()))
        .thenComparing(RowKey::benchmark)
        .thenComparingInt(RowKey::threads)
        .thenComparingInt(k -> StoreMode.ofParam(k.config()).ordinal());
    List<Score> sorted = new ArrayList<>(scores);
    sorted.sort(Comparator.comparing(
        (Score s) -> new RowKey(s.benchmark(), s.threads(), s.config()), order));
    Map<RowKey, Map<String, Score>> rows = new LinkedHashMap<>();
    for (Score s : sorted) {
      rows.computeIfAbsent(new RowKey(s.benchmark(), s.threads(), s.config()),
          k -> new LinkedHashMap<>()).put(s.provider(), s);
    }
    return rows;
  }

  private static int rank(List<String> order, String name) {
    int i = order.indexOf(name);
    return i < 0 ? order.size() : i;
  }

  private static OptionalDouble bestPeer(Map<String, Score> row) {
    return Provider.peers().stream()
        .map(p -> row.get(p.param()))
        .filter(s -> s != null)
        .mapToDouble(Score::opsPerMicros)
        .max();
  }

  /** The throughput table, ops/us with ratios to the best peer. */
  public String throughputMarkdown() {
    StringBuilder out = new StringBuilder();
    out.append("| benchmark | threads | config |");
    providers.forEach(p -> out.append(' ').append(p).append(" |"));
    out.append("\n|---|---:|---|");
    providers.forEach(p -> out.append("---:|"));
    out.append('\n');
    rows().forEach((key, row) -> {
      OptionalDouble best = bestPeer(row);
      out.append("| ").append(key.benchmark()).append(" | ").append(key.threads())
          .append(" | ").append(key.config()).append(" |");
      for (String p : providers) {
        Score s = row.get(p);
        out.append(' ');
        if (s == null) {
          out.append('-');
        } else {
          out.append(number(s.opsPerMicros()));
          if (best.isPresent() && best.getAsDouble() > 0) {
            out.append(String.format(Locale.ROOT, " (%.2fx)", s.opsPerMicros() / best.getAsDouble()));
          }
        }
        out.append(" |");
      }
      out.append('\n');
    });
    return out.toString();
  }

  /** The allocation table (bytes per op from {@code -prof gc}), or empty if nothing was profiled. */
  public Optional<String> allocationMarkdown() {
    if (scores.stream().noneMatch(s -> s.allocBytesPerOp() != null)) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    out.append("| benchmark | threads | config |");
    providers.forEach(p -> out.append(' ').append(p).append(" B/op |"));
    out.append("\n|---|---:|---|");
    providers.forEach(p -> out.append("---:|"));
    out.append('\n');
    rows().forEach((key, row) -> {
      out.append("| ").append(key.benchmark()).append(" | ").append(key.threads())
          .append(" | ").append(key.config()).append(" |");
      for (String p : providers) {
        Score s = row.get(p);
        Double bytes = s == null ? null : s.allocBytesPerOp();
        out.append(' ').append(bytes == null ? "-" : String.format(Locale.ROOT, "%.0f", bytes))
            .append(" |");
      }
      out.append('\n');
    });
    return Optional.of(out.toString());
  }

  /**
   * The targets for Ringstore, checked on the store-by-value rows: get at least 0.7x
   * Caffeine, put at least 0.5x Caffeine, both at least 2x Ehcache.
   */
  public String targetsMarkdown() {
    StringBuilder out = new StringBuilder();
    out.append("| benchmark | threads | ringstore / caffeine | target | ringstore / ehcache | target |\n");
    out.append("|---|---:|---:|---:|---:|---:|\n");
    rows().forEach((key, row) -> {
      if (!key.config().equals(StoreMode.BY_VALUE.param())) {
        return;
      }
      double caffeineTarget;
      if (key.benchmark().equals("get")) {
        caffeineTarget = 0.7;
      } else if (key.benchmark().equals("put")) {
        caffeineTarget = 0.5;
      } else {
        return;
      }
      out.append("| ").append(key.benchmark()).append(" | ").append(key.threads()).append(" | ")
          .append(ratio(row, Provider.CAFFEINE, caffeineTarget)).append(" | >= ")
          .append(caffeineTarget).append(" | ")
          .append(ratio(row, Provider.EHCACHE, 2.0)).append(" | >= 2.0 |\n");
    });
    return out.toString();
  }

  private static String ratio(Map<String, Score> row, Provider peer, double target) {
    Score ours = row.get(Provider.RINGSTORE.param());
    Score theirs = row.get(peer.param());
    if (ours == null || theirs == null || theirs.opsPerMicros() <= 0) {
      return "-";
    }
    double r = ours.opsPerMicros() / theirs.opsPerMicros();
    return String.format(Locale.ROOT, "%.2f %s", r, r >= target ? "met" : "MISSED");
  }

  /** Three significant figures, more digits left of the point kept: 1234, 123, 12.3, 1.23, 0.0123. */
  static String number(double value) {
    if (value == 0 || !Double.isFinite(value)) {
      return value == 0 ? "0" : String.valueOf(value);
    }
    int digitsBeforePoint = (int) Math.floor(Math.log10(Math.abs(value))) + 1;
    int scale = Math.max(0, 3 - digitsBeforePoint);
    return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }
}
