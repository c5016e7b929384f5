package io.ringstore.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheResult;

/** @CacheResult in its variants. */
@ApplicationScoped
public class Lookups {
  private final Calls calls = new Calls();

  public int calls(String method) {
    return calls.of(method);
  }

  public void reset() {
    calls.reset();
  }

  @CacheResult(cacheName = "lookups")
  public String describe(String id, int version) {
    calls.bump("describe");
    return id + "@" + version;
  }

  @CacheResult(cacheName = "lookups.byKey")
  public String byKey(@CacheKey String id, String notInKey) {
    calls.bump("byKey");
    return id + "/" + notInKey;
  }

  @CacheResult
  public String defaultName(String id) {
    calls.bump("defaultName");
    return "default " + id;
  }

  @CacheResult(cacheName = "lookups.nulls")
  public String nothing(String id) {
    calls.bump("nothing");
    return null;
  }

  @CacheResult(cacheName = "lookups.skip", skipGet = true)
  public String fresh(String id) {
    return id + "#" + calls.bump("fresh");
  }

  @CacheResult(cacheName = "lookups.failing")
  public String failing(String id) {
    calls.bump("failing");
    throw new IllegalStateException("no " + id);
  }

  @CacheResult(cacheName = "lookups.exc", exceptionCacheName = "lookups.exc.errors")
  public String cachedFailure(String id) {
    throw new IllegalStateException("no " + id + " (call " + calls.bump("cachedFailure") + ")");
  }

  @CacheResult(cacheName = "lookups.checked", exceptionCacheName = "lookups.checked.errors")
  public String checked(String id) throws IOException {
    throw new IOException("cannot read " + id + " (call " + calls.bump("checked") + ")");
  }

  @CacheResult(cacheName = "lookups.filtered", exceptionCacheName = "lookups.filtered.errors",
      cachedExceptions = IllegalArgumentException.class, nonCachedExceptions = NumberFormatException.class)
  public String filtered(String id) {
    calls.bump("filtered");
    switch (id.charAt(0)) {
      case 'a': throw new IllegalArgumentException("argument " + id);
      case 'n': throw new NumberFormatException("number " + id);
      default: throw new IllegalStateException("state " + id);
    }
  }

  @CacheResult(cacheName = "lookups.notCached", exceptionCacheName = "lookups.notCached.errors",
      nonCachedExceptions = IllegalStateException.class)
  public String exceptNonCached(String id) {
    calls.bump("exceptNonCached");
    if (id.startsWith("s")) {
      throw new IllegalStateException("state " + id);
    }
    throw new UnsupportedOperationException("unsupported " + id);
  }

  @CacheResult(cacheName = "lookups.skipExc", exceptionCacheName = "lookups.skipExc.errors", skipGet = true)
  public String alwaysFails(String id) {
    throw new IllegalStateException("fails " + id + " (call " + calls.bump("alwaysFails") + ")");
  }
}
