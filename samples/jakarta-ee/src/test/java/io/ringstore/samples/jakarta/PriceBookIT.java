package io.ringstore.samples.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringstore.cdi.NamedCache;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.InterceptionType;
import jakarta.enterprise.inject.spi.Interceptor;
import jakarta.inject.Inject;
import java.io.File;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sample WAR, as Maven packaged it, deployed in a real WildFly: the JCache annotations run
 * through Ringstore's interceptors (once per call), injected caches and managers are Ringstore's,
 * and the servlet serves cached prices over HTTP.
 */
@ExtendWith(ArquillianExtension.class)
class PriceBookIT {

  @Deployment
  static WebArchive application() {
    return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("war.file")));
  }

  @Inject PriceBook prices;
  @Inject CacheManager manager;
  @Inject @NamedCache("visits") Cache<String, Long> visits;
  @Inject BeanManager beans;

  @BeforeEach
  void forgetEverything() {
    if (prices != null) {
      prices.forgetAll();
    }
  }

  @Test
  void eachAnnotationHasExactlyOneInterceptor() throws Exception {
    for (String name : List.of("priceOf", "setPrice", "forget", "forgetAll")) {
      Method method = null;
      for (Method m : PriceBook.class.getMethods()) {
        if (m.getName().equals(name)) {
          method = m;
        }
      }
      assertNotNull(method, name);
      Annotation binding = null;
      for (Annotation a : method.getAnnotations()) {
        if (a.annotationType().getPackageName().equals("javax.cache.annotation")) {
          binding = a;
        }
      }
      assertNotNull(binding, name);
      Annotation[] bindings = {binding};
      List<Interceptor<?>> found = beans.resolveInterceptors(InterceptionType.AROUND_INVOKE, bindings);
      assertEquals(1, found.size(), name + ": " + found);
      assertTrue(found.get(0).getBeanClass().getName().startsWith("io.ringstore.cdi."), found.toString());
    }
  }

  @Test
  void aCachedPriceIsWorkedOutOnce() {
    int before = prices.computations();
    String price = prices.priceOf("apple");
    assertEquals(price, prices.priceOf("apple"));
    assertEquals(price, prices.priceOf("apple"));
    assertEquals(before + 1, prices.computations());
    // the annotations key the cache by a GeneratedCacheKey of the method's parameters
    boolean stored = false;
    for (Cache.Entry<Object, Object> entry : manager.<Object, Object>getCache("prices")) {
      stored |= price.equals(entry.getValue());
    }
    assertTrue(stored, "the value is in the Ringstore cache 'prices'");
  }

  @Test
  void putAndRemoveChangeWhatIsCached() {
    prices.setPrice("pear", "42 cents");
    int before = prices.computations();
    assertEquals("42 cents", prices.priceOf("pear"));
    assertEquals(before, prices.computations(), "served from what @CachePut stored");
    prices.forget("pear");
    prices.priceOf("pear");
    assertEquals(before + 1, prices.computations(), "worked out again after @CacheRemove");
  }

  @Test
  void theInjectedCachesAreRingstores() {
    assertEquals("io.ringstore.provider.RingstoreCachingProvider", manager.getCachingProvider().getClass().getName());
    assertEquals("io.ringstore.provider.RingstoreCachingProvider",
        visits.getCacheManager().getCachingProvider().getClass().getName());
    visits.put("probe", 7L);
    assertEquals(7L, manager.getCache("visits").get("probe"), "the injected cache is the manager's 'visits'");
  }

  @Test
  @RunAsClient
  void theServletServesCachedPrices(@ArquillianResource URL base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI plum = base.toURI().resolve("prices?item=plum");
    String first = get(http, plum);
    String second = get(http, plum);
    assertTrue(first.startsWith("plum: ") && first.contains("(asked 1 times"), first);
    assertTrue(second.contains("(asked 2 times"), second);
    String workedOutFirst = first.substring(first.indexOf("worked out"));
    assertEquals(workedOutFirst, second.substring(second.indexOf("worked out")), "the second request computed nothing");

    HttpResponse<String> put = http.send(HttpRequest.newBuilder(base.toURI().resolve("prices?item=plum&price=1%20cent"))
        .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, put.statusCode(), put.body());
    assertTrue(get(http, plum).startsWith("plum: 1 cent "));

    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(base.toURI().resolve("prices")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, missing.statusCode());
  }

  private static String get(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }
}
