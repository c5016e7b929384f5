package io.ringstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
  private static Score score(String benchmark, int threads, String config, String provider,
      double opsPerMicros) {
    return new Score(benchmark, threads, config, provider, opsPerMicros, Double.NaN, null);
  }

  @Test
  void eachFigureIsShownAsARatioToTheBestPeerOfItsRow() {
    List<Score> scores = List.of(
        score("put", 1, "byValue", "ringstore", 3.0),
        score("get", 1, "byValue", "ringstore", 8.0),
        score("get", 1, "byValue", "caffeine", 10.0),
        score("get", 1, "byValue", "ehcache", 2.0),
        score("get", 1, "byValue", "ri", 1.0),
        score("put", 1, "byValue", "caffeine", 4.0),
        score("put", 1, "byValue", "ri", 6.0));
    String table = new ResultTable(scores, List.of("ringstore", "caffeine", "ehcache", "ri"))
        .throughputMarkdown();

    assertThat(table.lines()).containsExactly(
        "| benchmark | threads | config | ringstore | caffeine | ehcache | ri |",
        "|---|---:|---|---:|---:|---:|---:|",
        "| get | 1 | byValue | 8.00 (0.80x) | 10.0 (1.00x) | 2.00 (0.20x) | 1.00 (0.10x) |",
        "| put | 1 | byValue | 3.00 (0.50x) | 4.00 (0.67x) | - | 6.00 (1.00x) |");
  }

  @Test
  void targetsCompareRingstoreWithCaffeineAndEhcacheOnStoreByValue() {
    List<Score> scores = List.of(
        score("get", 2, "byValue", "ringstore", 7.0),
        score("get", 2, "byValue", "caffeine", 10.0),
        score("get", 2, "byValue", "ehcache", 4.0),
        score("get", 2, "byReference", "ringstore", 1.0),
        score("put", 2, "byValue", "ringstore", 1.0),
        score("put", 2, "byValue", "caffeine", 4.0),
        score("put", 2, "byValue", "ehcache", 1.0));
    String targets = new ResultTable(scores, List.of("ringstore", "caffeine", "ehcache"))
        .targetsMarkdown();

    assertThat(targets.lines()).contains(
        "| get | 2 | 0.70 met | >= 0.7 | 1.75 MISSED | >= 2.0 |",
        "| put | 2 | 0.25 MISSED | >= 0.5 | 1.00 MISSED | >= 2.0 |");
    assertThat(targets).doesNotContain("byReference");
  }

  @Test
  void numbersKeepThreeSignificantFigures() {
    assertThat(ResultTable.number(123.456)).isEqualTo("123");
    assertThat(ResultTable.number(12.345)).isEqualTo("12.3");
    assertThat(ResultTable.number(1.2345)).isEqualTo("1.23");
    assertThat(ResultTable.number(0.012345)).isEqualTo("0.0123");
    assertThat(ResultTable.number(0.00041234)).isEqualTo("0.000412");
    assertThat(ResultTable.number(1234.5)).isEqualTo("1235");
  }
}
