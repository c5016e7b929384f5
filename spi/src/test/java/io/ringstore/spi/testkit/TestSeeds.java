package io.ringstore.spi.testkit;

import java.util.SplittableRandom;
import org.junit.jupiter.api.TestInfo;

/**
 * Seeds for tests of every module: {@code -Dringstore.seed} if given, else a fresh random one;
 * always printed with the test's name so a failure can be replayed.
 *
 * <p>Thread-safety: stateless.
 */
public final class TestSeeds {

  private TestSeeds() {}

  public static long seed(TestInfo test) {
    String property = System.getProperty("ringstore.seed");
    long seed = property != null ? Long.parseLong(property) : new SplittableRandom().nextLong();
    System.out.println(test.getTestClass().map(Class::getSimpleName).orElse("?") + "." + test.getDisplayName()
        + ": seed = " + seed + " (rerun with -Dringstore.seed=" + seed + ")");
    return seed;
  }
}
