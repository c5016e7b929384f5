package io.ringstore.provider.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The processes and the platform of one fault-suite run: {@code size} {@link FaultNodeMain} JVMs
 * (each with its own data directory, kept across kill -9 and restart under the same node id), and
 * what the faults need: network namespaces joined by a bridge (node {@code i} at
 * {@code 10.77.0.(11+i)}, FAULTS.md section 2) when the machine allows, {@code faketime} under one
 * node, a size-limited tmpfs under another. Everything it starts or makes is undone by
 * {@link #close()} (processes by PID, namespaces, mounts, files), also from a JVM shutdown hook.
 *
 * <p>Thread-safety: the fault methods are called by one nemesis thread; {@link #node} from any.
 */
final class FaultCluster implements AutoCloseable {
  static final String LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
  private static final int NETNS_PORT = 7700;
  private static final long READY_SECONDS = 90;

  /** What this machine allows, each with the reason when it does not. */
  record Platform(@Nullable String noNetns, @Nullable String noIptables, @Nullable String noFaketime, @Nullable String noTmpfs) {
    static Platform probe() {
      boolean root = "root".equals(System.getProperty("user.name")) || uid0();
      String noNetns = !root ? "not root" : !executable("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip") ? "no 'ip' (iproute2)" : null;
      if (noNetns == null) {
        String probe = "rsfprobe" + ProcessHandle.current().pid();
        if (Shell.run(10, "ip", "netns", "add", probe) != 0) {
          noNetns = "'ip netns add' failed (no CAP_SYS_ADMIN/CAP_NET_ADMIN?)";
        } else {
          Shell.run(10, "ip", "netns", "del", probe);
        }
      }
      String noIptables = noNetns != null ? "no network namespaces: " + noNetns
          : !executable("/usr/sbin/iptables", "/sbin/iptables", "/usr/bin/iptables") ? "no 'iptables' (apt-get install -y iptables)" : null;
      String noFaketime = Files.isReadable(Path.of(LIBFAKETIME)) ? null : "no " + LIBFAKETIME + " (apt-get install -y faketime)";
      String noTmpfs = root ? null : "not root (mount -t tmpfs needs it)";
      return new Platform(noNetns, noIptables, noFaketime, noTmpfs);
    }

    private static boolean uid0() {
      try {
        return Files.readString(Path.of("/proc/self/status")).lines().anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
      } catch (IOException e) {
        return false;
      }
    }

    private static boolean executable(String... paths) {
      return Stream.of(paths).anyMatch(p -> Files.isExecutable(Path.of(p)));
    }
  }

  private final int size;
  private final Path workDir;
  private final String tag;
  private final boolean netns;
  private final int skewNode;
  private final int diskNode;
  private final int[] ports;
  private final FaultNode[] nodes;
  private final boolean[] paused;
  private final List<String> namespaces = new ArrayList<>();
  private @Nullable Path mount;
  private @Nullable Path filler;
  private final Thread hook = new Thread(this::cleanUp, "fault-cluster-cleanup");
  private @Nullable String classPath;
  private boolean closed;

  /**
   * @param netns whether nodes run in network namespaces (the platform must allow it)
   * @param skewNode the node started under faketime, or -1
   * @param diskNode the node whose data directory is a size-limited tmpfs, or -1
   */
  FaultCluster(int size, Path workDir, boolean netns, int skewNode, int diskNode) {
    this.size = size;
    this.workDir = workDir;
    this.tag = Long.toString(ProcessHandle.current().pid() % 100_000, 36) + Long.toString(System.nanoTime() % 1296, 36);
    this.netns = netns;
    this.skewNode = skewNode;
    this.diskNode = diskNode;
    this.ports = new int[size];
    this.nodes = new FaultNode[size];
    this.paused = new boolean[size];
    Runtime.getRuntime().addShutdownHook(hook);
  }

  int size() {
    return size;
  }

  boolean netns() {
    return netns;
  }

  String id(int i) {
    return "f" + (i + 1);
  }

  private String host(int i) {
    return netns ? "10.77.0." + (11 + i) : "127.0.0.1";
  }

  private String ns(int i) {
    return "rsf" + tag + "-n" + (i + 1);
  }

  private String address(int i) {
    return host(i) + ":" + ports[i];
  }

  /** Makes the namespaces and mounts, then starts every node and waits until each sees all alive. */
  void start() throws Exception {
    Files.createDirectories(workDir);
    if (netns) {
      String sw = "rsf" + tag + "-sw";
      must("ip", "netns", "add", sw);
      namespaces.add(sw);
      must("ip", "-n", sw, "link", "set", "lo", "up");
      must("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
      must("ip", "-n", sw, "link", "set", "br0", "up");
      for (int i = 0; i < size; i++) {
        String n = ns(i);
        must("ip", "netns", "add", n);
        namespaces.add(n);
        must("ip", "link", "add", "eth0", "netns", n, "type", "veth", "peer", "name", "p" + (i + 1), "netns", sw);
        must("ip", "-n", sw, "link", "set", "p" + (i + 1), "master", "br0");
        must("ip", "-n", sw, "link", "set", "p" + (i + 1), "up");
        must("ip", "-n", n, "link", "set", "lo", "up");
        must("ip", "-n", n, "addr", "add", host(i) + "/24", "dev", "eth0");
        must("ip", "-n", n, "link", "set", "eth0", "up");
      }
    }
    classPath = snapshotClassPath();
    for (int i = 0; i < size; i++) {
      ports[i] = netns ? NETNS_PORT : freePort();
      Files.createDirectories(dataDir(i).getParent());
    }
    if (diskNode >= 0) {
      Path m = workDir.resolve("disk-" + id(diskNode));
      Files.createDirectories(m);
      must("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", m.toString());
      mount = m;
    }
    if (skewNode >= 0) {
      Files.writeString(skewFile(), "+0s\n");
    }
    for (int i = 0; i < size; i++) {
      launch(i);
      if (i == 0) {
        nodes[0].awaitReady(READY_SECONDS); // the first one starts the cluster; the others join through it
      }
    }
    for (int i = 1; i < size; i++) {
      nodes[i].awaitReady(READY_SECONDS);
    }
    String unhealthy = awaitHealthy(120);
    if (unhealthy != null) {
      throw new IllegalStateException("the cluster did not come up healthy within 120 s: " + unhealthy);
    }
  }

  /**
   * The test class path with every jar copied into the run's directory: other builds on the machine
   * may re-install the Ringstore jars in the local repository while a run restarts its nodes, and a
   * node must restart on the classes it started with.
   */
  private String snapshotClassPath() throws IOException {
    Path jars = workDir.resolve("cp");
    Files.createDirectories(jars);
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Path copy = jars.resolve((n++) + "-" + p.getFileName());
        Files.copy(p, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        entries.add(copy.toAbsolutePath().toString());
      } else {
        entries.add(entry);
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  private Path dataDir(int i) {
    return (i == diskNode ? workDir.resolve("disk-" + id(i)) : workDir).resolve("data-" + id(i));
  }

  private Path skewFile() {
    return workDir.resolve("skew-" + id(skewNode));
  }

  private void launch(int i) throws IOException {
    Path logs = workDir.resolve("logs");
    Files.createDirectories(logs);
    List<String> seeds = new ArrayList<>();
    boolean first = nodes[0] == null;
    for (int j = 0; j < size; j++) {
      if (j != i && (first ? j == 0 : true)) {
        seeds.add(address(j));
      }
    }
    if (first || seeds.isEmpty()) {
      seeds = List.of(address(0)); // node 0's first start: only itself, so it starts the cluster
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    if (netns) {
      command.addAll(List.of("ip", "netns", "exec", ns(i)));
    }
    command.addAll(List.of(java, "-Xmx160m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
        "-Djava.net.preferIPv4Stack=true", "-cp", classPath, FaultNodeMain.class.getName(),
        id(i), host(i), Integer.toString(ports[i]), String.join(",", seeds), dataDir(i).toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    if (i == skewNode) {
      Map<String, String> env = builder.environment();
      env.put("LD_PRELOAD", LIBFAKETIME);
      env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
      env.put("FAKETIME_TIMESTAMP_FILE", skewFile().toString());
      env.put("FAKETIME_CACHE_DURATION", "1");
    }
    builder.redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve(id(i) + ".log").toFile()));
    nodes[i] = new FaultNode(i, id(i), builder.start());
    paused[i] = false;
  }

  /** The current incarnation of node {@code i}. */
  FaultNode node(int i) {
    return nodes[i];
  }

  /**
   * Waits until every node sees all nodes alive and can read a key at R = N (every replica
   * service reachable from every node): {@code null} once it does, else what the last node that
   * could not answered at the deadline.
   */
  @Nullable String awaitHealthy(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    String want = "OK " + size + " " + size;
    for (int i = 0; i < size; i++) {
      while (true) {
        String alive = nodes[i].ask("alive", 10);
        String read = want.equals(alive) ? nodes[i].ask("read " + FaultNodeMain.DELETES + " probe" + i, 10) : null;
        if (read != null && read.startsWith("OK")) {
          break;
        }
        if (System.nanoTime() > deadline) {
          return nodes[i] + ": alive -> " + alive + (read == null ? "" : "; read at R=N -> " + read);
        }
        Thread.sleep(250);
      }
    }
    return null;
  }

  // ---- faults ----

  /** kill -9 of node {@code i} (its data directory stays). */
  void kill(int i) throws InterruptedException {
    if (paused[i]) {
      resume(i);
    }
    nodes[i].kill();
  }

  /** Starts node {@code i} again on the same data directory and id, waiting for READY. */
  void restart(int i) throws Exception {
    launch(i);
    try {
      nodes[i].awaitReady(READY_SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      Path log = workDir.resolve("logs").resolve(id(i) + ".log");
      String last = "";
      try (Stream<String> lines = Files.lines(log)) {
        last = lines.filter(l -> l.startsWith("Exception in thread")).reduce((a, b) -> b).orElse("");
      } catch (IOException | java.io.UncheckedIOException ignored) {
        // no log to quote
      }
      throw new IllegalStateException(nodes[i] + " did not start again (" + e.getCause() + "): " + last + " (log: " + log + ")", e);
    }
  }

  void pause(int i) {
    signal(i, "STOP");
    paused[i] = true;
  }

  void resume(int i) {
    signal(i, "CONT");
    paused[i] = false;
  }

  private void signal(int i, String signal) {
    Shell.run(10, "kill", "-" + signal, Long.toString(nodes[i].process.pid()));
  }

  /** Every node of one group drops the packets of the nodes of the other groups (iptables INPUT rules in its namespace). */
  void partition(List<Set<Integer>> groups) {
    for (Set<Integer> g : groups) {
      for (int a : g) {
        for (Set<Integer> h : groups) {
          if (h != g) {
            for (int b : h) {
              must("ip", "netns", "exec", ns(a), "iptables", "-w", "-A", "INPUT", "-s", host(b), "-j", "DROP");
            }
          }
        }
      }
    }
  }

  /** {@code a} and {@code b} drop each other's packets; everyone else sees both (a bridge through the others). */
  void cut(int a, int b) {
    must("ip", "netns", "exec", ns(a), "iptables", "-w", "-A", "INPUT", "-s", host(b), "-j", "DROP");
    must("ip", "netns", "exec", ns(b), "iptables", "-w", "-A", "INPUT", "-s", host(a), "-j", "DROP");
  }

  /** {@code to} drops new connections from {@code from} (from -> to fails, to -> from works). */
  void oneWay(int from, int to) {
    must("ip", "netns", "exec", ns(to), "iptables", "-w", "-A", "INPUT", "-s", host(from), "-m", "conntrack", "--ctstate", "NEW", "-j", "DROP");
  }

  /** Removes every rule of every node's namespace. */
  void healNetwork() {
    if (netns) {
      for (int i = 0; i < size; i++) {
        Shell.run(20, "ip", "netns", "exec", ns(i), "iptables", "-w", "-F");
      }
    }
  }

  /** Sets the skewed node's wall clock offset (seconds, may be negative). */
  void skew(long seconds) throws IOException {
    Files.writeString(skewFile(), (seconds >= 0 ? "+" : "") + seconds + "s\n");
  }

  /** Fills the disk node's tmpfs until ENOSPC; returns the bytes written. */
  long fillDisk() throws IOException {
    Path m = mount;
    if (m == null) {
      throw new IllegalStateException("no disk node");
    }
    Path f = m.resolve("filler");
    filler = f;
    long written = 0;
    byte[] chunk = new byte[256 * 1024];
    try (OutputStream out = Files.newOutputStream(f)) {
      while (written < 64L * 1024 * 1024) {
        out.write(chunk);
        written += chunk.length;
      }
    } catch (IOException e) {
      // ENOSPC: full
    }
    return written;
  }

  void freeDisk() throws IOException {
    Path f = filler;
    if (f != null) {
      Files.deleteIfExists(f);
      filler = null;
    }
  }

  // ---- tear-down ----

  @Override
  public void close() {
    cleanUp();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs cleanUp anyway
    }
  }

  private synchronized void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = 0; i < size; i++) {
      FaultNode n = nodes[i];
      if (n != null && n.running()) {
        if (paused[i]) {
          resume(i);
        }
      }
    }
    List<Thread> stoppers = new ArrayList<>();
    for (FaultNode n : nodes) {
      if (n != null) {
        Thread t = new Thread(() -> {
          try {
            n.stop(10);
          } catch (InterruptedException e) {
            n.process.destroyForcibly();
          }
        });
        t.start();
        stoppers.add(t);
      }
    }
    for (Thread t : stoppers) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (FaultNode n : nodes) {
      if (n != null && n.process.isAlive()) {
        n.process.destroyForcibly();
      }
    }
    for (String n : namespaces) {
      Shell.run(20, "ip", "netns", "del", n);
    }
    if (mount != null) {
      if (Shell.run(20, "umount", mount.toString()) != 0) {
        Shell.run(20, "umount", "-l", mount.toString());
      }
    }
    if (!Boolean.getBoolean("ringstore.faults.keep")) {
      // the data directories, the tmpfs mount point and the skew file go; the logs, run.log and history.txt stay
      try (Stream<Path> top = Files.list(workDir)) {
        top.filter(p -> p.getFileName().toString().matches("(data|disk|skew)-.*|cp")).forEach(FaultCluster::deleteTree);
      } catch (IOException e) {
        // best effort
      }
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  private static void must(String... command) {
    int rc = Shell.run(30, command);
    if (rc != 0) {
      throw new IllegalStateException("'" + String.join(" ", command) + "' exited with " + rc);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a short command, its output to this JVM's stderr. */
  static final class Shell {
    private Shell() {}

    static int run(long seconds, String... command) {
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return -1;
        }
        if (p.exitValue() != 0 && out.length > 0) {
          System.err.println("[faults] " + String.join(" ", command) + ": " + new String(out, StandardCharsets.UTF_8).trim());
        }
        return p.exitValue();
      } catch (IOException e) {
        return -2;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -3;
      }
    }
  }
}
