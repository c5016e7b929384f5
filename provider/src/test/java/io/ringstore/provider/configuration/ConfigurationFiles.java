package io.ringstore.provider.configuration;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Writes configuration files and jars holding them, for tests. */
public final class ConfigurationFiles {
  private ConfigurationFiles() {}

  /** Writes {@code yaml} to {@code dir/name} and returns the file's {@code file:} URI. */
  public static URI write(Path dir, String name, String yaml) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
      return file.toUri();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a jar at {@code jar} holding {@code entries} (entry name to text). */
  public static Path jar(Path jar, Map<String, String> entries) {
    Map<String, byte[]> bytes = new java.util.LinkedHashMap<>();
    entries.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
    return jarOfBytes(jar, bytes);
  }

  /** Writes a jar at {@code jar} holding {@code entries} (entry name to bytes). */
  public static Path jarOfBytes(Path jar, Map<String, byte[]> entries) {
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new JarEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A Spring Boot style fat jar at {@code dir/app.jar}: {@code yaml} as
   * {@code BOOT-INF/classes/ringstore.yaml} and inside the library {@code BOOT-INF/lib/config.jar}.
   */
  public static Path fatJar(Path dir, String yaml) {
    try {
      Path library = jar(dir.resolve("config.jar"), Map.of("ringstore.yaml", yaml));
      return jarOfBytes(dir.resolve("app.jar"), Map.of(
          "BOOT-INF/classes/ringstore.yaml", yaml.getBytes(StandardCharsets.UTF_8),
          "BOOT-INF/lib/config.jar", Files.readAllBytes(library)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code jar:nested:} URI Spring Boot gives {@code entry} under {@code directory} of a fat jar. */
  public static URI nested(Path fatJar, String nestedPath, String entry) {
    return URI.create("jar:nested:" + fatJar.toAbsolutePath() + "/!" + nestedPath + "!/" + entry);
  }

  /** The {@code jar:file:...!/entry} URI of an entry of {@code jar}. */
  public static URI jarEntry(Path jar, String entry) {
    return URI.create("jar:" + jar.toUri() + "!/" + entry);
  }
}
