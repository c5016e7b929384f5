package io.ringstore.provider.cluster;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.provider.RingView;
import io.ringstore.provider.RingstoreCache;
import io.ringstore.provider.RingstoreCachingProvider;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;

/**
 * One cache manager whose node joins a cluster, in its own JVM, for {@link MultiProcessCacheTest}.
 * Arguments: {@code nodeId port seeds} ({@code seeds} comma-separated {@code host:port}). It
 * creates four caches of strings with N = 3, one per W/R pair the tests cover: {@code w1r1},
 * {@code w2r2}, {@code w1r3} and {@code w3r1} (the name says W and R), prints {@code READY <nodeId>}, then answers one stdin line at a time:
 * <pre>
 * &lt;id&gt; put &lt;cache&gt; &lt;key&gt; &lt;value&gt;  -&gt;  &lt;id&gt; OK
 * &lt;id&gt; get &lt;cache&gt; &lt;key&gt;          -&gt;  &lt;id&gt; VALUE &lt;value&gt;  or  &lt;id&gt; NULL
 * &lt;id&gt; alive                        -&gt;  &lt;id&gt; ALIVE &lt;members alive&gt; &lt;ring members&gt;
 * &lt;id&gt; ring &lt;cache&gt;                 -&gt;  &lt;id&gt; RING &lt;members, comma-separated&gt; LIVE &lt;members judged alive&gt;
 * any failure                         -&gt;  &lt;id&gt; ERROR &lt;exception, on one line&gt;
 * </pre>
 * Keys and values hold no spaces. Closes its manager (leaving the cluster) and exits when stdin
 * ends; log lines go to stderr.
 */
public final class CacheNodeMain {
  /** The caches every node creates, named {@code w<W>r<R>}, all with N = 3. */
  static final List<String> CACHES = List.of("w1r1", "w2r2", "w1r3", "w3r1");

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
    for (String name : CACHES) {
      int w = name.charAt(1) - '0';
      int r = name.charAt(3) - '0';
      manager.createCache(name, new RingstoreConfiguration<String, String>().setTypes(String.class, String.class).setReplication(3, w, r));
    }
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
      case "ring" -> {
        RingView<String> view = cache(manager, words[2]).unwrap(RingstoreCache.class).ringView();
        return "RING " + String.join(",", view.members()) + " LIVE " + String.join(",", view.liveMembers());
      }
      default -> throw new IllegalArgumentException("unknown command '" + words[1] + "'; need put, get, alive or ring");
    }
  }

  private static Cache<String, String> cache(CacheManager manager, String name) {
    Cache<String, String> cache = manager.getCache(name, String.class, String.class);
    if (cache == null) {
      throw new IllegalArgumentException("no cache '" + name + "'; need one of " + CACHES);
    }
    return cache;
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
