package io.ringstore.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheResult;

/** A @CacheResult method that holds its callers until the test releases them. */
@ApplicationScoped
public class SlowLoader {
  private final Calls calls = new Calls();
  private volatile CountDownLatch entered = new CountDownLatch(0);
  private volatile CountDownLatch release = new CountDownLatch(0);

  @Inject
  SlowLoader self;

  public void arm(CountDownLatch entered, CountDownLatch release) {
    this.entered = entered;
    this.release = release;
  }

  public int calls(String method) {
    return calls.of(method);
  }

  public void reset() {
    calls.reset();
  }

  @CacheResult(cacheName = "slow")
  public String load(String key) throws InterruptedException {
    calls.bump("load");
    entered.countDown();
    if (!release.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never released load(" + key + ")");
    }
    if (key.startsWith("fail")) {
      throw new IllegalStateException("failed " + key);
    }
    return key.toUpperCase();
  }

  /** Calls itself for the same key (only {@code key} is the cache key) {@code depth} times. */
  @CacheResult(cacheName = "reentrant")
  public String nested(@CacheKey String key, int depth) {
    calls.bump("nested");
    return depth == 0 ? key : self.nested(key, depth - 1) + "<";
  }
}
