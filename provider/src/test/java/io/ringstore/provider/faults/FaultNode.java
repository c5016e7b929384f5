package io.ringstore.provider.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The driver's side of one {@link FaultNodeMain} JVM incarnation: its process (by PID), its stdin,
 * and the requests waiting for their answers. An answer ({@code OK ...} or {@code ERROR ...})
 * completes its request's future; when the process ends, every waiting request completes
 * exceptionally with {@link Died}.
 *
 * <p>Thread-safety: {@link #send} may be called from any thread.
 */
final class FaultNode {
  private static final AtomicLong REQUESTS = new AtomicLong();

  final int index;
  final String id;
  final Process process;
  private final Writer in;
  private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private volatile boolean ended;

  /** The process died (or its output ended) before it answered. */
  static final class Died extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Died(String message) {
      super(message, null, false, false);
    }
  }

  FaultNode(int index, String id, Process process) {
    this.index = index;
    this.id = id;
    this.process = process;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readAnswers, id + "-pid" + process.pid() + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  private void readAnswers() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("READY ")) {
          ready.complete(line);
          continue;
        }
        int space = line.indexOf(' ');
        if (space < 0) {
          continue;
        }
        CompletableFuture<String> f = waiting.remove(line.substring(0, space));
        if (f != null) {
          f.complete(line.substring(space + 1));
        }
      }
    } catch (IOException e) {
      // the process is gone: fall through
    }
    ended = true;
    Died died = new Died(id + " (pid " + process.pid() + ") ended");
    ready.completeExceptionally(died);
    for (String key : waiting.keySet()) {
      CompletableFuture<String> f = waiting.remove(key);
      if (f != null) {
        f.completeExceptionally(died);
      }
    }
  }

  /** Waits for READY at most {@code seconds}. */
  void awaitReady(long seconds) throws Exception {
    ready.get(seconds, TimeUnit.SECONDS);
  }

  /** Whether the process still runs (a paused one does). */
  boolean running() {
    return process.isAlive() && !ended;
  }

  /** Sends {@code command}; the future completes with {@code OK ...} or {@code ERROR ...}, or exceptionally with {@link Died}. */
  CompletableFuture<String> send(String command) {
    CompletableFuture<String> f = new CompletableFuture<>();
    if (!running()) {
      f.completeExceptionally(new Died(id + " (pid " + process.pid() + ") is not running"));
      return f;
    }
    String request = "q" + REQUESTS.incrementAndGet();
    waiting.put(request, f);
    try {
      synchronized (in) {
        in.write(request + " " + command + "\n");
        in.flush();
      }
    } catch (IOException e) {
      waiting.remove(request);
      f.completeExceptionally(new Died(id + " (pid " + process.pid() + ") refused its stdin: " + e));
    }
    if (ended) {
      CompletableFuture<String> left = waiting.remove(request);
      if (left != null) {
        left.completeExceptionally(new Died(id + " (pid " + process.pid() + ") ended"));
      }
    }
    return f;
  }

  /** Sends {@code command} and waits at most {@code seconds}: its answer, or {@code null} on a timeout or death. */
  @Nullable String ask(String command, long seconds) {
    try {
      return send(command).get(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  /** SIGKILL by PID, waiting for the end. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Ends stdin (the node closes its manager and exits), then SIGKILL if it has not ended in {@code seconds}. */
  void stop(long seconds) throws InterruptedException {
    try {
      synchronized (in) {
        in.close();
      }
    } catch (IOException ignored) {
      // gone already
    }
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      kill();
    }
  }

  @Override
  public String toString() {
    return id + " (pid " + process.pid() + ")";
  }
}
