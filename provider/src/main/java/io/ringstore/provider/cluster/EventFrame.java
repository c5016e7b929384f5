package io.ringstore.provider.cluster;

import io.ringstore.spi.Bytes;
import java.util.List;
import java.util.Objects;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/**
 * The events of one cache operation (or a part of them, when they do not fit one frame) as they
 * travel from the node that ran the operation to the other nodes' listeners: the origin node's id
 * and the events in the order they were fired. Keys and values are the bytes the cache stores
 * (its codec's encoding); the receiving node decodes them with its own codec.
 *
 * <p>Invariants: at least one event; the origin is not blank (see {@link Event} for each event's).
 *
 * <p>Thread-safety: immutable (the {@link Bytes} are never changed).
 *
 * @param origin the Ringstore node id of the node that ran the operation
 * @param events the events, in firing order
 */
public record EventFrame(String origin, List<Event> events) {

  /** Checks the invariants and copies the list. */
  public EventFrame {
    Objects.requireNonNull(origin, "origin");
    if (origin.isBlank()) {
      throw new IllegalArgumentException("an event frame's origin node id is blank");
    }
    events = List.copyOf(events);
    if (events.isEmpty()) {
      throw new IllegalArgumentException("an event frame holds no event; need at least 1");
    }
  }

  /**
   * One event: its type, the key, and the values the type carries. CREATED has a new value and no
   * old one; UPDATED a new value and, when the origin knew it, the old one; REMOVED and EXPIRED no
   * new value and, when the origin knew it, the old one (the value the entry held).
   *
   * <p>Thread-safety: immutable.
   *
   * @param type the event type
   * @param key the stored key bytes
   * @param oldValue the stored bytes of the value before the event, or null if not known
   * @param newValue the stored bytes of the value after it, or null for REMOVED and EXPIRED
   */
  public record Event(EventType type, Bytes key, @Nullable Bytes oldValue, @Nullable Bytes newValue) {

    /** Checks which values the type allows. */
    public Event {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(key, "key");
      boolean ended = type == EventType.REMOVED || type == EventType.EXPIRED;
      if (ended && newValue != null) {
        throw new IllegalArgumentException("a " + type + " event has no new value; got " + newValue.length() + " bytes");
      }
      if (!ended && newValue == null) {
        throw new IllegalArgumentException("a " + type + " event needs its new value; got none");
      }
      if (type == EventType.CREATED && oldValue != null) {
        throw new IllegalArgumentException("a CREATED event has no old value; got " + oldValue.length() + " bytes");
      }
    }

    /** The frame bytes this event takes (see {@link EventFrameCodec}). */
    int encodedLength() {
      return 2 + EventFrameCodec.sizedLength(key) + (oldValue == null ? 0 : EventFrameCodec.sizedLength(oldValue))
          + (newValue == null ? 0 : EventFrameCodec.sizedLength(newValue));
    }
  }
}
