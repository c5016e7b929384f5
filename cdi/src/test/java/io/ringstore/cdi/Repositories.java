package io.ringstore.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.annotation.Annotation;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.GeneratedCacheKey;
import org.jsr107.ri.annotations.DefaultGeneratedCacheKey;

/** Beans for the @CacheDefaults tests. */
final class Repositories {
  private Repositories() {}

  /** Declares the cached method; not a bean itself. */
  public static class BaseRepository {
    @CacheResult
    public String find(String id) {
      return "base:" + id;
    }
  }

  /** Inherits {@link BaseRepository#find} and gives it a cache name through @CacheDefaults. */
  @ApplicationScoped
  @CacheDefaults(cacheName = "sub-defaults")
  public static class SubRepository extends BaseRepository {}

  /** Class-level name, overridden on one method. */
  @ApplicationScoped
  @CacheDefaults(cacheName = "class-defaults")
  public static class ClassDefaults {
    @CacheResult
    public String a(String id) {
      return "a:" + id;
    }

    @CacheResult(cacheName = "method-wins")
    public String b(String id) {
      return "b:" + id;
    }

    @CacheRemoveAll
    public void clear() {}
  }

  /** A key generator named in @CacheDefaults: keys by the first letter. Not a bean: made by its constructor. */
  public static final class FirstLetterKeys implements CacheKeyGenerator {
    @Override
    public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
      String word = (String) context.getKeyParameters()[0].getValue();
      return new DefaultGeneratedCacheKey(new Object[] {word.substring(0, 1)});
    }
  }

  /** Uses {@link FirstLetterKeys} through @CacheDefaults. */
  @ApplicationScoped
  @CacheDefaults(cacheName = "by-letter", cacheKeyGenerator = FirstLetterKeys.class)
  public static class ByLetter {
    @CacheResult
    public String word(String word) {
      return word;
    }
  }
}
