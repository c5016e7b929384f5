package io.ringstore.provider.configuration;

import java.math.BigInteger;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the values of the configuration file: whole numbers, sizes ({@code 64MiB}), durations
 * ({@code 10m}) and booleans. Each failure is an {@link IllegalArgumentException} whose message
 * completes {@code <key> = <value> ...}: it says what the value is not and what is allowed, e.g.
 * {@code "is out of range; need 1..1024"}.
 *
 * <p>Thread-safety: stateless.
 */
final class SettingText {

  /** The units a size may carry, as the error states them. */
  static final String SIZE_UNITS = "B, KiB, MiB or GiB";

  /** The units a duration must carry, as the error states them. */
  static final String DURATION_UNITS = "ms, s, m, h or d";

  private static final Pattern WHOLE = Pattern.compile("[-+]?[0-9][0-9_]*");
  private static final Pattern SIZE = Pattern.compile("([-+]?[0-9][0-9_]*)\\s*(B|KiB|MiB|GiB)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION = Pattern.compile("([-+]?[0-9][0-9_]*)\\s*(ms|s|m|h|d)");

  private SettingText() {}

  /** A whole number in {@code range}; {@code _} may separate digits. */
  static long whole(String text, SettingRange range) {
    String trimmed = text.trim();
    if (!WHOLE.matcher(trimmed).matches()) {
      throw new IllegalArgumentException("is not a whole number; need " + range);
    }
    return inRange(new BigInteger(trimmed.replace("_", "")), range);
  }

  /** A number of bytes in {@code range}: a whole number, optionally followed by B, KiB, MiB or GiB. */
  static long size(String text, SettingRange range) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("is not a size; need a whole number of bytes, optionally followed by "
          + SIZE_UNITS + ", in " + describeBytes(range));
    }
    BigInteger amount = new BigInteger(m.group(1).replace("_", ""));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    int shift = switch (unit) {
      case "kib" -> 10;
      case "mib" -> 20;
      case "gib" -> 30;
      default -> 0;
    };
    BigInteger bytes = amount.shiftLeft(shift);
    if (bytes.signum() < 0 || bytes.bitLength() > 63 || !range.contains(bytes.longValue())) {
      throw new IllegalArgumentException("is out of range; need " + describeBytes(range));
    }
    return bytes.longValue();
  }

  /**
   * A duration: a whole number followed by ms, s, m, h or d, at least {@code minMillis}.
   *
   * @return the amount and its unit, as written
   */
  static Amount duration(String text, long minMillis) {
    Matcher m = DURATION.matcher(text.trim());
    String need = minMillis > 0 ? "a whole number > 0 followed by " : "a whole number followed by ";
    if (!m.matches()) {
      throw new IllegalArgumentException("is not a duration; need " + need + DURATION_UNITS + ", e.g. 30s or 10m");
    }
    BigInteger amount = new BigInteger(m.group(1).replace("_", ""));
    TimeUnit unit = switch (m.group(2)) {
      case "ms" -> TimeUnit.MILLISECONDS;
      case "s" -> TimeUnit.SECONDS;
      case "m" -> TimeUnit.MINUTES;
      case "h" -> TimeUnit.HOURS;
      default -> TimeUnit.DAYS;
    };
    String range = minMillis > 0 ? "> 0" : ">= 0";
    if (amount.signum() < 0 || amount.bitLength() > 63) {
      throw new IllegalArgumentException("is out of range; need " + range);
    }
    long value = amount.longValue();
    long millis = unit.toMillis(value);
    if (millis == Long.MAX_VALUE) {
      throw new IllegalArgumentException("is out of range; need " + range + " and less than " + Long.MAX_VALUE + " ms");
    }
    if (millis < minMillis) {
      throw new IllegalArgumentException("is out of range; need " + range);
    }
    return new Amount(value, unit);
  }

  /** {@code true} or {@code false} (any case). */
  static boolean bool(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (trimmed.equals("true")) {
      return true;
    }
    if (trimmed.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException("is not a boolean; need true or false");
  }

  private static long inRange(BigInteger value, SettingRange range) {
    if (value.bitLength() > 63 || !range.contains(value.longValue())) {
      throw new IllegalArgumentException("is out of range; need " + range);
    }
    return value.longValue();
  }

  /** A byte range as errors say it, with the upper bound also in binary units. */
  private static String describeBytes(SettingRange range) {
    if (range.max() == Long.MAX_VALUE) {
      return range.toString();
    }
    return range + " (" + range.max() + " = " + binary(range.max()) + ")";
  }

  private static String binary(long bytes) {
    if (bytes % (1L << 30) == 0) {
      return (bytes >> 30) + " GiB";
    }
    if (bytes % (1L << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes % (1L << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " B";
  }

  /**
   * A duration as written: an amount of a unit.
   *
   * @param amount the whole number, {@code >= 0}
   * @param unit its unit
   */
  record Amount(long amount, TimeUnit unit) {

    /** As a {@link java.time.Duration}. */
    java.time.Duration toJavaDuration() {
      return java.time.Duration.of(amount, unit.toChronoUnit());
    }

    /** As a JCache {@link javax.cache.expiry.Duration}. */
    javax.cache.expiry.Duration toCacheDuration() {
      return new javax.cache.expiry.Duration(unit, amount);
    }
  }
}
