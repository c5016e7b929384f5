package io.ringstore.provider.configuration;

import java.lang.reflect.InvocationTargetException;
import javax.cache.CacheException;
import javax.cache.configuration.Factory;

/**
 * A {@link Factory} that makes an instance of a class through its public no-argument constructor:
 * how the configuration file's {@code sibling-resolver} class becomes a resolver. Unlike
 * {@link javax.cache.configuration.FactoryBuilder.ClassFactory} it holds the class itself, loaded
 * with the cache manager's class loader, not a name resolved later by the thread's context loader.
 *
 * <p>Thread-safety: immutable; {@link #create()} may be called from any thread.
 *
 * @param type the class to instantiate; public, concrete, with a public no-argument constructor
 * @param <T> what the factory makes
 */
record NoArgFactory<T>(Class<? extends T> type) implements Factory<T> {
  private static final long serialVersionUID = 1L;

  @Override
  public T create() {
    try {
      return type.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new CacheException("the constructor of " + type.getName() + " failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new CacheException("cannot make a " + type.getName() + " with its public no-argument constructor: " + e, e);
    }
  }
}
