package io.ringstore.bench;

import java.util.Arrays;
import java.util.List;

/**
 * A JCache provider taking part in the benchmarks, picked by its {@code CachingProvider} class
 * name because several providers share the class path (so {@code Caching.getCachingProvider()}
 * without a name would refuse to choose).
 *
 * <p>{@link #param()} is the value of the benchmarks' {@code provider} parameter and the column
 * name in the result table. Peers are the providers Ringstore is compared with: each figure in
 * the table is also shown as a ratio to the best peer in its row.
 *
 * <p>Thread-safety: immutable.
 */
public enum Provider {
  RINGSTORE("ringstore", "io.ringstore.provider.RingstoreCachingProvider", false),
  CAFFEINE("caffeine", "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider", true),
  EHCACHE("ehcache", "org.ehcache.jsr107.EhcacheCachingProvider", true),
  RI("ri", "org.jsr107.ri.spi.RICachingProvider", true);

  private final String param;
  private final String className;
  private final boolean peer;

  Provider(String param, String className, boolean peer) {
    this.param = param;
    this.className = className;
    this.peer = peer;
  }

  /** The benchmark parameter value and table column, e.g. {@code "caffeine"}. */
  public String param() {
    return param;
  }

  /** The fully qualified {@code javax.cache.spi.CachingProvider} implementation class. */
  public String className() {
    return className;
  }

  /** Whether this provider is one of the peers Ringstore is measured against. */
  public boolean peer() {
    return peer;
  }

  /** Whether the provider class can be loaded by {@code loader} (its jar is on the class path). */
  public boolean availableIn(ClassLoader loader) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The provider whose {@link #param()} is {@code param}. */
  public static Provider ofParam(String param) {
    for (Provider p : values()) {
      if (p.param.equals(param)) {
        return p;
      }
    }
    throw new IllegalArgumentException("provider '" + param + "' is unknown; known: "
        + Arrays.stream(values()).map(Provider::param).toList());
  }

  /** The peers, in column order. */
  public static List<Provider> peers() {
    return Arrays.stream(values()).filter(Provider::peer).toList();
  }
}
