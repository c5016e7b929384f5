package io.ringstore.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import javax.cache.CacheManager;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/** When the application stops (the container shuts down), its Ringstore cache managers close with it. */
class ShutdownTest {

  @Test
  void theApplicationsManagersCloseWhenTheContainerShutsDown() {
    WeldContainer container = Containers.start(ShutdownTest.class, Catalog.class);
    Catalog catalog = container.select(Catalog.class).get();
    assertThat(catalog.find("a")).isEqualTo("db:a");
    CacheManager used = Containers.manager();
    assertThat(used.getCache("catalog")).as("the cache the interceptor used").isNotNull();

    container.close();

    assertThat(used.isClosed()).as("the manager the application used, after shutdown").isTrue();
    // a later application (another container) gets a fresh manager
    WeldContainer next = Containers.start(ShutdownTest.class, Catalog.class);
    try {
      assertThat(next.select(Catalog.class).get().find("b")).isEqualTo("db:b");
      assertThat(Containers.manager()).isNotSameAs(used);
      assertThat(Containers.manager().isClosed()).isFalse();
    } finally {
      next.close();
    }
  }
}
