package io.ringstore.cdi;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts calls per method name; test beans expose it through methods (a client proxy has no fields). */
final class Calls {
  private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  int bump(String method) {
    return counts.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
  }

  int of(String method) {
    AtomicInteger n = counts.get(method);
    return n == null ? 0 : n.get();
  }

  void reset() {
    counts.clear();
  }
}
