package io.ringstore.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code @CacheResult} is stampede-free: real threads, latches, no sleeps. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StampedeTest {
  private static final int CALLERS = 8;
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private WeldContainer container;
  private SlowLoader loader;
  private LoadFlights flights;
  private ExecutorService threads;

  @BeforeAll
  void start() {
    container = Containers.start(StampedeTest.class, SlowLoader.class);
    loader = container.select(SlowLoader.class).get();
    flights = container.select(CacheLookup.class).get().flights();
  }

  @AfterAll
  void stop() {
    container.close();
  }

  @BeforeEach
  void clean() {
    Containers.clearAll();
    loader.reset();
    threads = Executors.newFixedThreadPool(CALLERS);
  }

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(flights.inFlight()).as("flights left behind").isZero();
  }

  /** Starts one caller, waits until it is inside the method, then starts the others and waits until they wait. */
  private List<Future<String>> stampede(String key, CountDownLatch release) throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    loader.arm(entered, release);
    List<Future<String>> results = new ArrayList<>();
    results.add(threads.submit(() -> loader.load(key)));
    assertThat(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("first caller entered").isTrue();
    for (int i = 1; i < CALLERS; i++) {
      results.add(threads.submit(() -> loader.load(key)));
    }
    await().atMost(PATIENCE).until(() -> flights.waiting() == CALLERS - 1);
    return results;
  }

  @Test
  void concurrentMissesForOneKeyRunTheMethodOnceAndAllGetItsResult() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Future<String>> results = stampede("k", release);
    assertThat(loader.calls("load")).isEqualTo(1);
    release.countDown();
    for (Future<String> result : results) {
      assertThat(result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("K");
    }
    assertThat(loader.calls("load")).isEqualTo(1);
    assertThat(loader.load("k")).isEqualTo("K");
    assertThat(loader.calls("load")).as("later calls hit the cache").isEqualTo(1);
  }

  @Test
  void concurrentMissesForOneKeyAllGetTheOneException() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Future<String>> results = stampede("fail-1", release);
    release.countDown();
    for (Future<String> result : results) {
      try {
        result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        throw new AssertionError("load(fail-1) returned normally");
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("failed fail-1");
      }
    }
    assertThat(loader.calls("load")).isEqualTo(1);
  }

  @Test
  void differentKeysLoadInParallel() throws Exception {
    CountDownLatch entered = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    loader.arm(entered, release);
    Future<String> a = threads.submit(() -> loader.load("a"));
    Future<String> b = threads.submit(() -> loader.load("b"));
    assertThat(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("both keys inside the method at once").isTrue();
    release.countDown();
    assertThat(a.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("A");
    assertThat(b.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("B");
    assertThat(loader.calls("load")).isEqualTo(2);
  }

  @Test
  void aReentrantCallForTheSameKeyOnTheSameThreadDoesNotWaitForItself() throws Exception {
    Future<String> result = threads.submit(() -> loader.nested("r", 3));
    assertThat(result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("r<<<");
    assertThat(loader.calls("nested")).isEqualTo(4);
    assertThat(loader.nested("r", 3)).isEqualTo("r<<<");
    assertThat(loader.calls("nested")).isEqualTo(4);
  }
}
