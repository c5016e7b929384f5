package io.ringstore.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/** @CachePut, @CacheRemove and @CacheRemoveAll over one cache, "catalog", read back through @CacheResult. */
@ApplicationScoped
public class Catalog {
  private static RuntimeException failure(String kind) {
    return kind.equals("argument") ? new IllegalArgumentException(kind) : new IllegalStateException(kind);
  }

  @CacheResult(cacheName = "catalog")
  public String find(String id) {
    return "db:" + id;
  }

  @CachePut(cacheName = "catalog")
  public void put(String id, @CacheValue String value) {}

  @CachePut(cacheName = "catalog")
  public void putThenFail(@CacheKey String id, @CacheValue String value, String kind) {
    throw failure(kind);
  }

  @CachePut(cacheName = "catalog", cacheFor = IllegalArgumentException.class)
  public void putUnlessStateFails(@CacheKey String id, @CacheValue String value, String kind) {
    throw failure(kind);
  }

  @CachePut(cacheName = "catalog", noCacheFor = IllegalArgumentException.class)
  public void putUnlessArgumentFails(@CacheKey String id, @CacheValue String value, String kind) {
    throw failure(kind);
  }

  @CachePut(cacheName = "catalog", afterInvocation = false)
  public void putBeforeFailing(@CacheKey String id, @CacheValue String value, String kind) {
    throw failure(kind);
  }

  @CacheRemove(cacheName = "catalog")
  public void remove(String id) {}

  @CacheRemove(cacheName = "catalog")
  public void removeThenFail(@CacheKey String id, String kind) {
    throw failure(kind);
  }

  @CacheRemove(cacheName = "catalog", evictFor = IllegalArgumentException.class)
  public void removeUnlessStateFails(@CacheKey String id, String kind) {
    throw failure(kind);
  }

  @CacheRemove(cacheName = "catalog", afterInvocation = false)
  public void removeBeforeFailing(@CacheKey String id, String kind) {
    throw failure(kind);
  }

  @CacheRemoveAll(cacheName = "catalog")
  public void clear() {}

  @CacheRemoveAll(cacheName = "catalog")
  public void clearThenFail(String kind) {
    throw failure(kind);
  }

  @CacheRemoveAll(cacheName = "catalog", noEvictFor = IllegalStateException.class)
  public void clearUnlessStateFails(String kind) {
    throw failure(kind);
  }

  @CacheRemoveAll(cacheName = "catalog", afterInvocation = false)
  public void clearBeforeFailing(String kind) {
    throw failure(kind);
  }
}
