package io.ringstore.tck;

import io.ringstore.cdi.CacheAnnotationsExtension;
import java.util.List;
import javax.cache.annotation.BeanProvider;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.jspecify.annotations.Nullable;

/**
 * The TCK's hook for its 12 annotation tests ({@code org.jsr107.tck.annotation.*Test}): their base
 * class {@code AbstractInterceptionTest} takes the first {@link BeanProvider} that
 * {@link java.util.ServiceLoader} finds (this one, listed in
 * {@code META-INF/services/javax.cache.annotation.BeanProvider}) and asks it for the TCK's blog
 * managers, which must come back intercepted.
 *
 * <p>It serves them from a jakarta Weld SE container with Ringstore's
 * {@link CacheAnnotationsExtension}, started on first use: discovery is off (the TCK jar's
 * {@code META-INF/beans.xml} is the old javax one), so the extension is added explicitly
 * ({@code disableDiscovery()} also skips service-loaded extensions) and the three blog managers are
 * added as bean classes ({@code @Dependent}: they carry no scope).
 *
 * <p>Without this class the TCK's rule logs "EXCLUDING TEST" and lets the annotation tests pass
 * without running them; {@link BeanProviderGuardTest} fails the run if it is not found.
 *
 * <p>Thread-safety: thread-safe; the container is started once under the object's lock.
 */
public final class WeldBeanProvider implements BeanProvider, AutoCloseable {

  /** The TCK's beans under test (in the main cache-tests jar). */
  static final List<Class<?>> BEANS = List.of(manager.ClassLevelCacheConfigBlogManagerImpl.class,
      manager.CacheNameOnEachMethodBlogManagerImpl.class, manager.UsingDefaultCacheNameBlogManagerImpl.class);

  // started on first use, under this object's lock
  private @Nullable WeldContainer container;

  /** Made by {@link java.util.ServiceLoader}. */
  public WeldBeanProvider() {}

  private synchronized WeldContainer container() {
    WeldContainer c = container;
    if (c == null) {
      c = new Weld("ringstore-tck-" + Integer.toHexString(System.identityHashCode(this)))
          .disableDiscovery()
          .addExtension(new CacheAnnotationsExtension())
          .addBeanClasses(BEANS.toArray(Class<?>[]::new))
          .initialize();
      container = c;
    }
    return c;
  }

  @Override
  public <T> T getBeanByType(Class<T> beanClass) {
    return container().select(beanClass).get();
  }

  /** Shuts the container down, if it was started. */
  @Override
  public synchronized void close() {
    if (container != null) {
      container.close();
      container = null;
    }
  }
}
