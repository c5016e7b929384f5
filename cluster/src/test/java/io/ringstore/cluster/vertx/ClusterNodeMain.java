package io.ringstore.cluster.vertx;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.membership.MembershipListener;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.NodeListener;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One clustered Vert.x on {@link RingstoreClusterManager} in its own JVM, for
 * {@link MultiProcessClusterTest}. Arguments: {@code port seeds intervalMillis downAfterMillis}
 * ({@code seeds} comma-separated {@code host:port}). Prints one line per event to stdout:
 * {@code JOINED <vertxNodeId> <stableNodeId>}, {@code ADDED <vertxNodeId>}, {@code LEFT <vertxNodeId>}
 * (Vert.x's node events), {@code DOWN <stableNodeId>} and {@code UP <stableNodeId>} (gossip). Leaves
 * the cluster and exits when its stdin ends.
 */
public final class ClusterNodeMain {
  private ClusterNodeMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    List<String> seeds = Arrays.asList(args[1].split(","));
    ClusterManagerSettings settings = ClusterManagerSettings.defaults().withAddress(port, seeds)
        .withGossip(Duration.ofMillis(Long.parseLong(args[2])), Duration.ofMillis(Long.parseLong(args[3])));
    RingstoreClusterManager manager = new RingstoreClusterManager(settings);
    Vertx vertx = Vertx.builder().withClusterManager(manager).buildClustered()
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    manager.nodeListener(new NodeListener() {
      @Override
      public void nodeAdded(String nodeID) {
        print("ADDED " + nodeID);
      }

      @Override
      public void nodeLeft(String nodeID) {
        print("LEFT " + nodeID);
      }
    });
    manager.membership().addListener(new MembershipListener() {
      @Override
      public void onDown(Member member) {
        print("DOWN " + member.id());
      }

      @Override
      public void onUp(Member member) {
        print("UP " + member.id());
      }
    });
    print("JOINED " + manager.getNodeId() + " " + settings.stableNodeId());
    waitForEndOf(System.in);
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    print("CLOSED");
  }

  private static void waitForEndOf(InputStream in) throws IOException {
    while (in.read() >= 0) {
      // the parent closes our stdin to stop us
    }
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
