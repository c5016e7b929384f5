package io.ringstore.samples.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.provider.RingstoreCache;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.hibernate.SessionFactory;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.cache.spi.RegionFactory;
import org.hibernate.stat.CacheRegionStatistics;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hibernate's entity, collection and query caches hit in Ringstore, as Hibernate's own statistics count them. */
class SecondLevelCacheTest {
  private static final String BOOKS = Book.class.getName();
  private static final String TAGS = Book.class.getName() + ".tags";

  private SessionFactory sessions;
  private Statistics statistics;

  @BeforeEach
  void open() {
    sessions = LibrarySample.openSessionFactory();
    statistics = sessions.getStatistics();
    sessions.inTransaction(s -> {
      s.persist(new Book(1, "Dune", "sf", "classic"));
      s.persist(new Book(2, "Emma", "novel"));
    });
    statistics.clear();
  }

  @AfterEach
  void close() {
    sessions.close();
  }

  private CacheRegionStatistics region(String name) {
    return statistics.getDomainDataRegionStatistics(name);
  }

  @Test
  void theRegionsAreTheRingstoreCachesDeclaredInTheFile() {
    CacheManager manager = ((JCacheRegionFactory) sessions.getSessionFactoryOptions().getServiceRegistry()
        .getService(RegionFactory.class)).getCacheManager();
    assertThat(manager.getCachingProvider().getClass().getName()).isEqualTo("io.ringstore.provider.RingstoreCachingProvider");
    assertThat(manager.getURI().toString()).endsWith("ringstore-hibernate.yaml");
    assertThat(manager.getCacheNames()).contains(BOOKS, TAGS, "default-query-results-region", "default-update-timestamps-region");
    Cache<Object, Object> books = manager.getCache(BOOKS);
    assertThat(books.unwrap(RingstoreCache.class)).isNotNull();
    sessions.inSession(s -> s.find(Book.class, 1L));
    assertThat(books.iterator().hasNext()).as("Hibernate's entries are in Ringstore's cache").isTrue();
  }

  @Test
  void anEntityReadInASecondSessionComesFromTheCache() {
    sessions.inSession(s -> assertThat(s.find(Book.class, 1L).getTitle()).isEqualTo("Dune"));
    long hitsBefore = region(BOOKS).getHitCount();
    sessions.inSession(s -> assertThat(s.find(Book.class, 1L).getTitle()).isEqualTo("Dune"));
    assertThat(region(BOOKS).getHitCount()).isEqualTo(hitsBefore + 1);
    assertThat(statistics.getEntityLoadCount()).as("database loads of books").isLessThanOrEqualTo(1);
  }

  @Test
  void aCollectionIsMissedOnceThenHit() {
    sessions.inSession(s -> assertThat(s.find(Book.class, 1L).getTags()).containsExactlyInAnyOrder("sf", "classic"));
    assertThat(region(TAGS).getMissCount()).isEqualTo(1);
    assertThat(region(TAGS).getPutCount()).isEqualTo(1);
    sessions.inSession(s -> assertThat(s.find(Book.class, 1L).getTags()).containsExactlyInAnyOrder("sf", "classic"));
    assertThat(region(TAGS).getHitCount()).isEqualTo(1);
  }

  @Test
  void aCacheableQueryIsMissedOnceThenHitUntilItsTableChanges() {
    assertThat(LibrarySample.titles(sessions)).containsExactly("Dune", "Emma");
    assertThat(statistics.getQueryCacheMissCount()).isEqualTo(1);
    assertThat(statistics.getQueryCachePutCount()).isEqualTo(1);
    assertThat(LibrarySample.titles(sessions)).containsExactly("Dune", "Emma");
    assertThat(statistics.getQueryCacheHitCount()).isEqualTo(1);

    // a change to the table makes the cached result stale: the update-timestamps region says so
    sessions.inTransaction(s -> s.find(Book.class, 2L).setTitle("Emma (annotated)"));
    assertThat(LibrarySample.titles(sessions)).containsExactly("Dune", "Emma (annotated)");
    assertThat(statistics.getQueryCacheMissCount()).isEqualTo(2);
  }

  @Test
  void anUpdatedEntityIsReadBackUpdatedFromTheCache() {
    sessions.inTransaction(s -> s.find(Book.class, 1L).setTitle("Dune Messiah"));
    long loadsBefore = statistics.getEntityLoadCount();
    sessions.inSession(s -> assertThat(s.find(Book.class, 1L).getTitle()).isEqualTo("Dune Messiah"));
    assertThat(statistics.getEntityLoadCount()).as("no database load: the cache holds the new state").isEqualTo(loadsBefore);
    assertThat(List.of(region(BOOKS).getHitCount())).first().isNotEqualTo(0L);
  }
}
