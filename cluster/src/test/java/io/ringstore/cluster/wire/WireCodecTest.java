package io.ringstore.cluster.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.repair.TokenRange;
import io.ringstore.cluster.repair.TokenRanges;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.Dot;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.RecordCodec;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * {@link WireCodec}: every message type round-trips, to an equal message and to the very same
 * bytes, and records inside are {@link RecordCodec}'s bytes; every cut, a bad magic, version or
 * type, trailing bytes, over-long counts and lengths, non-canonical varints and records, bad UTF-8,
 * bad booleans and broken invariants (unsorted clock actors, settings that do not hold) are refused
 * with {@link MalformedMessageException} naming the offset; the frame bound is checked first.
 * (jqwik prints the seed of any failing property.)
 */
class WireCodecTest {
  private static final int BOUND = 64 << 20;

  // ------------------------------------------------------------------------------------------
  // Generators

  static Arbitrary<String> names() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().withChars('-', '.', '_', 'é', '節').ofMinLength(1).ofMaxLength(30),
        Arbitraries.of("users", "c", "cache-\uD83D\uDE00"),
        Arbitraries.strings().withChars('x').ofLength(WireCodec.MAX_KEYSPACE_NAME_BYTES));
  }

  static Arbitrary<String> texts(int maxLength) {
    return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u07ff').withCharRange('\u4e00', '\u4e2f')
        .ofMaxLength(maxLength);
  }

  static Arbitrary<Bytes> keys() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(24).map(Bytes::of),
        Arbitraries.bytes().array(byte[].class).ofMinSize(100).ofMaxSize(400).map(Bytes::of));
  }

  static Arbitrary<Bytes> values() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Bytes::of),
        Arbitraries.bytes().array(byte[].class).ofMinSize(200).ofMaxSize(3000).map(Bytes::of));
  }

  static Arbitrary<Long> longs() {
    return Arbitraries.oneOf(Arbitraries.longs().between(0, 300), Arbitraries.longs(),
        Arbitraries.of(0L, 127L, 128L, 16_383L, 16_384L, 1_893_456_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, -1L));
  }

  static Arbitrary<Long> positiveLongs() {
    return Arbitraries.oneOf(Arbitraries.longs().between(1, 300), Arbitraries.longs().between(1, Long.MAX_VALUE),
        Arbitraries.of(1L, 127L, 128L, Long.MAX_VALUE));
  }

  static Arbitrary<String> actors() {
    return Arbitraries.oneOf(Arbitraries.of("n1", "n2", "n3", "node-é", "節点"),
        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12),
        Arbitraries.strings().withChars('a').ofLength(RecordCodec.MAX_ACTOR_BYTES));
  }

  static Arbitrary<VectorClock> clocks(int minSize) {
    return actors().set().ofMinSize(minSize).ofMaxSize(4).flatMap(set -> {
      String[] actors = set.stream().sorted().toArray(String[]::new);
      int n = actors.length;
      return Combinators.combine(positiveLongs().list().ofSize(n), Arbitraries.oneOf(longs().filter(l -> l >= 0),
              Arbitraries.just(0L)).list().ofSize(n))
          .as((counters, stamps) -> VectorClock.ofEntries(actors, counters.stream().mapToLong(Long::longValue).toArray(),
              stamps.stream().mapToLong(Long::longValue).toArray()));
    });
  }

  /** Records: 1 to 4 clock entries, a sibling for some of them (dots the clock covers), tombstones, expiry. */
  static Arbitrary<StoredRecord> records() {
    return clocks(1).flatMap(clock -> {
      int n = clock.size();
      Arbitrary<List<Sibling>> siblings = Arbitraries.integers().between(0, n - 1).set().ofMinSize(1).ofMaxSize(n)
          .flatMap(indexes -> {
            List<Arbitrary<Sibling>> each = new ArrayList<>();
            for (int i : indexes) {
              String actor = clock.actor(i);
              each.add(Combinators.combine(Arbitraries.longs().between(1, clock.counterAt(i)), longs(), values().injectNull(0.3))
                  .as((counter, timestamp, value) -> new Sibling(new Dot(actor, counter), timestamp, value)));
            }
            return Combinators.combine(each).as(list -> list);
          });
      Arbitrary<Long> expiry = Arbitraries.oneOf(Arbitraries.just(StoredRecord.NEVER),
          longs().filter(l -> l != StoredRecord.NEVER));
      return Combinators.combine(siblings, expiry).as((list, expiresAtMillis) -> StoredRecord.of(clock, list, expiresAtMillis));
    });
  }

  static Arbitrary<ReplicaRequest.Change> changes() {
    return Combinators.combine(Arbitraries.of(ReplicaRequest.Change.Kind.class), values(), longs(),
            clocks(0).injectNull(0.5))
        .as((kind, value, expiresAtMillis, context) -> new ReplicaRequest.Change(kind,
            kind == ReplicaRequest.Change.Kind.WRITE ? value : null, expiresAtMillis, context));
  }

  static Arbitrary<KeyspaceSettings> settings() {
    Arbitrary<Map<String, String>> options = Arbitraries.maps(
        Arbitraries.strings().alpha().withChars('.', 'é').ofMinLength(1).ofMaxLength(12), texts(20)).ofMaxSize(4);
    Arbitrary<Duration> durations = Arbitraries.oneOf(Arbitraries.longs().between(1, 100_000),
        Arbitraries.longs().between(1, Long.MAX_VALUE)).map(Duration::ofMillis);
    return Arbitraries.integers().between(1, 7).flatMap(n -> Combinators.combine(
        Combinators.combine(names(), Arbitraries.of("memory", "lsm", "engine-é"), options, positiveLongs(), positiveLongs(),
            Arbitraries.of(EvictionPolicy.class)).as((a, b, c, d, e, f) -> List.<Object>of(a, b, c, d, e, f)),
        Arbitraries.integers().between(1, n), Arbitraries.integers().between(1, n), durations, durations,
        Arbitraries.integers().between(1, Integer.MAX_VALUE), Arbitraries.integers().between(1, Integer.MAX_VALUE))
        .as((first, w, r, readTimeout, writeTimeout, maxSiblings, maxClockEntries) -> {
          @SuppressWarnings("unchecked")
          Map<String, String> engineOptions = (Map<String, String>) first.get(2);
          return new KeyspaceSettings((String) first.get(0), (String) first.get(1), engineOptions, (Long) first.get(3),
              (Long) first.get(4), (EvictionPolicy) first.get(5), n, w, r, readTimeout, writeTimeout, maxSiblings,
              maxClockEntries, RemovalListener.NONE);
        }));
  }

  @Provide
  Arbitrary<ReplicaRequest> requests() {
    Arbitrary<ReplicaRequest> plain = plainRequests();
    return Arbitraries.frequencyOf(Tuple.of(6, plain),
        Tuple.of(1, plain.list().ofMinSize(1).ofMaxSize(4).map(ReplicaRequest.Batch::new)));
  }

  static Arbitrary<ReplicaRequest> plainRequests() {
    return Arbitraries.oneOf(
        Combinators.combine(names(), keys(), Arbitraries.of(true, false)).as(ReplicaRequest.Read::new),
        Combinators.combine(names(), keys(), records()).as(ReplicaRequest.Merge::new),
        Combinators.combine(names(), keys(), names(), Arbitraries.longs().greaterOrEqual(0), Arbitraries.integers().between(0, 3),
                clocks(0).injectNull(0.4), records().injectNull(0.6), changes())
            .flatAs((keyspace, key, origin, ticket, flags, expected, base, change) ->
                Combinators.combine(Arbitraries.integers().between(1, Integer.MAX_VALUE), positiveLongs())
                    .as((quorum, timeout) -> new ReplicaRequest.Commit(keyspace, key, origin, ticket, (flags & 1) != 0,
                        (flags & 2) != 0, expected, base, change, quorum, timeout))),
        settings().map(ReplicaRequest.Open::new),
        Combinators.combine(names(), Arbitraries.longs().greaterOrEqual(0)).as(ReplicaRequest.Clear::new),
        names().map(ReplicaRequest.Drop::new),
        Combinators.combine(names(), keys(), clocks(1)).as(ReplicaRequest.Purge::new),
        Combinators.combine(names(), keys().injectNull(0.5), Arbitraries.integers().between(1, Integer.MAX_VALUE))
            .as(ReplicaRequest.Scan::new),
        Combinators.combine(names(), names(), Arbitraries.longs().greaterOrEqual(0), scopes(), levels())
            .as((keyspace, origin, exchange, scope, shape) -> new ReplicaRequest.Tree(keyspace, origin, exchange, scope, shape.get(0),
                shape.get(1), shape.subList(2, shape.size()))),
        Combinators.combine(names(), names(), Arbitraries.longs().greaterOrEqual(0), scopes(), levels(), keys().injectNull(0.5))
            .as((keyspace, origin, exchange, scope, shape, afterKey) -> new ReplicaRequest.Keys(keyspace, origin, exchange, scope,
                shape.get(1), shape.subList(2, shape.size()), afterKey)));
  }

  /** Anti-entropy scopes: the whole ring, or the union of a few random ranges. */
  static Arbitrary<TokenRanges> scopes() {
    return Arbitraries.oneOf(Arbitraries.just(TokenRanges.ALL), longs().list().ofMinSize(2).ofMaxSize(12).map(bounds -> {
      List<TokenRange> ranges = new ArrayList<>();
      for (int i = 0; i + 1 < bounds.size(); i += 2) {
        ranges.add(new TokenRange(Math.min(bounds.get(i), bounds.get(i + 1)), Math.max(bounds.get(i), bounds.get(i + 1))));
      }
      return TokenRanges.union(ranges);
    }));
  }

  /** A tree shape: depth, level (<= depth), then 1 to 5 ascending node indexes of that level. */
  static Arbitrary<List<Integer>> levels() {
    return Arbitraries.integers().between(0, 16).flatMap(depth -> Arbitraries.integers().between(0, depth).flatMap(level ->
        Arbitraries.integers().between(0, (1 << level) - 1).set().ofMinSize(1).ofMaxSize(5).map(nodes -> {
          List<Integer> shape = new ArrayList<>(List.of(depth, level));
          nodes.stream().sorted().forEach(shape::add);
          return shape;
        })));
  }

  @Provide
  Arbitrary<ReplicaReply> replies() {
    Arbitrary<ReplicaReply> plain = plainReplies();
    return Arbitraries.frequencyOf(Tuple.of(6, plain),
        Tuple.of(1, plain.list().ofMinSize(1).ofMaxSize(4).map(ReplicaReply.Batched::new)));
  }

  static Arbitrary<ReplicaReply> plainReplies() {
    return Arbitraries.oneOf(
        Arbitraries.just(new ReplicaReply.Ack()),
        records().injectNull(0.3).map(ReplicaReply.Found::new),
        Combinators.combine(records().injectNull(0.3), Arbitraries.integers().between(0, Integer.MAX_VALUE))
            .as(ReplicaReply.Committed::new),
        Combinators.combine(records().injectNull(0.3), Arbitraries.integers().between(0, Integer.MAX_VALUE)).as(ReplicaReply.Conflict::new),
        names().map(ReplicaReply.UnknownKeyspace::new),
        Combinators.combine(Arbitraries.of(ReplicaReply.Refused.Reason.class), texts(200), texts(40), longs(), longs())
            .as(ReplicaReply.Refused::new),
        Combinators.combine(Combinators.combine(keys(), records()).as(ReplicaReply.PageEntry::new).list().ofMaxSize(5),
            Arbitraries.of(true, false)).as(ReplicaReply.Page::new),
        longs().list().ofMaxSize(6).map(ReplicaReply.TreeHashes::new),
        Combinators.combine(Combinators.combine(keys(), longs()).as(ReplicaReply.KeyDigest::new).list().ofMaxSize(5),
            Arbitraries.of(true, false)).as(ReplicaReply.KeyDigests::new));
  }

  // ------------------------------------------------------------------------------------------
  // Round trips

  @Property(tries = 400)
  void requestsRoundTripToTheSameBytes(@ForAll("requests") ReplicaRequest request) {
    byte[] bytes = WireCodec.encode(request);
    ReplicaRequest decoded = WireCodec.decodeRequest(bytes, BOUND);
    assertThat(decoded).isEqualTo(request);
    assertThat(WireCodec.encode(decoded)).isEqualTo(bytes);
  }

  @Property(tries = 400)
  void repliesRoundTripToTheSameBytes(@ForAll("replies") ReplicaReply reply) {
    byte[] bytes = WireCodec.encode(reply);
    ReplicaReply decoded = WireCodec.decodeReply(bytes, BOUND);
    assertThat(decoded).isEqualTo(reply);
    assertThat(WireCodec.encode(decoded)).isEqualTo(bytes);
  }

  @Property(tries = 200)
  void aRecordTravelsAsRecordCodecWritesIt(@ForAll("storedRecords") StoredRecord record) {
    byte[] recordBytes = RecordCodec.encode(record);
    byte[] frame = WireCodec.encode(new ReplicaReply.Found(record));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(new byte[] {0x52, 0x57, 0x01, (byte) 0x82, 0x01});
    writeVarint(expected, recordBytes.length);
    expected.writeBytes(recordBytes);
    assertThat(frame).isEqualTo(expected.toByteArray());
  }

  @Provide
  Arbitrary<StoredRecord> storedRecords() {
    return records();
  }

  // ------------------------------------------------------------------------------------------
  // Refusals of whole frames

  @Property(tries = 60)
  void everyCutOfARequestIsRefusedWithTheTypedError(@ForAll("requests") ReplicaRequest request) {
    byte[] bytes = WireCodec.encode(request);
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> WireCodec.decodeRequest(cut, BOUND))
          .as("request cut to %d of %d bytes", length, bytes.length)
          .isInstanceOf(MalformedMessageException.class)
          .hasMessageContaining("at offset");
    }
  }

  @Property(tries = 60)
  void everyCutOfAReplyIsRefusedWithTheTypedError(@ForAll("replies") ReplicaReply reply) {
    byte[] bytes = WireCodec.encode(reply);
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> WireCodec.decodeReply(cut, BOUND))
          .as("reply cut to %d of %d bytes", length, bytes.length)
          .isInstanceOf(MalformedMessageException.class)
          .hasMessageContaining("at offset");
    }
  }

  @Property(tries = 100)
  void aTrailingByteIsRefused(@ForAll("requests") ReplicaRequest request, @ForAll("replies") ReplicaReply reply) {
    byte[] requestBytes = Arrays.copyOf(WireCodec.encode(request), WireCodec.encode(request).length + 1);
    assertThatThrownBy(() -> WireCodec.decodeRequest(requestBytes, BOUND))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed replica message: 1 bytes after the message (at offset " + (requestBytes.length - 1) + ")");
    byte[] replyBytes = Arrays.copyOf(WireCodec.encode(reply), WireCodec.encode(reply).length + 1);
    assertThatThrownBy(() -> WireCodec.decodeReply(replyBytes, BOUND))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed replica message: 1 bytes after the message (at offset " + (replyBytes.length - 1) + ")");
  }

  @Test
  void theFrameBoundIsCheckedBeforeAnythingIsRead() {
    byte[] read = WireCodec.encode(new ReplicaRequest.Read("ks", Bytes.utf8("k"), false));
    assertThat(WireCodec.decodeRequest(read, read.length)).isEqualTo(new ReplicaRequest.Read("ks", Bytes.utf8("k"), false));
    assertThatThrownBy(() -> WireCodec.decodeRequest(read, read.length - 1))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage("a replica message of 10 bytes exceeds ringstore.bus.maxFrameBytes = 9")
        .satisfies(e -> {
          LimitExceededException limit = (LimitExceededException) e;
          assertThat(limit.setting()).isEqualTo("ringstore.bus.maxFrameBytes");
          assertThat(limit.value()).isEqualTo(10);
          assertThat(limit.limit()).isEqualTo(9);
        });
    byte[] garbage = new byte[100];
    assertThatThrownBy(() -> WireCodec.decodeReply(garbage, 99))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("ringstore.bus.maxFrameBytes");
  }

  @Test
  void aBadMagicVersionOrTypeIsRefusedByName() {
    refusedAsRequest("52 58 01 05 02 6b 73", "bad magic 0x5258; a replica protocol frame starts 0x5257 (\"RW\")", 0);
    refusedAsRequest("52", "input ends before the magic", 1);
    refusedAsRequest("52 57 02 05 02 6b 73", "unknown replica protocol version 2 (this build reads version 1)", 2);
    refusedAsRequest("52 57 00 05 02 6b 73", "unknown replica protocol version 0 (this build reads version 1)", 2);
    refusedAsRequest("52 57 01 0c 02 6b 73", "unknown request type 0x0c", 3);
    refusedAsRequest("52 57 01 81", "unknown request type 0x81", 3);
    refusedAsRequest("52 57 01 00", "unknown request type 0x00", 3);
    refusedAsReply("52 57 01 8b", "unknown reply type 0x8b", 3);
    refusedAsReply("52 57 01 80", "unknown reply type 0x80", 3);
    refusedAsReply("52 57 01 01 02 6b 73 01 6b 00", "unknown reply type 0x01", 3);
  }

  // ------------------------------------------------------------------------------------------
  // Refusals of fields

  @Test
  void overLongCountsAndLengthsFailFastWithoutAllocating() {
    // a Page claiming 2^31 entries, and one claiming 4096 entries in 1 byte
    refusedAsReply("52 57 01 87 80 80 80 80 08", "page entry count = 2147483648 is out of range; need 0 to 4096", 4);
    refusedAsReply("52 57 01 87 80 20 00", "page entry count = 4096 needs at least 12288 bytes; 1 left", 4);
    // a Commit whose expected clock claims 4096 entries
    refusedAsRequest("52 57 01 03 02 6b 73 01 6b 01 6f 05 01 01 80 20",
        "expected clock size = 4096 needs at least 16384 bytes; 0 left", 14);
    // a key of 1 MiB + 1, and a key longer than the frame
    refusedAsRequest("52 57 01 01 02 6b 73 81 80 40", "key length = 1048577 is out of range; need 0 to 1048576", 7);
    refusedAsRequest("52 57 01 01 02 6b 73 05 6b 00", "key of 5 bytes runs past the input (2 bytes left)", 7);
    // a keyspace name of 0 and of 256 bytes
    refusedAsRequest("52 57 01 05 00", "keyspace name length = 0 is out of range; need 1 to 255", 4);
    refusedAsRequest("52 57 01 05 80 02", "keyspace name length = 256 is out of range; need 1 to 255", 4);
    // an Open with 257 engine options
    refusedAsRequest("52 57 01 04 02 6b 73 06 6d 65 6d 6f 72 79 81 02",
        "engine option count = 257 is out of range; need 0 to 256", 14);
  }

  @Test
  void varintsMustBeShortestAndFitIn64Bits() {
    refusedAsRequest("52 57 01 05 82 00 6b 73", "keyspace name length is a varint with a redundant trailing zero byte", 4);
    refusedAsRequest("52 57 01 01 02 6b 73 01 6b 00".replace("01 6b 00", "81 00 6b 00"),
        "key length is a varint with a redundant trailing zero byte", 7);
    refusedAsReply("52 57 01 83 00 ff ff ff ff ff ff ff ff ff 02", "acknowledged is a varint over 64 bits", 5);
    refusedAsReply("52 57 01 83 00 80 80 80 80 80 80 80 80 80 00",
        "acknowledged is a varint with a redundant trailing zero byte", 5);
    refusedAsReply("52 57 01 83 00 80 80 80 80 08", "acknowledged = 2147483648 is out of range; need 0 to 2147483647", 5);
    // the largest value of 64 bits is 10 bytes, the last 01
    ReplicaReply.Refused refused = new ReplicaReply.Refused(ReplicaReply.Refused.Reason.LIMIT, "m", "s", -1, Long.MAX_VALUE);
    byte[] bytes = WireCodec.encode(refused);
    assertThat(HexFormat.ofDelimiter(" ").formatHex(bytes))
        .isEqualTo("52 57 01 86 02 01 6d 01 73 ff ff ff ff ff ff ff ff ff 01 ff ff ff ff ff ff ff ff 7f");
    assertThat(WireCodec.decodeReply(bytes, BOUND)).isEqualTo(refused);
  }

  @Test
  void stringsMustBeWellFormedUtf8() {
    refusedAsRequest("52 57 01 06 02 c3 28", "keyspace name is not valid UTF-8", 5);
    refusedAsRequest("52 57 01 06 02 c0 80", "keyspace name is not valid UTF-8", 5); // over-long NUL
    refusedAsRequest("52 57 01 06 03 ed a0 80", "keyspace name is not valid UTF-8", 5); // an encoded surrogate
    refusedAsRequest("52 57 01 06 01 ff", "keyspace name is not valid UTF-8", 5);
    assertThat(WireCodec.decodeRequest(hex("52 57 01 06 06 63 c3 a9 e7 af 80"), BOUND))
        .isEqualTo(new ReplicaRequest.Drop("cé節"));
    assertThat(WireCodec.decodeRequest(hex("52 57 01 05 01 63 07"), BOUND)).isEqualTo(new ReplicaRequest.Clear("c", 7));
    // a lone surrogate is written as String.getBytes writes it: '?'
    assertThat(WireCodec.decodeRequest(WireCodec.encode(new ReplicaRequest.Drop("a\uD800b")), BOUND))
        .isEqualTo(new ReplicaRequest.Drop("a?b"));
  }

  @Test
  void booleansAndPresenceFlagsAreZeroOrOne() {
    refusedAsRequest("52 57 01 01 02 6b 73 01 6b 02", "withExpired is 2; a boolean is 0 or 1", 9);
    refusedAsRequest("52 57 01 01 02 6b 73 01 6b ff", "withExpired is 255; a boolean is 0 or 1", 9);
    refusedAsRequest("52 57 01 07 02 6b 73 02 01", "presence flag of afterKey is 2; a boolean is 0 or 1", 7);
    refusedAsReply("52 57 01 82 03", "presence flag of record is 3; a boolean is 0 or 1", 4);
    refusedAsReply("52 57 01 87 00 02", "more is 2; a boolean is 0 or 1", 5);
    // a commit's flags byte: bits 0 and 1 only
    refusedAsRequest("52 57 01 03 02 6b 73 01 6b 01 6f 05 04",
        "commit flags are 04; only bits 0 (conditional) and 1 (originWrites) are defined", 12);
    refusedAsRequest("52 57 01 03 02 6b 73 01 6b 01 6f 05 83",
        "commit flags are 83; only bits 0 (conditional) and 1 (originWrites) are defined", 12);
  }

  @Test
  void clocksMustHaveStrictlyAscendingActorsAndPositiveCounters() {
    // Commit ks/k, conditional, expected {b=1, a=1}: unsorted
    String head = "52 57 01 03 02 6b 73 01 6b 01 6f 05 01 01"; // ..., origin "o", ticket 5, conditional, expected:
    String tail = " 00 02 ff ff ff ff ff ff ff ff 7f 00 01 0a"; // no base, DELETE, never, no context, W 1, 10 ms
    assertThat(WireCodec.decodeRequest(hex(head + " 02 01 61 01 00 01 62 01 00" + tail), BOUND))
        .isEqualTo(new ReplicaRequest.Commit("ks", Bytes.utf8("k"), "o", 5, true, false, VectorClock.of(Map.of("a", 1L, "b", 1L)), null,
            new ReplicaRequest.Change(ReplicaRequest.Change.Kind.DELETE, null, StoredRecord.NEVER, null), 1, 10));
    refusedAsRequest(head + " 02 01 62 01 00 01 61 01 00" + tail,
        "expected clock: vector clock entry 1: actor 'a' is not after 'b'; actors must be strictly ascending", 14);
    refusedAsRequest(head + " 02 01 61 01 00 01 61 01 00" + tail,
        "expected clock: vector clock entry 1: actor 'a' is not after 'a'; actors must be strictly ascending", 14);
    refusedAsRequest(head + " 01 01 61 00 00" + tail, "expected clock: vector clock entry 0: counter = 0; need >= 1", 14);
    refusedAsRequest(head + " 01 00 01 00" + tail, "expected clock actor length = 0 is out of range; need 1 to 255", 15);
    // change kind, W and the timeout
    refusedAsRequest(head + " 00" + tail.replace(" 00 02 ff", " 00 05 ff"), "unknown change kind 5; need 1 to 4", 16);
    refusedAsRequest(head + " 00" + tail.replace(" 00 01 0a", " 00 00 0a"), "writeQuorum = 0; need >= 1", 27);
    refusedAsRequest(head + " 00" + tail.replace(" 00 01 0a", " 00 01 00"), "timeoutMillis = 0; need >= 1", 28);
  }

  @Test
  void recordsMustBeRecordCodecsShortestForm() {
    StoredRecord record = StoredRecord.of(VectorClock.of("n1", 1, 0), List.of(new Sibling(new Dot("n1", 1), 7, Bytes.utf8("v"))),
        StoredRecord.NEVER);
    byte[] good = WireCodec.encode(new ReplicaReply.Found(record));
    String recordHex = HexFormat.ofDelimiter(" ").formatHex(RecordCodec.encode(record));
    assertThat(recordHex).isEqualTo("01 00 01 02 6e 31 01 00 01 00 01 00 00 00 00 00 00 00 07 02 76");
    assertThat(HexFormat.ofDelimiter(" ").formatHex(good)).isEqualTo("52 57 01 82 01 15 " + recordHex);
    // the clock counter 1 as 81 00: a valid record for RecordCodec, but not the only encoding
    refusedAsReply("52 57 01 82 01 16 01 00 01 02 6e 31 81 00 00 01 00 01 00 00 00 00 00 00 00 07 02 76",
        "record is not in its shortest form (a varint with redundant bytes)", 6);
    // a sibling whose dot the clock does not cover: RecordCodec's refusal, at the offset in the frame
    refusedAsReply("52 57 01 82 01 15 01 00 01 02 6e 31 01 00 01 00 02 00 00 00 00 00 00 00 07 02 76",
        "record: malformed record: sibling dot n1:2 is not covered by the record's clock {n1=1}", 6 + 21);
    refusedAsReply("52 57 01 82 01 15 02 00 01 02 6e 31 01 00 01 00 01 00 00 00 00 00 00 00 07 02 76",
        "record: malformed record: unknown record format version 2; this reader knows 1", 7);
    refusedAsReply("52 57 01 82 01 00", "record length = 0 is out of range; need 1 to 2147483647", 5);
  }

  @Test
  void openCarriesTheSettingsAndRefusesSettingsThatDoNotHold() {
    KeyspaceSettings settings = new KeyspaceSettings("users", "memory", Map.of("b", "2", "a", "1"), 1000, 1 << 20,
        EvictionPolicy.LRU, 3, 2, 2, Duration.ofMillis(1500), Duration.ofNanos(2_000_001), 4, 8, (k, r, c) -> { });
    ReplicaRequest.Open decoded = (ReplicaRequest.Open) WireCodec.decodeRequest(WireCodec.encode(new ReplicaRequest.Open(settings)),
        BOUND);
    // the removal listener stays home; a duration is whole millis, rounded up
    assertThat(decoded.settings()).isEqualTo(new KeyspaceSettings("users", "memory", Map.of("a", "1", "b", "2"), 1000, 1 << 20,
        EvictionPolicy.LRU, 3, 2, 2, Duration.ofMillis(1500), Duration.ofMillis(3), 4, 8, RemovalListener.NONE));

    String name = "02 6b 73 06 6d 65 6d 6f 72 79"; // ks, memory
    String rest = " 0a 0a 03 4c 52 55 03 02 02 0a 0a 04 08"; // 10, 10, LRU, N 3, W 2, R 2, 10 ms, 10 ms, 4, 8
    assertThat(WireCodec.decodeRequest(hex("52 57 01 04 " + name + " 01 01 61 01 31" + rest), BOUND))
        .isEqualTo(new ReplicaRequest.Open(new KeyspaceSettings("ks", "memory", Map.of("a", "1"), 10, 10, EvictionPolicy.LRU,
            3, 2, 2, Duration.ofMillis(10), Duration.ofMillis(10), 4, 8, RemovalListener.NONE)));
    refusedAsRequest("52 57 01 04 " + name + " 02 01 62 00 01 61 00" + rest,
        "engine option 'a' is not after 'b'; names must be strictly ascending", 18);
    refusedAsRequest("52 57 01 04 " + name + " 00" + rest.replace("03 4c 52 55", "03 4c 52 56"),
        "unknown eviction policy 'LRV'", 17);
    refusedAsRequest("52 57 01 04 " + name + " 00" + rest.replace("03 02 02 0a", "03 04 02 0a"),
        "keyspace settings: cache 'ks': writeQuorum W = 4 exceeds replicationFactor N = 3; need 1 <= W <= N", 4);
    refusedAsRequest("52 57 01 04 " + name + " 00" + rest.replace("0a 0a 04 08", "00 0a 04 08"),
        "keyspace settings: cache 'ks': readTimeout = PT0S is out of range; need > 0", 4);
  }

  @Test
  void refusalsCarryTheirReasonAndBounds() {
    for (ReplicaReply.Refused.Reason reason : ReplicaReply.Refused.Reason.values()) {
      ReplicaReply.Refused refused = new ReplicaReply.Refused(reason, "too few", "writeQuorum", 1, 2);
      byte[] bytes = WireCodec.encode(refused);
      assertThat(bytes[4]).isEqualTo((byte) (reason.ordinal() + 1));
      assertThat(WireCodec.decodeReply(bytes, BOUND)).isEqualTo(refused);
    }
    refusedAsReply("52 57 01 86 00 00 00 00 00", "unknown refusal reason 0; need 1 to 5", 4);
    refusedAsReply("52 57 01 86 06 00 00 00 00", "unknown refusal reason 6; need 1 to 5", 4);
  }

  @Test
  void theEncoderRefusesWhatNoDecoderWouldAccept() {
    assertThatThrownBy(() -> WireCodec.encode(new ReplicaRequest.Clear("", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyspace name '' is 0 UTF-8 bytes; need 1 to 255");
    assertThatThrownBy(() -> WireCodec.encode(new ReplicaRequest.Clear("é".repeat(128), 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is 256 UTF-8 bytes; need 1 to 255");
    assertThatThrownBy(() -> WireCodec.encode(new ReplicaRequest.Read("ks", Bytes.of(new byte[WireCodec.MAX_KEY_BYTES + 1]), false)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage("a key of 1048577 bytes exceeds WireCodec.MAX_KEY_BYTES = 1048576");
    StoredRecord record = StoredRecord.of(VectorClock.of("n1", 1, 0), List.of(new Sibling(new Dot("n1", 1), 7, null)),
        StoredRecord.NEVER);
    List<ReplicaReply.PageEntry> entries = new ArrayList<>();
    for (int i = 0; i <= WireCodec.MAX_PAGE_ENTRIES; i++) {
      entries.add(new ReplicaReply.PageEntry(Bytes.EMPTY, record));
    }
    assertThatThrownBy(() -> WireCodec.encode(new ReplicaReply.Page(entries, false)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage("a page of 4097 entries exceeds WireCodec.MAX_PAGE_ENTRIES = 4096");
    assertThatThrownBy(() -> WireCodec.encode(new ReplicaReply.Committed(null, -1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("acknowledged = -1; need >= 0 on the wire");
    // the largest page and key do go
    byte[] page = WireCodec.encode(new ReplicaReply.Page(entries.subList(0, WireCodec.MAX_PAGE_ENTRIES), true));
    assertThat(((ReplicaReply.Page) WireCodec.decodeReply(page, BOUND)).entries()).hasSize(WireCodec.MAX_PAGE_ENTRIES);
    ReplicaRequest.Read big = new ReplicaRequest.Read("ks", Bytes.of(new byte[WireCodec.MAX_KEY_BYTES]), true);
    assertThat(WireCodec.decodeRequest(WireCodec.encode(big), BOUND)).isEqualTo(big);
  }

  // ------------------------------------------------------------------------------------------
  // Anti-entropy messages: every list bounded, every index checked

  private static final String TREE_HEAD = "52 57 01 09 02 6b 73 02 6e 31 07"; // Tree, keyspace "ks", origin "n1", exchange 7
  private static final String WHOLE_RING = "01 80 00 00 00 00 00 00 00 7f ff ff ff ff ff ff ff"; // scope: 1 range, all tokens

  @Test
  void antiEntropyListsPastTheirBoundsAreRefusedByTheEncoderAndTheDecoder() {
    List<Integer> tooMany = new ArrayList<>();
    for (int i = 0; i <= WireCodec.MAX_TREE_NODES; i++) {
      tooMany.add(i);
    }
    assertThatThrownBy(() -> WireCodec.encode(new ReplicaRequest.Tree("ks", "n1", 1, TokenRanges.ALL, 16, 16, tooMany)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage("4097 tree nodes exceed WireCodec.MAX_TREE_NODES = 4096");
    assertThatThrownBy(() -> WireCodec.encode(new ReplicaRequest.Keys("ks", "n1", 1, TokenRanges.ALL, 16, tooMany, null)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage("4097 leaves exceed WireCodec.MAX_TREE_NODES = 4096");
    List<TokenRange> ranges = new ArrayList<>();
    for (int i = 0; i <= WireCodec.MAX_SCOPE_RANGES; i++) {
      ranges.add(new TokenRange(2L * i, 2L * i));
    }
    assertThatThrownBy(() -> WireCodec.encode(new ReplicaRequest.Tree("ks", "n1", 1, new TokenRanges(ranges), 0, 0, List.of(0))))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage("4097 scope ranges exceed WireCodec.MAX_SCOPE_RANGES = 4096");
    List<Long> hashes = new ArrayList<>();
    List<ReplicaReply.KeyDigest> digests = new ArrayList<>();
    for (int i = 0; i <= WireCodec.MAX_KEY_DIGESTS; i++) {
      hashes.add((long) i);
      digests.add(new ReplicaReply.KeyDigest(Bytes.EMPTY, i));
    }
    assertThatThrownBy(() -> WireCodec.encode(new ReplicaReply.TreeHashes(hashes)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage("4097 tree hashes exceed WireCodec.MAX_TREE_NODES = 4096");
    assertThatThrownBy(() -> WireCodec.encode(new ReplicaReply.KeyDigests(digests, false)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage("4097 key digests exceed WireCodec.MAX_KEY_DIGESTS = 4096");
    // at the bound, they travel
    List<Integer> atBound = tooMany.subList(0, WireCodec.MAX_TREE_NODES);
    ReplicaRequest.Tree full = new ReplicaRequest.Tree("ks", "n1", 1, TokenRanges.ALL, 12, 12, atBound);
    assertThat(WireCodec.decodeRequest(WireCodec.encode(full), BOUND)).isEqualTo(full);

    // a decoder refuses counts past the bounds before it reads the items
    refusedAsRequest(TREE_HEAD + " 10 81 20", "scope range count = 4097 is out of range; need 1 to 4096", 12);
    refusedAsRequest(TREE_HEAD + " 10 00", "scope range count = 0 is out of range; need 1 to 4096", 12);
    refusedAsRequest(TREE_HEAD + " 10 " + WHOLE_RING + " 10 81 20", "tree node count = 4097 is out of range; need 1 to 4096",
        30);
    refusedAsReply("52 57 01 89 81 20", "tree hash count = 4097 is out of range; need 0 to 4096", 4);
    refusedAsReply("52 57 01 8a 81 20", "key digest count = 4097 is out of range; need 0 to 4096", 4);
    refusedAsReply("52 57 01 89 02 00 00 00 00 00 00 00 01", "tree hash count = 2 needs at least 16 bytes; 8 left", 4);
  }

  @Test
  void antiEntropyShapesAreChecked() {
    // depth 16, level 16, node 1: fine; the same with depth 17, level past depth, node past its level, nodes out of order
    String ok = TREE_HEAD + " 10 " + WHOLE_RING + " 10 01 01";
    assertThat(WireCodec.decodeRequest(hex(ok), BOUND)).isInstanceOf(ReplicaRequest.Tree.class);
    refusedAsRequest(TREE_HEAD + " 11 " + WHOLE_RING + " 10 01 01", "tree depth = 17 is out of range; need 0 <= depth <= 16", 11);
    refusedAsRequest(TREE_HEAD + " 03 " + WHOLE_RING + " 04 01 01", "tree level = 4 is out of range; need 0 <= level <= depth = 3",
        29);
    refusedAsRequest(TREE_HEAD + " 03 " + WHOLE_RING + " 02 01 04", "tree node 4 is out of range; need < 2^2 = 4", 31);
    refusedAsRequest(TREE_HEAD + " 03 " + WHOLE_RING + " 02 02 02 01",
        "tree node 1 is not after 2; indexes must be strictly ascending", 32);
    refusedAsRequest(TREE_HEAD + " 03 02 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 09"
            + " 00 00 00 00 00 00 00 0a 00 00 00 00 00 00 00 0b 00 01 00",
        "token range [10, 11] does not start after [5, 9] with a gap; ranges must be ascending, disjoint and not adjacent", 29);
    refusedAsRequest(TREE_HEAD + " 03 01 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 04 00 01 00",
        "token range first = 5 is after last = 4; need first <= last", 13);
    refusedAsRequest("52 57 01 09 02 6b 73 02 6e 31 ff ff ff ff ff ff ff ff ff 01 00 " + WHOLE_RING + " 00 01 00",
        "exchange = 18446744073709551615 is out of range; need 0 to 9223372036854775807", 10);
    assertThatThrownBy(() -> new ReplicaRequest.Keys("ks", "n1", 1, TokenRanges.NONE, 4, List.of(0), null))
        .hasMessage("an anti-entropy scope needs at least one token range");
    assertThatThrownBy(() -> new ReplicaRequest.Keys("ks", "n1", 1, TokenRanges.ALL, 4, List.of(), null))
        .hasMessage("a request for tree hashes or keys needs at least one leaf");
    assertThatThrownBy(() -> new ReplicaRequest.Tree("ks", "n1", 1, TokenRanges.ALL, 4, 5, List.of(0)))
        .hasMessage("tree level = 5 is out of range; need 0 <= level <= depth = 4");
  }

  // ------------------------------------------------------------------------------------------

  private static void refusedAsRequest(String hexFrame, String problem, int offset) {
    refused(hexFrame, problem, offset, frame -> WireCodec.decodeRequest(frame, BOUND));
  }

  private static void refusedAsReply(String hexFrame, String problem, int offset) {
    refused(hexFrame, problem, offset, frame -> WireCodec.decodeReply(frame, BOUND));
  }

  private static void refused(String hexFrame, String problem, int offset, Consumer<byte[]> decoder) {
    byte[] frame = hex(hexFrame);
    assertThatThrownBy(() -> decoder.accept(frame))
        .as("decoding %s", hexFrame)
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("malformed replica message: " + problem + " (at offset " + offset + ")")
        .satisfies(e -> assertThat(((MalformedMessageException) e).offset()).isEqualTo(offset));
  }

  static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
