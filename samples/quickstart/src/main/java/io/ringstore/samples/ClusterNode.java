package io.ringstore.samples;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.MembershipListener;
import io.ringstore.cluster.membership.NodeId;
import io.ringstore.cluster.membership.NodeStatus;
import io.ringstore.cluster.node.RingstoreNode;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;

/**
 * One node of a cluster started by hand (the README's "two nodes by hand"): a cache manager whose
 * node joins a cluster, printing every membership change it sees until it is stopped (Ctrl-C
 * leaves the cluster politely; {@code kill -9} does not, and the others judge the node down).
 *
 * <p>Settings come from system properties: {@code ringstore.node.id}, {@code ringstore.node.weight},
 * {@code ringstore.cluster.host}, {@code ringstore.cluster.port},
 * {@code ringstore.cluster.seeds} (docs/configuration.md, "The node").
 */
public final class ClusterNode {
  private static final List<String> SETTINGS = List.of("ringstore.node.id", "ringstore.node.weight",
      "ringstore.cluster.host", "ringstore.cluster.port", "ringstore.cluster.seeds");

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
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println(self + ": leaving");
      manager.close();
      stopped.countDown();
    }, "ringstore-cluster-node-stop"));
    stopped.await();
  }

  private static String members(RingstoreNode node) {
    return node.membership().view().members().values().stream()
        .map(m -> m.id() + (m.alive() ? "" : " (down)"))
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
