package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real JVMs on loopback ({@link ClusterNodeMain}, started with this test's class path): three form a
 * cluster from one seed, a fourth joins, one is killed by PID (SIGKILL: no leave, sockets cut by
 * the kernel) and every other one sees it down by gossip and gets Vert.x's {@code nodeLeft} for it.
 * Each child's log goes to {@code target/multi-process/}.
 */
class MultiProcessClusterTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final List<Child> children = new ArrayList<>();

  /** One child JVM and the lines it printed. */
  private record Child(int index, Process process, List<String> lines) {
    boolean printed(String line) {
      return lines.contains(line);
    }

    String joined() {
      return lines.stream().filter(l -> l.startsWith("JOINED ")).findFirst().orElseThrow();
    }

    String vertxId() {
      return joined().split(" ")[1];
    }

    String stableId() {
      return joined().split(" ")[2];
    }

    @Override
    public String toString() {
      return "node " + index + " (pid " + process.pid() + "): " + lines;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Child start(int port, String seeds) throws IOException {
    Path logs = Path.of("target", "multi-process");
    Files.createDirectories(logs);
    int index = children.size() + 1;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), ClusterNodeMain.class.getName(),
        Integer.toString(port), seeds, "100", "1500");
    builder.redirectError(logs.resolve("node-" + index + ".log").toFile());
    Process process = builder.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("READ FAILED " + e);
      }
    }, "node-" + index + "-stdout");
    reader.setDaemon(true);
    reader.start();
    Child child = new Child(index, process, lines);
    children.add(child);
    await().atMost(PATIENCE).failFast(() -> !process.isAlive())
        .until(() -> lines.stream().anyMatch(l -> l.startsWith("JOINED ")));
    return child;
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Child child : children) {
      try {
        child.process().getOutputStream().close(); // ends its stdin: it leaves and exits
      } catch (IOException ignored) {
        // already gone
      }
    }
    for (Child child : children) {
      if (!child.process().waitFor(30, TimeUnit.SECONDS)) {
        child.process().destroyForcibly();
      }
    }
  }

  @Test
  void threeJvmsFormAClusterAFourthJoinsAndAKilledOneIsSeenDown() throws Exception {
    int seedPort = freePort();
    String seed = "127.0.0.1:" + seedPort;
    Child first = start(seedPort, seed);
    Child second = start(0, seed);
    Child third = start(0, seed);
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(first.lines())
        .contains("ADDED " + second.vertxId(), "ADDED " + third.vertxId()));
    Child fourth = start(0, seed);
    for (Child c : List.of(first, second, third)) {
      await().atMost(PATIENCE).until(() -> c.printed("ADDED " + fourth.vertxId()));
    }

    ProcessHandle victim = ProcessHandle.of(second.process().pid()).orElseThrow();
    assertThat(victim.destroyForcibly()).isTrue();
    assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    for (Child c : List.of(first, third, fourth)) {
      await().atMost(PATIENCE).alias(c.toString())
          .until(() -> c.printed("DOWN " + second.stableId()) && c.printed("LEFT " + second.vertxId()));
    }
    assertThat(new File("target/multi-process/node-1.log")).exists();
  }
}
