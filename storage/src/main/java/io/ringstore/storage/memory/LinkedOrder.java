package io.ringstore.storage.memory;

import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * LRU and FIFO: one intrusive doubly linked list, the next to evict at the head. Inserts go to
 * the tail. Under LRU a read or a write moves the entry to the tail, so the head is the entry
 * used least recently; under FIFO nothing moves, so the head is the entry inserted first (an
 * overwrite of a key keeps its place: FIFO orders keys by when they entered the store). Every
 * operation is O(1).
 *
 * <p>Thread-safety: not thread-safe; guarded by the store's lock.
 */
final class LinkedOrder extends EvictionOrder {

  // constant after construction
  private final boolean moveOnUse;

  // guarded by the store's lock
  private @Nullable Node head;
  private @Nullable Node tail;

  /** An LRU list when {@code moveOnUse}, else a FIFO list. */
  LinkedOrder(boolean moveOnUse) {
    this.moveOnUse = moveOnUse;
  }

  @Override
  void onInsert(Node node) {
    linkLast(node);
  }

  @Override
  void onWrite(Node node) {
    if (moveOnUse) {
      moveToTail(node);
    }
  }

  @Override
  void onRead(Node node) {
    if (moveOnUse) {
      moveToTail(node);
    }
  }

  @Override
  void remove(Node node) {
    unlink(node);
  }

  @Override
  boolean recordsReads() {
    return moveOnUse;
  }

  @Override
  Iterator<Node> evictionCandidates() {
    return new Iterator<>() {
      private @Nullable Node cursor = head;

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
        return n;
      }
    };
  }

  private void moveToTail(Node node) {
    if (node != tail) {
      unlink(node);
      linkLast(node);
    }
  }

  private void linkLast(Node node) {
    node.prev = tail;
    node.next = null;
    if (tail == null) {
      head = node;
    } else {
      tail.next = node;
    }
    tail = node;
  }

  private void unlink(Node node) {
    Node p = node.prev;
    Node n = node.next;
    if (p == null) {
      head = n;
    } else {
      p.next = n;
    }
    if (n == null) {
      tail = p;
    } else {
      n.prev = p;
    }
    node.prev = null;
    node.next = null;
  }

  @Override
  void check(Collection<Node> live) {
    int count = 0;
    Node prev = null;
    for (Node n = head; n != null; n = n.next) {
      if (n.prev != prev) {
        throw new IllegalStateException("list link broken at " + n);
      }
      if (n.state == Node.RETIRED) {
        throw new IllegalStateException("retired node still listed: " + n);
      }
      prev = n;
      count++;
    }
    if (prev != tail) {
      throw new IllegalStateException("list tail " + tail + " is not the last node " + prev);
    }
    if (count != live.size()) {
      throw new IllegalStateException("list holds " + count + " nodes, store holds " + live.size());
    }
  }

  @Override
  public String toString() {
    return moveOnUse ? "LRU" : "FIFO";
  }
}
