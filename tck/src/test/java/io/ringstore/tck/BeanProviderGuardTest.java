package io.ringstore.tck;

import static org.assertj.core.api.Assertions.assertThat;

import domain.Blog;
import java.util.ServiceLoader;
import javax.cache.annotation.BeanProvider;
import manager.BlogManager;
import org.junit.jupiter.api.Test;

/**
 * Fails the run if the TCK's annotation tests would pass without running: when
 * {@code AbstractInterceptionTest} finds no {@link BeanProvider}, the TCK's rule logs "EXCLUDING
 * TEST" and reports each annotation test as passed. This finds the provider exactly as the TCK
 * does (the thread's context class loader) and checks that what it hands out is intercepted.
 */
class BeanProviderGuardTest {

  @Test
  void theTckFindsTheWeldBeanProviderAndItsBeansAreIntercepted() {
    ServiceLoader<BeanProvider> loader = ServiceLoader.load(BeanProvider.class);
    BeanProvider found = loader.findFirst().orElse(null);
    assertThat(found).as("a javax.cache.annotation.BeanProvider on the test class path").isInstanceOf(WeldBeanProvider.class);
    try (WeldBeanProvider provider = (WeldBeanProvider) found) {
      for (Class<?> type : WeldBeanProvider.BEANS) {
        Object bean = provider.getBeanByType(type);
        assertThat(bean.getClass().getName()).as("%s comes back as Weld's intercepting subclass", type.getName())
            .contains("WeldSubclass");
      }
      BlogManager blogs = provider.getBeanByType(manager.ClassLevelCacheConfigBlogManagerImpl.class);
      blogs.clearCache();
      Blog blog = new Blog("guard-" + System.identityHashCode(this), "body");
      blogs.createEntry(blog);
      assertThat(blogs.getEntryCached(blog.getTitle()).getBody()).isEqualTo("body");
      blogs.clearEntry(blog.getTitle());
      assertThat(blogs.getEntryCached(blog.getTitle())).as("served from the cache after the store forgot it").isNotNull();
      blogs.clearCache();
    }
  }
}
