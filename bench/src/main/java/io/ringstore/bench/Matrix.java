package io.ringstore.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the whole {@link JCacheBenchmark} matrix (benchmarks x threads x configs x providers) with
 * settings that fit a 2-core machine, writes JMH's JSON and prints the Markdown tables of
 * {@code bench/README.md}: throughput with ratios to the best peer, the targets, and
 * bytes per op when run with {@code --prof gc}.
 *
 * <p>JMH takes one thread count per run, so the matrix is one JMH run per thread count
 * ({@code jmh-t1.json}, {@code jmh-t2.json}, merged into {@code jmh.json}). Providers whose class
 * is not on the class path are left out with a note, never given invented figures.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.ringstore.bench.Matrix [options]
 *   --providers ringstore,caffeine,ehcache,ri   --configs byValue,byReference
 *   --benchmarks get,put,putIfAbsent,getAll     --threads 1,2
 *   --forks 1 --wi 4 --w 1s --i 4 --r 1s        --prof gc|stack|CLASS[:init] (repeatable)
 *   --out bench/target/jmh
 * </pre>
 *
 * <p>Thread-safety: a command-line entry point; not for use from several threads.
 */
public final class Matrix {
  private static final Map<String, String> PROFILER_ALIASES = Map.of(
      "gc", "org.openjdk.jmh.profile.GCProfiler",
      "stack", "org.openjdk.jmh.profile.StackProfiler",
      "comp", "org.openjdk.jmh.profile.CompilerProfiler",
      "jfr", "org.openjdk.jmh.profile.JavaFlightRecorderProfiler");

  private final Map<String, String> options = new LinkedHashMap<>();
  private final List<String> profilers = new ArrayList<>();

  private Matrix(String[] args) {
    options.put("providers", "ringstore,caffeine,ehcache,ri");
    options.put("configs", "byValue,byReference");
    options.put("benchmarks", "get,put,putIfAbsent,getAll");
    options.put("threads", "1,2");
    options.put("forks", "1");
    options.put("wi", "4");
    options.put("w", "1s");
    options.put("i", "4");
    options.put("r", "1s");
    options.put("out", "bench/target/jmh");
    for (int a = 0; a < args.length; a++) {
      String arg = args[a];
      if (!arg.startsWith("--") || a + 1 >= args.length) {
        throw new IllegalArgumentException("argument '" + arg
            + "' is not '--name value'; known names: " + options.keySet() + ", prof");
      }
      String name = arg.substring(2);
      String value = args[++a];
      if (name.equals("prof")) {
        profilers.add(value);
      } else if (options.containsKey(name)) {
        options.put(name, value);
      } else {
        throw new IllegalArgumentException(
            "option --" + name + " is unknown; known: " + options.keySet() + ", prof");
      }
    }
  }

  private List<String> list(String name) {
    return Arrays.stream(options.get(name).split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
  }

  private int integer(String name) {
    try {
      return Integer.parseInt(options.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + name + " = '" + options.get(name) + "' is not a whole number", e);
    }
  }

  /** Runs the matrix; see the class comment for the options. */
  public static void main(String[] args) throws RunnerException, IOException {
    new Matrix(args).run(System.out, Clock.systemUTC());
  }

  private void run(PrintStream out, Clock clock) throws RunnerException, IOException {
    Instant started = clock.instant();
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    List<String> providers = new ArrayList<>();
    for (String name : list("providers")) {
      Provider p = Provider.ofParam(name);
      if (p.availableIn(Matrix.class.getClassLoader())) {
        providers.add(name);
      } else {
        out.printf("NOTE: provider '%s' (%s) is not on the class path; left out of this run%n",
            name, p.className());
      }
    }
    if (providers.isEmpty()) {
      throw new IllegalStateException("none of the providers " + list("providers")
          + " is on the class path");
    }
    List<String> configs = list("configs");
    configs.forEach(StoreMode::ofParam);
    List<String> benchmarks = list("benchmarks");
    Path outDir = Path.of(options.get("out"));
    Files.createDirectories(outDir);

    List<Score> scores = new ArrayList<>();
    List<Path> jsonFiles = new ArrayList<>();
    for (String t : list("threads")) {
      int threads = Integer.parseInt(t);
      Path json = outDir.resolve("jmh-t" + threads + ".json");
      ChainedOptionsBuilder builder = new OptionsBuilder()
          .include("^" + Pattern.quote(JCacheBenchmark.class.getName()) + "\\.("
              + String.join("|", benchmarks) + ")$")
          .param("provider", providers.toArray(String[]::new))
          .param("config", configs.toArray(String[]::new))
          .threads(threads)
          .forks(integer("forks"))
          .warmupIterations(integer("wi"))
          .warmupTime(TimeValue.fromString(options.get("w")))
          .measurementIterations(integer("i"))
          .measurementTime(TimeValue.fromString(options.get("r")))
          .resultFormat(ResultFormatType.JSON)
          .result(json.toString());
      for (String prof : profilers) {
        int colon = prof.indexOf(':');
        String name = colon < 0 ? prof : prof.substring(0, colon);
        String init = colon < 0 ? "" : prof.substring(colon + 1);
        builder.addProfiler(PROFILER_ALIASES.getOrDefault(name, name), init);
      }
      Collection<RunResult> results = new Runner(builder.build()).run();
      for (RunResult r : results) {
        scores.add(toScore(r));
      }
      jsonFiles.add(json);
    }
    Path merged = outDir.resolve("jmh.json");
    mergeJson(jsonFiles, merged);

    ResultTable table = new ResultTable(scores, providers);
    StringBuilder report = new StringBuilder();
    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    report.append(String.format(Locale.ROOT, "Run of %s UTC, %s, %d cores seen by the JVM, Java %s"
            + " (%s); JMH -f %s -wi %s -w %s -i %s -r %s; took %d min; 1-min load average %.1f"
            + " before, %.1f after.%n%n",
        started.toString().substring(0, 16).replace('T', ' '), System.getProperty("os.name"),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("java.vm.name"), options.get("forks"), options.get("wi"),
        options.get("w"), options.get("i"), options.get("r"),
        Duration.between(started, clock.instant()).toMinutes(), loadBefore, loadAfter));
    report.append("Throughput in ops/us (higher is better), summed over threads; in brackets the"
        + " ratio to the best peer (Caffeine, Ehcache, RI) of the row.\n\n");
    report.append(table.throughputMarkdown());
    if (providers.contains(Provider.RINGSTORE.param())) {
      report.append("\nTargets (store-by-value):\n\n").append(table.targetsMarkdown());
    }
    table.allocationMarkdown().ifPresent(a ->
        report.append("\nAllocation per op (-prof gc, gc.alloc.rate.norm):\n\n").append(a));
    Path tableFile = outDir.resolve("table.md");
    Files.writeString(tableFile, report, StandardCharsets.UTF_8);
    out.println();
    out.print(report);
    out.printf("%nJSON: %s (per thread count: %s); table: %s%n", merged, jsonFiles, tableFile);
  }

  private static Score toScore(RunResult r) {
    var params = r.getParams();
    String method = params.getBenchmark();
    method = method.substring(method.lastIndexOf('.') + 1);
    Result<?> primary = r.getPrimaryResult();
    Double alloc = null;
    Map<String, ?> secondary = r.getSecondaryResults();
    for (Map.Entry<String, ?> e : secondary.entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm") && e.getValue() instanceof Result<?> norm) {
        alloc = norm.getScore();
      }
    }
    return new Score(method, params.getThreads(), params.getParam("config"),
        params.getParam("provider"), primary.getScore(), primary.getScoreError(), alloc);
  }

  /** Joins JMH's per-run JSON arrays into one array. */
  private static void mergeJson(List<Path> files, Path merged) throws IOException {
    List<String> bodies = new ArrayList<>();
    for (Path f : files) {
      String text = Files.readString(f, StandardCharsets.UTF_8).strip();
      if (text.startsWith("[") && text.endsWith("]")) {
        String body = text.substring(1, text.length() - 1).strip();
        if (!body.isEmpty()) {
          bodies.add(body);
        }
      }
    }
    Files.writeString(merged, "[\n" + String.join(",\n", bodies) + "\n]\n", StandardCharsets.UTF_8);
  }
}
