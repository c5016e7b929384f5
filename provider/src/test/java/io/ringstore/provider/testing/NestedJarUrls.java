package io.ringstore.provider.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.net.spi.URLStreamHandlerProvider;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for Spring Boot's {@code nested:} URL handler, so that tests can open the
 * {@code jar:nested:...} URIs Boot hands out for resources of a fat jar without Boot's launcher:
 * {@code nested:/app.jar/!BOOT-INF/lib/lib.jar} is the stored entry {@code BOOT-INF/lib/lib.jar} of
 * {@code /app.jar}, and {@code nested:/app.jar/!BOOT-INF/classes/} the entries under that directory
 * as a jar of their own, as Boot presents them. The JDK's {@code jar:} handler then reads
 * {@code jar:nested:/app.jar/!BOOT-INF/classes/!/ringstore.yaml} from it.
 *
 * <p>Registered for the test JVM through {@code META-INF/services/java.net.spi.URLStreamHandlerProvider}.
 * Thread-safety: stateless.
 */
public final class NestedJarUrls extends URLStreamHandlerProvider {

  /** Found by {@link java.util.ServiceLoader}. */
  public NestedJarUrls() {}

  @Override
  public @Nullable URLStreamHandler createURLStreamHandler(String protocol) {
    if (!protocol.equals("nested")) {
      return null;
    }
    return new URLStreamHandler() {
      @Override
      protected URLConnection openConnection(URL url) {
        return new URLConnection(url) {
          @Override
          public void connect() {}

          @Override
          public InputStream getInputStream() throws IOException {
            return new ByteArrayInputStream(read(url.getPath()));
          }
        };
      }
    };
  }

  private static byte[] read(String path) throws IOException {
    int separator = path.indexOf("/!");
    if (separator < 0) {
      throw new FileNotFoundException("not a nested location: " + path);
    }
    String entryName = path.substring(separator + 2);
    try (JarFile outer = new JarFile(path.substring(0, separator))) {
      if (!entryName.endsWith("/")) {
        JarEntry entry = outer.getJarEntry(entryName);
        if (entry == null) {
          throw new FileNotFoundException(entryName + " in " + outer.getName());
        }
        try (InputStream in = outer.getInputStream(entry)) {
          return in.readAllBytes();
        }
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (JarOutputStream directory = new JarOutputStream(bytes)) {
        for (Enumeration<JarEntry> entries = outer.entries(); entries.hasMoreElements(); ) {
          JarEntry entry = entries.nextElement();
          if (entry.getName().startsWith(entryName) && !entry.isDirectory()) {
            directory.putNextEntry(new JarEntry(entry.getName().substring(entryName.length())));
            try (InputStream in = outer.getInputStream(entry)) {
              in.transferTo(directory);
            }
            directory.closeEntry();
          }
        }
      }
      return bytes.toByteArray();
    }
  }
}
