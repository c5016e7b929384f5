package io.ringstore.tck;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Counts the TCK's tests as the JUnit Platform runs them and writes the totals and a verdict to the
 * file named by the system property {@code tck.summaryFile}, which the build's verify phase prints
 * ("TCK: N tests ran, F failures, E errors, S skipped") and checks.
 *
 * <p>A test ran when it finished (passed, failed or aborted); a failure is an {@link AssertionError},
 * an error anything else (as Surefire counts them); skipped are tests skipped or aborted. A
 * container (a test class) that fails on its own, say in {@code @BeforeClass}, counts as an error.
 * The verdict is {@code pass} only if at least {@code tck.minimumTests} tests ran and none failed
 * or erred.
 *
 * <p>Ringstore's own harness checks in this module (tests in {@code io.ringstore.*}, such as
 * {@link BeanProviderGuardTest}) are counted apart, so they cannot make up for a missing TCK test:
 * the verdict also needs at least {@code tck.minimumHarnessChecks} of them to have run and none to
 * have failed.
 *
 * <p>Registered through {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 * Counters are static because Surefire may run several test plans in one JVM; each plan's end
 * rewrites the file with the totals so far.
 *
 * <p>Thread-safety: thread-safe (atomic counters; the file is written under the class lock).
 */
public final class TckSummaryListener implements TestExecutionListener {
  private static final AtomicLong RAN = new AtomicLong();
  private static final AtomicLong FAILURES = new AtomicLong();
  private static final AtomicLong ERRORS = new AtomicLong();
  private static final AtomicLong SKIPPED = new AtomicLong();
  private static final AtomicLong CHECKS_RAN = new AtomicLong();
  private static final AtomicLong CHECKS_FAILED = new AtomicLong();

  /** Created by the JUnit Platform's service loader. */
  public TckSummaryListener() {}

  /** Whether the test (or container) is one of Ringstore's own harness checks rather than the TCK's. */
  private static boolean isHarnessCheck(TestIdentifier identifier) {
    TestSource source = identifier.getSource().orElse(null);
    String className = source instanceof MethodSource m ? m.getClassName()
        : source instanceof ClassSource c ? c.getClassName() : "";
    return className.startsWith("io.ringstore.");
  }

  @Override
  public void executionSkipped(TestIdentifier identifier, String reason) {
    if (identifier.isTest() && isHarnessCheck(identifier)) {
      CHECKS_FAILED.incrementAndGet();
    } else if (identifier.isTest()) {
      SKIPPED.incrementAndGet();
    }
  }

  @Override
  public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
    if (isHarnessCheck(identifier)) {
      if (identifier.isTest()) {
        CHECKS_RAN.incrementAndGet();
      }
      if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
        CHECKS_FAILED.incrementAndGet();
      }
      return;
    }
    if (!identifier.isTest()) {
      if (result.getStatus() == TestExecutionResult.Status.FAILED) {
        ERRORS.incrementAndGet();
      }
      return;
    }
    RAN.incrementAndGet();
    switch (result.getStatus()) {
      case FAILED:
        if (result.getThrowable().orElse(null) instanceof AssertionError) {
          FAILURES.incrementAndGet();
        } else {
          ERRORS.incrementAndGet();
        }
        break;
      case ABORTED:
        SKIPPED.incrementAndGet();
        break;
      default:
        break;
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    String file = System.getProperty("tck.summaryFile");
    if (file == null) {
      return;
    }
    long minimum = Long.parseLong(System.getProperty("tck.minimumTests", "0"));
    long minimumChecks = Long.parseLong(System.getProperty("tck.minimumHarnessChecks", "0"));
    long checksRan = CHECKS_RAN.get();
    long checksFailed = CHECKS_FAILED.get();
    long ran = RAN.get();
    long failures = FAILURES.get();
    long errors = ERRORS.get();
    String reason;
    if (ran < minimum) {
      reason = ran + " tests ran, fewer than the " + minimum + " the TCK has";
    } else if (failures > 0 || errors > 0) {
      reason = failures + " failures and " + errors + " errors";
    } else if (checksRan < minimumChecks) {
      reason = checksRan + " of Ringstore's harness checks ran, fewer than the " + minimumChecks + " this module has";
    } else if (checksFailed > 0) {
      reason = checksFailed + " of Ringstore's harness checks failed (see BeanProviderGuardTest: without the "
          + "BeanProvider the TCK passes its annotation tests without running them)";
    } else {
      reason = "none";
    }
    Properties summary = new Properties();
    summary.setProperty("tck.ran", Long.toString(ran));
    summary.setProperty("tck.failures", Long.toString(failures));
    summary.setProperty("tck.errors", Long.toString(errors));
    summary.setProperty("tck.skipped", Long.toString(SKIPPED.get()));
    summary.setProperty("tck.minimum", Long.toString(minimum));
    summary.setProperty("tck.harnessChecks", Long.toString(checksRan));
    summary.setProperty("tck.harnessChecksFailed", Long.toString(checksFailed));
    summary.setProperty("tck.verdict", "none".equals(reason) ? "pass" : "fail");
    summary.setProperty("tck.reason", reason);
    synchronized (TckSummaryListener.class) {
      try (Writer out = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
        summary.store(out, "written by " + TckSummaryListener.class.getName());
      } catch (IOException e) {
        throw new IllegalStateException("cannot write the TCK summary to " + file + ": " + e, e);
      }
    }
    System.out.println("TCK: " + ran + " tests ran, " + failures + " failures, " + errors + " errors, " + SKIPPED.get()
        + " skipped; harness checks: " + checksRan + " ran, " + checksFailed + " failed");
  }
}
