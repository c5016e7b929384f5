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
 * with N = 3 and W/R 1/1, 2/2, 1/3 and 3/1. A key written on one JVM is read on the others: at
 * once where W + R > N, eventually with 1/1. One node is then killed by PID (SIGKILL: no leave);
 * every write acknowledged before the kill is still read on the two left; writes with W = 1 and
 * W = 2 still succeed and reads with R = 1 and R = 2 are still served, while a write that needs
 * W = 3 and a read that needs R = 3 fail with a CacheException that names the quorum. Each child's
 * log goes to {@code target/multi-process/}.
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

    // W + R > N: what one JVM acknowledged, every JVM reads at once
    for (String cache : List.of("w2r2", "w1r3", "w3r1")) {
      for (int i = 0; i < 9; i++) {
        Child writer = all.get(i % 3);
        writer.put(cache, "k" + i, "v" + i + "-from-" + writer.id);
        for (Child reader : all) {
          assertThat(reader.get(cache, "k" + i)).as("%s read on %s", cache, reader).isEqualTo("VALUE v" + i + "-from-" + writer.id);
        }
      }
    }
    // W + R <= N (1/1): every JVM reads it once the replicas have it
    for (int i = 0; i < 9; i++) {
      Child writer = all.get(i % 3);
      String key = "k" + i;
      String expected = "VALUE v" + i + "-from-" + writer.id;
      writer.put("w1r1", key, "v" + i + "-from-" + writer.id);
      for (Child reader : all) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).alias("w1r1 " + key + " on " + reader)
            .until(() -> reader.get("w1r1", key).equals(expected));
      }
    }
    for (int i = 0; i < 30; i++) {
      all.get(i % 3).put("w2r2", "acked" + i, "a" + i);
      all.get(i % 3).put("w3r1", "acked" + i, "a" + i);
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
    // the extended API's ring view: the killed node is still a member (membership changes are deliberate), judged down
    for (Child child : left) {
      String ring = child.ask("ring w2r2");
      assertThat(ring).as("ring view on %s", child).startsWith("RING ").contains(second.id)
          .endsWith(" LIVE " + String.join(",", new java.util.TreeSet<>(List.of(first.id, third.id))));
    }

    // every write acknowledged before the kill is read on both nodes left
    for (int i = 0; i < 30; i++) {
      for (Child reader : left) {
        assertThat(reader.get("w2r2", "acked" + i)).as("w2r2 acked%d on %s", i, reader).isEqualTo("VALUE a" + i);
        assertThat(reader.get("w3r1", "acked" + i)).as("w3r1 acked%d on %s", i, reader).isEqualTo("VALUE a" + i);
      }
    }
    for (int i = 0; i < 9; i++) {
      for (Child reader : left) {
        assertThat(reader.get("w1r1", "k" + i)).as("w1r1 k%d on %s", i, reader).startsWith("VALUE v" + i + "-from-");
      }
    }
    // writes with W = 2 still succeed on the two left, and each reads the other's at once
    for (int i = 0; i < 10; i++) {
      Child writer = left.get(i % 2);
      Child other = left.get((i + 1) % 2);
      writer.put("w2r2", "after" + i, "b" + i);
      assertThat(other.get("w2r2", "after" + i)).isEqualTo("VALUE b" + i);
      writer.put("w1r3", "after" + i, "c" + i); // W = 1: fine with two
      writer.put("w1r1", "after" + i, "d" + i);
      String key = "after" + i;
      String expected = "VALUE d" + i;
      await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).alias("w1r1 " + key + " on " + other)
          .until(() -> other.get("w1r1", key).equals(expected));
    }
    // W = 3 and R = 3 cannot be met by two live replicas: CacheExceptions that name the quorum
    assertThat(first.ask("put w3r1 lost x")).startsWith("ERROR javax.cache.CacheException").contains("writeQuorum");
    assertThat(first.get("w3r1", "acked0")).isEqualTo("VALUE a0"); // R = 1 still served
    assertThat(first.get("w1r3", "k0")).startsWith("ERROR javax.cache.CacheException").contains("readQuorum");
  }
}
