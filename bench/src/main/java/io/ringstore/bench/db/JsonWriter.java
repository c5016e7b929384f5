package io.ringstore.bench.db;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Writes JSON text by hand (the benchmarks add no JSON library): objects and arrays, one member
 * or element per line, indented by two spaces. A non-finite number is written as {@code null}.
 *
 * <p>Thread-safety: not thread-safe.
 */
public final class JsonWriter {
  private static final MathContext SIGNIFICANT = new MathContext(6);

  private final StringBuilder out = new StringBuilder();
  private final Deque<Boolean> firstInScope = new ArrayDeque<>();
  private boolean afterName;

  /** Opens an object (as a value: at the top, after {@link #name}, or in an array). */
  public JsonWriter beginObject() {
    beforeValue();
    out.append('{');
    firstInScope.push(true);
    return this;
  }

  /** Closes the innermost object. */
  public JsonWriter endObject() {
    return end('}');
  }

  /** Opens an array. */
  public JsonWriter beginArray() {
    beforeValue();
    out.append('[');
    firstInScope.push(true);
    return this;
  }

  /** Closes the innermost array. */
  public JsonWriter endArray() {
    return end(']');
  }

  /** Names the next member of the current object. */
  public JsonWriter name(String name) {
    separate();
    quote(name);
    out.append(": ");
    afterName = true;
    return this;
  }

  /** A string value. */
  public JsonWriter value(String text) {
    beforeValue();
    quote(text);
    return this;
  }

  /** A whole-number value. */
  public JsonWriter value(long number) {
    beforeValue();
    out.append(number);
    return this;
  }

  /** A number value, to six significant digits; NaN and infinities as {@code null}. */
  public JsonWriter value(double number) {
    beforeValue();
    if (Double.isFinite(number)) {
      out.append(number == Math.rint(number) && Math.abs(number) < 1e15
          ? Long.toString((long) number)
          : new BigDecimal(number).round(SIGNIFICANT).stripTrailingZeros().toPlainString());
    } else {
      out.append("null");
    }
    return this;
  }

  /** A boolean value. */
  public JsonWriter value(boolean bool) {
    beforeValue();
    out.append(bool);
    return this;
  }

  /** Pastes {@code json}, a complete JSON value written elsewhere, as the next value. */
  public JsonWriter raw(String json) {
    beforeValue();
    out.append(json.strip());
    return this;
  }

  /** The text written so far. */
  @Override
  public String toString() {
    return out.toString();
  }

  private JsonWriter end(char close) {
    boolean empty = firstInScope.pop();
    if (!empty) {
      newline();
    }
    out.append(close);
    return this;
  }

  private void beforeValue() {
    if (afterName) {
      afterName = false;
    } else if (!firstInScope.isEmpty()) {
      separate();
    }
  }

  private void separate() {
    if (firstInScope.isEmpty()) {
      return;
    }
    if (!firstInScope.pop()) {
      out.append(',');
    }
    firstInScope.push(false);
    newline();
  }

  private void newline() {
    out.append('\n').append("  ".repeat(firstInScope.size()));
  }

  private void quote(String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
