package io.ringstore.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.provider.RingstoreCachingProvider;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Caching;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheResult;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/**
 * The interceptors look their cache up on every call: closing the provider (as TCK tests do after
 * each test) or destroying the cache does not break later calls, and a missing cache is created.
 */
class ResolverLifecycleTest {

  /** Squares, counted. */
  @ApplicationScoped
  public static class Squares {
    private final AtomicInteger calls = new AtomicInteger();

    public int calls() {
      return calls.get();
    }

    @CacheResult(cacheName = "squares")
    public Integer square(@CacheKey int x) {
      calls.incrementAndGet();
      return x * x;
    }
  }

  @Test
  void callsStillWorkAfterTheProviderWasClosed() {
    try (WeldContainer container = Containers.start(ResolverLifecycleTest.class, Squares.class)) {
      Squares squares = container.select(Squares.class).get();
      assertThat(squares.square(3)).isEqualTo(9);
      assertThat(squares.square(3)).isEqualTo(9);
      assertThat(squares.calls()).isEqualTo(1);

      Caching.getCachingProvider(RingstoreCachingProvider.class.getName()).close();

      assertThat(squares.square(3)).isEqualTo(9);
      assertThat(squares.calls()).as("a new manager, a new cache: computed again").isEqualTo(2);
      assertThat(squares.square(3)).isEqualTo(9);
      assertThat(squares.calls()).as("and cached again").isEqualTo(2);
      assertThat(Containers.manager().getCache("squares")).isNotNull();
    }
  }

  @Test
  void callsStillWorkAfterTheCacheWasDestroyed() {
    try (WeldContainer container = Containers.start(ResolverLifecycleTest.class, Squares.class)) {
      Squares squares = container.select(Squares.class).get();
      assertThat(Containers.manager().getCache("squares")).as("created on first use").isNull();
      assertThat(squares.square(4)).isEqualTo(16);
      assertThat(Containers.manager().getCache("squares")).isNotNull();
      Containers.manager().destroyCache("squares");
      assertThat(squares.square(4)).isEqualTo(16);
      assertThat(squares.calls()).isEqualTo(2);
      assertThat(squares.square(4)).isEqualTo(16);
      assertThat(squares.calls()).isEqualTo(2);
    }
  }
}
