package io.ringstore.storage.lsm;

import io.ringstore.spi.testkit.TestSeeds;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.NioDisk;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child JVM writing under {@code wal.syncMode = always} from several threads is killed with
 * {@code kill -9} at random moments, many times in a row on the same directory; after each kill the
 * parent opens the store and checks that every acknowledged write is there (a key may also hold
 * the one write its thread had in flight, durable but not yet acknowledged). A kill -9 keeps the
 * page cache, so this proves the process-crash half; {@link LsmCrashTest} proves the power-loss
 * half on the fault-injection disk.
 *
 * <p>{@code -Dringstore.killRounds=N} runs more rounds (the faults profile sets it).
 */
class LsmKillTest {

  private static final int THREADS = 4;
  private static final int KEYS = 300;

  @TempDir Path dir;

  @Test
  void noAcknowledgedWriteIsLostWhenTheWriterIsKilledWithKill9(TestInfo test) throws Exception {
    long seed = TestSeeds.seed(test);
    Random random = new Random(seed);
    int rounds = Integer.getInteger("ringstore.killRounds", 6);
    String javaBinary = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("java.class.path");
    // per key: the last value acknowledged, as "round:j"
    Map<Bytes, String> acked = new HashMap<>();
    for (int round = 1; round <= rounds; round++) {
      Process child = new ProcessBuilder(javaBinary, "-Xmx256m", "-cp", classpath, KillChild.class.getName(),
          dir.toString(), Integer.toString(round), Integer.toString(THREADS), Integer.toString(KEYS))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      int killAfter = 200 + random.nextInt(3000);
      long[] lastAck = new long[THREADS];
      java.util.Arrays.fill(lastAck, -1);
      List<String> errors = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line = out.readLine();
        assertThat(line).as("child's first line (round %d, seed %d)", round, seed).isEqualTo("open");
        int acks = 0;
        boolean killed = false;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("ack ")) {
            String[] parts = line.split(" ");
            int t = Integer.parseInt(parts[1]);
            long j = Long.parseLong(parts[2]);
            lastAck[t] = j;
            acked.put(KillChild.key(t, j % KEYS), round + ":" + j);
            acks++;
          } else {
            errors.add(line);
          }
          if (!killed && acks >= killAfter) {
            new ProcessBuilder("kill", "-9", Long.toString(child.pid())).inheritIO().start().waitFor();
            killed = true;
          }
        }
      }
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
      assertThat(errors).as("errors the child printed").isEmpty();
      try (LsmStore store = LsmStore.open(new NioDisk(), dir, LsmStoreTest.small(), Env.system())) {
        for (Map.Entry<Bytes, String> e : acked.entrySet()) {
          Bytes found = store.get(e.getKey());
          assertThat(found).as("key %s acknowledged as %s (round %d, seed %d)", e.getKey(), e.getValue(), round, seed)
              .isNotNull();
          String[] want = e.getValue().split(":");
          String[] got = found.asUtf8().split(":");
          int thread = Integer.parseInt(e.getKey().asUtf8().substring(1, e.getKey().asUtf8().indexOf('-')));
          if (!got[0].equals(want[0]) || Long.parseLong(got[1]) != Long.parseLong(want[1])) {
            // only the thread's one write in flight at the kill may be newer than its last acknowledgement
            assertThat(got[0]).as("key %s", e.getKey()).isEqualTo(Integer.toString(round));
            assertThat(Long.parseLong(got[1])).as("key %s: acknowledged %s, found %s", e.getKey(), e.getValue(),
                found.asUtf8()).isEqualTo(lastAck[thread] + 1);
          }
          e.setValue(got[0] + ":" + got[1]);
        }
      }
    }
  }
}
