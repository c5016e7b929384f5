package io.ringstore.cluster.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.repair.MerkleTree;
import io.ringstore.cluster.repair.TokenRanges;
import io.ringstore.cluster.repair.VersionDigest;
import io.ringstore.cluster.ring.Tokens;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.Dot;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RecordCodec;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import io.ringstore.spi.testkit.FormatDocument;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worked examples in {@code docs/formats/wire.md} are what this code writes and reads: the test
 * compares each frame the code writes with the document's hex, decodes the document's bytes back
 * to the same messages, and checks refusals the document describes. If the format changes, the
 * failure prints the new bytes to paste into the document.
 */
class WireFormatDocTest {
  private static final FormatDocument DOCUMENT = FormatDocument.named("wire.md");
  private static final int BOUND = 1 << 20;
  private static final long WALL_MILLIS = 1_893_456_000_000L; // 2030-01-01T00:00:00Z
  private static final Bytes KEY = Bytes.utf8("k1");
  private static final List<String> DOCUMENT_ORDER = List.of("read", "merge", "found", "commit", "refused", "open", "batch",
      "batched", "tree", "tree-hashes", "keys", "key-digests", "purge");
  /** The depth of the anti-entropy examples' trees. */
  private static final int DEPTH = 10;

  /** n1's second write of "v1" under k1, expiring a minute later. */
  static StoredRecord record() {
    VectorClock clock = VectorClock.of("n1", 2, WALL_MILLIS);
    return StoredRecord.of(clock, List.of(new Sibling(new Dot("n1", 2), WALL_MILLIS << 16, Bytes.utf8("v1"))),
        WALL_MILLIS + 60_000);
  }

  static Map<String, ReplicaRequest> exampleRequests() {
    Map<String, ReplicaRequest> requests = new LinkedHashMap<>();
    requests.put("read", new ReplicaRequest.Read("users", KEY, false));
    requests.put("merge", new ReplicaRequest.Merge("users", KEY, record()));
    requests.put("commit", new ReplicaRequest.Commit("users", KEY, "n3", 7, true, false, VectorClock.of("n1", 2, WALL_MILLIS), null,
        new ReplicaRequest.Change(ReplicaRequest.Change.Kind.WRITE, Bytes.utf8("v2"), StoredRecord.NEVER, null), 2, 500));
    requests.put("open", new ReplicaRequest.Open(new KeyspaceSettings("users", "memory", Map.of("shards", "4"), 10_000,
        64L << 20, EvictionPolicy.LRU, 3, 2, 2, Duration.ofSeconds(1), Duration.ofSeconds(1), 8, 16, RemovalListener.NONE)));
    requests.put("batch", new ReplicaRequest.Batch(List.of(new ReplicaRequest.Read("users", KEY, false),
        new ReplicaRequest.Read("users", Bytes.utf8("k2"), false))));
    requests.put("tree", new ReplicaRequest.Tree("users", "n1", 7, TokenRanges.ALL, DEPTH, 0, List.of(0)));
    requests.put("keys", new ReplicaRequest.Keys("users", "n1", 7, TokenRanges.ALL, DEPTH,
        List.of(MerkleTree.leafOf(Tokens.of(KEY), DEPTH)), null));
    requests.put("purge", new ReplicaRequest.Purge("users", KEY, VectorClock.of("n1", 3, WALL_MILLIS)));
    return requests;
  }

  static Map<String, ReplicaReply> exampleReplies() {
    Map<String, ReplicaReply> replies = new LinkedHashMap<>();
    replies.put("found", new ReplicaReply.Found(record()));
    replies.put("refused", new ReplicaReply.Refused(ReplicaReply.Refused.Reason.QUORUM, "1 of 2 acknowledged",
        "writeQuorum", 1, 2));
    replies.put("batched", new ReplicaReply.Batched(List.of(new ReplicaReply.Found(record()), new ReplicaReply.Found(null))));
    // n2 holds k1 as above and nothing else of the keyspace
    MerkleTree.Builder tree = MerkleTree.builder(TokenRanges.ALL, DEPTH);
    tree.add(KEY, record());
    replies.put("tree-hashes", new ReplicaReply.TreeHashes(List.of(tree.build().root())));
    replies.put("key-digests", new ReplicaReply.KeyDigests(List.of(new ReplicaReply.KeyDigest(KEY, VersionDigest.of(record()))),
        false));
    return replies;
  }

  @Test
  void theDocumentsExamplesAreWhatTheCodeWrites() throws IOException {
    Map<String, ReplicaRequest> requests = exampleRequests();
    Map<String, ReplicaReply> replies = exampleReplies();
    Map<String, byte[]> actual = new LinkedHashMap<>();
    for (String name : DOCUMENT_ORDER) {
      actual.put(name, requests.containsKey(name) ? WireCodec.encode(requests.get(name)) : WireCodec.encode(replies.get(name)));
    }
    DOCUMENT.assertGoldenIsWritten(DOCUMENT.goldenSections(), actual, FormatDocument::hexLine);
  }

  @Test
  void theDocumentsBytesDecodeAsTheDocumentSays() throws IOException {
    Map<String, byte[]> golden = DOCUMENT.goldenSections();
    exampleRequests().forEach((name, request) -> assertThat(WireCodec.decodeRequest(golden.get(name), BOUND))
        .as(name).isEqualTo(request));
    exampleReplies().forEach((name, reply) -> assertThat(WireCodec.decodeReply(golden.get(name), BOUND))
        .as(name).isEqualTo(reply));

    // the record inside a Merge is RecordCodec's bytes, after its length
    byte[] merge = golden.get("merge");
    byte[] record = RecordCodec.encode(record());
    assertThat(merge[13]).isEqualTo((byte) record.length);
    assertThat(Arrays.copyOfRange(merge, 14, merge.length)).isEqualTo(record);

    byte[] read = golden.get("read");
    byte[] newer = read.clone();
    newer[2] = 2;
    assertThatThrownBy(() -> WireCodec.decodeRequest(newer, BOUND))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed replica message: unknown replica protocol version 2 (this build reads version 1) (at offset 2)");
    byte[] unknownType = read.clone();
    unknownType[3] = 0x0c;
    assertThatThrownBy(() -> WireCodec.decodeRequest(unknownType, BOUND))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed replica message: unknown request type 0x0c (at offset 3)");
    // a batch's elements are the frames of its requests, as they travel alone
    byte[] batch = golden.get("batch");
    assertThat(Arrays.copyOfRange(batch, 6, 6 + read.length)).isEqualTo(read);
    byte[] nested = batch.clone();
    nested[9] = 0x08; // the first element's type
    assertThatThrownBy(() -> WireCodec.decodeRequest(nested, BOUND))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed replica message: a batch inside a batch (at offset 9)");
    assertThatThrownBy(() -> WireCodec.decodeRequest(Arrays.copyOf(read, read.length + 1), BOUND))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed replica message: 1 bytes after the message (at offset " + read.length + ")");
    assertThatThrownBy(() -> WireCodec.decodeReply(golden.get("found"), golden.get("found").length - 1))
        .hasMessage("a replica message of " + golden.get("found").length + " bytes exceeds ringstore.bus.maxFrameBytes = "
            + (golden.get("found").length - 1));
  }
}
