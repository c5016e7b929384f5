package io.ringstore.samples;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.management.CacheStatisticsMXBean;
import javax.cache.spi.CachingProvider;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The quickstart: an application that uses nothing but the {@code javax.cache} API, with Ringstore
 * on the class path. It creates a cache on the embedded default node, puts and gets, watches an
 * entry expire, shows a listener firing, and prints the cache's statistics from JMX.
 *
 * <p>Run it with {@code mvn -q -pl samples -am compile exec:java} from the repository root.
 */
public final class Quickstart {

  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    CachingProvider provider = Caching.getCachingProvider();
    System.out.println("provider:      " + provider.getClass().getName());
    System.out.println("cache manager: " + provider.getDefaultURI());

    try (CacheManager manager = provider.getCacheManager()) {
      MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
          .setTypes(String.class, String.class)
          .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 1)))
          .setStatisticsEnabled(true)
          .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
              FactoryBuilder.factoryOf(new PrintingListener()), null, true, true));

      Cache<String, String> greetings = manager.createCache("greetings", config);

      greetings.put("en", "hello");
      greetings.put("fr", "bonjour");
      greetings.put("en", "hello, world");
      System.out.println("get en         -> " + greetings.get("en"));
      System.out.println("get fr         -> " + greetings.get("fr"));
      System.out.println("get de         -> " + greetings.get("de"));
      System.out.println("putIfAbsent fr -> " + greetings.putIfAbsent("fr", "salut") + " (fr was there already)");
      System.out.println("remove fr      -> " + greetings.remove("fr"));

      System.out.println("waiting 1.5 s for 'en' to expire (created-expiry policy of 1 s) ...");
      Thread.sleep(1_500);
      System.out.println("get en         -> " + greetings.get("en"));

      CacheStatisticsMXBean stats = statistics(greetings);
      System.out.printf("statistics:    gets=%d hits=%d misses=%d hit%%=%.1f puts=%d removals=%d evictions=%d%n",
          stats.getCacheGets(), stats.getCacheHits(), stats.getCacheMisses(), stats.getCacheHitPercentage(),
          stats.getCachePuts(), stats.getCacheRemovals(), stats.getCacheEvictions());
    }
    System.out.println("done.");
  }

  /** The cache's statistics MXBean, registered under the JCache spec's object name. */
  private static CacheStatisticsMXBean statistics(Cache<?, ?> cache) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName pattern = new ObjectName("javax.cache:type=CacheStatistics,Cache=" + cache.getName() + ",*");
    ObjectName name = server.queryNames(pattern, null).stream().findFirst()
        .orElseThrow(() -> new IllegalStateException("no statistics MXBean matches " + pattern));
    return JMX.newMXBeanProxy(server, name, CacheStatisticsMXBean.class);
  }

  /** Prints every event it is told of; registered as a synchronous listener with old values. */
  public static final class PrintingListener implements CacheEntryCreatedListener<String, String>,
      CacheEntryUpdatedListener<String, String>, CacheEntryRemovedListener<String, String>,
      CacheEntryExpiredListener<String, String>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      print(events);
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      print(events);
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      print(events);
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      print(events);
    }

    private static void print(Iterable<CacheEntryEvent<? extends String, ? extends String>> events)
        throws CacheEntryListenerException {
      for (CacheEntryEvent<? extends String, ? extends String> e : events) {
        String old = e.isOldValueAvailable() ? " (was " + e.getOldValue() + ")" : "";
        System.out.println("  listener: " + e.getEventType() + " " + e.getKey()
            + (e.getValue() != null ? " = " + e.getValue() : "") + old);
      }
    }
  }
}
