package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster channel's sockets run on its own event loop, not on the caller's context: a request
 * made from a worker context whose thread then blocks for the reply (as Vert.x HA's sync-map writes
 * do) gets the reply, instead of the reply waiting behind the blocked task until the request
 * timeout (what made Vert.x's ComplexHATest fail; docs/cluster-manager.md, "Vert.x HA").
 */
class ClusterChannelContextTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aRequestFromAWorkerThatBlocksForTheReplyGetsIt() throws Exception {
    VertxInternal v = (VertxInternal) vertx;
    ClusterChannel server = channel(v, "server");
    ClusterChannel client = channel(v, "client");
    int port = server.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    ContextInternal worker = v.createWorkerContext();
    CompletableFuture<String> outcome = new CompletableFuture<>();
    worker.runOnContext(ignored -> {
      try {
        // the first request to this address opens the connection, from this worker context, and this
        // task then blocks for the reply as a blocking sync-map write does
        Buffer reply = client.request("127.0.0.1:" + port, Buffer.buffer("ping"))
            .toCompletionStage().toCompletableFuture().get(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        outcome.complete(reply.toString());
      } catch (Exception e) {
        outcome.completeExceptionally(e);
      }
    });

    // bounded only so that a regression fails instead of hanging; a correct channel answers at once
    assertThat(outcome.get(REQUEST_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)).isEqualTo("pong:ping");
    client.close();
    server.close();
  }

  private static ClusterChannel channel(VertxInternal v, String id) {
    return new ClusterChannel(v, v.createEventLoopContext(), id, 1024 * 1024, REQUEST_TIMEOUT,
        (payload, origin, remote) -> Future.succeededFuture(Buffer.buffer("pong:" + payload)), frame -> { });
  }
}
