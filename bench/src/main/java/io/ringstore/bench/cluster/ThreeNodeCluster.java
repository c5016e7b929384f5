package io.ringstore.bench.cluster;

import java.util.List;
import javax.cache.Cache;

/**
 * Three members of one system's cluster, all in this JVM on loopback, with one cache created on
 * the cluster and replicated three times. The benchmark threads use the cache of the first member
 * only, so a key owned by another member costs a network round trip, as it would for a client of
 * that member.
 *
 * <p>Closing it closes every member and the threads they started; it is safe to call once from
 * any thread, after the benchmark threads are done.
 *
 * <p>Thread-safety: {@link #cache()} is as thread-safe as the system's cache (both are).
 */
public interface ThreeNodeCluster extends AutoCloseable {

  /** The name of the cache on every member. */
  String CACHE_NAME = "bench-cluster";

  /** The cache as the first member serves it. */
  Cache<String, byte[]> cache();

  /**
   * The cache as each member serves it, member 0's first: the benchmark checks that keys put
   * through member 0 are served by the others too, so that a cluster whose members do not share
   * their data (each a cluster of one) fails instead of scoring single-node figures.
   */
  List<Cache<String, byte[]>> memberCaches();

  /** One line saying what runs: the system, its version where known, and its replication settings. */
  String description();

  /** Closes every member; idempotent. */
  @Override
  void close();
}
