package io.ringstore.provider.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.net.spi.URLStreamHandlerProvider;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@code blocking:} URL scheme for tests: reading any such URL waits until {@link #release()}
 * (a slow remote configuration file), then returns {@link #CONTENT}. Test-only state, reset by
 * {@link #reset()}.
 */
public final class BlockingUrls extends URLStreamHandlerProvider {
  /** The YAML every {@code blocking:} URL serves. */
  public static final String CONTENT = "caches:\n  slow-cache: {}\n";

  private static volatile CountDownLatch gate = new CountDownLatch(1);
  private static volatile CountDownLatch reading = new CountDownLatch(1);

  public BlockingUrls() {}

  /** Blocks the next reads again. */
  public static void reset() {
    gate = new CountDownLatch(1);
    reading = new CountDownLatch(1);
  }

  /** Lets every waiting and later read through. */
  public static void release() {
    gate.countDown();
  }

  /** Waits until some thread is blocked reading a {@code blocking:} URL. */
  public static boolean awaitReading(long seconds) throws InterruptedException {
    return reading.await(seconds, TimeUnit.SECONDS);
  }

  @Override
  public @Nullable URLStreamHandler createURLStreamHandler(String protocol) {
    if (!protocol.equals("blocking")) {
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
            reading.countDown();
            try {
              if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IOException("blocking: URL was never released");
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new InterruptedIOException("interrupted while blocked");
            }
            return new ByteArrayInputStream(CONTENT.getBytes(StandardCharsets.UTF_8));
          }
        };
      }
    };
  }
}
