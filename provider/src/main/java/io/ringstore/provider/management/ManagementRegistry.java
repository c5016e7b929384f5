package io.ringstore.provider.management;

import java.lang.management.ManagementFactory;
import java.util.Objects;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers a cache's MXBeans on the platform MBeanServer under the spec's object names:
 * {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>}.
 *
 * <p>Names: {@code CacheManager=} is the manager's {@code getURI().toString()} and {@code Cache=}
 * the cache's name, unquoted, with each {@code ':'} replaced by {@code '.'}: exactly the string
 * Micrometer's {@code JCacheMetrics} builds ({@code uri.toString().replace(':', '.')}), so it finds
 * the statistics of a cache whose manager has a {@code file:}, {@code jar:file:...!/...} or
 * {@code jar:nested:...} URI. The TCK ({@code TestSupport.calculateObjectName}) and the reference
 * implementation also replace {@code '='}, {@code ','} and newline, which an unquoted ObjectName
 * value cannot hold, so we do too; a value that then still holds {@code '*'}, {@code '?'} or
 * {@code '"'} (a pattern or an invalid value unquoted) is quoted with {@link ObjectName#quote(String)}.
 * Only for names holding one of these six characters do our name and Micrometer's differ (its
 * name is then not a valid, non-pattern ObjectName, so it cannot find any bean). Distinct caches
 * can share a name ({@code a:b} and {@code a=b}); as in the RI, the second registration is then a
 * no-op.
 *
 * <p>Thread-safety: stateless; safe from any thread. Register and unregister are idempotent.
 */
public final class ManagementRegistry {

  /** Which of a cache's two MXBeans. */
  public enum Kind {
    /** The {@link javax.cache.management.CacheMXBean}: {@code type=CacheConfiguration}. */
    CONFIGURATION("CacheConfiguration"),
    /** The {@link javax.cache.management.CacheStatisticsMXBean}: {@code type=CacheStatistics}. */
    STATISTICS("CacheStatistics");

    private final String typeName;

    Kind(String typeName) {
      this.typeName = typeName;
    }

    /** The {@code type} key's value in the object name. */
    public String typeName() {
      return typeName;
    }
  }

  private ManagementRegistry() {}

  /** The spec's object name of {@code cache}'s bean of this kind. */
  public static ObjectName objectName(Cache<?, ?> cache, Kind kind) {
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(kind, "kind");
    return objectName(String.valueOf(cache.getCacheManager().getURI()), cache.getName(), kind);
  }

  /** The object name for a cache named {@code cacheName} in the manager with URI {@code managerUri}. */
  static ObjectName objectName(String managerUri, String cacheName, Kind kind) {
    String text = "javax.cache:type=" + kind.typeName()
        + ",CacheManager=" + safeValue(managerUri)
        + ",Cache=" + safeValue(cacheName);
    try {
      return new ObjectName(text);
    } catch (MalformedObjectNameException e) {
      throw new CacheException("cannot build the JMX object name for cache '" + cacheName
          + "' of manager " + managerUri + ": " + e.getMessage(), e);
    }
  }

  /**
   * Micrometer's and the TCK's treatment ({@code :}, and also {@code =}, {@code ,}, newline, to
   * {@code .}), quoted only if an unquoted value cannot hold the result. A backslash needs no
   * quoting in an unquoted value, so it stays as it is (as in Micrometer's name).
   */
  static String safeValue(String value) {
    String replaced = value.replaceAll(":|=|\n|,", ".");
    for (int i = 0; i < replaced.length(); i++) {
      char c = replaced.charAt(i);
      if (c == '*' || c == '?' || c == '"') {
        return ObjectName.quote(replaced);
      }
    }
    return replaced;
  }

  /**
   * Registers {@code bean} under {@link #objectName(Cache, Kind)} unless a bean is already
   * registered there.
   *
   * @throws CacheException if the MBeanServer refuses the bean (the cause says why)
   */
  public static void register(Cache<?, ?> cache, Kind kind, Object bean) {
    Objects.requireNonNull(bean, "bean");
    ObjectName name = objectName(cache, kind);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (!server.isRegistered(name)) {
        server.registerMBean(bean, name);
      }
    } catch (InstanceAlreadyExistsException raced) {
      // Another thread registered it between the check and ours: idempotent, nothing to do.
    } catch (JMException | RuntimeException e) {
      throw new CacheException(
          "cannot register the " + kind.typeName() + " MXBean as " + name + ": " + e, e);
    }
  }

  /**
   * Unregisters the bean under {@link #objectName(Cache, Kind)} if one is registered.
   *
   * @throws CacheException if the MBeanServer refuses (the cause says why)
   */
  public static void unregister(Cache<?, ?> cache, Kind kind) {
    ObjectName name = objectName(cache, kind);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (InstanceNotFoundException raced) {
      // Unregistered concurrently: idempotent, nothing to do.
    } catch (JMException | RuntimeException e) {
      throw new CacheException(
          "cannot unregister the " + kind.typeName() + " MXBean " + name + ": " + e, e);
    }
  }

  /** True if a bean is registered under {@link #objectName(Cache, Kind)}. */
  public static boolean isRegistered(Cache<?, ?> cache, Kind kind) {
    return ManagementFactory.getPlatformMBeanServer().isRegistered(objectName(cache, kind));
  }
}
