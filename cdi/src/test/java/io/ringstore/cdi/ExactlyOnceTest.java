package io.ringstore.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.NormalScope;
import jakarta.enterprise.inject.Stereotype;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.InterceptionType;
import jakarta.interceptor.Interceptor;
import java.lang.annotation.Annotation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/**
 * Each interceptor runs exactly once per call, also when the container finds the module's classes
 * by itself (here: they are added as bean classes on top of the extension, as a scanned archive
 * would add them), and the jar gives a scanning container nothing to find.
 */
class ExactlyOnceTest {

  private static void assertEachInterceptorRunsOnce(WeldContainer container) throws NoSuchMethodException {
    Once once = container.select(Once.class).get();
    Once.CountingResolverFactory counter = container.select(Once.CountingResolverFactory.class).get();
    once.clear();
    assertThat(counter.resolutions()).as("@CacheRemoveAll").isEqualTo(1);
    assertThat(once.get("1")).isEqualTo("v1");
    assertThat(counter.resolutions()).as("@CacheResult, a miss").isEqualTo(2);
    assertThat(once.get("1")).isEqualTo("v1");
    assertThat(counter.resolutions()).as("@CacheResult, a hit").isEqualTo(3);
    once.put("1", "w1");
    assertThat(counter.resolutions()).as("@CachePut").isEqualTo(4);
    assertThat(once.get("1")).isEqualTo("w1");
    once.remove("1");
    assertThat(counter.resolutions()).as("@CacheRemove").isEqualTo(6);

    BeanManager beans = container.getBeanManager();
    for (Annotation binding : List.of(
        Once.class.getMethod("get", String.class).getAnnotation(CacheResult.class),
        Once.class.getMethod("put", String.class, String.class).getAnnotation(CachePut.class),
        Once.class.getMethod("remove", String.class).getAnnotation(CacheRemove.class),
        Once.class.getMethod("clear").getAnnotation(CacheRemoveAll.class))) {
      assertThat(beans.resolveInterceptors(InterceptionType.AROUND_INVOKE, binding))
          .as("interceptors for %s", binding.annotationType().getSimpleName()).hasSize(1);
    }
    assertThat(beans.getBeans(CacheLookup.class)).hasSize(1);
  }

  @Test
  void withTheExtensionAloneEachInterceptorRunsOnce() throws Exception {
    try (WeldContainer container = Containers.start(ExactlyOnceTest.class, Once.class, Once.CountingResolverFactory.class)) {
      assertEachInterceptorRunsOnce(container);
    }
  }

  @Test
  void whenTheContainerAlsoFindsTheModulesClassesEachInterceptorStillRunsOnce() throws Exception {
    List<Class<?>> classes = new ArrayList<>(List.of(Once.class, Once.CountingResolverFactory.class));
    classes.addAll(CacheAnnotationsExtension.INTERCEPTORS);
    classes.addAll(CacheAnnotationsExtension.BEANS);
    try (WeldContainer container = Containers.start(ExactlyOnceTest.class, classes.toArray(Class<?>[]::new))) {
      assertEachInterceptorRunsOnce(container);
    }
  }

  @Test
  void theJarHasNoBeansXmlAndNoBeanDefiningAnnotation() throws URISyntaxException {
    Path classes = Path.of(CacheAnnotationsExtension.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(Files.exists(classes.resolve("META-INF/beans.xml"))).isFalse();
    assertThat(Files.exists(classes.resolve("META-INF/services/jakarta.enterprise.inject.spi.Extension"))).isTrue();
    List<Class<?>> types = new ArrayList<>(CacheAnnotationsExtension.INTERCEPTORS);
    types.addAll(CacheAnnotationsExtension.BEANS);
    for (Class<?> type : types) {
      for (Annotation annotation : type.getAnnotations()) {
        Class<? extends Annotation> kind = annotation.annotationType();
        assertThat(kind == Interceptor.class || kind == Dependent.class || kind.isAnnotationPresent(NormalScope.class)
            || kind.isAnnotationPresent(Stereotype.class))
            .as("%s carries the bean-defining annotation %s", type.getName(), kind.getName()).isFalse();
      }
    }
  }

}
