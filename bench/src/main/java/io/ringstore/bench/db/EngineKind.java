package io.ringstore.bench.db;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The engines {@link DbBench} knows, each opened through its adapter class, found by name so that
 * the harness imports no engine (and builds without an adapter whose engine is not on the class
 * path). Each adapter has a public constructor taking an {@link EngineConfig}.
 *
 * <p>Thread-safety: immutable.
 */
public enum EngineKind {
  /** Ringstore's {@code lsm} storage engine ({@code io.ringstore.storage.lsm.LsmStore}). */
  RINGSTORE("ringstore", "io.ringstore.bench.db.RingstoreEngine"),
  /** RocksDB through {@code rocksdbjni}. */
  ROCKSDB("rocksdb", "io.ringstore.bench.db.RocksDbEngine"),
  /**
   * A {@code ConcurrentSkipListMap} in memory: checks the harness without a disk; never a
   * published result.
   */
  SKIPLIST("skiplist", "io.ringstore.bench.db.SkipListEngine");

  private final String param;
  private final String className;

  EngineKind(String param, String className) {
    this.param = param;
    this.className = className;
  }

  /** The name on the command line ({@code --engine}) and in the JSON and tables. */
  public String param() {
    return param;
  }

  /** The kind named {@code name} on the command line. */
  public static EngineKind ofParam(String name) {
    for (EngineKind k : values()) {
      if (k.param.equals(name.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("--engine = '" + name + "' is unknown; known: "
        + Arrays.stream(values()).map(EngineKind::param).toList());
  }

  /** Opens this engine on {@code config}. */
  public Engine open(EngineConfig config) throws IOException {
    Class<?> adapter;
    try {
      adapter = Class.forName(className, true, EngineKind.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("--engine = '" + param + "': its adapter " + className
          + " is not in this build", e);
    }
    try {
      return (Engine) adapter.getConstructor(EngineConfig.class).newInstance(config);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("engine '" + param + "' failed to open in " + config.directory(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("engine '" + param + "': " + className
          + " lacks a public constructor (EngineConfig)", e);
    }
  }
}
