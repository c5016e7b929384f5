package io.ringstore.bench.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * The bytes on disk of an engine's directory: the sum of the sizes of every regular file under
 * it (tables, logs, manifests, option files, the engine's text log), as {@code du
 * --apparent-size} counts them. A file that an engine's background work deletes while the walk
 * runs is skipped.
 *
 * <p>Thread-safety: stateless.
 */
public final class DirectorySize {
  private DirectorySize() {}

  /** The apparent size in bytes of every regular file under {@code directory}. */
  public static long bytesUnder(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.mapToLong(DirectorySize::sizeOrZero).sum();
    } catch (UncheckedIOException e) {
      throw new IOException("could not walk " + directory + " to sum its files' sizes", e.getCause());
    }
  }

  private static long sizeOrZero(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.isRegularFile() ? a.size() : 0;
    } catch (NoSuchFileException e) {
      return 0; // deleted by a compaction after the walk listed it
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the size of " + file, e);
    }
  }
}
