package io.ringstore.provider.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One seeded run of the fault suite: a {@link FaultCluster}, a workload of {@code clients} threads
 * over a few keys (adds to integer sets, and put-then-delete of fresh keys), a nemesis that applies
 * a fault schedule drawn from the same seed, then heal, a quiet period, reads of every key at R = N
 * and the checks: no acknowledged add lost, no acknowledged delete undone, sibling counts within
 * {@link FaultNodeMain#MAX_SIBLINGS}, and every replica of every key equal (polled, bounded).
 *
 * <p>Every operation is logged with its invoke and complete times (the driver's
 * {@code System.nanoTime()}, printed relative to the run's start) and its outcome: {@code OK},
 * {@code FAIL} (the node answered an error or was not running) or {@code UNKNOWN} (no answer in
 * time, or the node died after the request was sent). The history is written to
 * {@code <workDir>/history.txt}.
 *
 * <p>Thread-safety: {@link #run} is called once, from one thread.
 */
final class FaultRun {
  /** The kinds of fault the nemesis knows. */
  enum Kind { KILL, FAST_RESTART, PAUSE, PARTITION, BRIDGE, ONE_WAY, SKEW, DISK_FULL }

  /** The figures and the verdict of one run. */
  record Result(long seed, boolean passed, int operations, int acknowledgedWrites, int faults, int lost, long convergenceMillis,
      int maxSiblings, List<String> problems, String schedule, List<String> skipped, long millis) {
    String figures() {
      return "seed " + seed + ": " + (passed ? "PASSED" : "FAILED") + "; operations " + operations + ", acknowledged writes "
          + acknowledgedWrites + ", faults " + faults + ", acknowledged writes lost " + lost + ", convergence " + convergenceMillis
          + " ms, max siblings " + maxSiblings + ", " + millis + " ms";
    }
  }

  /** One fault of the schedule. */
  record Fault(Kind kind, List<Integer> nodes, long gapMillis, long holdMillis, long skewSeconds) {
    @Override
    public String toString() {
      String who = switch (kind) {
        case PARTITION -> "isolate f" + (nodes.get(0) + 1) + " from the rest";
        case BRIDGE -> "cut f" + (nodes.get(0) + 1) + "<->f" + (nodes.get(1) + 1) + " (the others bridge)";
        case ONE_WAY -> "f" + (nodes.get(0) + 1) + "->f" + (nodes.get(1) + 1) + " new connections dropped";
        case FAST_RESTART -> "f" + (nodes.get(0) + 1) + " killed and restarted at once";
        case SKEW -> "f" + (nodes.get(0) + 1) + " clock " + (skewSeconds >= 0 ? "+" : "") + skewSeconds + " s";
        default -> "f" + (nodes.get(0) + 1);
      };
      return "after " + gapMillis + " ms " + kind + " " + who + " for " + holdMillis + " ms";
    }
  }

  enum Outcome { OK, FAIL, UNKNOWN }

  /** One logged operation. */
  record Op(int client, String kind, String key, String arg, String node, long invokeNanos, long completeNanos, Outcome outcome,
      String answer) {}

  /** The shape of a run. */
  record Shape(int nodes, int clients, int setKeys, int faults, boolean allKindsOnce, long quietMillis, long convergenceBoundMillis,
      long maxOps) {}

  private static final long OP_SECONDS = 12;

  /** The system property that picks the fault kinds: {@code all} or a comma-separated list of {@link Kind} names. */
  static final String KINDS = "ringstore.faults.kinds";
  /** The kinds run unless {@value #KINDS} says otherwise: every kind but {@link Kind#FAST_RESTART} (see {@link #FAST_RESTART_EXCLUDED}). */
  static final String DEFAULT_KINDS = "KILL,PAUSE,PARTITION,BRIDGE,ONE_WAY,SKEW,DISK_FULL";
  static final Set<Kind> NETWORK = Set.of(Kind.PARTITION, Kind.BRIDGE, Kind.ONE_WAY);
  /** Why FAST_RESTART is off by default. */
  static final String FAST_RESTART_EXCLUDED = "off by default: the coordinator killed and restarted before the others judge it down "
      + "cannot rejoin (its JOIN comes back to itself: 'not in a cluster yet') until ringstore.cluster.joinTimeout; see docs/fault-suite.md";

  private final long seed;
  private final Shape shape;
  private final Path workDir;
  private final FaultCluster.Platform platform;
  private final ConcurrentLinkedQueue<Op> history = new ConcurrentLinkedQueue<>();
  private final AtomicInteger elements = new AtomicInteger();
  private final List<String> skipped = new ArrayList<>();
  private long start;
  private int readFailures;

  FaultRun(long seed, Shape shape, Path workDir, FaultCluster.Platform platform) {
    this.seed = seed;
    this.shape = shape;
    this.workDir = workDir;
    this.platform = platform;
  }

  private void log(String line) {
    String text = "[faults seed " + seed + "] " + line;
    System.out.println(text);
    System.out.flush();
    try {
      Files.createDirectories(workDir);
      Files.writeString(workDir.resolve("run.log"), text + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the console has it
    }
  }

  /**
   * The kinds chosen by {@value #KINDS} (default {@link #DEFAULT_KINDS}) that this platform can
   * inject; each one left out is printed with its reason.
   */
  private List<Kind> availableKinds() {
    String chosen = System.getProperty(KINDS, DEFAULT_KINDS).trim();
    Set<Kind> wanted = new TreeSet<>();
    if (chosen.equalsIgnoreCase("all")) {
      wanted.addAll(List.of(Kind.values()));
    } else {
      for (String name : chosen.split(",")) {
        wanted.add(Kind.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT)));
      }
    }
    for (Kind k : Kind.values()) {
      if (!wanted.contains(k)) {
        skipped.add(k + ": not in " + KINDS + " = " + chosen + (k == Kind.FAST_RESTART ? " (" + FAST_RESTART_EXCLUDED + ")" : ""));
      }
    }
    List<Kind> kinds = new ArrayList<>();
    for (Kind k : wanted) {
      String reason = switch (k) {
        case PARTITION, BRIDGE, ONE_WAY -> platform.noIptables();
        case SKEW -> platform.noFaketime();
        case DISK_FULL -> platform.noTmpfs();
        default -> null;
      };
      if (reason == null) {
        kinds.add(k);
      } else {
        skipped.add(k + ": " + reason);
      }
    }
    return kinds;
  }

  /** The schedule drawn from the seed. */
  List<Fault> schedule(Random random, List<Kind> kinds, int skewNode, int diskNode) {
    List<Kind> order = new ArrayList<>();
    if (shape.allKindsOnce()) {
      // the short run: every kind once, but only one of the three network kinds
      List<Kind> net = new ArrayList<>(kinds.stream().filter(NETWORK::contains).toList());
      for (Kind k : kinds) {
        if (!net.contains(k)) {
          order.add(k);
        }
      }
      if (!net.isEmpty()) {
        order.add(net.get(random.nextInt(net.size())));
      }
      Collections.shuffle(order, random);
    } else {
      for (int i = 0; i < shape.faults(); i++) {
        order.add(kinds.get(random.nextInt(kinds.size())));
      }
    }
    List<Fault> faults = new ArrayList<>();
    int n = shape.nodes();
    for (Kind k : order) {
      long gap = 1000 + random.nextInt(2000);
      long hold = switch (k) {
        case PAUSE -> 2500 + random.nextInt(3500); // longer than downAfterMillis = 1500
        case KILL -> 2500 + random.nextInt(3000); // longer than failure detection: FAST_RESTART is the other case
        case FAST_RESTART -> 0;
        default -> 3000 + random.nextInt(4000);
      };
      int a = random.nextInt(n);
      int b = (a + 1 + random.nextInt(n - 1)) % n;
      List<Integer> who = switch (k) {
        case SKEW -> List.of(skewNode);
        case FAST_RESTART -> List.of(0); // the first node: the cluster's oldest member, its coordinator
        case DISK_FULL -> List.of(diskNode);
        case BRIDGE, ONE_WAY -> List.of(a, b);
        default -> List.of(a);
      };
      long skew = k == Kind.SKEW ? (random.nextBoolean() ? 1 : -1) * (30 + random.nextInt(270)) : 0;
      faults.add(new Fault(k, who, gap, hold, skew));
    }
    return faults;
  }

  Result run() throws Exception {
    FaultCluster.deleteTree(workDir); // a replay of the seed starts afresh
    start = System.nanoTime();
    Random random = new Random(seed);
    List<Kind> kinds = availableKinds();
    int skewNode = kinds.contains(Kind.SKEW) ? random.nextInt(shape.nodes()) : -1;
    int diskNode = kinds.contains(Kind.DISK_FULL) ? random.nextInt(shape.nodes()) : -1;
    List<Fault> schedule = schedule(random, kinds, skewNode, diskNode);
    StringBuilder plan = new StringBuilder();
    for (Fault f : schedule) {
      plan.append("\n    ").append(f);
    }
    log("nodes " + shape.nodes() + ", clients " + shape.clients() + ", network " + (platform.noNetns() == null ? "namespaces" : "loopback")
        + ", schedule:" + plan);
    for (String s : skipped) {
      log("SKIPPED fault kind " + s);
    }
    List<String> problems = new ArrayList<>();
    int faultsDone = 0;
    long convergence = -1;
    int maxSiblings = 0;
    Map<String, String> finalSets = new HashMap<>();
    Map<String, String> finalDeletes = new HashMap<>();
    try (FaultCluster cluster = new FaultCluster(shape.nodes(), workDir, platform.noNetns() == null, skewNode, diskNode)) {
      cluster.start();
      log("cluster up in " + sinceStart() + " ms");
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      AtomicInteger ops = new AtomicInteger();
      for (int c = 0; c < shape.clients(); c++) {
        int client = c;
        Random r = new Random(seed * 31 + c);
        Thread t = new Thread(() -> workload(cluster, client, r, stop, ops), "fault-client-" + c);
        t.setDaemon(true);
        t.start();
        clients.add(t);
      }
      try {
        for (Fault f : schedule) {
          Thread.sleep(f.gapMillis());
          log(String.format("+%.1fs %s", sinceStart() / 1000.0, f));
          inject(cluster, f);
          faultsDone++;
          String unhealthy = cluster.awaitHealthy(90);
          if (unhealthy != null) {
            problems.add("the cluster did not recover within 90 s after healing " + f + ": " + unhealthy);
            log("PROBLEM " + problems.get(problems.size() - 1));
            break;
          }
        }
        Thread.sleep(1000);
      } finally {
        stop.set(true);
        for (Thread t : clients) {
          t.join(TimeUnit.SECONDS.toMillis(OP_SECONDS + 5));
        }
      }
      log(String.format("+%.1fs workload stopped after %d operations; healed; quiet %d ms", sinceStart() / 1000.0, ops.get(), shape.quietMillis()));
      if (!problems.isEmpty()) {
        throw new IllegalStateException("the cluster never recovered, so the final reads and the convergence check are skipped");
      }
      Thread.sleep(shape.quietMillis());

      // final reads at R = N
      List<String> setKeys = new ArrayList<>();
      for (int k = 0; k < shape.setKeys(); k++) {
        setKeys.add("s" + k);
      }
      List<String> deleteKeys = history.stream().filter(o -> o.kind().equals("put")).map(Op::key).distinct().sorted().toList();
      long readDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      for (String key : setKeys) {
        finalSets.put(key, finalRead(cluster, FaultNodeMain.SETS, key, readDeadline));
      }
      for (String key : deleteKeys) {
        finalDeletes.put(key, finalRead(cluster, FaultNodeMain.DELETES, key, readDeadline));
      }
      log(String.format("+%.1fs final reads done", sinceStart() / 1000.0));
      // convergence: every replica's own record equal, polled
      long t0 = System.nanoTime();
      Map<String, List<String>> differing = converge(cluster, setKeys, deleteKeys, t0 + TimeUnit.MILLISECONDS.toNanos(shape.convergenceBoundMillis()));
      List<String> rootsDiffer = differing.isEmpty()
          ? mismatchedRoots(cluster, t0 + TimeUnit.MILLISECONDS.toNanos(shape.convergenceBoundMillis()))
          : List.of();
      convergence = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      if (!rootsDiffer.isEmpty()) {
        problems.add("the replicas' Merkle roots differ " + shape.convergenceBoundMillis() + " ms after the final reads: " + rootsDiffer);
      } else if (differing.isEmpty()) {
        log(String.format("+%.1fs every replica holds the same records, and every pair of nodes has equal Merkle roots for"
            + " the ranges it shares, in both caches", sinceStart() / 1000.0));
      }
      if (!differing.isEmpty()) {
        StringBuilder b = new StringBuilder("replicas did not converge within " + shape.convergenceBoundMillis() + " ms; differing keys:");
        differing.entrySet().stream().limit(5).forEach(e -> b.append("\n      ").append(e.getKey()).append(": ").append(e.getValue()));
        b.append(differing.size() > 5 ? "\n      ... " + differing.size() + " keys in all" : "");
        problems.add(b.toString());
      }
    } catch (Exception | AssertionError e) {
      problems.add("the run broke: " + e);
      log("run broke: " + e);
    }

    // checks
    List<Op> ops = new ArrayList<>(history);
    ops.sort(Comparator.comparingLong(Op::invokeNanos));
    int acked = (int) ops.stream().filter(o -> o.outcome() == Outcome.OK && !o.kind().equals("read")).count();
    int lost = 0;
    Set<String> badKeys = new TreeSet<>();
    List<String> unread = new ArrayList<>();
    for (Map.Entry<String, String> e : finalSets.entrySet()) {
      String answer = e.getValue();
      if (!answer.startsWith("OK ")) {
        unread.add("sets/" + e.getKey() + ": " + answer);
        badKeys.add(e.getKey());
        continue;
      }
      String[] parts = answer.split(" ");
      int siblings = Integer.parseInt(parts[1]);
      maxSiblings = Math.max(maxSiblings, siblings);
      if (siblings > FaultNodeMain.MAX_SIBLINGS) {
        problems.add("sets/" + e.getKey() + " has " + siblings + " siblings, past maxSiblings " + FaultNodeMain.MAX_SIBLINGS);
        badKeys.add(e.getKey());
      }
      TreeSet<Integer> have = FaultNodeMain.parse(parts[2]);
      TreeSet<Integer> missing = new TreeSet<>();
      for (Op o : ops) {
        if (o.kind().equals("add") && o.key().equals(e.getKey()) && o.outcome() == Outcome.OK && !have.contains(Integer.parseInt(o.arg()))) {
          missing.add(Integer.parseInt(o.arg()));
        }
      }
      if (!missing.isEmpty()) {
        lost += missing.size();
        problems.add("LOST acknowledged adds of sets/" + e.getKey() + ": " + missing + " (final value " + parts[2] + ")");
        badKeys.add(e.getKey());
      }
    }
    for (Map.Entry<String, String> e : finalDeletes.entrySet()) {
      String key = e.getKey();
      Op put = ops.stream().filter(o -> o.kind().equals("put") && o.key().equals(key)).findFirst().orElseThrow();
      Op delete = ops.stream().filter(o -> o.kind().equals("delete") && o.key().equals(key)).findFirst().orElse(null);
      if (put.outcome() != Outcome.OK || delete == null || delete.outcome() != Outcome.OK || delete.invokeNanos() < put.completeNanos()) {
        continue;
      }
      if (!delete.answer().equals("OK true")) {
        problems.add("the delete of deletes/" + key + " after its acknowledged put did not find it: " + delete.answer());
        badKeys.add(key);
      }
      if (!e.getValue().startsWith("OK ")) {
        unread.add("deletes/" + key + ": " + e.getValue());
        badKeys.add(key);
      } else if (!e.getValue().equals("OK 0 -")) {
        lost++;
        problems.add("deletes/" + key + " reappeared after its acknowledged delete: " + e.getValue());
        badKeys.add(key);
      }
    }
    if (!unread.isEmpty()) {
      problems.add(unread.size() + " final reads at R=N failed (acknowledged writes of those keys unchecked), first: " + unread.get(0));
    }
    writeHistory(ops);
    boolean passed = problems.isEmpty();
    Result result = new Result(seed, passed, ops.size(), acked, faultsDone, lost, convergence, maxSiblings, problems,
        plan.toString(), skipped, sinceStart());
    log(result.figures());
    if (!passed) {
      for (String p : problems) {
        log("PROBLEM " + p);
      }
      for (String key : badKeys.stream().limit(4).toList()) {
        log("history of " + key + " (all " + badKeys.size() + " keys with a problem: " + workDir.resolve("history.txt") + "):");
        for (Op o : ops) {
          if (o.key().equals(key)) {
            log("  " + describe(o));
          }
        }
      }
      log("replay: " + FaultSuiteTest.replayCommand(seed, shape.nodes()));
    }
    return result;
  }

  private long sinceStart() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private String describe(Op o) {
    return String.format("+%.3fs..+%.3fs c%d %s %s %s %s on %s -> %s", (o.invokeNanos() - start) / 1e9, (o.completeNanos() - start) / 1e9,
        o.client(), o.kind(), o.key(), o.arg(), o.outcome(), o.node(), o.answer());
  }

  private void writeHistory(List<Op> ops) {
    try {
      Files.createDirectories(workDir);
      List<String> lines = new ArrayList<>();
      lines.add("# seed " + seed);
      for (Op o : ops) {
        lines.add(describe(o));
      }
      Files.write(workDir.resolve("history.txt"), lines);
    } catch (IOException e) {
      log("could not write the history: " + e);
    }
  }

  private void workload(FaultCluster cluster, int client, Random random, AtomicBoolean stop, AtomicInteger ops) {
    int deletes = 0;
    while (!stop.get() && ops.get() < shape.maxOps()) {
      int node = random.nextInt(cluster.size());
      if (random.nextInt(5) > 0) {
        String key = "s" + random.nextInt(shape.setKeys());
        int element = elements.incrementAndGet();
        call(cluster, client, node, "add", key, Integer.toString(element), "add " + key + " " + element);
        ops.incrementAndGet();
      } else {
        String key = "d" + client + "x" + deletes++;
        Op put = call(cluster, client, node, "put", key, "v" + key, "put " + key + " v" + key);
        ops.incrementAndGet();
        if (put.outcome() == Outcome.OK && !stop.get()) {
          int other = random.nextInt(cluster.size());
          call(cluster, client, other, "delete", key, "", "delete " + key);
          ops.incrementAndGet();
        }
      }
      try {
        Thread.sleep(5 + random.nextInt(15));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Op call(FaultCluster cluster, int client, int index, String kind, String key, String arg, String command) {
    FaultNode node = cluster.node(index);
    long invoke = System.nanoTime();
    Outcome outcome;
    String answer;
    boolean wasRunning = node.running();
    try {
      answer = node.send(command).get(OP_SECONDS, TimeUnit.SECONDS);
      outcome = answer.startsWith("OK") ? Outcome.OK : Outcome.FAIL;
    } catch (TimeoutException e) {
      answer = "timeout after " + OP_SECONDS + " s";
      outcome = Outcome.UNKNOWN;
    } catch (ExecutionException e) {
      answer = String.valueOf(e.getCause());
      outcome = wasRunning ? Outcome.UNKNOWN : Outcome.FAIL;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer = "interrupted";
      outcome = Outcome.UNKNOWN;
    }
    Op op = new Op(client, kind, key, arg, node.id + "/" + node.process.pid(), invoke, System.nanoTime(), outcome, answer);
    history.add(op);
    return op;
  }

  private void inject(FaultCluster cluster, Fault f) throws Exception {
    int a = f.nodes().get(0);
    switch (f.kind()) {
      case KILL -> {
        cluster.kill(a);
        Thread.sleep(f.holdMillis());
        cluster.restart(a);
      }
      case PAUSE -> {
        cluster.pause(a);
        try {
          Thread.sleep(f.holdMillis());
        } finally {
          cluster.resume(a);
        }
      }
      case PARTITION, BRIDGE, ONE_WAY -> {
        try {
          if (f.kind() == Kind.PARTITION) {
            List<Integer> rest = new ArrayList<>();
            for (int i = 0; i < cluster.size(); i++) {
              if (i != a) {
                rest.add(i);
              }
            }
            cluster.partition(List.of(Set.of(a), Set.copyOf(rest)));
          } else if (f.kind() == Kind.BRIDGE) {
            cluster.cut(a, f.nodes().get(1));
          } else {
            cluster.oneWay(a, f.nodes().get(1));
          }
          Thread.sleep(f.holdMillis());
        } finally {
          cluster.healNetwork();
        }
      }
      case SKEW -> {
        try {
          cluster.skew(f.skewSeconds());
          Thread.sleep(f.holdMillis());
        } finally {
          cluster.skew(0);
        }
      }
      case DISK_FULL -> {
        try {
          long bytes = cluster.fillDisk();
          log("  filled f" + (a + 1) + "'s tmpfs with " + bytes + " bytes");
          Thread.sleep(f.holdMillis());
        } finally {
          cluster.freeDisk();
        }
        // a node whose engine met ENOSPC is restarted, as an operator would after freeing space
        cluster.kill(a);
        Thread.sleep(2500); // judged down before it comes back (FAST_RESTART is the other case)
        cluster.restart(a);
      }
      case FAST_RESTART -> {
        cluster.kill(a);
        cluster.restart(a);
      }
      default -> throw new IllegalStateException("unknown kind " + f.kind());
    }
  }

  private String finalRead(FaultCluster cluster, String cache, String key, long deadlineNanos) throws InterruptedException {
    String answer = null;
    for (int attempt = 0; attempt < 4; attempt++) {
      if (System.nanoTime() > deadlineNanos) {
        return answer == null ? "not read: the final reads' deadline passed" : answer;
      }
      FaultNode node = cluster.node((attempt + Math.abs(key.hashCode())) % cluster.size());
      long invoke = System.nanoTime();
      answer = node.ask("read " + cache + " " + key, 20);
      boolean ok = answer != null && answer.startsWith("OK");
      history.add(new Op(-1, "read", key, cache, node.id + "/" + node.process.pid(), invoke, System.nanoTime(), ok ? Outcome.OK : Outcome.FAIL,
          String.valueOf(answer)));
      if (ok) {
        return answer;
      }
      if (readFailures++ < 5) {
        log("final read of " + cache + "/" + key + " on " + node + " failed: " + answer);
      }
      Thread.sleep(1000);
    }
    return String.valueOf(answer);
  }

  /**
   * Polls every node's Merkle roots (per cache, of the ranges it shares with each peer: anti-entropy's
   * trees) until every pair of nodes has equal roots for what they share; the pairs that still
   * differ at the deadline ("f1/f2 sets: 3c.. vs 9a..").
   */
  private List<String> mismatchedRoots(FaultCluster cluster, long deadlineNanos) throws InterruptedException {
    while (true) {
      List<String> differ = new ArrayList<>();
      for (String cache : List.of(FaultNodeMain.SETS, FaultNodeMain.DELETES)) {
        List<Map<String, String>> roots = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
          Map<String, String> mine = new TreeMap<>();
          String answer = cluster.node(i).ask("roots " + cache, 20);
          if (answer != null && answer.startsWith("OK ")) {
            for (String pair : answer.substring(3).split(",")) {
              int eq = pair.indexOf('=');
              if (eq > 0) {
                mine.put(pair.substring(0, eq), pair.substring(eq + 1));
              }
            }
          }
          roots.add(mine);
        }
        for (int i = 0; i < cluster.size(); i++) {
          for (int j = i + 1; j < cluster.size(); j++) {
            String mineOfJ = roots.get(i).get("f" + (j + 1));
            String theirsOfI = roots.get(j).get("f" + (i + 1));
            if (mineOfJ == null || !mineOfJ.equals(theirsOfI)) {
              differ.add("f" + (i + 1) + "/f" + (j + 1) + " " + cache + ": " + mineOfJ + " vs " + theirsOfI);
            }
          }
        }
      }
      if (differ.isEmpty() || System.nanoTime() > deadlineNanos) {
        return differ;
      }
      Thread.sleep(200);
    }
  }

  /** Polls every replica's record of every key until all replicas of each key hold the same; the keys that still differ at the deadline. */
  private Map<String, List<String>> converge(FaultCluster cluster, List<String> setKeys, List<String> deleteKeys, long deadlineNanos)
      throws InterruptedException {
    Map<String, List<Integer>> replicas = new LinkedHashMap<>();
    Map<String, String> caches = new LinkedHashMap<>();
    for (String k : setKeys) {
      caches.put(k, FaultNodeMain.SETS);
    }
    for (String k : deleteKeys) {
      caches.put(k, FaultNodeMain.DELETES);
    }
    for (Map.Entry<String, String> e : caches.entrySet()) {
      String answer = cluster.node(0).ask("replicas " + e.getValue() + " " + e.getKey(), 20);
      List<Integer> indexes = new ArrayList<>();
      if (answer != null && answer.startsWith("OK ")) {
        for (String id : answer.substring(3).split(",")) {
          indexes.add(Integer.parseInt(id.substring(1)) - 1);
        }
      } else {
        for (int i = 0; i < cluster.size(); i++) {
          indexes.add(i);
        }
      }
      replicas.put(e.getKey(), indexes);
    }
    Map<String, List<String>> differing = new LinkedHashMap<>();
    Set<String> pending = new TreeSet<>(caches.keySet());
    while (true) {
      differing.clear();
      for (String key : List.copyOf(pending)) {
        List<String> seen = new ArrayList<>();
        for (int i : replicas.get(key)) {
          seen.add("f" + (i + 1) + "=" + cluster.node(i).ask("local " + caches.get(key) + " " + key, 20));
        }
        if (seen.stream().map(s -> s.substring(s.indexOf('=') + 1)).distinct().count() == 1 && !seen.get(0).endsWith("=null")) {
          pending.remove(key);
        } else {
          differing.put(key, seen);
        }
      }
      if (pending.isEmpty() || System.nanoTime() > deadlineNanos) {
        return differing;
      }
      Thread.sleep(200);
    }
  }
}
