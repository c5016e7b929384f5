package io.ringstore.samples.hibernate;

import jakarta.persistence.Cacheable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/**
 * A book, cached in Hibernate's second-level cache (region {@code io.ringstore.samples.hibernate.Book}),
 * with its tags cached as a collection (region {@code io.ringstore.samples.hibernate.Book.tags}).
 */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Book {
  @Id
  private Long id;

  private String title;

  @ElementCollection(fetch = FetchType.LAZY)
  @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
  private Set<String> tags = new LinkedHashSet<>();

  /** For Hibernate. */
  protected Book() {}

  public Book(long id, String title, String... tags) {
    this.id = id;
    this.title = title;
    this.tags.addAll(Set.of(tags));
  }

  public Long getId() {
    return id;
  }

  public String getTitle() {
    return title;
  }

  public void setTitle(String title) {
    this.title = title;
  }

  public Set<String> getTags() {
    return tags;
  }
}
