package io.ringstore.samples.spring;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application whose {@code @Cacheable} methods are cached in Ringstore: the cache
 * type, provider and configuration file are three lines of {@code application.properties}.
 *
 * <p>Run it with {@code java -jar samples/spring-boot/target/ringstore-sample-spring-boot-*.jar}:
 * it looks two prices up three times each and prints how often the slow lookup ran.
 */
@SpringBootApplication
@EnableCaching
public class PriceApplication {

  public static void main(String[] args) {
    SpringApplication.run(PriceApplication.class, args);
  }

  @Bean
  ApplicationRunner lookUpPrices(PriceService prices, CacheManager caches) {
    return args -> {
      for (int round = 0; round < 3; round++) {
        prices.priceOf("apple");
        prices.priceOf("pear");
      }
      javax.cache.Cache<?, ?> nativeCache = (javax.cache.Cache<?, ?>) caches.getCache("prices").getNativeCache();
      System.out.println("6 lookups, " + prices.computations() + " computed; cache 'prices' is a "
          + nativeCache.getClass().getSimpleName() + " of " + nativeCache.getCacheManager().getURI());
    };
  }
}
