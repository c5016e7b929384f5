package io.ringstore.samples.hibernate;

import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.stat.Statistics;

/**
 * Hibernate ORM with its second-level cache in Ringstore. Everything Ringstore needs is in
 * {@code hibernate.properties} (region factory {@code jcache}, the provider's class name and the
 * Ringstore configuration file) and in that file, {@code ringstore-hibernate.yaml}, which declares
 * every region Hibernate asks for.
 *
 * <p>Run it with {@code mvn -q -pl samples/hibernate -am compile exec:java}: it stores three
 * books, reads them in two sessions and prints where the second session's reads came from.
 */
public final class LibrarySample {

  private LibrarySample() {}

  /** A session factory configured by {@code hibernate.properties} on the class path. */
  public static SessionFactory openSessionFactory() {
    return new Configuration().addAnnotatedClass(Book.class).buildSessionFactory();
  }

  /** The titles of every book, by a cacheable query (query cache region {@code default-query-results-region}). */
  public static List<String> titles(SessionFactory sessions) {
    return sessions.fromSession(s -> s.createQuery("select b.title from Book b order by b.id", String.class)
        .setCacheable(true).getResultList());
  }

  public static void main(String[] args) {
    try (SessionFactory sessions = openSessionFactory()) {
      sessions.inTransaction(s -> {
        s.persist(new Book(1, "Dune", "sf", "classic"));
        s.persist(new Book(2, "Emma", "novel"));
        s.persist(new Book(3, "Ulysses", "novel", "classic"));
      });
      Statistics statistics = sessions.getStatistics();
      for (int session = 1; session <= 2; session++) {
        statistics.clear();
        sessions.inSession(s -> {
          for (long id = 1; id <= 3; id++) {
            s.find(Book.class, id).getTags().size();
          }
        });
        List<String> titles = titles(sessions);
        System.out.printf("session %d: %s; second-level cache hits=%d misses=%d puts=%d; query cache hits=%d misses=%d%n",
            session, titles, statistics.getSecondLevelCacheHitCount(), statistics.getSecondLevelCacheMissCount(),
            statistics.getSecondLevelCachePutCount(), statistics.getQueryCacheHitCount(), statistics.getQueryCacheMissCount());
      }
    }
  }
}
