package io.ringstore.storage.memory;

import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * LFU in O(1) per operation (Shah, Mitra and Matani, "An O(1) algorithm for implementing the LFU
 * cache eviction scheme", 2010): a list of frequency buckets in increasing frequency, each
 * holding an intrusive list of the nodes used exactly that often, least recently used first. A
 * new entry has been used once; each read or write moves it to the bucket one higher (created
 * next to its old bucket when missing; an emptied bucket is dropped). The next to evict is the
 * head of the lowest bucket: the least frequently used entry, and among those the least recently
 * used.
 *
 * <p>Frequencies never decay, so an entry that was hot long ago stays hard to evict; this is the
 * textbook policy the configuration names, not a windowed sketch such as Caffeine's TinyLFU.
 *
 * <p>Thread-safety: not thread-safe; guarded by the store's lock.
 */
final class FrequencyOrder extends EvictionOrder {

  /** The nodes used exactly {@link #frequency} times, least recently used first. */
  static final class Bucket {
    final long frequency;
    @Nullable Bucket prev;
    @Nullable Bucket next;
    @Nullable Node head;
    @Nullable Node tail;

    Bucket(long frequency) {
      this.frequency = frequency;
    }
  }

  // guarded by the store's lock
  private @Nullable Bucket lowest;

  @Override
  void onInsert(Node node) {
    Bucket first = lowest;
    Bucket target;
    if (first != null && first.frequency == 1) {
      target = first;
    } else {
      target = new Bucket(1);
      target.next = first;
      if (first != null) {
        first.prev = target;
      }
      lowest = target;
    }
    append(target, node);
  }

  @Override
  void onWrite(Node node) {
    promote(node);
  }

  @Override
  void onRead(Node node) {
    promote(node);
  }

  @Override
  void remove(Node node) {
    Bucket b = bucketOf(node);
    detach(b, node);
    dropIfEmpty(b);
  }

  @Override
  boolean recordsReads() {
    return true;
  }

  private void promote(Node node) {
    Bucket from = bucketOf(node);
    if (from.frequency == Long.MAX_VALUE) {
      // saturated: stay in the top bucket, as its most recently used node
      detach(from, node);
      append(from, node);
      return;
    }
    Bucket to = from.next;
    if (to == null || to.frequency != from.frequency + 1) {
      Bucket created = new Bucket(from.frequency + 1);
      created.prev = from;
      created.next = to;
      if (to != null) {
        to.prev = created;
      }
      from.next = created;
      to = created;
    }
    detach(from, node);
    append(to, node);
    dropIfEmpty(from);
  }

  private static Bucket bucketOf(Node node) {
    Bucket b = node.bucket;
    if (b == null) {
      throw new IllegalStateException("node is in no frequency bucket: " + node);
    }
    return b;
  }

  private static void append(Bucket b, Node node) {
    node.bucket = b;
    node.prev = b.tail;
    node.next = null;
    if (b.tail == null) {
      b.head = node;
    } else {
      b.tail.next = node;
    }
    b.tail = node;
  }

  private static void detach(Bucket b, Node node) {
    Node p = node.prev;
    Node n = node.next;
    if (p == null) {
      b.head = n;
    } else {
      p.next = n;
    }
    if (n == null) {
      b.tail = p;
    } else {
      n.prev = p;
    }
    node.prev = null;
    node.next = null;
    node.bucket = null;
  }

  private void dropIfEmpty(Bucket b) {
    if (b.head != null) {
      return;
    }
    Bucket p = b.prev;
    Bucket n = b.next;
    if (p == null) {
      lowest = n;
    } else {
      p.next = n;
    }
    if (n != null) {
      n.prev = p;
    }
    b.prev = null;
    b.next = null;
  }

  @Override
  Iterator<Node> evictionCandidates() {
    return new Iterator<>() {
      private @Nullable Bucket bucket = lowest;
      private @Nullable Node cursor = lowest == null ? null : lowest.head;

      @Override
      public boolean hasNext() {
        return cursor != null;
      }

      @Override
      public Node next() {
        Node n = cursor;
        if (n == null) {
          throw new NoSuchElementException();
        }
        cursor = n.next;
        while (cursor == null && bucket != null) {
          bucket = bucket.next;
          cursor = bucket == null ? null : bucket.head;
        }
        return n;
      }
    };
  }

  /** The number of uses recorded for {@code node} (tests). */
  static long frequencyOf(Node node) {
    return bucketOf(node).frequency;
  }

  @Override
  void check(Collection<Node> live) {
    int count = 0;
    Bucket prevBucket = null;
    for (Bucket b = lowest; b != null; b = b.next) {
      if (b.prev != prevBucket) {
        throw new IllegalStateException("bucket link broken at frequency " + b.frequency);
      }
      if (prevBucket != null && prevBucket.frequency >= b.frequency) {
        throw new IllegalStateException("buckets out of order: " + prevBucket.frequency + " then " + b.frequency);
      }
      if (b.head == null) {
        throw new IllegalStateException("empty bucket left at frequency " + b.frequency);
      }
      Node prev = null;
      for (Node n = b.head; n != null; n = n.next) {
        if (n.prev != prev || n.bucket != b) {
          throw new IllegalStateException("bucket " + b.frequency + " link broken at " + n);
        }
        if (n.state == Node.RETIRED) {
          throw new IllegalStateException("retired node still in bucket " + b.frequency + ": " + n);
        }
        prev = n;
        count++;
      }
      if (prev != b.tail) {
        throw new IllegalStateException("bucket " + b.frequency + " tail is not its last node");
      }
      prevBucket = b;
    }
    if (count != live.size()) {
      throw new IllegalStateException("buckets hold " + count + " nodes, store holds " + live.size());
    }
  }

  @Override
  public String toString() {
    return "LFU";
  }
}
