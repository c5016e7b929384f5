package io.ringstore.provider.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The short fault suite, part of the normal build: three {@link FaultNodeMain} JVMs, four clients
 * over six set keys and fresh delete keys, and one fault of each kind this machine allows (kill -9
 * and restart, a SIGSTOP pause past the failure detector's timeout, one of partition / bridge /
 * one-way in network namespaces, clock skew under faketime, disk full on a tmpfs); kinds the
 * machine does not allow are skipped with their reason printed. Then heal, a quiet period, reads at
 * R = N and the checks of {@link FaultRun}. The seed is random unless
 * {@code -Dringstore.faults.seed=<seed>} fixes it; it is printed, and a failure prints the command
 * that replays it.
 */
class FaultSuiteTest {
  static final String SEED = "ringstore.faults.seed";

  static long seed() {
    String fixed = System.getProperty(SEED);
    return fixed == null || fixed.isBlank() ? ThreadLocalRandom.current().nextLong(1, 1L << 40) : Long.parseLong(fixed.trim());
  }

  /** The one command that replays the run of {@code seed} with {@code nodes} nodes. */
  static String replayCommand(long seed, int nodes) {
    String kinds = System.getProperty(FaultRun.KINDS);
    return (nodes == 3
        ? "mvn -B -o -pl provider test -Dtest=FaultSuiteTest -D" + SEED + "=" + seed
        : "mvn -B -o -pl provider verify -Pfaults-soak -D" + SEED + "=" + seed + " -Dringstore.faults.runs=1")
        + (kinds == null ? "" : " -D" + FaultRun.KINDS + "=" + kinds);
  }

  @Test
  void noAcknowledgedWriteIsLostAndReplicasConvergeUnderOneFaultOfEachKind() throws Exception {
    long seed = seed();
    FaultCluster.Platform platform = FaultCluster.Platform.probe();
    FaultRun.Shape shape = new FaultRun.Shape(3, 4, 6, 0, true, 3_000, 60_000, 4_000);
    FaultRun.Result result = new FaultRun(seed, shape, Path.of("target", "faults", "short-" + seed), platform).run();
    System.out.println(result.figures());
    assertThat(result.problems()).as("seed %d; replay: %s; %s", seed, replayCommand(seed, 3), result.figures()).isEmpty();
    assertThat(result.lost()).isZero();
  }
}
