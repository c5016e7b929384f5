package io.ringstore.provider;

import static java.util.Objects.requireNonNull;

import io.ringstore.spi.VectorClock;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What a reader had seen of a key: the opaque causal context that
 * {@link RingstoreCache#getVersionsWithContext} returns and
 * {@link RingstoreCache#put(Object, Object, CausalContext)} takes back, so that the write replaces
 * exactly the versions the reader saw and keeps any written concurrently as siblings (as Riak
 * clients pass a vector clock back). It wraps the key's vector clock; applications hold it, send
 * it and compare it, but need not look inside.
 *
 * <p>Binary form ({@link #toBytes}, {@link #fromBytes}), for applications that keep a context
 * between requests (in a web form, a session, another store). It is the clock section of the
 * record format ({@code docs/formats/record.md}) behind a version byte:
 *
 * <pre>
 * context    = version:u8 (1)  entryCount:varint (0..4096)  clockEntry*
 * clockEntry = actorLength:varint (1..255)  actor:UTF-8  counter:varlong (&gt;= 1)  stampMillis:varlong
 * </pre>
 * Varints are unsigned LEB128 (7 bits a byte, least significant first, at most 10 bytes); actors
 * are strictly ascending. A decoder checks all of it and that the input ends where the context
 * does. The form has no checksum and no authentication: a context from an untrusted party can at
 * worst make a write keep or replace other siblings than it should, never corrupt a record.
 *
 * <p>Invariants: the clock obeys {@link VectorClock}'s rules (unique, sorted actors, counters
 * {@code >= 1}). Equal contexts have equal clocks (actors and counters; the entries' wall-clock
 * stamps, which only guide pruning, do not take part in equality).
 * <p>Thread-safety: immutable.
 */
public final class CausalContext {

  /** The context of a key that holds nothing: a write with it replaces nothing. */
  public static final CausalContext EMPTY = new CausalContext(VectorClock.EMPTY);

  /** The format version {@link #toBytes} writes and {@link #fromBytes} reads. */
  static final int VERSION = 1;
  /** The most clock entries {@link #fromBytes} accepts. */
  static final int MAX_ENTRIES = 4096;
  /** The longest actor (node id) {@link #fromBytes} accepts, in UTF-8 bytes. */
  static final int MAX_ACTOR_BYTES = 255;

  private final VectorClock clock;

  private CausalContext(VectorClock clock) {
    this.clock = clock;
  }

  /** The context of a record whose clock is {@code clock}. */
  static CausalContext of(VectorClock clock) {
    requireNonNull(clock, "clock");
    return clock.size() == 0 ? EMPTY : new CausalContext(clock);
  }

  /** The clock this context wraps. */
  VectorClock clock() {
    return clock;
  }

  /** The binary form (see the class comment); {@code fromBytes(toBytes())} equals this context. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2 + clock.size() * 24);
    out.write(VERSION);
    writeVarlong(out, clock.size());
    for (int i = 0; i < clock.size(); i++) {
      byte[] actor = clock.actor(i).getBytes(StandardCharsets.UTF_8);
      writeVarlong(out, actor.length);
      out.write(actor, 0, actor.length);
      writeVarlong(out, clock.counterAt(i));
      writeVarlong(out, clock.stampMillisAt(i));
    }
    return out.toByteArray();
  }

  /**
   * The context whose binary form is {@code bytes}.
   *
   * @throws NullPointerException if {@code bytes} is null
   * @throws IllegalArgumentException if {@code bytes} is not exactly one context of this format;
   *     the message names the offset and what is wrong
   */
  public static CausalContext fromBytes(byte[] bytes) {
    requireNonNull(bytes, "bytes");
    Reader in = new Reader(bytes);
    int version = in.u8("version");
    if (version != VERSION) {
      throw in.error("unknown causal context format version " + version + "; this reader knows " + VERSION);
    }
    int size = in.count("entry count", MAX_ENTRIES, 0);
    String[] actors = new String[size];
    long[] counters = new long[size];
    long[] stamps = new long[size];
    for (int i = 0; i < size; i++) {
      int length = in.count("actor length", MAX_ACTOR_BYTES, 1);
      actors[i] = in.utf8(length);
      counters[i] = in.varlong("counter");
      stamps[i] = in.varlong("stamp");
    }
    if (in.position != bytes.length) {
      throw in.error((bytes.length - in.position) + " bytes after the context");
    }
    try {
      return of(VectorClock.ofEntries(actors, counters, stamps));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed causal context: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CausalContext that && clock.equals(that.clock);
  }

  @Override
  public int hashCode() {
    return clock.hashCode();
  }

  @Override
  public String toString() {
    return "CausalContext" + clock;
  }

  private static void writeVarlong(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** A bounds-checked reader of the binary form; every error names the offset. */
  private static final class Reader {
    private final byte[] bytes;
    int position;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("malformed causal context at offset " + position + " of " + bytes.length + ": " + what);
    }

    int u8(String what) {
      if (position >= bytes.length) {
        throw error("input ends before the " + what);
      }
      return bytes[position++] & 0xFF;
    }

    long varlong(String what) {
      long result = 0;
      for (int shift = 0; shift < 70; shift += 7) {
        if (position >= bytes.length) {
          throw error("input ends inside the " + what);
        }
        int b = bytes[position++] & 0xFF;
        if (shift == 63 && (b & 0x7E) != 0) {
          throw error("the " + what + " overflows 64 bits");
        }
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw error("the " + what + " is longer than 10 bytes");
    }

    int count(String what, int max, int min) {
      long value = varlong(what);
      if (value < min || value > max) {
        throw error(what + " = " + Long.toUnsignedString(value) + " is out of range; need " + min + ".." + max);
      }
      return (int) value;
    }

    String utf8(int length) {
      if (length > bytes.length - position) {
        throw error("an actor of " + length + " bytes runs past the end");
      }
      try {
        String actor = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, position, length))
            .toString();
        position += length;
        return actor;
      } catch (CharacterCodingException e) {
        throw error("an actor is not valid UTF-8");
      }
    }
  }
}
