package io.ringstore.cluster.vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Counts, per Vert.x clustered test class run against Ringstore's cluster manager (our subclasses
 * of {@code io.vertx.tests.*} classes), the tests passed, failed and skipped, and at the end of
 * each test plan adds one line per class, such as {@code Vert.x suite on RingstoreClusterManager:
 * ClusteredEventBusTest 112 passed of 112 (0 failed, 0 skipped)}, to the file the system property
 * {@code vertx.suite.summaryFile} names; the build prints that file after the tests. Registered
 * through {@code META-INF/services}.
 *
 * <p>Thread-safety: the JUnit Platform calls it from one thread at a time per plan; the counts are
 * guarded by this object's lock anyway.
 */
public final class VertxSuiteSummary implements TestExecutionListener {

  // guarded by this: Vert.x class simple name -> {passed, failed, skipped}
  private final Map<String, long[]> counts = new TreeMap<>();

  /** Created by the JUnit Platform's service loader. */
  public VertxSuiteSummary() {}

  /** The Vert.x test class {@code identifier} belongs to, through our subclass, or null. */
  private static String vertxClass(TestIdentifier identifier) {
    TestSource source = identifier.getSource().orElse(null);
    if (!identifier.isTest() || !(source instanceof MethodSource method)) {
      return null;
    }
    try {
      Class<?> ours = Class.forName(method.getClassName(), false, VertxSuiteSummary.class.getClassLoader());
      for (Class<?> c = ours.getSuperclass(); c != null; c = c.getSuperclass()) {
        if (c.getName().startsWith("io.vertx.tests.") && ours.getName().startsWith("io.ringstore.")) {
          return c.getSimpleName();
        }
      }
    } catch (ClassNotFoundException e) {
      return null;
    }
    return null;
  }

  @Override
  public synchronized void executionSkipped(TestIdentifier identifier, String reason) {
    String c = vertxClass(identifier);
    if (c != null) {
      counts.computeIfAbsent(c, k -> new long[3])[2]++;
    }
  }

  @Override
  public synchronized void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
    String c = vertxClass(identifier);
    if (c != null) {
      long[] n = counts.computeIfAbsent(c, k -> new long[3]);
      switch (result.getStatus()) {
        case SUCCESSFUL -> n[0]++;
        case FAILED -> n[1]++;
        case ABORTED -> n[2]++;
      }
    }
  }

  @Override
  public synchronized void testPlanExecutionFinished(TestPlan plan) {
    String file = System.getProperty("vertx.suite.summaryFile");
    if (file == null || counts.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      long[] n = e.getValue();
      lines.append("Vert.x suite on RingstoreClusterManager: ").append(e.getKey()).append(' ').append(n[0])
          .append(" passed of ").append(n[0] + n[1] + n[2]).append(" (").append(n[1]).append(" failed, ")
          .append(n[2]).append(" skipped)\n");
    }
    counts.clear();
    try {
      // Surefire may run several plans in one JVM: each adds its lines
      Files.writeString(Path.of(file), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Vert.x suite summary " + file, e);
    }
  }
}
