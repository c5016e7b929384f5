package io.ringstore.provider.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replicated caches across real JVMs on loopback ({@link CacheNodeMain}, started with this test's
 * class path, driven through a line protocol on their stdin and stdout): three nodes hold caches
 * with N = 3 and W/R 2/2 and 1/3; a key written on one is read on the others. One node is then
 * killed by PID (SIGKILL: no leave); the two left still take writes with W = 2 and serve reads
 * with R = 2, and every write acknowledged before the kill is still there; a read that needs R = 3
 * fails with a CacheException. Each child's log goes to {@code target/multi-process/}.
 */
class MultiProcessCacheTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final long ANSWER_SECONDS = 20;

  private final List<Child> children = new ArrayList<>();

  /** One child JVM: its stdin, and the lines it printed, in order. */
  private static final class Child {
    final String id;
    final Process process;
    final Writer in;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private int requests;

    Child(String id, Process process) {
      this.id = id;
      this.process = process;
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("READ FAILED " + e);
        }
      }, id + "-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    /** The first printed line that starts with {@code prefix}, waiting at most {@code seconds}. */
    String await(String prefix, long seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (true) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError(id + " (pid " + process.pid() + ", alive " + process.isAlive() + ") printed no line starting with '"
              + prefix + "' within " + seconds + " s");
        }
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }

    /** Sends a command and returns its answer without the request number, e.g. {@code VALUE v}. */
    synchronized String ask(String command) throws IOException, InterruptedException {
      String request = "r" + ++requests;
      in.write(request + " " + command + "\n");
      in.flush();
      return await(request + " ", ANSWER_SECONDS).substring(request.length() + 1);
    }

    void put(String cache, String key, String value) throws IOException, InterruptedException {
      assertThat(ask("put " + cache + " " + key + " " + value)).as("put %s in %s on %s", key, cache, id).isEqualTo("OK");
    }

    String get(String cache, String key) throws IOException, InterruptedException {
      return ask("get " + cache + " " + key);
    }

    @Override
    public String toString() {
      return id + " (pid " + process.pid() + ")";
    }
  }

  private Child start(String id, int port, String seeds) throws IOException {
    Path logs = Path.of("target", "multi-process");
    Files.createDirectories(logs);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), CacheNodeMain.class.getName(), id, Integer.toString(port), seeds);
    builder.redirectError(logs.resolve(id + ".log").toFile());
    Child child = new Child(id, builder.start());
    children.add(child);
    return child;
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Child child : children) {
      try {
        child.in.close(); // ends its stdin: it leaves and exits
      } catch (IOException ignored) {
        // already gone
      }
    }
    for (Child child : children) {
      if (!child.process.waitFor(20, TimeUnit.SECONDS)) {
        child.process.destroyForcibly();
      }
    }
  }

  @Test
  void aKeyWrittenInOneJvmIsReadInTheOthersAndAKilledOneLosesNoAcknowledgedWrite() throws Exception {
    int seedPort = LoopbackCluster.freePort();
    String seed = "127.0.0.1:" + seedPort;
    Child first = start("mp-0", seedPort, seed);
    first.await("READY ", 60);
    Child second = start("mp-1", 0, seed);
    Child third = start("mp-2", 0, seed);
    second.await("READY ", 60);
    third.await("READY ", 60);
    List<Child> all = List.of(first, second, third);
    for (Child child : all) {
      await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).alias(child.toString())
          .until(() -> child.ask("alive").equals("ALIVE 3 3"));
    }

    // W + R > N in both caches: what one JVM acknowledged, every JVM reads at once
    for (String cache : List.of("w2r2", "w1r3")) {
      for (int i = 0; i < 9; i++) {
        all.get(i % 3).put(cache, "k" + i, "v" + i + "-from-" + all.get(i % 3).id);
        for (Child reader : all) {
          assertThat(reader.get(cache, "k" + i)).as("%s read on %s", cache, reader).isEqualTo("VALUE v" + i + "-from-" + all.get(i % 3).id);
        }
      }
    }
    for (int i = 0; i < 30; i++) {
      all.get(i % 3).put("w2r2", "acked" + i, "a" + i);
    }

    // SIGKILL: no leave, the sockets cut by the kernel
    ProcessHandle victim = ProcessHandle.of(second.process.pid()).orElseThrow();
    assertThat(victim.destroyForcibly()).isTrue();
    assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<Child> left = List.of(first, third);
    for (Child child : left) {
      await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).alias(child + " sees " + second + " down")
          .until(() -> child.ask("alive").startsWith("ALIVE 2 "));
    }

    // every write acknowledged before the kill is read on both nodes left (R = 2 of the 2 alive)
    for (int i = 0; i < 30; i++) {
      for (Child reader : left) {
        assertThat(reader.get("w2r2", "acked" + i)).as("acked%d on %s", i, reader).isEqualTo("VALUE a" + i);
      }
    }
    // writes with W = 2 still succeed on the two left, and each reads the other's
    for (int i = 0; i < 10; i++) {
      Child writer = left.get(i % 2);
      writer.put("w2r2", "after" + i, "b" + i);
      assertThat(left.get((i + 1) % 2).get("w2r2", "after" + i)).isEqualTo("VALUE b" + i);
      writer.put("w1r3", "after" + i, "c" + i); // W = 1: fine with two
    }
    // R = 3 cannot be met by two live replicas: a CacheException that counts them
    assertThat(first.get("w1r3", "k0")).startsWith("ERROR javax.cache.CacheException").contains("readQuorum");
  }
}
