package io.ringstore.bench.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every benchmark end to end on a few thousand keys, through the in-memory map and through
 * RocksDB: every key put is found, no missing key is, and the JSON holds one entry per
 * benchmark. Checks behaviour only, never timings.
 */
class DbBenchRunTest {
  @ParameterizedTest
  @ValueSource(strings = {"skiplist", "rocksdb"})
  void everyBenchmarkRunsAndTheReadsFindExactlyThePutKeys(String engine, @TempDir Path dir) throws Exception {
    Path json = dir.resolve("run.json");
    DbBenchOptions options = DbBenchOptions.parse(new String[] {
        "--engine", engine, "--dir", dir.resolve("db").toString(), "--num=3000", "--reads", "2000",
        "--seeks", "100", "--seek_nexts", "10", "--threads", "2", "--sync_num", "40", "--sync_threads", "1,4",
        "--json", json.toString()});
    ByteArrayOutputStream text = new ByteArrayOutputStream();

    int status = DbBench.run(options, new PrintStream(text, true, StandardCharsets.UTF_8));

    String output = text.toString(StandardCharsets.UTF_8);
    assertThat(status).as(output).isZero();
    assertThat(output).contains("2000 of 2000 found", "0 of 2000 found");
    Map<?, ?> run = (Map<?, ?>) JsonReader.parse(Files.readString(json));
    assertThat(run.get("engine")).isEqualTo(engine);
    assertThat(run.get("ok")).isEqualTo(true);
    List<?> benchmarks = (List<?>) run.get("benchmarks");
    assertThat(benchmarks.stream().<Object>map(b -> ((Map<?, ?>) b).get("name")).toList()).containsExactly(
        "fillrandom", "readrandom", "readmissing", "seekrandom", "overwrite", "compact", "fillsync", "fillsync");
    assertThat(benchmarks.stream().<Object>map(b -> ((Map<?, ?>) b).get("threads")).toList()).containsExactly(2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 4.0);
    // 100 seeks of 10 entries each, fewer for a seek that lands on one of the last 9 keys
    assertThat((Double) ((Map<?, ?>) benchmarks.get(3)).get("entriesRead")).isBetween(900.0, 1000.0);
    Map<?, ?> fill = (Map<?, ?>) benchmarks.get(0);
    assertThat(fill.get("ops")).isEqualTo(3000.0);
    assertThat(fill.get("logicalBytesWritten")).isEqualTo(3000.0 * 116);
    if (engine.equals("rocksdb")) {
      Map<?, ?> compact = (Map<?, ?>) benchmarks.get(5);
      assertThat((Double) compact.get("dbBytes")).isPositive();
      assertThat(Files.exists(dir.resolve("db").resolve("fillsync-4t"))).isTrue();
    }
  }
}
