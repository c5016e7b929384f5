package io.ringstore.provider.testing;

import java.lang.reflect.Proxy;
import java.net.URI;
import javax.cache.Cache;
import javax.cache.CacheManager;

/** Test support shared by the provider's unit tests: a {@link Cache} that only knows its name and manager URI: enough to be an event source. */
public final class StubCache {

  private StubCache() {}

  @SuppressWarnings("unchecked")
  public static <K, V> Cache<K, V> named(String managerUri, String name) {
    CacheManager manager = (CacheManager) Proxy.newProxyInstance(
        StubCache.class.getClassLoader(), new Class<?>[] {CacheManager.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getURI" -> URI.create(managerUri);
          case "toString" -> "StubCacheManager[" + managerUri + "]";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
    return (Cache<K, V>) Proxy.newProxyInstance(
        StubCache.class.getClassLoader(), new Class<?>[] {Cache.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getName" -> name;
          case "getCacheManager" -> manager;
          case "toString" -> "StubCache[" + name + "]";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
