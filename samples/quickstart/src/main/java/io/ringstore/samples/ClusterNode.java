package io.ringstore.samples;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.MembershipListener;
import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;

/**
 * One node of a cluster started by hand (the README's "two nodes by hand"): a cache manager whose
 * node joins a cluster, printing every membership change it sees until it is stopped (Ctrl-C
 * leaves the cluster politely; {@code kill -9} does not, and the others judge the node down).
 *
 * <p>It holds the replicated cache {@value #CACHE} with N = 2, W = 1, R = 1: on a two-node cluster
 * every write goes to both nodes (acknowledged by one, so writes go on with one node down) and a
 * read asks one replica, this node's own. The node puts {@code <node id> -> hello from <node id>}
 * in the cache, again whenever the live members change (so a node that joins later receives it),
 * and prints what the cache holds across the cluster (iteration covers every live node) whenever
 * that changes, checked every {@value #POLL_SECONDS} seconds. Lines typed on its stdin are
 * commands: {@code put <key> <value>} and {@code get <key>}. A key written while both nodes are up
 * is read on both; one written before the other node joined is listed by both (iteration) but read
 * by {@code get} only where it was written, until anti-entropy (issue 8) copies it.
 *
 * <p>Settings come from system properties: {@code ringstore.node.id}, {@code ringstore.node.weight},
 * {@code ringstore.cluster.host}, {@code ringstore.cluster.port},
 * {@code ringstore.cluster.seeds} (docs/configuration.md, "The node").
 */
public final class ClusterNode {
  private static final List<String> SETTINGS = List.of("ringstore.node.id", "ringstore.node.weight",
      "ringstore.cluster.host", "ringstore.cluster.port", "ringstore.cluster.seeds");

  /** The replicated cache every node of the sample holds. */
  static final String CACHE = "greetings";
  /** How often the node looks at what the cache holds. */
  static final int POLL_SECONDS = 2;

  private ClusterNode() {}

  public static void main(String[] args) throws InterruptedException {
    Properties properties = new Properties();
    for (String name : SETTINGS) {
      String value = System.getProperty(name);
      if (value != null) {
        properties.setProperty(name, value);
      }
    }
    if (!properties.containsKey("ringstore.cluster.port") && !properties.containsKey("ringstore.cluster.seeds")) {
      properties.setProperty("ringstore.cluster.port", "7701");
    }
    CachingProvider provider = Caching.getCachingProvider();
    CacheManager manager = provider.getCacheManager(URI.create("ringstore:cluster-node"), ClusterNode.class.getClassLoader(),
        properties);
    RingstoreNode node = manager.unwrap(RingstoreNode.class);
    String self = node.nodeId();
    System.out.println(self + ": joined; members " + members(node));
    node.membership().addListener(new MembershipListener() {
      @Override
      public void onJoined(Member member) {
        System.out.println(self + ": " + member.id() + " joined (weight " + member.weight() + "); members " + members(node));
      }

      @Override
      public void onStatusChanged(Member member, NodeStatus previous) {
        System.out.println(self + ": " + member.id() + " is " + member.status() + " (was " + previous + ")");
      }

      @Override
      public void onDown(Member member) {
        System.out.println(self + ": " + member.id() + " is down; members " + members(node));
      }

      @Override
      public void onUp(Member member) {
        System.out.println(self + ": " + member.id() + " is up again");
      }

      @Override
      public void onRemoved(NodeId id) {
        System.out.println(self + ": " + id + " left; members " + members(node));
      }
    });
    Cache<String, String> greetings = manager.createCache(CACHE,
        new RingstoreConfiguration<String, String>().setTypes(String.class, String.class).setReplication(2, 1, 1));
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ringstore-cluster-node-poll");
      t.setDaemon(true);
      return t;
    });
    Map<String, String> shown = new TreeMap<>();
    String[] membersGreeted = {""};
    poller.scheduleWithFixedDelay(() -> {
      try {
        String live = members(node);
        if (!live.equals(membersGreeted[0])) {
          greetings.put(self, "hello from " + self); // reaches every replica of the key that is up now
          membersGreeted[0] = live;
        }
        Map<String, String> now = contents(greetings);
        if (!now.equals(shown)) {
          shown.clear();
          shown.putAll(now);
          System.out.println(self + ": " + CACHE + " holds " + now);
        }
      } catch (RuntimeException e) {
        System.out.println(self + ": reading " + CACHE + " failed: " + e.getMessage());
      }
    }, 0, POLL_SECONDS, TimeUnit.SECONDS);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println(self + ": leaving");
      poller.shutdownNow();
      manager.close();
      stopped.countDown();
    }, "ringstore-cluster-node-stop"));
    readCommands(self, greetings);
    stopped.await(); // stdin ended (or is not a terminal): run until stopped
  }

  /** Every entry of {@code cache} on every live node, by key. */
  private static Map<String, String> contents(Cache<String, String> cache) {
    Map<String, String> entries = new TreeMap<>();
    for (Cache.Entry<String, String> entry : cache) {
      entries.put(entry.getKey(), entry.getValue());
    }
    return entries;
  }

  /** Runs {@code put <key> <value>} and {@code get <key>} lines from stdin until it ends. */
  private static void readCommands(String self, Cache<String, String> cache) {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.trim().split("\\s+", 3);
        try {
          if (words.length == 3 && words[0].equals("put")) {
            cache.put(words[1], words[2]);
            System.out.println(self + ": put " + words[1] + " = " + words[2]);
          } else if (words.length == 2 && words[0].equals("get")) {
            System.out.println(self + ": get " + words[1] + " -> " + cache.get(words[1]));
          } else if (!line.isBlank()) {
            System.out.println(self + ": unknown command '" + line.trim() + "'; need put <key> <value> or get <key>");
          }
        } catch (RuntimeException e) {
          System.out.println(self + ": " + line.trim() + " failed: " + e.getMessage());
        }
      }
    } catch (IOException e) {
      System.out.println(self + ": stdin failed (" + e.getMessage() + "); commands off");
    }
  }

  private static String members(RingstoreNode node) {
    return node.membership().view().members().values().stream()
        .map(m -> m.id() + (m.alive() ? "" : " (down)"))
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
