package io.ringstore.provider.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long fault suite: {@code ringstore.faults.runs} runs (default 5), each five
 * {@link FaultNodeMain} JVMs, six clients over eight set keys and a schedule of eight faults drawn
 * from the run's seed among the kinds this machine allows. Seeds are {@code ringstore.faults.seed}
 * (random if unset) plus the run's number. Runs only with {@code -Dringstore.faults.soak=true},
 * which the Maven profile {@code faults-soak} sets:
 * {@code mvn -B -o -pl provider verify -Pfaults-soak [-Dringstore.faults.runs=20]}. Prints a closing
 * line {@code N passed, N failed; operations X, acknowledged writes Y, faults Z, acknowledged writes
 * lost L, convergence T ms} (T the longest of the runs).
 */
@EnabledIfSystemProperty(named = "ringstore.faults.soak", matches = "true",
    disabledReason = "the soak runs under -Pfaults-soak (sets ringstore.faults.soak=true)")
class FaultSoakTest {

  @Test
  void manySchedulesLoseNoAcknowledgedWrite() throws Exception {
    int runs = Integer.getInteger("ringstore.faults.runs", 5);
    long base = FaultSuiteTest.seed();
    FaultCluster.Platform platform = FaultCluster.Platform.probe();
    FaultRun.Shape shape = new FaultRun.Shape(5, 6, 8, 8, false, 5_000, 90_000, 20_000);
    List<FaultRun.Result> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long seed = base + i;
      results.add(new FaultRun(seed, shape, Path.of("target", "faults", "soak-" + seed), platform).run());
    }
    int passed = (int) results.stream().filter(FaultRun.Result::passed).count();
    long ops = results.stream().mapToLong(FaultRun.Result::operations).sum();
    long acked = results.stream().mapToLong(FaultRun.Result::acknowledgedWrites).sum();
    long faults = results.stream().mapToLong(FaultRun.Result::faults).sum();
    long lost = results.stream().mapToLong(FaultRun.Result::lost).sum();
    long convergence = results.stream().mapToLong(FaultRun.Result::convergenceMillis).max().orElse(0);
    for (FaultRun.Result r : results) {
      System.out.println(r.figures() + (r.passed() ? "" : "; replay: " + FaultSuiteTest.replayCommand(r.seed(), 5)));
    }
    String closing = passed + " passed, " + (runs - passed) + " failed; operations " + ops + ", acknowledged writes " + acked
        + ", faults " + faults + ", acknowledged writes lost " + lost + ", convergence " + convergence + " ms";
    System.out.println(closing);
    System.err.println(closing);
    assertThat(results).as(closing).allMatch(FaultRun.Result::passed);
  }
}
