package io.ringstore.bench;

import java.util.Arrays;
import javax.cache.configuration.MutableConfiguration;

/**
 * The two cache configurations every provider is measured on.
 *
 * <ul>
 *   <li>{@link #BY_VALUE} ({@code byValue}): {@code new MutableConfiguration<String, String>()}
 *       left entirely at the spec's defaults: store-by-value, no statistics, no expiry, no
 *       key/value types ({@code Object.class}). None of the four providers needs the types set.
 *   <li>{@link #BY_REFERENCE} ({@code byReference}): the same with
 *       {@code setStoreByValue(false)} and {@code setStatisticsEnabled(true)}: the fast path a
 *       tuned application would choose, with the statistics operators usually want on.
 * </ul>
 *
 * <p>Thread-safety: immutable; {@link #configuration()} returns a new object on every call.
 */
public enum StoreMode {
  BY_VALUE("byValue"),
  BY_REFERENCE("byReference");

  private final String param;

  StoreMode(String param) {
    this.param = param;
  }

  /** The benchmark parameter value and the table's config column, e.g. {@code "byValue"}. */
  public String param() {
    return param;
  }

  /** A fresh configuration for this mode. */
  public MutableConfiguration<String, String> configuration() {
    MutableConfiguration<String, String> config = new MutableConfiguration<>();
    if (this == BY_REFERENCE) {
      config.setStoreByValue(false).setStatisticsEnabled(true);
    }
    return config;
  }

  /** The mode whose {@link #param()} is {@code param}. */
  public static StoreMode ofParam(String param) {
    for (StoreMode m : values()) {
      if (m.param.equals(param)) {
        return m;
      }
    }
    throw new IllegalArgumentException("config '" + param + "' is unknown; known: "
        + Arrays.stream(values()).map(StoreMode::param).toList());
  }
}
