package io.ringstore.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import javax.cache.Cache;
import org.jboss.weld.environment.se.WeldContainer;
import org.jsr107.ri.annotations.DefaultGeneratedCacheKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code @CacheResult}: hits, keys, the default cache name, null results, skipGet and the exception rules. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheResultTest {
  private WeldContainer container;
  private Lookups lookups;

  @BeforeAll
  void start() {
    container = Containers.start(CacheResultTest.class, Lookups.class);
    lookups = container.select(Lookups.class).get();
  }

  @AfterAll
  void stop() {
    container.close();
  }

  @BeforeEach
  void clean() {
    Containers.clearAll();
    lookups.reset();
  }

  private static Object key(Object... parameters) {
    return new DefaultGeneratedCacheKey(parameters);
  }

  @Test
  void secondCallWithTheSameParametersIsServedFromTheCache() {
    assertThat(lookups.describe("a", 1)).isEqualTo("a@1");
    assertThat(lookups.describe("a", 1)).isEqualTo("a@1");
    assertThat(lookups.calls("describe")).isEqualTo(1);
    assertThat(Containers.manager().getCache("lookups").get(key("a", 1))).isEqualTo("a@1");
  }

  @Test
  void everyParameterIsPartOfTheDefaultKey() {
    lookups.describe("a", 1);
    lookups.describe("a", 2);
    lookups.describe("b", 1);
    assertThat(lookups.calls("describe")).isEqualTo(3);
  }

  @Test
  void onlyCacheKeyParametersMakeTheKeyWhenAnyIsMarked() {
    assertThat(lookups.byKey("a", "first")).isEqualTo("a/first");
    assertThat(lookups.byKey("a", "second")).isEqualTo("a/first");
    assertThat(lookups.calls("byKey")).isEqualTo(1);
    assertThat(Containers.manager().getCache("lookups.byKey").get(key("a"))).isEqualTo("a/first");
  }

  @Test
  void withoutACacheNameTheCacheIsNamedAfterTheMethod() {
    lookups.defaultName("x");
    Cache<Object, Object> cache = Containers.manager().getCache("io.ringstore.cdi.Lookups.defaultName(java.lang.String)");
    assertThat(cache).isNotNull();
    assertThat(cache.get(key("x"))).isEqualTo("default x");
  }

  @Test
  void aNullResultIsNotCached() {
    assertThat(lookups.nothing("x")).isNull();
    assertThat(lookups.nothing("x")).isNull();
    assertThat(lookups.calls("nothing")).isEqualTo(2);
    assertThat(Containers.manager().getCache("lookups.nulls").iterator().hasNext()).isFalse();
  }

  @Test
  void skipGetAlwaysRunsTheMethodAndCachesItsResult() {
    assertThat(lookups.fresh("x")).isEqualTo("x#1");
    assertThat(lookups.fresh("x")).isEqualTo("x#2");
    assertThat(Containers.manager().getCache("lookups.skip").get(key("x"))).isEqualTo("x#2");
  }

  @Test
  void withoutAnExceptionCacheExceptionsAreNotCached() {
    assertThatThrownBy(() -> lookups.failing("x")).isInstanceOf(IllegalStateException.class).hasMessage("no x");
    assertThatThrownBy(() -> lookups.failing("x")).isInstanceOf(IllegalStateException.class).hasMessage("no x");
    assertThat(lookups.calls("failing")).isEqualTo(2);
  }

  @Test
  void aCachedExceptionIsRethrownWithoutRunningTheMethod() {
    assertThatThrownBy(() -> lookups.cachedFailure("x")).isInstanceOf(IllegalStateException.class)
        .hasMessage("no x (call 1)");
    assertThatThrownBy(() -> lookups.cachedFailure("x")).isInstanceOf(IllegalStateException.class)
        .hasMessage("no x (call 1)");
    assertThat(lookups.calls("cachedFailure")).isEqualTo(1);
    assertThat(Containers.manager().getCache("lookups.exc.errors").get(key("x"))).isInstanceOf(IllegalStateException.class);
    assertThat(Containers.manager().getCache("lookups.exc").get(key("x"))).isNull();
  }

  @Test
  void aCachedCheckedExceptionKeepsItsType() {
    assertThatThrownBy(() -> lookups.checked("f")).isInstanceOf(IOException.class).hasMessage("cannot read f (call 1)");
    assertThatThrownBy(() -> lookups.checked("f")).isInstanceOf(IOException.class).hasMessage("cannot read f (call 1)");
    assertThat(lookups.calls("checked")).isEqualTo(1);
  }

  @Test
  void cachedExceptionsAndNonCachedExceptionsBothSetCacheOnlyIncludedAndNotExcluded() {
    // IllegalArgumentException: in cachedExceptions -> cached
    assertThatThrownBy(() -> lookups.filtered("a1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> lookups.filtered("a1")).isInstanceOf(IllegalArgumentException.class);
    assertThat(lookups.calls("filtered")).isEqualTo(1);
    // NumberFormatException: an IllegalArgumentException, but in nonCachedExceptions -> not cached
    assertThatThrownBy(() -> lookups.filtered("n1")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> lookups.filtered("n1")).isInstanceOf(NumberFormatException.class);
    assertThat(lookups.calls("filtered")).isEqualTo(3);
    // IllegalStateException: not in cachedExceptions -> not cached
    assertThatThrownBy(() -> lookups.filtered("s1")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> lookups.filtered("s1")).isInstanceOf(IllegalStateException.class);
    assertThat(lookups.calls("filtered")).isEqualTo(5);
  }

  @Test
  void onlyNonCachedExceptionsSetCachesEverythingElse() {
    assertThatThrownBy(() -> lookups.exceptNonCached("s1")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> lookups.exceptNonCached("s1")).isInstanceOf(IllegalStateException.class);
    assertThat(lookups.calls("exceptNonCached")).isEqualTo(2);
    assertThatThrownBy(() -> lookups.exceptNonCached("u1")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> lookups.exceptNonCached("u1")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(lookups.calls("exceptNonCached")).isEqualTo(3);
  }

  @Test
  void skipGetAlsoSkipsTheCachedExceptionButStillCachesTheNewOne() {
    assertThatThrownBy(() -> lookups.alwaysFails("x")).hasMessage("fails x (call 1)");
    assertThatThrownBy(() -> lookups.alwaysFails("x")).hasMessage("fails x (call 2)");
    Throwable cached = (Throwable) Containers.manager().getCache("lookups.skipExc.errors").get(key("x"));
    assertThat(cached).hasMessage("fails x (call 2)");
  }
}
