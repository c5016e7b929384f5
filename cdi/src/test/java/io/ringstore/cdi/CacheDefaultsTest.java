package io.ringstore.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.weld.environment.se.WeldContainer;
import org.jsr107.ri.annotations.DefaultGeneratedCacheKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code @CacheDefaults}: on the class, on a subclass of the declaring class, overridden per method, key generator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheDefaultsTest {
  private WeldContainer container;

  @BeforeAll
  void start() {
    container = Containers.start(CacheDefaultsTest.class, Repositories.SubRepository.class,
        Repositories.ClassDefaults.class, Repositories.ByLetter.class);
  }

  @AfterAll
  void stop() {
    container.close();
  }

  @BeforeEach
  void clean() {
    Containers.clearAll();
  }

  private static Object key(Object... parameters) {
    return new DefaultGeneratedCacheKey(parameters);
  }

  @Test
  void classLevelDefaultsNameTheCache() {
    Repositories.ClassDefaults bean = container.select(Repositories.ClassDefaults.class).get();
    bean.a("1");
    assertThat(Containers.manager().getCache("class-defaults").get(key("1"))).isEqualTo("a:1");
    bean.clear();
    assertThat(Containers.manager().getCache("class-defaults").iterator().hasNext()).isFalse();
  }

  @Test
  void aMethodLevelNameWinsOverTheDefaults() {
    Repositories.ClassDefaults bean = container.select(Repositories.ClassDefaults.class).get();
    bean.b("1");
    assertThat(Containers.manager().getCache("method-wins").get(key("1"))).isEqualTo("b:1");
    assertThat(Containers.manager().getCache("class-defaults")).as("never used").isNull();
  }

  @Test
  void defaultsOnASubclassApplyToTheMethodsItInherits() {
    Repositories.SubRepository bean = container.select(Repositories.SubRepository.class).get();
    bean.find("1");
    assertThat(Containers.manager().getCache("sub-defaults").get(key("1"))).isEqualTo("base:1");
    assertThat(Containers.manager().getCache("io.ringstore.cdi.Repositories$BaseRepository.find(java.lang.String)"))
        .as("the default name of the declaring class is not used").isNull();
  }

  @Test
  void theBeanClassIsFoundPastTheContainersProxies() {
    Object proxy = container.select(Repositories.SubRepository.class).get();
    assertThat(proxy.getClass()).isNotEqualTo(Repositories.SubRepository.class);
    assertThat(CacheLookup.beanClass(proxy.getClass())).isEqualTo(Repositories.SubRepository.class);
  }

  @Test
  void aKeyGeneratorNamedInTheDefaultsMakesTheKeys() {
    Repositories.ByLetter bean = container.select(Repositories.ByLetter.class).get();
    assertThat(bean.word("apple")).isEqualTo("apple");
    assertThat(bean.word("avocado")).as("same first letter, same key").isEqualTo("apple");
    assertThat(bean.word("banana")).isEqualTo("banana");
  }
}
