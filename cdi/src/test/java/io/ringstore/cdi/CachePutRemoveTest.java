package io.ringstore.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code @CachePut}, {@code @CacheRemove}, {@code @CacheRemoveAll}: when they act and which exceptions stop them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CachePutRemoveTest {
  private WeldContainer container;
  private Catalog catalog;

  @BeforeAll
  void start() {
    container = Containers.start(CachePutRemoveTest.class, Catalog.class);
    catalog = container.select(Catalog.class).get();
  }

  @AfterAll
  void stop() {
    container.close();
  }

  @BeforeEach
  void clean() {
    Containers.clearAll();
  }

  @Test
  void putStoresTheCacheValueUnderTheKeyOfTheOtherParameters() {
    catalog.put("1", "one");
    assertThat(catalog.find("1")).isEqualTo("one");
  }

  @Test
  void putOfANullValueRemovesTheKey() {
    catalog.put("1", "one");
    catalog.put("1", null);
    assertThat(catalog.find("1")).isEqualTo("db:1");
  }

  @Test
  void putAfterInvocationDoesNotPutWhenTheMethodThrows() {
    assertThatThrownBy(() -> catalog.putThenFail("1", "one", "argument")).isInstanceOf(IllegalArgumentException.class);
    assertThat(catalog.find("1")).isEqualTo("db:1");
  }

  @Test
  void putCacheForPutsDespiteTheListedException() {
    assertThatThrownBy(() -> catalog.putUnlessStateFails("1", "one", "argument")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> catalog.putUnlessStateFails("2", "two", "state")).isInstanceOf(IllegalStateException.class);
    assertThat(catalog.find("1")).isEqualTo("one");
    assertThat(catalog.find("2")).isEqualTo("db:2");
  }

  @Test
  void putNoCacheForPutsDespiteAnyOtherException() {
    assertThatThrownBy(() -> catalog.putUnlessArgumentFails("1", "one", "argument")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> catalog.putUnlessArgumentFails("2", "two", "state")).isInstanceOf(IllegalStateException.class);
    assertThat(catalog.find("1")).isEqualTo("db:1");
    assertThat(catalog.find("2")).isEqualTo("two");
  }

  @Test
  void putBeforeInvocationPutsWhateverTheMethodDoes() {
    assertThatThrownBy(() -> catalog.putBeforeFailing("1", "one", "state")).isInstanceOf(IllegalStateException.class);
    assertThat(catalog.find("1")).isEqualTo("one");
  }

  @Test
  void removeRemovesTheKey() {
    catalog.put("1", "one");
    catalog.put("2", "two");
    catalog.remove("1");
    assertThat(catalog.find("1")).isEqualTo("db:1");
    assertThat(catalog.find("2")).isEqualTo("two");
  }

  @Test
  void removeAfterInvocationDoesNotRemoveWhenTheMethodThrows() {
    catalog.put("1", "one");
    assertThatThrownBy(() -> catalog.removeThenFail("1", "state")).isInstanceOf(IllegalStateException.class);
    assertThat(catalog.find("1")).isEqualTo("one");
  }

  @Test
  void removeEvictForRemovesDespiteTheListedException() {
    catalog.put("1", "one");
    catalog.put("2", "two");
    assertThatThrownBy(() -> catalog.removeUnlessStateFails("1", "argument")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> catalog.removeUnlessStateFails("2", "state")).isInstanceOf(IllegalStateException.class);
    assertThat(catalog.find("1")).isEqualTo("db:1");
    assertThat(catalog.find("2")).isEqualTo("two");
  }

  @Test
  void removeBeforeInvocationRemovesWhateverTheMethodDoes() {
    catalog.put("1", "one");
    assertThatThrownBy(() -> catalog.removeBeforeFailing("1", "state")).isInstanceOf(IllegalStateException.class);
    assertThat(catalog.find("1")).isEqualTo("db:1");
  }

  @Test
  void removeAllEmptiesTheCache() {
    catalog.put("1", "one");
    catalog.put("2", "two");
    catalog.clear();
    assertThat(Containers.manager().getCache("catalog").iterator().hasNext()).isFalse();
  }

  @Test
  void removeAllAfterInvocationDoesNotRemoveWhenTheMethodThrows() {
    catalog.put("1", "one");
    assertThatThrownBy(() -> catalog.clearThenFail("argument")).isInstanceOf(IllegalArgumentException.class);
    assertThat(catalog.find("1")).isEqualTo("one");
  }

  @Test
  void removeAllNoEvictForRemovesDespiteAnyOtherException() {
    catalog.put("1", "one");
    assertThatThrownBy(() -> catalog.clearUnlessStateFails("state")).isInstanceOf(IllegalStateException.class);
    assertThat(catalog.find("1")).isEqualTo("one");
    assertThatThrownBy(() -> catalog.clearUnlessStateFails("argument")).isInstanceOf(IllegalArgumentException.class);
    assertThat(catalog.find("1")).isEqualTo("db:1");
  }

  @Test
  void removeAllBeforeInvocationRemovesWhateverTheMethodDoes() {
    catalog.put("1", "one");
    assertThatThrownBy(() -> catalog.clearBeforeFailing("state")).isInstanceOf(IllegalStateException.class);
    assertThat(catalog.find("1")).isEqualTo("db:1");
  }
}
