package io.ringstore.provider.configuration;

/**
 * The allowed values of a whole-number setting, {@code min..max}, worded once so that errors from
 * {@link CacheSettings} (code) and {@link ConfigurationFile} (the file) say the same bound.
 *
 * <p>Thread-safety: immutable.
 *
 * @param min the least allowed value
 * @param max the greatest allowed value; {@link Long#MAX_VALUE} means no upper bound
 */
record SettingRange(long min, long max) {

  /** {@code >= 1}: entry and byte bounds. */
  static final SettingRange POSITIVE = new SettingRange(1, Long.MAX_VALUE);

  /** The replication factor N. */
  static final SettingRange REPLICATION_FACTOR = new SettingRange(1, CacheSettings.MAX_REPLICATION_FACTOR);

  /** {@code maxSiblings} and {@code maxClockEntries}. */
  static final SettingRange SIBLINGS_OR_CLOCK_ENTRIES = new SettingRange(1, CacheSettings.MAX_SIBLINGS_OR_CLOCK_ENTRIES);

  /** {@code maxKeyBytes}. */
  static final SettingRange KEY_BYTES = new SettingRange(1, CacheSettings.MAX_KEY_BYTES_LIMIT);

  /** {@code maxValueBytes}. */
  static final SettingRange VALUE_BYTES = new SettingRange(1, CacheSettings.MAX_VALUE_BYTES_LIMIT);

  /** True if {@code value} is allowed. */
  boolean contains(long value) {
    return value >= min && value <= max;
  }

  /** The range as errors say it: {@code 1..1024}, or {@code >= 1} without an upper bound. */
  @Override
  public String toString() {
    return max == Long.MAX_VALUE ? ">= " + min : min + ".." + max;
  }
}
