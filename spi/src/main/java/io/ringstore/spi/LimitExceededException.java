package io.ringstore.spi;

/**
 * A configured bound would be passed: the operation was refused and nothing of it was stored.
 * The message names the setting, the value that would have been reached and the bound.
 */
public class LimitExceededException extends RingstoreException {
  private static final long serialVersionUID = 1L;

  private final String setting;
  private final long value;
  private final long limit;

  public LimitExceededException(String message, String setting, long value, long limit) {
    super(message);
    this.setting = setting;
    this.value = value;
    this.limit = limit;
  }

  /** The name of the setting that holds the bound, e.g. {@code maxEntries}. */
  public String setting() {
    return setting;
  }

  /** The value the operation would have reached. */
  public long value() {
    return value;
  }

  /** The configured bound. */
  public long limit() {
    return limit;
  }
}
