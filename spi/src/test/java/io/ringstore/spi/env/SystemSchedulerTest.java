package io.ringstore.spi.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SystemSchedulerTest {

  @Test
  void theThreadRunsTasksWithRingstoresLoaderAndEndsWhenIdle() throws Exception {
    ClassLoader caller = Thread.currentThread().getContextClassLoader();
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    try (URLClassLoader application = new URLClassLoader(new URL[0], caller)) {
      // scheduled from a thread whose context loader is an application's, as inside a deployment
      Thread.currentThread().setContextClassLoader(application);
      SystemScheduler.INSTANCE.schedule(() -> ranOn.complete(Thread.currentThread()), Duration.ofMillis(1));
    } finally {
      Thread.currentThread().setContextClassLoader(caller);
    }
    Thread thread = ranOn.get(10, TimeUnit.SECONDS);
    assertThat(thread.getName()).isEqualTo("ringstore-scheduler");
    assertThat(thread.getContextClassLoader()).isSameAs(SystemScheduler.class.getClassLoader());

    thread.join(TimeUnit.SECONDS.toMillis(SystemScheduler.IDLE_SECONDS + 10));
    assertThat(thread.isAlive()).as("the scheduler thread once idle").isFalse();

    CompletableFuture<Thread> again = new CompletableFuture<>();
    SystemScheduler.INSTANCE.schedule(() -> again.complete(Thread.currentThread()), Duration.ZERO);
    assertThat(again.get(10, TimeUnit.SECONDS)).isNotSameAs(thread);
  }

  @Test
  void aCancelledTaskNeitherRunsNorKeepsTheThread() throws Exception {
    CompletableFuture<Thread> probe = new CompletableFuture<>();
    SystemScheduler.INSTANCE.schedule(() -> probe.complete(Thread.currentThread()), Duration.ZERO);
    Thread thread = probe.get(10, TimeUnit.SECONDS);
    boolean[] ran = new boolean[1];
    SystemScheduler.INSTANCE.schedule(() -> ran[0] = true, Duration.ofHours(1)).cancel();

    thread.join(TimeUnit.SECONDS.toMillis(SystemScheduler.IDLE_SECONDS + 10));
    assertThat(thread.isAlive()).as("the thread with only a cancelled task left").isFalse();
    assertThat(ran[0]).isFalse();
  }
}
