package io.ringstore.spi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A format document of {@code docs/formats/} read by the tests that check its worked example: its
 * sections are marked {@code <!-- golden: NAME -->} before a fenced block whose text, up to a
 * {@code #} on each line, is whitespace-separated hex bytes.
 */
public final class FormatDocument {
  private static final Pattern GOLDEN = Pattern.compile("<!-- golden: ([a-z-]+) -->\\s*```[a-z]*\\n(.*?)```", Pattern.DOTALL);

  private final Path path;

  private FormatDocument(Path path) {
    this.path = path;
  }

  /** {@code docs/formats/<fileName>}, found above the working directory (a module's). */
  public static FormatDocument named(String fileName) {
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs/formats").resolve(fileName);
      if (Files.exists(candidate)) {
        return new FormatDocument(candidate);
      }
    }
    throw new AssertionError("docs/formats/" + fileName + " not found above " + here);
  }

  /** Where the document is. */
  public Path path() {
    return path;
  }

  /** The golden sections, in document order, by name. */
  public Map<String, byte[]> goldenSections() throws IOException {
    String text = Files.readString(path, StandardCharsets.UTF_8);
    Map<String, byte[]> sections = new LinkedHashMap<>();
    Matcher matcher = GOLDEN.matcher(text);
    while (matcher.find()) {
      List<Byte> bytes = new ArrayList<>();
      for (String line : matcher.group(2).split("\n")) {
        int comment = line.indexOf('#');
        String hex = (comment < 0 ? line : line.substring(0, comment)).trim();
        for (String token : hex.isEmpty() ? new String[0] : hex.split("\\s+")) {
          assertThat(token).as("hex byte in section %s", matcher.group(1)).matches("[0-9a-f]{2}");
          bytes.add((byte) Integer.parseInt(token, 16));
        }
      }
      byte[] array = new byte[bytes.size()];
      for (int i = 0; i < array.length; i++) {
        array[i] = bytes.get(i);
      }
      sections.put(matcher.group(1), array);
    }
    return sections;
  }

  /**
   * Asserts that {@code golden} (sections of this document) holds exactly the sections of
   * {@code actual} (what the code writes), byte for byte; a mismatch shows every section as the
   * code now writes it, each rendered by {@code hex}, ready to paste into the document.
   */
  public void assertGoldenIsWritten(Map<String, byte[]> golden, Map<String, byte[]> actual, Function<byte[], String> hex) {
    StringBuilder rendered = new StringBuilder();
    actual.forEach((name, bytes) -> rendered.append("<!-- golden: ").append(name).append(" -->\n")
        .append(hex.apply(bytes)).append('\n'));
    assertThat(golden.keySet()).as("golden sections in %s", path).containsExactlyElementsOf(actual.keySet());
    actual.forEach((name, bytes) -> assertThat(HexFormat.of().formatHex(golden.get(name)))
        .as("section %s of %s; the code now writes:%n%s", name, path, rendered)
        .isEqualTo(HexFormat.of().formatHex(bytes)));
  }

  /** Bytes as one line of space-separated hex pairs. */
  public static String hexLine(byte[] bytes) {
    return HexFormat.ofDelimiter(" ").formatHex(bytes);
  }

  /** The parts one after the other. */
  public static byte[] concatenate(Iterable<byte[]> parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }
}
