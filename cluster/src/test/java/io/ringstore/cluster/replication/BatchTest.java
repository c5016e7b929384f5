package io.ringstore.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.cluster.vertx.EventBusSettings;
import io.ringstore.cluster.wire.ReplicaReply;
import io.ringstore.cluster.wire.ReplicaRequest;
import io.ringstore.cluster.wire.WireCodec;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.StoredRecord;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bulk operations send one message per node at a time ({@link ReplicaRequest.Batch}), not one per
 * key: counted on the event bus of three real nodes. Also the batches' bounds (split at the frame
 * bound, replies that would pass it asked again alone), their failures (every request of a failed
 * batch fails as it would alone) and malformed batches refused with a message.
 */
class BatchTest {
  private static TestNodes cluster;
  /** Two nodes whose frames are at the smallest bound the event bus allows. */
  private static TestNodes small;

  @BeforeAll
  static void start() {
    cluster = TestNodes.start("batch", 3);
    small = TestNodes.start("batch-small", 2, EventBusSettings.MIN_FRAME_BYTES, RingstoreNode.MAX_IN_FLIGHT_DEFAULT);
  }

  @AfterAll
  static void stop() {
    if (small != null) {
      small.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static KeyOperation put(Bytes value) {
    return current -> Mutation.write(value, StoredRecord.NEVER);
  }

  private static @Nullable String text(@Nullable Object record) {
    return record == null ? null : ((StoredRecord) record).soleValue().asUtf8();
  }

  /** One frame a node sent to another's replica service: its type and how many requests it carries. */
  private record Frame(String from, String to, int type, int requests, int bytes) {}

  /** Runs {@code action} and returns the replica frames every node of {@code nodes} sent meanwhile. */
  private static <T> List<Frame> framesOf(TestNodes nodes, Supplier<T> action, List<T> outcome) {
    List<Frame> sent = Collections.synchronizedList(new ArrayList<>());
    List<Handler<DeliveryContext<Object>>> interceptors = new ArrayList<>();
    for (RingstoreNode node : nodes.nodes()) {
      Handler<DeliveryContext<Object>> interceptor = context -> {
        String address = context.message().address();
        if (address.startsWith("ringstore.replica.") && context.body() instanceof Buffer body) {
          int type = body.getByte(3) & 0xFF;
          int requests = 1;
          if (type == 0x08) { // a batch: its count, a varint
            int b = body.getByte(4) & 0xFF;
            requests = (b & 0x80) == 0 ? b : (b & 0x7F) | (body.getByte(5) & 0xFF) << 7;
          }
          sent.add(new Frame(node.nodeId(), address.substring("ringstore.replica.".length()), type, requests, body.length()));
        }
        context.next();
      };
      node.vertx().eventBus().addOutboundInterceptor(interceptor);
      interceptors.add(interceptor);
    }
    try {
      outcome.add(action.get());
    } finally {
      for (int i = 0; i < interceptors.size(); i++) {
        nodes.nodes().get(i).vertx().eventBus().removeOutboundInterceptor(interceptors.get(i));
      }
    }
    synchronized (sent) {
      return new ArrayList<>(sent);
    }
  }

  /** "from>to" -> [frames, requests carried]. */
  private static Map<String, int[]> perLink(List<Frame> frames) {
    Map<String, int[]> links = new TreeMap<>();
    for (Frame frame : frames) {
      int[] counts = links.computeIfAbsent(frame.from + ">" + frame.to, link -> new int[2]);
      counts[0]++;
      counts[1] += frame.requests;
    }
    return links;
  }

  private static String describe(Map<String, int[]> links) {
    StringBuilder text = new StringBuilder();
    links.forEach((link, counts) -> text.append(link).append(": ").append(counts[0]).append(" frames carrying ")
        .append(counts[1]).append(" requests; "));
    return text.toString();
  }

  @Test
  void aBulkUpdateAndReadSendAHandfulOfFramesPerNodeNotOnePerKey() {
    List<Coordinator> keyspace = cluster.open("bulk-frames", 3, 2, 2);
    int count = 300;
    List<Bytes> keys = new ArrayList<>();
    List<KeyOperation> writes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(Bytes.utf8("bk" + i));
      writes.add(put(Bytes.utf8("v" + i)));
    }
    List<List<Object>> written = new ArrayList<>();
    List<Frame> updateFrames = framesOf(cluster, () -> keyspace.get(0).updateAll(keys, writes), written);
    assertThat(written.get(0)).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(text(written.get(0).get(i))).as("key %d written", i).isEqualTo("v" + i);
    }
    List<List<Object>> read = new ArrayList<>();
    List<Frame> readFrames = framesOf(cluster, () -> keyspace.get(1).readAll(keys), read);
    for (int i = 0; i < count; i++) {
      assertThat(text(read.get(0).get(i))).as("key %d read", i).isEqualTo("v" + i);
    }

    Map<String, int[]> updates = perLink(updateFrames);
    Map<String, int[]> reads = perLink(readFrames);
    System.out.println("BatchTest: updateAll of " + count + " keys (N=3 W=2 R=2): " + updateFrames.size() + " frames carrying "
        + updateFrames.stream().mapToInt(Frame::requests).sum() + " requests: " + describe(updates));
    System.out.println("BatchTest: readAll of " + count + " keys (N=3 R=2): " + readFrames.size() + " frames carrying "
        + readFrames.stream().mapToInt(Frame::requests).sum() + " requests: " + describe(reads));
    // a read per key and node asked, a commit per key at its primary, merges from the primaries: hundreds of
    // requests, in a handful of frames on each link
    assertThat(updateFrames.stream().mapToInt(Frame::requests).sum()).isGreaterThan(count);
    // the reads: one batch per window and node; the commits: as many batches as the caller's thread takes turns
    // running the decisions that the batched read replies hand it (7 to 30 a link, with the machine's load), far
    // fewer than the requests they carry (one frame a request without batching)
    assertThat(updates.values()).allSatisfy(counts -> assertThat(counts[0]).as(describe(updates))
        .isLessThanOrEqualTo(Math.max(2, counts[1] / 4)));
    assertThat(updateFrames).as(describe(updates)).hasSizeLessThanOrEqualTo(count / 3);
    assertThat(readFrames.stream().mapToInt(Frame::requests).sum()).isGreaterThanOrEqualTo(count);
    assertThat(reads.values()).allSatisfy(counts -> assertThat(counts[0]).as(describe(reads)).isLessThanOrEqualTo(4));
  }

  @Test
  void aBatchThatWouldPassTheFrameBoundIsSplitAndRepliesWithoutRoomAreAskedAgainAlone() {
    List<Coordinator> keyspace = small.open("bulk-bounds", 2, 2, 2);
    int count = 48;
    List<Bytes> keys = new ArrayList<>();
    List<KeyOperation> writes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(Bytes.utf8("big" + i));
      byte[] value = new byte[4096];
      value[0] = (byte) i;
      writes.add(put(Bytes.of(value)));
    }
    // 48 values of 4 KiB: about 200 KiB of commits and merges, past a 64 KiB frame
    List<List<Object>> written = new ArrayList<>();
    List<Frame> updateFrames = framesOf(small, () -> keyspace.get(0).updateAll(keys, writes), written);
    for (int i = 0; i < count; i++) {
      assertThat(written.get(0).get(i)).as("key %d", i).isInstanceOf(StoredRecord.class);
      assertThat(((StoredRecord) written.get(0).get(i)).soleValue().unsafeArray()[0]).isEqualTo((byte) i);
    }
    // the 48 reads of node 1 ask little, but their answers do not fit one frame: some are asked again alone
    List<List<Object>> read = new ArrayList<>();
    List<Frame> readFrames = framesOf(small, () -> keyspace.get(0).readAll(keys), read);
    for (int i = 0; i < count; i++) {
      assertThat(((StoredRecord) read.get(0).get(i)).soleValue().unsafeArray()[0]).as("key %d", i).isEqualTo((byte) i);
    }
    System.out.println("BatchTest: at maxFrameBytes = " + EventBusSettings.MIN_FRAME_BYTES + ", updateAll of " + count
        + " 4 KiB values: " + describe(perLink(updateFrames)) + "readAll: " + describe(perLink(readFrames)));
    assertThat(updateFrames).allSatisfy(frame -> assertThat(frame.bytes).isLessThanOrEqualTo(EventBusSettings.MIN_FRAME_BYTES));
    assertThat(updateFrames.stream().filter(frame -> frame.type == 0x08 && frame.from.equals(small.node(0).nodeId())).count())
        .as("batches node 0 sent").isGreaterThanOrEqualTo(3);
    assertThat(readFrames.stream().filter(frame -> frame.type == 0x08)).as("the batched reads").isNotEmpty();
    assertThat(readFrames.stream().filter(frame -> frame.type == 0x01)).as("reads asked again alone").isNotEmpty();
  }

  @Test
  void corksNestAndOnlyTheOutermostSends() {
    List<Coordinator> keyspace = cluster.open("corks", 3, 1, 1);
    ReplicaTransport transport = keyspace.get(0).transport();
    String to = cluster.node(1).nodeId();
    List<CompletableFuture<ReplicaReply>> replies = new ArrayList<>();
    List<List<Void>> ignored = new ArrayList<>();
    List<Frame> frames = framesOf(cluster, () -> {
      try (ReplicaTransport.Cork outer = transport.cork()) {
        try (ReplicaTransport.Cork inner = transport.cork()) {
          for (int i = 0; i < 3; i++) {
            replies.add(transport.send(to, new ReplicaRequest.Read("corks", Bytes.utf8("c" + i), false), 5000)
                .toCompletableFuture());
          }
          inner.close();
          inner.close(); // a second close counts once
        }
        assertThat(replies).noneMatch(CompletableFuture::isDone);
      }
      CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).join();
      return null;
    }, ignored);
    assertThat(replies).allSatisfy(reply -> assertThat(reply.join()).isEqualTo(new ReplicaReply.Found(null)));
    assertThat(frames).containsExactly(new Frame(cluster.node(0).nodeId(), to, 0x08, 3, frames.get(0).bytes));
  }

  @Test
  void everyRequestOfAFailedBatchFailsAsItWouldAlone() {
    List<Coordinator> keyspace = cluster.open("failed-batch", 3, 1, 1);
    ReplicaTransport transport = keyspace.get(0).transport();
    String alone = messageOf(transport.send("nobody", new ReplicaRequest.Read("failed-batch", Bytes.utf8("x"), false), 5000)
        .toCompletableFuture());
    List<CompletableFuture<ReplicaReply>> replies = new ArrayList<>();
    try (ReplicaTransport.Cork cork = transport.cork()) {
      for (int i = 0; i < 3; i++) {
        replies.add(transport.send("nobody", new ReplicaRequest.Read("failed-batch", Bytes.utf8("x" + i), false), 5000)
            .toCompletableFuture());
      }
    }
    assertThat(alone).isEqualTo("node nobody runs no replica service (not started, or gone)");
    assertThat(replies).allSatisfy(reply -> assertThat(messageOf(reply)).isEqualTo(alone));
  }

  private static String messageOf(CompletableFuture<ReplicaReply> reply) {
    try {
      reply.join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(ReplicaUnreachableException.class);
      return e.getCause().getMessage();
    }
    throw new AssertionError("no failure: " + reply.join());
  }

  @Test
  void aMalformedBatchIsRefusedWithAMessage() throws Exception {
    String read = "52 57 01 01 02 6b 73 01 61 00"; // a Read of "a" in "ks"
    assertThat(refusal("52 57 01 08 01 10 52 57 01 08 01 0a " + read))
        .isEqualTo("malformed replica message: a batch inside a batch (at offset 9)");
    assertThat(refusal("52 57 01 08 00")).isEqualTo("malformed replica message: batch count = 0 is out of range; need 1 to "
        + WireCodec.MAX_BATCH + " (at offset 4)");
    assertThat(refusal("52 57 01 08 81 04 " + read)).isEqualTo("malformed replica message: batch count = 513 is out of range; "
        + "need 1 to " + WireCodec.MAX_BATCH + " (at offset 4)");
  }

  /** Sends {@code hexFrame} to node 1's replica service from node 0; the message of the refusal it answers. */
  private static String refusal(String hexFrame) throws Exception {
    RingstoreNode from = cluster.node(0);
    Message<Buffer> answer = from.vertx().eventBus().<Buffer>request("ringstore.replica." + cluster.node(1).nodeId(),
        Buffer.buffer(HexFormat.of().parseHex(hexFrame.replace(" ", "")))).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    ReplicaReply reply = WireCodec.decodeReply(answer.body().getBytes(), 1 << 20);
    assertThat(reply).isInstanceOf(ReplicaReply.Refused.class);
    ReplicaReply.Refused refused = (ReplicaReply.Refused) reply;
    assertThat(refused.reason()).isEqualTo(ReplicaReply.Refused.Reason.ERROR);
    String prefix = "node " + cluster.node(1).nodeId() + ": malformed request: ";
    assertThat(refused.message()).startsWith(prefix);
    return refused.message().substring(prefix.length());
  }

  /**
   * Needs the transport in the CallerThread of Coordinator's single-key waits (updateChecked, await):
   * without it each read below waits out its timeout, held by the bulk update's cork.
   */
  @Test
  void aSynchronousReadMadeByABulkUpdatesOperationIsNotHeldByItsCork() {
    List<Coordinator> keyspace = cluster.open("nested-sync", 3, 2, 3);
    Coordinator coordinator = keyspace.get(0);
    coordinator.update(Bytes.utf8("other"), put(Bytes.utf8("seen")));
    List<Bytes> keys = new ArrayList<>();
    List<KeyOperation> copies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keys.add(Bytes.utf8("copy" + i));
      // each decision reads another key at R = 3, synchronously, on the thread that runs it inside a cork
      copies.add(current -> Mutation.write(coordinator.read(Bytes.utf8("other")).soleValue(), StoredRecord.NEVER));
    }
    List<Object> written = coordinator.updateAll(keys, copies);
    assertThat(written).allSatisfy(record -> assertThat(text(record)).isEqualTo("seen"));
  }
}
