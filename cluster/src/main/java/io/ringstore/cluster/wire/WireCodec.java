package io.ringstore.cluster.wire;

import static java.util.Objects.requireNonNull;

import io.ringstore.cluster.node.KeyspaceSettings;
import io.ringstore.cluster.repair.MerkleTree;
import io.ringstore.cluster.repair.TokenRange;
import io.ringstore.cluster.repair.TokenRanges;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.LimitExceededException;
import io.ringstore.spi.MalformedRecordException;
import io.ringstore.spi.RecordCodec;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The binary form of the replica protocol's messages ({@link ReplicaRequest}, {@link ReplicaReply}),
 * documented byte by byte in {@code docs/formats/wire.md}:
 *
 * <pre>
 * frame  = magic "RW" (52 57)  version:u8 (1)  type:u8  body
 * types  = requests 01 Read, 02 Merge, 03 Commit, 04 Open, 05 Clear, 06 Drop, 07 Scan, 08 Batch, 09 Tree,
 *          0a Keys, 0b Purge;
 *          replies  81 Ack, 82 Found, 83 Committed, 84 Conflict, 85 UnknownKeyspace, 86 Refused, 87 Page,
 *          88 Batched, 89 TreeHashes, 8a KeyDigests
 * batch  = count:varint (1..MAX_BATCH)  (length:varint  frame)*   (each frame a whole message, header
 *          included, not itself a batch)
 * str    = length:varint  UTF-8      key = length:varint (<= 1 MiB)  bytes
 * record = length:varint  RecordCodec bytes          opt(x) = 00 | 01 x       bool = 00 | 01
 * clock  = count:varint (<= 4096)  (actor:str (1..255)  counter:varint (>= 1)  stampMillis:varint)*
 * scope  = count:varint (1..MAX_SCOPE_RANGES)  (first:i64  last:i64)*   (ascending, disjoint, not adjacent)
 * nodes  = count:varint (1..MAX_TREE_NODES)  index:varint*             (strictly ascending, < 2^level)
 * </pre>
 * Varints are unsigned LEB128 of up to 64 bits (at most 10 bytes) in their shortest form. Every
 * value has exactly one encoding: a decoder refuses a longer varint, a record whose
 * {@link RecordCodec} bytes are not the shortest, unsorted engine options and bytes after the
 * message, so a decoded message encodes back to the very bytes it came from.
 *
 * <p>Encoding computes the frame's size first (running the writer in a counting mode) and then
 * writes into one array of exactly that size: no stream, no growing, no trimming copy. Records are
 * written here in {@link RecordCodec}'s format rather than through {@link RecordCodec#encode}, so
 * that their bytes go straight into the frame. Decoding reads the frame in place and copies each
 * key and value once, into the {@link Bytes} it becomes.
 *
 * <p>A decoder checks the frame against its bound before reading it and each count and length
 * against the bytes left before allocating anything. Anything that breaks a rule is a
 * {@link MalformedMessageException} naming the offset; nothing else escapes a decoder but the
 * bound's {@link LimitExceededException}.
 *
 * <p>Thread-safety: stateless.
 */
public final class WireCodec {

  /** The format version this codec writes and reads. */
  public static final int VERSION = 1;
  /** The longest key, in bytes. */
  public static final int MAX_KEY_BYTES = 1 << 20;
  /** The longest keyspace name, in UTF-8 bytes (and the shortest is 1). */
  public static final int MAX_KEYSPACE_NAME_BYTES = 255;
  /** The longest name (engine, engine option, eviction policy, setting), in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 255;
  /** The longest free text (an engine option's value, a refusal's message), in UTF-8 bytes. */
  public static final int MAX_TEXT_BYTES = 65_535;
  /** The most engine options an {@code Open} carries. */
  public static final int MAX_ENGINE_OPTIONS = 256;
  /** The most entries of one {@code Page}. */
  public static final int MAX_PAGE_ENTRIES = 4096;
  /** The most requests of one {@code Batch} (and replies of one {@code Batched}). */
  public static final int MAX_BATCH = 512;
  /** The most bytes a batch's frame takes before its elements (header and count). */
  public static final int BATCH_HEADER_BYTES = 4 + 2;
  /** The most token ranges of an anti-entropy scope ({@code Tree}, {@code Keys}). */
  public static final int MAX_SCOPE_RANGES = 4096;
  /** The most tree nodes (or leaves) one {@code Tree} or {@code Keys} asks for, and hashes one {@code TreeHashes} holds. */
  public static final int MAX_TREE_NODES = 4096;
  /** The most entries of one {@code KeyDigests}. */
  public static final int MAX_KEY_DIGESTS = 4096;
  /** The setting that bounds a frame (the event bus's). */
  public static final String MAX_FRAME_BYTES_SETTING = "ringstore.bus.maxFrameBytes";

  private static final int MAGIC_0 = 0x52;
  private static final int MAGIC_1 = 0x57;
  private static final int HEADER_BYTES = 4;

  private static final int READ = 0x01;
  private static final int MERGE = 0x02;
  private static final int COMMIT = 0x03;
  private static final int OPEN = 0x04;
  private static final int CLEAR = 0x05;
  private static final int DROP = 0x06;
  private static final int SCAN = 0x07;
  private static final int TREE = 0x09;
  private static final int KEYS = 0x0a;
  private static final int PURGE = 0x0b;
  private static final int TREE_HASHES = 0x89;
  private static final int KEY_DIGESTS = 0x8a;
  private static final int ACK = 0x81;
  private static final int FOUND = 0x82;
  private static final int COMMITTED = 0x83;
  private static final int CONFLICT = 0x84;
  private static final int UNKNOWN_KEYSPACE = 0x85;
  private static final int REFUSED = 0x86;
  private static final int PAGE = 0x87;
  private static final int BATCH = 0x08;
  private static final int BATCHED = 0x88;
  /** The shortest element of a batch: a length byte and a frame's header. */
  private static final int MIN_BATCH_ELEMENT_BYTES = 1 + HEADER_BYTES;
  /** Commit flag bit: the primary checks {@code expected}. */
  private static final int COMMIT_CONDITIONAL = 0x01;
  /** Commit flag bit: the origin writes the committed version to its own replica. */
  private static final int COMMIT_ORIGIN_WRITES = 0x02;

  private static final EvictionPolicy[] POLICIES = EvictionPolicy.values();
  private static final ReplicaReply.Refused.Reason[] REASONS = ReplicaReply.Refused.Reason.values();
  private static final ReplicaRequest.Change.Kind[] KINDS = ReplicaRequest.Change.Kind.values();

  private WireCodec() {}

  // ---------------------------------------------------------------------------------------------
  // Encoding

  /**
   * The frame of {@code request}.
   *
   * @throws IllegalArgumentException if a string is outside its bound (a keyspace name of 0 or
   *     more than 255 bytes, ...) or an int field is negative
   * @throws LimitExceededException if a key is longer than {@link #MAX_KEY_BYTES}
   */
  public static byte[] encode(ReplicaRequest request) {
    requireNonNull(request, "request");
    Writer counter = new Writer(null);
    writeRequest(counter, request);
    Writer out = new Writer(new byte[counter.position]);
    writeRequest(out, request);
    return out.finish();
  }

  /**
   * The frame of {@code reply}.
   *
   * @throws IllegalArgumentException if a string is outside its bound or an int field is negative
   * @throws LimitExceededException if a key is longer than {@link #MAX_KEY_BYTES} or a page holds
   *     more than {@link #MAX_PAGE_ENTRIES} entries
   */
  public static byte[] encode(ReplicaReply reply) {
    requireNonNull(reply, "reply");
    Writer counter = new Writer(null);
    writeReply(counter, reply);
    Writer out = new Writer(new byte[counter.position]);
    writeReply(out, reply);
    return out.finish();
  }

  /**
   * The frame of a {@link ReplicaRequest.Batch} of the requests whose frames are {@code frames}
   * (each as {@link #encode(ReplicaRequest)} wrote it): the very bytes {@code encode} writes for
   * the batch, without encoding the requests again.
   *
   * @throws IllegalArgumentException if there is no frame, a frame is not a request frame of this
   *     format's header, or is itself a batch
   * @throws LimitExceededException if there are more than {@link #MAX_BATCH} frames
   */
  public static byte[] encodeBatch(List<byte[]> frames) {
    return batchFrame(BATCH, frames);
  }

  /** As {@link #encodeBatch}, for a {@link ReplicaReply.Batched} of reply frames. */
  public static byte[] encodeBatched(List<byte[]> frames) {
    return batchFrame(BATCHED, frames);
  }

  /** The bytes a frame of {@code frameBytes} takes inside a batch (its length, then itself). */
  public static int batchElementBytes(int frameBytes) {
    return varlongSize(frameBytes) + frameBytes;
  }

  private static byte[] batchFrame(int type, List<byte[]> frames) {
    checkBatchSize(frames.size(), type == BATCH ? "batch" : "batched reply");
    long size = HEADER_BYTES + varlongSize(frames.size());
    for (byte[] frame : frames) {
      if (frame.length < HEADER_BYTES || frame[0] != MAGIC_0 || frame[1] != MAGIC_1 || frame[2] != VERSION
          || (frame[3] & 0x80) != (type & 0x80)) {
        throw new IllegalArgumentException("a " + (type == BATCH ? "batch" : "batched reply") + " element is not a "
            + (type == BATCH ? "request" : "reply") + " frame of version " + VERSION);
      }
      if ((frame[3] & 0xFF) == type) {
        throw new IllegalArgumentException("a " + (type == BATCH ? "batch may not hold a batch" : "batched reply may not "
            + "hold a batched reply"));
      }
      size += batchElementBytes(frame.length);
    }
    Writer out = new Writer(new byte[checkedSize(size)]);
    out.header(type);
    out.varlong(frames.size());
    for (byte[] frame : frames) {
      out.varlong(frame.length);
      out.raw(frame);
    }
    return out.finish();
  }

  private static void checkCount(String what, int count, String bound, int max) {
    if (count > max) {
      throw new LimitExceededException(count + " " + what + " exceed " + bound + " = " + max, bound, count, max);
    }
  }

  private static void checkBatchSize(int count, String what) {
    if (count > MAX_BATCH) {
      throw new LimitExceededException("a " + what + " of " + count + " messages exceeds WireCodec.MAX_BATCH = " + MAX_BATCH,
          "WireCodec.MAX_BATCH", count, MAX_BATCH);
    }
    if (count < 1) {
      throw new IllegalArgumentException("a " + what + " needs at least one message");
    }
  }

  private static void writeRequest(Writer out, ReplicaRequest request) {
    if (request instanceof ReplicaRequest.Batch batch) {
      List<ReplicaRequest> requests = batch.requests();
      checkBatchSize(requests.size(), "batch");
      out.header(BATCH);
      out.varlong(requests.size());
      for (ReplicaRequest element : requests) {
        Writer counter = new Writer(null);
        writeRequest(counter, element);
        out.varlong(counter.position);
        writeRequest(out, element);
      }
    } else if (request instanceof ReplicaRequest.Read read) {
      out.header(READ);
      out.keyspace(read.keyspace());
      out.key(read.key());
      out.bool(read.withExpired());
    } else if (request instanceof ReplicaRequest.Merge merge) {
      out.header(MERGE);
      out.keyspace(merge.keyspace());
      out.key(merge.key());
      out.record(merge.record());
    } else if (request instanceof ReplicaRequest.Commit commit) {
      out.header(COMMIT);
      out.keyspace(commit.keyspace());
      out.key(commit.key());
      out.str("origin", commit.origin(), 1, MAX_NAME_BYTES);
      out.varlong(commit.ticket());
      out.u8((commit.conditional() ? COMMIT_CONDITIONAL : 0) | (commit.originWrites() ? COMMIT_ORIGIN_WRITES : 0));
      VectorClock expected = commit.expected();
      out.bool(expected != null);
      if (expected != null) {
        out.clock(expected);
      }
      StoredRecord base = commit.base();
      out.bool(base != null);
      if (base != null) {
        out.record(base);
      }
      ReplicaRequest.Change change = commit.change();
      out.u8(change.kind().ordinal() + 1);
      Bytes value = change.value();
      if (value != null) {
        out.lengthAndBytes(value);
      }
      out.varlong(change.expiresAtMillis());
      VectorClock context = change.context();
      out.bool(context != null);
      if (context != null) {
        out.clock(context);
      }
      out.nonNegative("writeQuorum", commit.writeQuorum());
      out.varlong(commit.timeoutMillis());
    } else if (request instanceof ReplicaRequest.Open open) {
      out.header(OPEN);
      out.settings(open.settings());
    } else if (request instanceof ReplicaRequest.Clear clear) {
      out.header(CLEAR);
      out.keyspace(clear.keyspace());
      out.varlong(clear.timestamp());
    } else if (request instanceof ReplicaRequest.Drop drop) {
      out.header(DROP);
      out.keyspace(drop.keyspace());
    } else if (request instanceof ReplicaRequest.Tree tree) {
      out.header(TREE);
      out.exchange(tree.keyspace(), tree.origin(), tree.exchange(), tree.depth(), tree.scope());
      out.u8(tree.level());
      out.indexes("tree nodes", tree.nodes());
    } else if (request instanceof ReplicaRequest.Purge purge) {
      out.header(PURGE);
      out.keyspace(purge.keyspace());
      out.key(purge.key());
      out.clock(purge.clock());
    } else if (request instanceof ReplicaRequest.Keys keys) {
      out.header(KEYS);
      out.exchange(keys.keyspace(), keys.origin(), keys.exchange(), keys.depth(), keys.scope());
      out.indexes("leaves", keys.leaves());
      Bytes afterKey = keys.afterKey();
      out.bool(afterKey != null);
      if (afterKey != null) {
        out.key(afterKey);
      }
    } else {
      ReplicaRequest.Scan scan = (ReplicaRequest.Scan) request;
      out.header(SCAN);
      out.keyspace(scan.keyspace());
      Bytes afterKey = scan.afterKey();
      out.bool(afterKey != null);
      if (afterKey != null) {
        out.key(afterKey);
      }
      out.nonNegative("maxEntries", scan.maxEntries());
    }
  }

  private static void writeReply(Writer out, ReplicaReply reply) {
    if (reply instanceof ReplicaReply.Batched batched) {
      List<ReplicaReply> replies = batched.replies();
      checkBatchSize(replies.size(), "batched reply");
      out.header(BATCHED);
      out.varlong(replies.size());
      for (ReplicaReply element : replies) {
        Writer counter = new Writer(null);
        writeReply(counter, element);
        out.varlong(counter.position);
        writeReply(out, element);
      }
    } else if (reply instanceof ReplicaReply.Ack) {
      out.header(ACK);
    } else if (reply instanceof ReplicaReply.Found found) {
      out.header(FOUND);
      out.optionalRecord(found.record());
    } else if (reply instanceof ReplicaReply.Committed committed) {
      out.header(COMMITTED);
      out.optionalRecord(committed.record());
      out.nonNegative("acknowledged", committed.acknowledged());
    } else if (reply instanceof ReplicaReply.Conflict conflict) {
      out.header(CONFLICT);
      out.optionalRecord(conflict.current());
      out.nonNegative("place", conflict.place());
    } else if (reply instanceof ReplicaReply.UnknownKeyspace unknown) {
      out.header(UNKNOWN_KEYSPACE);
      out.keyspace(unknown.keyspace());
    } else if (reply instanceof ReplicaReply.Refused refused) {
      out.header(REFUSED);
      out.u8(refused.reason().ordinal() + 1);
      out.str("refusal message", refused.message(), 0, MAX_TEXT_BYTES);
      out.str("refusal setting", refused.setting(), 0, MAX_NAME_BYTES);
      out.varlong(refused.value());
      out.varlong(refused.bound());
    } else if (reply instanceof ReplicaReply.TreeHashes hashes) {
      out.header(TREE_HASHES);
      checkCount("tree hashes", hashes.hashes().size(), "WireCodec.MAX_TREE_NODES", MAX_TREE_NODES);
      out.varlong(hashes.hashes().size());
      for (long hash : hashes.hashes()) {
        out.i64(hash);
      }
    } else if (reply instanceof ReplicaReply.KeyDigests digests) {
      out.header(KEY_DIGESTS);
      checkCount("key digests", digests.entries().size(), "WireCodec.MAX_KEY_DIGESTS", MAX_KEY_DIGESTS);
      out.varlong(digests.entries().size());
      for (ReplicaReply.KeyDigest entry : digests.entries()) {
        out.key(entry.key());
        out.i64(entry.digest());
      }
      out.bool(digests.more());
    } else {
      ReplicaReply.Page page = (ReplicaReply.Page) reply;
      out.header(PAGE);
      List<ReplicaReply.PageEntry> entries = page.entries();
      if (entries.size() > MAX_PAGE_ENTRIES) {
        throw new LimitExceededException("a page of " + entries.size() + " entries exceeds WireCodec.MAX_PAGE_ENTRIES = "
            + MAX_PAGE_ENTRIES, "WireCodec.MAX_PAGE_ENTRIES", entries.size(), MAX_PAGE_ENTRIES);
      }
      out.varlong(entries.size());
      for (ReplicaReply.PageEntry entry : entries) {
        out.key(entry.key());
        out.record(entry.record());
      }
      out.bool(page.more());
    }
  }

  /**
   * The number of bytes UTF-8 takes for {@code text}, as {@link String#getBytes} writes it (a lone
   * surrogate becomes {@code '?'}).
   */
  private static int utf8Length(String text) {
    int n = text.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        bytes += 1;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 2; // 4 bytes for 2 chars
        i++;
      } else if (Character.isSurrogate(c)) {
        continue; // '?'
      } else {
        bytes += 2;
      }
    }
    return bytes;
  }

  /** The bytes a varint of {@code value} takes (1 to 10). */
  private static int varlongSize(long value) {
    return 1 + (63 - Long.numberOfLeadingZeros(value | 1)) / 7;
  }

  /** The size of the RecordCodec form of {@code record}. */
  private static int recordSize(StoredRecord record) {
    long size = 2;
    if (record.hasExpiry()) {
      size += varlongSize(record.expiresAtMillis());
    }
    VectorClock clock = record.clock();
    size += clockSize(clock);
    List<Sibling> siblings = record.siblings();
    size += varlongSize(siblings.size());
    for (Sibling sibling : siblings) {
      size += varlongSize(actorIndex(clock, sibling.dot().actor())) + varlongSize(sibling.dot().counter()) + 8;
      Bytes value = sibling.value();
      size += value == null ? 1 : varlongSize(value.length() + 1L) + value.length();
    }
    return checkedSize(size);
  }

  private static long clockSize(VectorClock clock) {
    long size = varlongSize(clock.size());
    for (int i = 0; i < clock.size(); i++) {
      int actorBytes = utf8Length(clock.actor(i));
      size += varlongSize(actorBytes) + actorBytes + varlongSize(clock.counterAt(i)) + varlongSize(clock.stampMillisAt(i));
    }
    return size;
  }

  private static int checkedSize(long size) {
    if (size > Integer.MAX_VALUE - 16) {
      throw new LimitExceededException("a replica message of " + size + " bytes exceeds the largest array", "frame bytes",
          size, Integer.MAX_VALUE - 16);
    }
    return (int) size;
  }

  private static int actorIndex(VectorClock clock, String actor) {
    for (int i = 0; i < clock.size(); i++) {
      if (clock.actor(i).equals(actor)) {
        return i;
      }
    }
    throw new IllegalStateException("a sibling's actor '" + actor + "' is not in the record's clock " + clock);
  }

  /** Milliseconds of a positive duration, rounded up (so it stays positive), at most Long.MAX_VALUE. */
  private static long durationMillis(Duration duration) {
    long millis;
    try {
      millis = duration.toMillis();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
    if (!duration.isNegative() && duration.getNano() % 1_000_000 != 0 && millis != Long.MAX_VALUE) {
      millis++;
    }
    return millis;
  }

  /**
   * Writes a frame into an array of its exact size, or (with no array) only counts its bytes: the
   * same code sizes and writes a message, so the two cannot disagree. Checks of the values run
   * while counting, before anything is allocated.
   */
  private static final class Writer {
    private final byte @Nullable [] buffer;
    private int position;

    Writer(byte @Nullable [] buffer) {
      this.buffer = buffer;
    }

    byte[] finish() {
      byte[] b = requireNonNull(buffer);
      if (position != b.length) {
        throw new IllegalStateException("wrote " + position + " bytes of a frame sized " + b.length);
      }
      return b;
    }

    void header(int type) {
      u8(MAGIC_0);
      u8(MAGIC_1);
      u8(VERSION);
      u8(type);
    }

    void u8(int value) {
      byte[] b = buffer;
      if (b != null) {
        b[position] = (byte) value;
      }
      position++;
    }

    void bool(boolean value) {
      u8(value ? 1 : 0);
    }

    void varlong(long value) {
      byte[] b = buffer;
      if (b == null) {
        position += varlongSize(value);
        return;
      }
      long v = value;
      while ((v & ~0x7FL) != 0) {
        b[position++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      b[position++] = (byte) v;
    }

    void nonNegative(String what, int value) {
      if (value < 0) {
        throw new IllegalArgumentException(what + " = " + value + "; need >= 0 on the wire");
      }
      varlong(value);
    }

    void i64(long value) {
      byte[] b = buffer;
      if (b != null) {
        for (int shift = 56; shift >= 0; shift -= 8) {
          b[position++] = (byte) (value >>> shift);
        }
      } else {
        position += 8;
      }
    }

    void raw(byte[] bytes) {
      byte[] b = buffer;
      if (b != null) {
        System.arraycopy(bytes, 0, b, position, bytes.length);
      }
      position += bytes.length;
    }

    void lengthAndBytes(Bytes bytes) {
      int n = bytes.length();
      varlong(n);
      byte[] b = buffer;
      if (b != null) {
        System.arraycopy(bytes.unsafeArray(), 0, b, position, n);
      }
      position += n;
    }

    void key(Bytes key) {
      if (key.length() > MAX_KEY_BYTES) {
        throw new LimitExceededException("a key of " + key.length() + " bytes exceeds WireCodec.MAX_KEY_BYTES = "
            + MAX_KEY_BYTES, "WireCodec.MAX_KEY_BYTES", key.length(), MAX_KEY_BYTES);
      }
      lengthAndBytes(key);
    }

    void keyspace(String name) {
      str("keyspace name", name, 1, MAX_KEYSPACE_NAME_BYTES);
    }

    void str(String what, String text, int minBytes, int maxBytes) {
      int n = utf8Length(text);
      if (n < minBytes || n > maxBytes) {
        throw new IllegalArgumentException(what + " '" + abbreviate(text) + "' is " + n + " UTF-8 bytes; need "
            + minBytes + " to " + maxBytes);
      }
      varlong(n);
      byte[] b = buffer;
      if (b == null) {
        position += n;
        return;
      }
      int p = position;
      int length = text.length();
      for (int i = 0; i < length; i++) {
        char c = text.charAt(i);
        if (c < 0x80) {
          b[p++] = (byte) c;
        } else if (c < 0x800) {
          b[p++] = (byte) (0xC0 | (c >> 6));
          b[p++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, text.charAt(++i));
          b[p++] = (byte) (0xF0 | (cp >> 18));
          b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          b[p++] = (byte) (0x80 | (cp & 0x3F));
        } else if (Character.isSurrogate(c)) {
          b[p++] = '?';
        } else {
          b[p++] = (byte) (0xE0 | (c >> 12));
          b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          b[p++] = (byte) (0x80 | (c & 0x3F));
        }
      }
      position = p;
    }

    void clock(VectorClock clock) {
      if (clock.size() > RecordCodec.MAX_CLOCK_ENTRIES) {
        throw new LimitExceededException("a vector clock of " + clock.size() + " entries exceeds RecordCodec.MAX_CLOCK_ENTRIES = "
            + RecordCodec.MAX_CLOCK_ENTRIES, "RecordCodec.MAX_CLOCK_ENTRIES", clock.size(), RecordCodec.MAX_CLOCK_ENTRIES);
      }
      varlong(clock.size());
      for (int i = 0; i < clock.size(); i++) {
        str("vector clock actor", clock.actor(i), 1, RecordCodec.MAX_ACTOR_BYTES);
        varlong(clock.counterAt(i));
        varlong(clock.stampMillisAt(i));
      }
    }

    /** The fields that open a {@code Tree} and a {@code Keys}: the exchange, the tree's depth and scope. */
    void exchange(String keyspace, String origin, long exchange, int depth, TokenRanges scope) {
      keyspace(keyspace);
      str("origin", origin, 1, MAX_NAME_BYTES);
      varlong(exchange);
      u8(depth);
      List<TokenRange> ranges = scope.ranges();
      checkCount("scope ranges", ranges.size(), "WireCodec.MAX_SCOPE_RANGES", MAX_SCOPE_RANGES);
      varlong(ranges.size());
      for (TokenRange range : ranges) {
        i64(range.first());
        i64(range.last());
      }
    }

    void indexes(String what, List<Integer> indexes) {
      checkCount(what, indexes.size(), "WireCodec.MAX_TREE_NODES", MAX_TREE_NODES);
      varlong(indexes.size());
      for (int index : indexes) {
        varlong(index);
      }
    }

    void optionalRecord(@Nullable StoredRecord record) {
      bool(record != null);
      if (record != null) {
        record(record);
      }
    }

    /** A record as its length and then its RecordCodec bytes, written in place. */
    void record(StoredRecord record) {
      int size = recordSize(record);
      varlong(size);
      if (buffer == null) {
        position += size;
        return;
      }
      int start = position;
      u8(RecordCodec.VERSION);
      boolean expires = record.hasExpiry();
      u8(expires ? 1 : 0);
      if (expires) {
        varlong(record.expiresAtMillis());
      }
      VectorClock clock = record.clock();
      clock(clock);
      List<Sibling> siblings = record.siblings();
      varlong(siblings.size());
      for (Sibling sibling : siblings) {
        varlong(actorIndex(clock, sibling.dot().actor()));
        varlong(sibling.dot().counter());
        i64(sibling.timestamp());
        Bytes value = sibling.value();
        if (value == null) {
          varlong(0);
        } else {
          varlong(value.length() + 1L);
          System.arraycopy(value.unsafeArray(), 0, buffer, position, value.length());
          position += value.length();
        }
      }
      if (position - start != size) {
        throw new IllegalStateException("wrote " + (position - start) + " bytes of a record sized " + size);
      }
    }

    void settings(KeyspaceSettings settings) {
      keyspace(settings.name());
      str("storage engine", settings.storageEngine(), 1, MAX_NAME_BYTES);
      Map<String, String> options = settings.engineOptions();
      if (options.size() > MAX_ENGINE_OPTIONS) {
        throw new LimitExceededException("cache '" + settings.name() + "': " + options.size()
            + " engine options exceed WireCodec.MAX_ENGINE_OPTIONS = " + MAX_ENGINE_OPTIONS, "WireCodec.MAX_ENGINE_OPTIONS",
            options.size(), MAX_ENGINE_OPTIONS);
      }
      varlong(options.size());
      String[] names = options.keySet().toArray(new String[0]);
      Arrays.sort(names);
      for (String name : names) {
        str("engine option name", name, 1, MAX_NAME_BYTES);
        str("engine option value", options.get(name), 0, MAX_TEXT_BYTES);
      }
      varlong(settings.maxEntries());
      varlong(settings.maxBytes());
      str("eviction policy", settings.evictionPolicy().name(), 1, MAX_NAME_BYTES);
      varlong(settings.replicationFactor());
      varlong(settings.writeQuorum());
      varlong(settings.readQuorum());
      varlong(durationMillis(settings.readTimeout()));
      varlong(durationMillis(settings.writeTimeout()));
      varlong(settings.maxSiblings());
      varlong(settings.maxClockEntries());
    }

    private static String abbreviate(String text) {
      return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Decoding

  /**
   * The request in {@code frame}.
   *
   * @throws LimitExceededException if the frame is longer than {@code maxFrameBytes} (nothing of
   *     it is read)
   * @throws MalformedMessageException if the frame is not exactly one request of this format
   */
  public static ReplicaRequest decodeRequest(byte[] frame, int maxFrameBytes) {
    return readRequest(open(frame, maxFrameBytes), true);
  }

  /** The request after {@code in}'s header, to its end; a batch only if {@code batchAllowed}. */
  private static ReplicaRequest readRequest(Reader in, boolean batchAllowed) {
    int typeAt = in.position;
    int type = in.u8("type");
    ReplicaRequest request;
    switch (type) {
      case BATCH -> {
        if (!batchAllowed) {
          throw in.error("a batch inside a batch", typeAt);
        }
        int count = in.count("batch count", 1, MAX_BATCH, MIN_BATCH_ELEMENT_BYTES);
        List<ReplicaRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          requests.add(readRequest(in.element("batched request"), false));
        }
        request = new ReplicaRequest.Batch(requests);
      }
      case READ -> request = new ReplicaRequest.Read(in.keyspace(), in.key("key"), in.bool("withExpired"));
      case MERGE -> request = new ReplicaRequest.Merge(in.keyspace(), in.key("key"), in.record("record"));
      case COMMIT -> request = in.commit();
      case OPEN -> request = new ReplicaRequest.Open(in.settings());
      case CLEAR -> {
        String keyspace = in.keyspace();
        int timestampAt = in.position;
        long timestamp = in.varlong("clear timestamp");
        if (timestamp < 0) {
          throw in.error("clear timestamp = " + timestamp + "; need >= 0", timestampAt);
        }
        request = new ReplicaRequest.Clear(keyspace, timestamp);
      }
      case DROP -> request = new ReplicaRequest.Drop(in.keyspace());
      case TREE -> request = in.tree();
      case KEYS -> request = in.keys();
      case PURGE -> request = new ReplicaRequest.Purge(in.keyspace(), in.key("key"), in.clock("clock"));
      case SCAN -> {
        String keyspace = in.keyspace();
        Bytes afterKey = in.present("afterKey") ? in.key("afterKey") : null;
        int maxEntriesAt = in.position;
        int maxEntries = in.intField("maxEntries");
        if (maxEntries < 1) {
          throw in.error("maxEntries = " + maxEntries + "; need >= 1", maxEntriesAt);
        }
        request = new ReplicaRequest.Scan(keyspace, afterKey, maxEntries);
      }
      default -> throw in.error("unknown request type 0x" + hex(type), typeAt);
    }
    in.expectEnd();
    return request;
  }

  /**
   * The reply in {@code frame}.
   *
   * @throws LimitExceededException if the frame is longer than {@code maxFrameBytes} (nothing of
   *     it is read)
   * @throws MalformedMessageException if the frame is not exactly one reply of this format
   */
  public static ReplicaReply decodeReply(byte[] frame, int maxFrameBytes) {
    return readReply(open(frame, maxFrameBytes), true);
  }

  /** The reply after {@code in}'s header, to its end; a batched one only if {@code batchAllowed}. */
  private static ReplicaReply readReply(Reader in, boolean batchAllowed) {
    int typeAt = in.position;
    int type = in.u8("type");
    ReplicaReply reply;
    switch (type) {
      case BATCHED -> {
        if (!batchAllowed) {
          throw in.error("a batched reply inside a batched reply", typeAt);
        }
        int count = in.count("batched reply count", 1, MAX_BATCH, MIN_BATCH_ELEMENT_BYTES);
        List<ReplicaReply> replies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          replies.add(readReply(in.element("batched reply"), false));
        }
        reply = new ReplicaReply.Batched(replies);
      }
      case ACK -> reply = new ReplicaReply.Ack();
      case FOUND -> reply = new ReplicaReply.Found(in.optionalRecord("record"));
      case COMMITTED -> reply = new ReplicaReply.Committed(in.optionalRecord("record"), in.intField("acknowledged"));
      case CONFLICT -> {
        StoredRecord current = in.optionalRecord("current");
        int placeAt = in.position;
        int place = in.intField("place");
        if (place < 0) {
          throw in.error("place = " + place + "; need >= 0", placeAt);
        }
        reply = new ReplicaReply.Conflict(current, place);
      }
      case UNKNOWN_KEYSPACE -> reply = new ReplicaReply.UnknownKeyspace(in.keyspace());
      case REFUSED -> {
        int reasonAt = in.position;
        int reason = in.u8("refusal reason");
        if (reason < 1 || reason > REASONS.length) {
          throw in.error("unknown refusal reason " + reason + "; need 1 to " + REASONS.length, reasonAt);
        }
        reply = new ReplicaReply.Refused(REASONS[reason - 1], in.str("refusal message", 0, MAX_TEXT_BYTES),
            in.str("refusal setting", 0, MAX_NAME_BYTES), in.varlong("refusal value"), in.varlong("refusal bound"));
      }
      case TREE_HASHES -> {
        int count = in.count("tree hash count", 0, MAX_TREE_NODES, 8);
        List<Long> hashes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          hashes.add(in.i64("tree hash"));
        }
        reply = new ReplicaReply.TreeHashes(hashes);
      }
      case KEY_DIGESTS -> {
        int count = in.count("key digest count", 0, MAX_KEY_DIGESTS, 9);
        List<ReplicaReply.KeyDigest> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          entries.add(new ReplicaReply.KeyDigest(in.key("digest key"), in.i64("version digest")));
        }
        reply = new ReplicaReply.KeyDigests(entries, in.bool("more"));
      }
      case PAGE -> {
        int count = in.count("page entry count", 0, MAX_PAGE_ENTRIES, 3);
        List<ReplicaReply.PageEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          entries.add(new ReplicaReply.PageEntry(in.key("page key"), in.record("page record")));
        }
        reply = new ReplicaReply.Page(entries, in.bool("more"));
      }
      default -> throw in.error("unknown reply type 0x" + hex(type), typeAt);
    }
    in.expectEnd();
    return reply;
  }

  private static Reader open(byte[] frame, int maxFrameBytes) {
    requireNonNull(frame, "frame");
    if (frame.length > maxFrameBytes) {
      throw new LimitExceededException("a replica message of " + frame.length + " bytes exceeds " + MAX_FRAME_BYTES_SETTING
          + " = " + maxFrameBytes, MAX_FRAME_BYTES_SETTING, frame.length, maxFrameBytes);
    }
    Reader in = new Reader(frame, 0, frame.length);
    in.header();
    return in;
  }

  private static String hex(int b) {
    return (b < 0x10 ? "0" : "") + Integer.toHexString(b);
  }

  /** A bounds-checked cursor over a frame; every problem becomes a MalformedMessageException. */
  private static final class Reader {
    private final byte[] bytes;
    private final int limit;
    private int position;

    /** A reader of {@code bytes[start, limit)}; offsets in errors stay those of the whole frame. */
    Reader(byte[] bytes, int start, int limit) {
      this.bytes = bytes;
      this.position = start;
      this.limit = limit;
    }

    /** Reads and checks a frame's magic and version. */
    void header() {
      int start = position;
      int magic = u8("magic") << 8;
      magic |= u8("magic");
      if (magic != (MAGIC_0 << 8 | MAGIC_1)) {
        throw error("bad magic 0x" + hex(magic >> 8) + hex(magic & 0xFF) + "; a replica protocol frame starts 0x5257 (\"RW\")",
            start);
      }
      int version = u8("version");
      if (version != VERSION) {
        throw error("unknown replica protocol version " + version + " (this build reads version " + VERSION + ")", start + 2);
      }
    }

    /**
     * A batch's element: its length, then a whole frame, read by the reader returned (header
     * already checked); this reader moves past it.
     */
    Reader element(String what) {
      int n = length(what, HEADER_BYTES, Integer.MAX_VALUE);
      Reader element = new Reader(bytes, position, position + n);
      position += n;
      element.header();
      return element;
    }

    MalformedMessageException error(String message, int at) {
      return new MalformedMessageException("malformed replica message: " + message, at);
    }

    int remaining() {
      return limit - position;
    }

    void expectEnd() {
      if (position != limit) {
        throw error(remaining() + " bytes after the message", position);
      }
    }

    int u8(String what) {
      if (position >= limit) {
        throw error("input ends before the " + what, position);
      }
      return bytes[position++] & 0xFF;
    }

    boolean bool(String what) {
      int at = position;
      int b = u8(what);
      if (b > 1) {
        throw error(what + " is " + b + "; a boolean is 0 or 1", at);
      }
      return b == 1;
    }

    /** A presence flag: whether an optional field follows. */
    boolean present(String what) {
      return bool("presence flag of " + what);
    }

    /** A varint of up to 64 bits in its shortest form. */
    long varlong(String what) {
      int at = position;
      long result = 0;
      for (int shift = 0; ; shift += 7) {
        int b = u8(what);
        if (shift == 63) {
          if ((b & 0xFE) != 0) {
            throw error(what + " is a varint over 64 bits", at);
          }
        }
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          if (b == 0 && shift > 0) {
            throw error(what + " is a varint with a redundant trailing zero byte", at);
          }
          return result;
        }
      }
    }

    /** A varint in {@code [0, Integer.MAX_VALUE]}. */
    int intField(String what) {
      int at = position;
      long value = varlong(what);
      if (value < 0 || value > Integer.MAX_VALUE) {
        throw error(what + " = " + Long.toUnsignedString(value) + " is out of range; need 0 to " + Integer.MAX_VALUE, at);
      }
      return (int) value;
    }

    /** A count of items of at least {@code minBytesEach} bytes each: checked before anything is allocated. */
    int count(String what, int min, int max, int minBytesEach) {
      int at = position;
      long value = varlong(what);
      if (value < min || value > max) {
        throw error(what + " = " + Long.toUnsignedString(value) + " is out of range; need " + min + " to " + max, at);
      }
      if (value * minBytesEach > remaining()) {
        throw error(what + " = " + value + " needs at least " + value * minBytesEach + " bytes; " + remaining() + " left", at);
      }
      return (int) value;
    }

    /** A length in {@code [min, max]} that fits in what is left. */
    int length(String what, int min, int max) {
      int at = position;
      long value = varlong(what + " length");
      if (value < min || value > max) {
        throw error(what + " length = " + Long.toUnsignedString(value) + " is out of range; need " + min + " to " + max, at);
      }
      if (value > remaining()) {
        throw error(what + " of " + value + " bytes runs past the input (" + remaining() + " bytes left)", at);
      }
      return (int) value;
    }

    String keyspace() {
      return str("keyspace name", 1, MAX_KEYSPACE_NAME_BYTES);
    }

    String str(String what, int min, int max) {
      int n = length(what, min, max);
      int start = position;
      position += n;
      byte[] b = bytes;
      boolean ascii = true;
      for (int i = start; i < start + n; i++) {
        if (b[i] < 0) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        return new String(b, start, n, StandardCharsets.ISO_8859_1);
      }
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, start, n)).toString();
      } catch (CharacterCodingException e) {
        throw error(what + " is not valid UTF-8", start);
      }
    }

    /** Length-prefixed bytes, copied once into the Bytes they become. */
    Bytes bytes(String what, int max) {
      int n = length(what, 0, max);
      int start = position;
      position += n;
      return n == 0 ? Bytes.EMPTY : Bytes.of(Arrays.copyOfRange(bytes, start, start + n));
    }

    Bytes key(String what) {
      return bytes(what, MAX_KEY_BYTES);
    }

    VectorClock clock(String what) {
      int at = position;
      int n = count(what + " size", 0, RecordCodec.MAX_CLOCK_ENTRIES, 4);
      String[] actors = new String[n];
      long[] counters = new long[n];
      long[] stamps = new long[n];
      for (int i = 0; i < n; i++) {
        actors[i] = str(what + " actor", 1, RecordCodec.MAX_ACTOR_BYTES);
        counters[i] = varlong(what + " counter");
        stamps[i] = varlong(what + " stamp");
      }
      try {
        return VectorClock.ofEntries(actors, counters, stamps);
      } catch (IllegalArgumentException e) {
        throw error(what + ": " + e.getMessage(), at);
      }
    }

    @Nullable StoredRecord optionalRecord(String what) {
      return present(what) ? record(what) : null;
    }

    /** A record: its length, then exactly that many bytes of RecordCodec's shortest form. */
    StoredRecord record(String what) {
      int n = length(what, 1, Integer.MAX_VALUE);
      int start = position;
      StoredRecord record;
      try {
        record = RecordCodec.decode(bytes, start, n);
      } catch (MalformedRecordException e) {
        String message = e.getMessage();
        int suffix = message == null ? -1 : message.lastIndexOf(" (at offset ");
        throw new MalformedMessageException("malformed replica message: " + what + ": "
            + (suffix < 0 ? message : message.substring(0, suffix)), start + e.offset(), e);
      }
      if (recordSize(record) != n) {
        throw error(what + " is not in its shortest form (a varint with redundant bytes)", start);
      }
      position += n;
      return record;
    }

    long i64(String what) {
      if (remaining() < 8) {
        throw error("input ends before the " + what + " (8 bytes, " + remaining() + " left)", position);
      }
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = value << 8 | (bytes[position++] & 0xFF);
      }
      return value;
    }

    ReplicaRequest.Tree tree() {
      int at = position;
      String keyspace = keyspace();
      String origin = str("origin", 1, MAX_NAME_BYTES);
      long exchange = exchangeNumber();
      int depth = depth();
      TokenRanges scope = scope();
      int levelAt = position;
      int level = u8("tree level");
      if (level > depth) {
        throw error("tree level = " + level + " is out of range; need 0 <= level <= depth = " + depth, levelAt);
      }
      List<Integer> nodes = indexes("tree node", level);
      try {
        return new ReplicaRequest.Tree(keyspace, origin, exchange, scope, depth, level, nodes);
      } catch (IllegalArgumentException e) {
        throw error(e.getMessage(), at);
      }
    }

    ReplicaRequest.Keys keys() {
      int at = position;
      String keyspace = keyspace();
      String origin = str("origin", 1, MAX_NAME_BYTES);
      long exchange = exchangeNumber();
      int depth = depth();
      TokenRanges scope = scope();
      List<Integer> leaves = indexes("leaf", depth);
      Bytes afterKey = present("afterKey") ? key("afterKey") : null;
      try {
        return new ReplicaRequest.Keys(keyspace, origin, exchange, scope, depth, leaves, afterKey);
      } catch (IllegalArgumentException e) {
        throw error(e.getMessage(), at);
      }
    }

    private long exchangeNumber() {
      int at = position;
      long exchange = varlong("exchange");
      if (exchange < 0) {
        throw error("exchange = " + Long.toUnsignedString(exchange) + " is out of range; need 0 to " + Long.MAX_VALUE, at);
      }
      return exchange;
    }

    private int depth() {
      int at = position;
      int depth = u8("tree depth");
      if (depth > MerkleTree.MAX_DEPTH) {
        throw error("tree depth = " + depth + " is out of range; need 0 <= depth <= " + MerkleTree.MAX_DEPTH, at);
      }
      return depth;
    }

    private TokenRanges scope() {
      int n = count("scope range count", 1, MAX_SCOPE_RANGES, 16);
      List<TokenRange> ranges = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int rangeAt = position;
        long first = i64("range first token");
        long last = i64("range last token");
        if (first > last) {
          throw error("token range first = " + first + " is after last = " + last + "; need first <= last", rangeAt);
        }
        if (i > 0) {
          TokenRange before = ranges.get(i - 1);
          if (before.last() == Long.MAX_VALUE || first <= before.last() + 1) {
            throw error("token range [" + first + ", " + last + "] does not start after " + before
                + " with a gap; ranges must be ascending, disjoint and not adjacent", rangeAt);
          }
        }
        ranges.add(new TokenRange(first, last));
      }
      return new TokenRanges(ranges);
    }

    private List<Integer> indexes(String what, int level) {
      int n = count(what + " count", 1, MAX_TREE_NODES, 1);
      List<Integer> indexes = new ArrayList<>(n);
      int previous = -1;
      for (int i = 0; i < n; i++) {
        int indexAt = position;
        int index = intField(what);
        if (index <= previous) {
          throw error(what + " " + index + " is not after " + previous + "; indexes must be strictly ascending", indexAt);
        }
        if (index >= 1 << level) {
          throw error(what + " " + index + " is out of range; need < 2^" + level + " = " + (1 << level), indexAt);
        }
        indexes.add(index);
        previous = index;
      }
      return indexes;
    }

    ReplicaRequest.Commit commit() {
      int at = position;
      String keyspace = keyspace();
      Bytes key = key("key");
      String origin = str("origin", 1, MAX_NAME_BYTES);
      int ticketAt = position;
      long ticket = varlong("ticket");
      if (ticket < 0) {
        throw error("ticket = " + ticket + "; need >= 0", ticketAt);
      }
      int flagsAt = position;
      int flags = u8("commit flags");
      if ((flags & ~(COMMIT_CONDITIONAL | COMMIT_ORIGIN_WRITES)) != 0) {
        throw error(String.format("commit flags are %02x; only bits 0 (conditional) and 1 (originWrites) are defined", flags),
            flagsAt);
      }
      VectorClock expected = present("expected") ? clock("expected clock") : null;
      StoredRecord base = optionalRecord("base");
      int kindAt = position;
      int kind = u8("change kind");
      if (kind < 1 || kind > KINDS.length) {
        throw error("unknown change kind " + kind + "; need 1 to " + KINDS.length, kindAt);
      }
      ReplicaRequest.Change.Kind changeKind = KINDS[kind - 1];
      Bytes value = changeKind == ReplicaRequest.Change.Kind.WRITE ? bytes("change value", Integer.MAX_VALUE) : null;
      long expiresAtMillis = varlong("change expiresAtMillis");
      VectorClock context = present("context") ? clock("context clock") : null;
      int quorumAt = position;
      int writeQuorum = intField("writeQuorum");
      int timeoutAt = position;
      long timeoutMillis = varlong("timeoutMillis");
      if (writeQuorum < 1) {
        throw error("writeQuorum = " + writeQuorum + "; need >= 1", quorumAt);
      }
      if (timeoutMillis < 1) {
        throw error("timeoutMillis = " + timeoutMillis + "; need >= 1", timeoutAt);
      }
      try {
        return new ReplicaRequest.Commit(keyspace, key, origin, ticket, (flags & COMMIT_CONDITIONAL) != 0,
            (flags & COMMIT_ORIGIN_WRITES) != 0, expected, base,
            new ReplicaRequest.Change(changeKind, value, expiresAtMillis, context), writeQuorum, timeoutMillis);
      } catch (IllegalArgumentException e) {
        throw error(e.getMessage(), at);
      }
    }

    KeyspaceSettings settings() {
      int at = position;
      String name = keyspace();
      String engine = str("storage engine", 1, MAX_NAME_BYTES);
      int optionCount = count("engine option count", 0, MAX_ENGINE_OPTIONS, 3);
      Map<String, String> options = new HashMap<>(optionCount * 2);
      String previous = null;
      for (int i = 0; i < optionCount; i++) {
        int nameAt = position;
        String option = str("engine option name", 1, MAX_NAME_BYTES);
        if (previous != null && previous.compareTo(option) >= 0) {
          throw error("engine option '" + option + "' is not after '" + previous + "'; names must be strictly ascending",
              nameAt);
        }
        options.put(option, str("engine option value", 0, MAX_TEXT_BYTES));
        previous = option;
      }
      long maxEntries = varlong("maxEntries");
      long maxBytes = varlong("maxBytes");
      int policyAt = position;
      String policyName = str("eviction policy", 1, MAX_NAME_BYTES);
      EvictionPolicy policy = null;
      for (EvictionPolicy p : POLICIES) {
        if (p.name().equals(policyName)) {
          policy = p;
        }
      }
      if (policy == null) {
        throw error("unknown eviction policy '" + policyName + "'", policyAt);
      }
      int replicationFactor = intField("replicationFactor");
      int writeQuorum = intField("writeQuorum");
      int readQuorum = intField("readQuorum");
      long readTimeoutMillis = varlong("readTimeout");
      long writeTimeoutMillis = varlong("writeTimeout");
      int maxSiblings = intField("maxSiblings");
      int maxClockEntries = intField("maxClockEntries");
      try {
        return new KeyspaceSettings(name, engine, options, maxEntries, maxBytes, policy, replicationFactor, writeQuorum,
            readQuorum, Duration.ofMillis(readTimeoutMillis), Duration.ofMillis(writeTimeoutMillis), maxSiblings,
            maxClockEntries, RemovalListener.NONE);
      } catch (IllegalArgumentException e) {
        throw error("keyspace settings: " + e.getMessage(), at);
      }
    }
  }
}
