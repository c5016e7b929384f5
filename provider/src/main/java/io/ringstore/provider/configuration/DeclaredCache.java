package io.ringstore.provider.configuration;

import static java.util.Objects.requireNonNull;

/**
 * A cache declared in a configuration file: its name, where it is declared and its checked
 * settings. A cache manager opened on the file creates it before it is handed out.
 *
 * <p>Thread-safety: immutable; {@link #configuration()} returns a fresh copy each time.
 *
 * @param name the cache's name (its key under {@code caches})
 * @param source the file's URI as the application gave it
 * @param line the 1-based line of the cache's name
 * @param column the 1-based column of the cache's name
 * @param configuration the cache's settings, validated by {@link CacheSettings#validate}
 */
public record DeclaredCache(String name, String source, int line, int column,
    RingstoreConfiguration<Object, Object> configuration) {

  /** Checks the arguments and keeps its own copy of {@code configuration}. */
  public DeclaredCache {
    requireNonNull(name, "name");
    requireNonNull(source, "source");
    configuration = new RingstoreConfiguration<>(requireNonNull(configuration, "configuration"));
  }

  /** A copy of the cache's settings. */
  @Override
  public RingstoreConfiguration<Object, Object> configuration() {
    return new RingstoreConfiguration<>(configuration);
  }

  /**
   * The error to throw when the cache, though valid in the file, cannot be created (for example
   * its engine is not on the class path), placed at the cache's name.
   */
  public ConfigurationFileException cannotCreate(RuntimeException cause) {
    return new ConfigurationFileException(source, line, column, "caches." + name,
        "cache '" + name + "' declared here cannot be created: " + cause.getMessage(), cause);
  }
}
