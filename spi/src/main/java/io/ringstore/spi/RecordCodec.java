package io.ringstore.spi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary form of a {@link StoredRecord}: what a persistent engine keeps as a key's value (in
 * its log and its tables) and what replicas send each other. Keys are not part of it. Documented
 * byte by byte in {@code docs/formats/record.md}:
 *
 * <pre>
 * record   = version:u8 (1)  flags:u8  [expiresAtMillis:varlong if flags bit 0]
 *            clockSize:varint  clockEntry*  siblingCount:varint  sibling*
 * clockEntry = actorLength:varint (1..255)  actor:UTF-8  counter:varlong (>= 1)  stampMillis:varlong
 * sibling  = actorIndex:varint (into the clock)  counter:varlong  timestamp:i64 big-endian
 *            valueLengthPlusOne:varint (0: a tombstone)  value bytes
 * </pre>
 * Varints are unsigned LEB128 (7 bits a byte, least significant first, at most 5 bytes for an int
 * and 10 for a long). Actors are strictly ascending; every sibling's dot is covered by the clock and
 * no dot appears twice. A decoder checks all of it and that the input ends exactly where the record
 * does; anything else is a {@link MalformedRecordException} naming the offset. The form has no
 * checksum of its own: the log and table blocks that hold records carry one.
 *
 * <p>Thread-safety: stateless.
 */
public final class RecordCodec {

  /** The format version this codec writes and reads. */
  public static final int VERSION = 1;
  /** The most clock entries a decoder accepts. */
  public static final int MAX_CLOCK_ENTRIES = 4096;
  /** The most siblings a decoder accepts. */
  public static final int MAX_SIBLINGS = 4096;
  /** The longest actor (node id), in UTF-8 bytes. */
  public static final int MAX_ACTOR_BYTES = 255;

  private static final int FLAG_EXPIRES = 1;

  private RecordCodec() {}

  /** The bytes of {@code record}. */
  public static byte[] encode(StoredRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + record.siblings().size() * 32);
    out.write(VERSION);
    boolean expires = record.hasExpiry();
    out.write(expires ? FLAG_EXPIRES : 0);
    if (expires) {
      writeVarlong(out, record.expiresAtMillis());
    }
    VectorClock clock = record.clock();
    writeVarlong(out, clock.size());
    for (int i = 0; i < clock.size(); i++) {
      byte[] actor = clock.actor(i).getBytes(StandardCharsets.UTF_8);
      writeVarlong(out, actor.length);
      out.write(actor, 0, actor.length);
      writeVarlong(out, clock.counterAt(i));
      writeVarlong(out, clock.stampMillisAt(i));
    }
    List<Sibling> siblings = record.siblings();
    writeVarlong(out, siblings.size());
    for (Sibling sibling : siblings) {
      writeVarlong(out, actorIndex(clock, sibling.dot().actor()));
      writeVarlong(out, sibling.dot().counter());
      long t = sibling.timestamp();
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (t >>> shift));
      }
      Bytes value = sibling.value();
      if (value == null) {
        writeVarlong(out, 0);
      } else {
        writeVarlong(out, value.length() + 1L);
        out.write(value.unsafeArray(), 0, value.length());
      }
    }
    return out.toByteArray();
  }

  /**
   * The record in {@code bytes[offset, offset + length)}; value bytes are copied.
   *
   * @throws MalformedRecordException if those bytes are not exactly one record of this format
   */
  public static StoredRecord decode(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset > bytes.length - length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " of " + bytes.length + " bytes");
    }
    Reader in = new Reader(bytes, offset, offset + length);
    int version = in.u8("version");
    if (version != VERSION) {
      throw in.error("unknown record format version " + version + "; this reader knows " + VERSION);
    }
    int flags = in.u8("flags");
    if ((flags & ~FLAG_EXPIRES) != 0) {
      throw in.error("unknown flag bits 0x" + Integer.toHexString(flags & ~FLAG_EXPIRES));
    }
    long expiresAtMillis = StoredRecord.NEVER;
    if ((flags & FLAG_EXPIRES) != 0) {
      expiresAtMillis = in.varlong("expiresAtMillis");
      if (expiresAtMillis == StoredRecord.NEVER) {
        throw in.error("expiresAtMillis is the 'never' marker although the expiry flag is set");
      }
    }
    int clockSize = in.count("clock size", MAX_CLOCK_ENTRIES, 0);
    String[] actors = new String[clockSize];
    long[] counters = new long[clockSize];
    long[] stamps = new long[clockSize];
    for (int i = 0; i < clockSize; i++) {
      int actorLength = in.count("actor length", MAX_ACTOR_BYTES, 1);
      actors[i] = in.utf8(actorLength);
      counters[i] = in.varlong("clock counter");
      stamps[i] = in.varlong("clock stamp");
    }
    VectorClock clock;
    try {
      clock = VectorClock.ofEntries(actors, counters, stamps);
    } catch (IllegalArgumentException e) {
      throw in.error(e.getMessage());
    }
    int siblingCount = in.count("sibling count", MAX_SIBLINGS, 1);
    List<Sibling> siblings = new ArrayList<>(siblingCount);
    for (int i = 0; i < siblingCount; i++) {
      int actorIndex = in.count("sibling actor index", clockSize - 1, 0);
      long counter = in.varlong("sibling counter");
      if (counter < 1) {
        throw in.error("sibling counter = " + counter + "; need >= 1");
      }
      long timestamp = in.i64("sibling timestamp");
      long valueLengthPlusOne = in.varlong("value length");
      Bytes value = null;
      if (valueLengthPlusOne != 0) {
        value = Bytes.of(in.take(valueLengthPlusOne - 1, "value"));
      }
      siblings.add(new Sibling(new Dot(actors[actorIndex], counter), timestamp, value));
    }
    if (in.position != in.end) {
      throw in.error((in.end - in.position) + " bytes after the record");
    }
    try {
      return StoredRecord.of(clock, siblings, expiresAtMillis);
    } catch (IllegalArgumentException e) {
      throw in.error(e.getMessage());
    }
  }

  /** {@link #decode(byte[], int, int)} of the whole array. */
  public static StoredRecord decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  private static int actorIndex(VectorClock clock, String actor) {
    for (int i = 0; i < clock.size(); i++) {
      if (clock.actor(i).equals(actor)) {
        return i;
      }
    }
    throw new IllegalStateException("a sibling's actor '" + actor + "' is not in the record's clock " + clock);
  }

  private static void writeVarlong(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** A bounds-checked cursor over the input; every problem becomes a MalformedRecordException. */
  private static final class Reader {
    private final byte[] bytes;
    private final int start;
    private final int end;
    private int position;

    Reader(byte[] bytes, int start, int end) {
      this.bytes = bytes;
      this.start = start;
      this.end = end;
      this.position = start;
    }

    MalformedRecordException error(String message) {
      return new MalformedRecordException("malformed record: " + message, position - start);
    }

    int u8(String what) {
      if (position >= end) {
        throw error("input ends before the " + what);
      }
      return bytes[position++] & 0xFF;
    }

    long varlong(String what) {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = u8(what);
        if (shift == 63 && (b & 0x7E) != 0) {
          throw error(what + " does not fit in 64 bits");
        }
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw error(what + " is a varint longer than 10 bytes");
    }

    int count(String what, int max, int min) {
      long value = varlong(what);
      if (value < min || value > max) {
        throw error(what + " = " + Long.toUnsignedString(value) + " is out of range; need " + min + " to " + max);
      }
      return (int) value;
    }

    long i64(String what) {
      if (end - position < 8) {
        throw error("input ends inside the " + what);
      }
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (bytes[position++] & 0xFF);
      }
      return v;
    }

    byte[] take(long length, String what) {
      if (length < 0 || length > end - position) {
        throw error(what + " of " + Long.toUnsignedString(length) + " bytes runs past the input (" + (end - position)
            + " bytes left)");
      }
      byte[] out = Arrays.copyOfRange(bytes, position, position + (int) length);
      position += (int) length;
      return out;
    }

    String utf8(int length) {
      byte[] raw = take(length, "actor");
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
      } catch (CharacterCodingException e) {
        throw error("an actor is not valid UTF-8");
      }
    }
  }
}
