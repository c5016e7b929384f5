package io.ringstore.bench.db;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Compares the runs of {@link DbBench} (one JSON object per engine) in the Markdown tables of
 * {@code bench/README.md}, each figure with its ratio to the baseline engine (RocksDB), and checks
 * the targets; optionally writes all runs into one JSON file ({@code {"runs": [...]}}).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.ringstore.bench.db.DbBenchReport
 *   [--baseline rocksdb] [--candidate ringstore] [--out all-runs.json] [--table table.md]
 *   run.json... (a DbBench run, or a file of {"runs": [...]})
 * </pre>
 *
 * <p>Thread-safety: immutable after construction; a command-line entry point.
 */
public final class DbBenchReport {
  /** The throughput targets: (benchmark, threads or 0 for any) must reach this ratio. */
  private static final List<Target> THROUGHPUT_TARGETS = List.of(
      new Target("fillrandom", 0), new Target("readrandom", 0), new Target("readmissing", 0),
      new Target("overwrite", 0), new Target("fillsync", 8));

  private record Target(String benchmark, int threads) {}

  private record RowKey(String benchmark, int threads) {}

  // constant after construction
  private final List<Map<String, @Nullable Object>> runs;
  private final String baseline;
  private final String candidate;

  /**
   * A report over {@code runs} (parsed DbBench JSON objects), with ratios to {@code baseline} and
   * targets for {@code candidate}.
   */
  public DbBenchReport(List<Map<String, @Nullable Object>> runs, String baseline, String candidate) {
    this.runs = List.copyOf(runs);
    this.baseline = baseline;
    this.candidate = candidate;
  }

  /** Reads the runs, prints the tables, writes the files asked for. */
  public static void main(String[] args) throws IOException {
    String baseline = "rocksdb";
    String candidate = "ringstore";
    Path out = null;
    Path table = null;
    List<Path> inputs = new ArrayList<>();
    for (int a = 0; a < args.length; a++) {
      switch (args[a]) {
        case "--baseline" -> baseline = value(args, ++a, "--baseline");
        case "--candidate" -> candidate = value(args, ++a, "--candidate");
        case "--out" -> out = Path.of(value(args, ++a, "--out"));
        case "--table" -> table = Path.of(value(args, ++a, "--table"));
        default -> {
          if (args[a].startsWith("--")) {
            throw new IllegalArgumentException("option " + args[a]
                + " is unknown; known: --baseline, --candidate, --out, --table, then JSON files");
          }
          inputs.add(Path.of(args[a]));
        }
      }
    }
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no JSON files given; name one DbBench run JSON per engine");
    }
    List<Map<String, @Nullable Object>> runs = new ArrayList<>();
    for (Path p : inputs) {
      Map<String, @Nullable Object> doc = asMap(JsonReader.parse(Files.readString(p, StandardCharsets.UTF_8)),
          p.toString());
      if (doc.get("runs") instanceof List<?> list) {
        for (Object r : list) {
          runs.add(asMap(r, p + " runs[]"));
        }
      } else {
        runs.add(doc);
      }
    }
    String markdown = new DbBenchReport(runs, baseline, candidate).markdown();
    System.out.print(markdown);
    if (table != null) {
      createParent(table);
      Files.writeString(table, markdown, StandardCharsets.UTF_8);
    }
    if (out != null) {
      JsonWriter json = new JsonWriter().beginObject().name("runs").beginArray();
      runs.forEach(r -> write(json, r));
      createParent(out);
      Files.writeString(out, json.endArray().endObject() + "\n", StandardCharsets.UTF_8);
      System.out.println("\nAll runs: " + out);
    }
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException("option " + name + " lacks its value");
    }
    return args[i];
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }

  /** Writes a value as {@link JsonReader} returned it (numbers keep the six digits DbBench wrote). */
  private static void write(JsonWriter w, @Nullable Object v) {
    if (v instanceof Map<?, ?> m) {
      w.beginObject();
      m.forEach((k, x) -> {
        w.name(String.valueOf(k));
        write(w, x);
      });
      w.endObject();
    } else if (v instanceof List<?> l) {
      w.beginArray();
      l.forEach(x -> write(w, x));
      w.endArray();
    } else if (v instanceof String s) {
      w.value(s);
    } else if (v instanceof Double d) {
      w.value(d.doubleValue());
    } else if (v instanceof Boolean b) {
      w.value(b.booleanValue());
    } else {
      w.raw("null");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> asMap(@Nullable Object v, String where) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(where + " is not a JSON object");
    }
    return (Map<String, @Nullable Object>) m;
  }

  // ---- the tables

  /** The run descriptions, the throughput and amplification tables and the targets, in Markdown. */
  public String markdown() {
    List<String> engines = new ArrayList<>();
    Map<RowKey, Map<String, Map<String, @Nullable Object>>> rows = new LinkedHashMap<>();
    for (Map<String, @Nullable Object> run : runs) {
      String engine = text(run, "engine");
      if (engines.contains(engine)) {
        throw new IllegalArgumentException("two runs of engine '" + engine + "'; give one run per engine");
      }
      engines.add(engine);
      if (run.get("benchmarks") instanceof List<?> list) {
        for (Object b : list) {
          Map<String, @Nullable Object> bench = asMap(b, engine + " benchmarks[]");
          rows.computeIfAbsent(new RowKey(text(bench, "name"), (int) number(bench, "threads")),
              k -> new LinkedHashMap<>()).put(engine, bench);
        }
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("Runs, one process each:\n\n");
    for (Map<String, @Nullable Object> run : runs) {
      md.append(String.format(Locale.ROOT, "- `%s`: %s; started %s; Java %s, %s cores, JVM args `%s`; num %s, "
              + "seed %s; 1-min load average %.1f before, %.1f after%s%n",
          text(run, "engine"), join(run.get("engineDetails")), text(run, "startedUtc"), text(run, "java"),
          whole(number(run, "cores")), join(run.get("jvmArgs")), whole(number(run, "num")),
          whole(number(run, "seed")), number(run, "loadAverageBefore"), number(run, "loadAverageAfter"),
          Boolean.FALSE.equals(run.get("ok")) ? "; **errors: " + join(run.get("errors")) + "**" : ""));
    }
    md.append("\nThroughput in ops/s over all threads (higher is better), in brackets the ratio to `")
        .append(baseline).append("` (for `compact`, one operation: its time in seconds, in brackets `")
        .append(baseline).append("`'s time over it); latency of one operation, p50 / p99 in microseconds.\n\n");
    md.append("| benchmark | threads |");
    engines.forEach(e -> md.append(' ').append(e).append(" ops/s |"));
    engines.forEach(e -> md.append(' ').append(e).append(" p50 / p99 us |"));
    md.append("\n|---|---:|").append("---:|".repeat(2 * engines.size())).append('\n');
    rows.forEach((key, byEngine) -> {
      md.append("| ").append(key.benchmark()).append(" | ").append(key.threads()).append(" |");
      Map<String, @Nullable Object> base = byEngine.get(baseline);
      for (String e : engines) {
        Map<String, @Nullable Object> b = byEngine.get(e);
        md.append(' ');
        if (b == null) {
          md.append('-');
        } else if (number(b, "ops") == 1) {
          // one operation (compact): its time, and the baseline's time over it (above 1 is faster)
          double seconds = number(b, "seconds");
          md.append(sig3(seconds)).append(" s");
          if (base != null) {
            md.append(String.format(Locale.ROOT, " (%.2fx)", number(base, "seconds") / seconds));
          }
        } else {
          double ops = number(b, "opsPerSec");
          md.append(String.format(Locale.ROOT, "%,.0f", ops));
          if (base != null) {
            md.append(String.format(Locale.ROOT, " (%.2fx)", ops / number(base, "opsPerSec")));
          }
        }
        md.append(" |");
      }
      for (String e : engines) {
        Map<String, @Nullable Object> b = byEngine.get(e);
        md.append(' ');
        if (b == null || number(b, "ops") == 1 || !(b.get("latencyNanos") instanceof Map<?, ?> lat)) {
          md.append('-');
        } else {
          Map<String, @Nullable Object> l = asMap(lat, "latencyNanos");
          md.append(sig3(number(l, "p50") / 1e3)).append(" / ").append(sig3(number(l, "p99") / 1e3));
        }
        md.append(" |");
      }
      md.append('\n');
    });

    md.append("\nBytes written during each benchmark (`/proc/self/io` write_bytes, every thread of the process) in MB, "
        + "in brackets per byte put (write amplification); bytes on disk right after it in MB, in brackets per "
        + "byte of live keys and values (space amplification).\n\n");
    md.append("| benchmark | threads |");
    engines.forEach(e -> md.append(' ').append(e).append(" written (WA) |"));
    engines.forEach(e -> md.append(' ').append(e).append(" on disk (SA) |"));
    md.append("\n|---|---:|").append("---:|".repeat(2 * engines.size())).append('\n');
    rows.forEach((key, byEngine) -> {
      md.append("| ").append(key.benchmark()).append(" | ").append(key.threads()).append(" |");
      for (String e : engines) {
        md.append(' ').append(amount(byEngine.get(e), "writeBytes", "writeAmplification")).append(" |");
      }
      for (String e : engines) {
        md.append(' ').append(amount(byEngine.get(e), "dbBytes", "spaceAmplification")).append(" |");
      }
      md.append('\n');
    });
    md.append("| total, to the last close | |");
    for (Map<String, @Nullable Object> run : runs) {
      md.append(' ').append(run.get("totals") instanceof Map<?, ?> t
          ? amount(asMap(t, "totals"), "writeBytes", "writeAmplification") : "-").append(" |");
    }
    md.append(" |".repeat(engines.size())).append('\n');

    if (engines.contains(candidate) && engines.contains(baseline)) {
      md.append("\nTargets (`").append(candidate).append("` / `").append(baseline).append("`):\n\n");
      md.append("| target | ").append(candidate).append(" | ").append(baseline).append(" | ratio | goal | |\n");
      md.append("|---|---:|---:|---:|---|---|\n");
      for (Target t : THROUGHPUT_TARGETS) {
        rows.forEach((key, byEngine) -> {
          if (key.benchmark().equals(t.benchmark()) && (t.threads() == 0 || key.threads() == t.threads())) {
            targetRow(md, key.benchmark() + " ops/s, " + key.threads() + " thread" + (key.threads() == 1 ? "" : "s"),
                byEngine.get(candidate), byEngine.get(baseline), "opsPerSec", true);
          }
        });
      }
      for (String after : List.of("fillrandom", "overwrite", "compact")) {
        rows.forEach((key, byEngine) -> {
          if (key.benchmark().equals(after)) {
            targetRow(md, "space amplification after " + after, byEngine.get(candidate), byEngine.get(baseline),
                "spaceAmplification", false);
          }
        });
      }
    }
    return md.toString();
  }

  private static void targetRow(StringBuilder md, String what, @Nullable Map<String, @Nullable Object> mine,
      @Nullable Map<String, @Nullable Object> theirs, String field, boolean higherIsBetter) {
    double a = mine == null ? Double.NaN : number(mine, field);
    double b = theirs == null ? Double.NaN : number(theirs, field);
    double ratio = a / b;
    boolean known = Double.isFinite(ratio);
    boolean met = higherIsBetter ? ratio >= 1.0 : ratio <= 1.0;
    String fmt = higherIsBetter ? "%,.0f" : "%.2f";
    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", what,
        Double.isFinite(a) ? String.format(Locale.ROOT, fmt, a) : "-",
        Double.isFinite(b) ? String.format(Locale.ROOT, fmt, b) : "-",
        known ? String.format(Locale.ROOT, "%.2f", ratio) : "-",
        higherIsBetter ? ">= 1.00" : "<= 1.00",
        known ? (met ? "met" : "MISSED") : "-"));
  }

  private static String amount(@Nullable Map<String, @Nullable Object> b, String bytesField, String ampField) {
    if (b == null || !(b.get(bytesField) instanceof Double bytes)) {
      return "-";
    }
    String s = sig3(bytes / 1e6);
    double amp = number(b, ampField);
    return Double.isFinite(amp) ? s + String.format(Locale.ROOT, " (%.2f)", amp) : s;
  }

  private static String text(Map<String, @Nullable Object> m, String name) {
    Object v = m.get(name);
    return v == null ? "-" : String.valueOf(v);
  }

  private static double number(Map<String, @Nullable Object> m, String name) {
    return m.get(name) instanceof Double d ? d : Double.NaN;
  }

  private static String whole(double v) {
    return Double.isFinite(v) ? Long.toString((long) v) : "-";
  }

  private static String join(@Nullable Object v) {
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      l.forEach(x -> parts.add(String.valueOf(x)));
      return String.join("; ", parts);
    }
    return v == null ? "-" : String.valueOf(v);
  }

  /** Three significant figures, more digits left of the point kept: 1234, 123, 12.3, 1.23, 0.0123. */
  static String sig3(double v) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    if (v == 0) {
      return "0";
    }
    int digitsBeforePoint = (int) Math.floor(Math.log10(Math.abs(v))) + 1;
    return BigDecimal.valueOf(v).setScale(Math.max(0, 3 - digitsBeforePoint), RoundingMode.HALF_UP).toPlainString();
  }
}
