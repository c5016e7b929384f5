package io.ringstore.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.provider.RingstoreCacheManager;
import io.ringstore.provider.RingstoreCachingProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;
import java.net.URI;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.annotation.CacheResult;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/** {@code @Inject CacheManager} and {@code @Inject @NamedCache("...") Cache<K, V>}. */
class ProducersTest {

  /** Injects both. */
  @ApplicationScoped
  public static class OrderDesk {
    @Inject
    CacheManager manager;

    @Inject
    @NamedCache("orders")
    Cache<String, String> orders;

    public CacheManager manager() {
      return manager;
    }

    public Cache<String, String> orders() {
      return orders;
    }

    @CacheResult(cacheName = "annotated")
    public String quote(String id) {
      return "quote " + id;
    }
  }

  @Test
  void theInjectedManagerIsRingstoresDefaultOneAndClosesWithTheContainer() {
    RingstoreCacheManager unwrapped;
    try (WeldContainer container = Containers.start(ProducersTest.class, OrderDesk.class)) {
      CacheManager manager = container.select(OrderDesk.class).get().manager();
      unwrapped = manager.unwrap(RingstoreCacheManager.class);
      assertThat(manager.getURI()).isEqualTo(URI.create(RingstoreCachingProvider.DEFAULT_URI_TEXT));
      assertThat(manager.getClassLoader()).isSameAs(Thread.currentThread().getContextClassLoader());
      assertThat(unwrapped).isSameAs(Containers.manager());
      assertThat(unwrapped.isClosed()).isFalse();
    }
    assertThat(unwrapped.isClosed()).as("closed when the container shut down").isTrue();
  }

  @Test
  void aNamedCacheIsTheManagersCacheOfThatNameCreatedIfMissing() {
    try (WeldContainer container = Containers.start(ProducersTest.class, OrderDesk.class)) {
      OrderDesk desk = container.select(OrderDesk.class).get();
      Cache<String, String> orders = desk.orders();
      assertThat(orders.getName()).isEqualTo("orders");
      assertThat(desk.manager().getCache("orders")).isSameAs(orders);
      orders.put("o-1", "two apples");
      assertThat(Containers.manager().<String, String>getCache("orders").get("o-1")).isEqualTo("two apples");

      Cache<Integer, String> fresh = container.select(new TypeLiteral<Cache<Integer, String>>() {},
          NamedCache.Literal.of("fresh")).get();
      assertThat(fresh.getName()).isEqualTo("fresh");
      assertThat(desk.manager().getCache("fresh")).isSameAs(fresh);
    }
  }

  @Test
  void injectedCachesAndAnnotationsShareTheManager() {
    try (WeldContainer container = Containers.start(ProducersTest.class, OrderDesk.class)) {
      OrderDesk desk = container.select(OrderDesk.class).get();
      desk.quote("1");
      assertThat(desk.manager().getCache("annotated").iterator().next().getValue()).isEqualTo("quote 1");
    }
  }

  @Test
  void aBlankNameIsRefusedNamingTheInjectionPoint() {
    try (WeldContainer container = Containers.start(ProducersTest.class, OrderDesk.class)) {
      assertThatThrownBy(() -> container.select(new TypeLiteral<Cache<String, String>>() {},
          NamedCache.Literal.of(" ")).get())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("@NamedCache at a programmatic lookup names no cache (value ' ')");
    }
  }
}
