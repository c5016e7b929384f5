package io.ringstore.bench.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class DbBenchReportTest {
  private static String bench(String name, int threads, double opsPerSec, double writeBytes, double dbBytes) {
    return String.format(java.util.Locale.ROOT, "{\"name\": \"%s\", \"threads\": %d, \"ops\": 1000000, \"opsPerSec\": %s,"
            + " \"latencyNanos\": {\"p50\": 2500, \"p99\": 12000},"
            + " \"writeBytes\": %s, \"writeAmplification\": %s, \"dbBytes\": %s, \"spaceAmplification\": %s}",
        name, threads, opsPerSec, writeBytes, writeBytes / 116e6, dbBytes, dbBytes / 116e6);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> run(String engine, String... benches) {
    return (Map<String, @Nullable Object>) JsonReader.parse("{\"engine\": \"" + engine + "\", \"engineDetails\": [\"x\"],"
        + " \"num\": 1000000, \"seed\": 1, \"cores\": 2, \"ok\": true, \"benchmarks\": [" + String.join(",", benches)
        + "], \"totals\": {\"writeBytes\": 232000000, \"writeAmplification\": 1.0}}");
  }

  @Test
  void eachFigureIsShownWithItsRatioToRocksDbAndTheTargetsAreChecked() {
    var ringstore = run("ringstore",
        bench("fillrandom", 1, 200_000, 232e6, 116e6),
        bench("readrandom", 1, 300_000, 0, 116e6),
        bench("fillsync", 8, 5_000, 40e6, 1e6));
    var rocksdb = run("rocksdb",
        bench("fillrandom", 1, 100_000, 348e6, 58e6),
        bench("readrandom", 1, 400_000, 0, 58e6),
        bench("fillsync", 8, 4_000, 40e6, 1e6));

    String md = new DbBenchReport(List.of(ringstore, rocksdb), "rocksdb", "ringstore").markdown();

    assertThat(md).contains(
        "| benchmark | threads | ringstore ops/s | rocksdb ops/s | ringstore p50 / p99 us | rocksdb p50 / p99 us |",
        "| fillrandom | 1 | 200,000 (2.00x) | 100,000 (1.00x) | 2.50 / 12.0 | 2.50 / 12.0 |",
        "| readrandom | 1 | 300,000 (0.75x) | 400,000 (1.00x) | 2.50 / 12.0 | 2.50 / 12.0 |",
        "| fillrandom | 1 | 232 (2.00) | 348 (3.00) | 116 (1.00) | 58.0 (0.50) |",
        "| fillrandom ops/s, 1 thread | 200,000 | 100,000 | 2.00 | >= 1.00 | met |",
        "| readrandom ops/s, 1 thread | 300,000 | 400,000 | 0.75 | >= 1.00 | MISSED |",
        "| fillsync ops/s, 8 threads | 5,000 | 4,000 | 1.25 | >= 1.00 | met |",
        "| space amplification after fillrandom | 1.00 | 0.50 | 2.00 | <= 1.00 | MISSED |");
  }

  @Test
  void aOneOperationBenchmarkShowsItsTimeAndTheBaselinesTimeOverIt() {
    String compact = "{\"name\": \"compact\", \"threads\": 1, \"ops\": 1, \"seconds\": %s, \"opsPerSec\": 1}";
    var ringstore = run("ringstore", String.format(java.util.Locale.ROOT, compact, 2.0));
    var rocksdb = run("rocksdb", String.format(java.util.Locale.ROOT, compact, 3.0));
    String md = new DbBenchReport(List.of(ringstore, rocksdb), "rocksdb", "ringstore").markdown();
    assertThat(md).contains("| compact | 1 | 2.00 s (1.50x) | 3.00 s (1.00x) | - | - |");
  }

  @Test
  void withoutRingstoreThereAreNoTargets() {
    var rocksdb = run("rocksdb", bench("fillrandom", 1, 100_000, 348e6, 58e6));
    String md = new DbBenchReport(List.of(rocksdb), "rocksdb", "ringstore").markdown();
    assertThat(md).contains("| fillrandom | 1 | 100,000 (1.00x) |").doesNotContain("Targets");
  }
}
