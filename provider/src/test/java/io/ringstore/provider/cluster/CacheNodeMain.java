package io.ringstore.provider.cluster;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.provider.RingstoreCachingProvider;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * One cache manager whose node joins a cluster, in its own JVM, for {@link MultiProcessCacheTest}.
 * Arguments: {@code nodeId port seeds} ({@code seeds} comma-separated {@code host:port}). It
 * creates two caches of strings, {@code w2r2} (N = 3, W = 2, R = 2) and {@code w1r3} (N = 3,
 * W = 1, R = 3), prints {@code READY <nodeId>}, then answers one stdin line at a time:
 * <pre>
 * &lt;id&gt; put &lt;cache&gt; &lt;key&gt; &lt;value&gt;  -&gt;  &lt;id&gt; OK
 * &lt;id&gt; get &lt;cache&gt; &lt;key&gt;          -&gt;  &lt;id&gt; VALUE &lt;value&gt;  or  &lt;id&gt; NULL
 * &lt;id&gt; alive                        -&gt;  &lt;id&gt; ALIVE &lt;members alive&gt; &lt;ring members&gt;
 * any failure                         -&gt;  &lt;id&gt; ERROR &lt;exception, on one line&gt;
 * </pre>
 * Keys and values hold no spaces. Closes its manager (leaving the cluster) and exits when stdin
 * ends; log lines go to stderr.
 */
public final class CacheNodeMain {
  private CacheNodeMain() {}

  public static void main(String[] args) throws Exception {
    String id = args[0];
    Properties p = new Properties();
    p.setProperty("ringstore.node.id", id);
    p.setProperty("ringstore.cluster.port", args[1]);
    p.setProperty("ringstore.cluster.seeds", args[2]);
    p.setProperty("ringstore.gossip.intervalMillis", "100");
    p.setProperty("ringstore.gossip.downAfterMillis", "1500");
    CacheManager manager = Caching.getCachingProvider(RingstoreCachingProvider.class.getName())
        .getCacheManager(URI.create("ringstore:" + id), CacheNodeMain.class.getClassLoader(), p);
    manager.createCache("w2r2", new RingstoreConfiguration<String, String>().setTypes(String.class, String.class).setReplication(3, 2, 2));
    manager.createCache("w1r3", new RingstoreConfiguration<String, String>().setTypes(String.class, String.class).setReplication(3, 1, 3));
    RingstoreNode node = manager.unwrap(RingstoreNode.class);
    print("READY " + node.nodeId());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.trim().split(" ");
      String request = words[0];
      try {
        print(request + " " + answer(manager, node, words));
      } catch (RuntimeException e) {
        print(request + " ERROR " + e.toString().replace('\n', ' '));
      }
    }
    manager.close();
    print("CLOSED");
  }

  private static String answer(CacheManager manager, RingstoreNode node, String[] words) {
    switch (words[1]) {
      case "put" -> {
        cache(manager, words[2]).put(words[3], words[4]);
        return "OK";
      }
      case "get" -> {
        String value = cache(manager, words[2]).get(words[3]);
        return value == null ? "NULL" : "VALUE " + value;
      }
      case "alive" -> {
        long alive = node.membership().view().members().values().stream().filter(Member::alive).count();
        return "ALIVE " + alive + " " + node.ring().members().size();
      }
      default -> throw new IllegalArgumentException("unknown command '" + words[1] + "'; need put, get or alive");
    }
  }

  private static Cache<String, String> cache(CacheManager manager, String name) {
    Cache<String, String> cache = manager.getCache(name, String.class, String.class);
    if (cache == null) {
      throw new IllegalArgumentException("no cache '" + name + "'; need w2r2 or w1r3");
    }
    return cache;
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
