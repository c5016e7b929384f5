package io.ringstore.provider.faults;

import io.ringstore.cluster.membership.Member;
import io.ringstore.cluster.node.RingstoreNode;
import io.ringstore.cluster.repair.RepairSettings;
import io.ringstore.cluster.replication.AntiEntropy;
import io.ringstore.cluster.replication.Coordinator;
import io.ringstore.provider.RingstoreCache;
import io.ringstore.provider.RingstoreCachingProvider;
import io.ringstore.provider.configuration.RingstoreConfiguration;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.SiblingResolver;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.env.Env;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
import org.jspecify.annotations.Nullable;

/**
 * One Ringstore node of the fault suite, in its own JVM ({@link FaultCluster} starts it, possibly
 * inside a network namespace, under {@code faketime}, or on a size-limited tmpfs). Arguments:
 * {@code nodeId host port seeds dataDir} ({@code seeds} comma-separated {@code host:port}, may be
 * this node's own address only: then it starts the cluster). It opens two persistent caches
 * (engine {@code lsm} in {@code dataDir}, {@code wal.syncMode = always}) with N = 3, W = 2, R = 2:
 * {@value #SETS}, whose values are sets of integers written as sorted comma-separated strings,
 * with a {@link UnionResolver} of siblings, and {@value #DELETES} (plain strings) for the
 * delete checks. It prints {@code READY <nodeId>} and then answers stdin lines, each on a small
 * thread pool (answers may come out of order; a slow request does not hold the others):
 * <pre>
 * &lt;id&gt; add &lt;key&gt; &lt;int&gt;        invoke on sets: adds the int (read-modify-write at W, R)  -&gt; &lt;id&gt; OK
 * &lt;id&gt; put &lt;key&gt; &lt;value&gt;      put on deletes                                        -&gt; &lt;id&gt; OK
 * &lt;id&gt; delete &lt;key&gt;           remove on deletes                                     -&gt; &lt;id&gt; OK true|false
 * &lt;id&gt; read &lt;cache&gt; &lt;key&gt;     getVersions at R = N (W = 2)                          -&gt; &lt;id&gt; OK &lt;siblings&gt; &lt;values&gt;
 * &lt;id&gt; local &lt;cache&gt; &lt;key&gt;    this node's own replica record, expired included      -&gt; &lt;id&gt; OK &lt;digest&gt;
 * &lt;id&gt; replicas &lt;cache&gt; &lt;key&gt; the key's preference list (node ids)                -&gt; &lt;id&gt; OK &lt;id,id,...&gt;
 * &lt;id&gt; alive                   -&gt; &lt;id&gt; OK &lt;members judged alive&gt; &lt;ring members&gt;
 * any failure                  -&gt; &lt;id&gt; ERROR &lt;exception on one line&gt;
 * </pre>
 * {@code <values>} of a read is the union of all siblings' sets ({@code -} for none; a read of
 * deletes gives the sibling values joined by {@code |}). Keys and values hold no spaces. Exits when
 * stdin ends (closing its manager); log lines go to stderr.
 */
public final class FaultNodeMain {
  /** The cache of integer sets. */
  static final String SETS = "sets";
  /** The cache of the delete checks. */
  static final String DELETES = "deletes";
  /** The caches' sibling bound. */
  static final int MAX_SIBLINGS = 16;
  /** Replicas per key. */
  static final int N = 3;

  private static final PrintStream OUT = new PrintStream(System.out, false, StandardCharsets.UTF_8);

  private FaultNodeMain() {}

  public static void main(String[] args) throws Exception {
    String id = args[0];
    String host = args[1];
    String port = args[2];
    String seeds = args[3];
    String dataDir = args[4];
    Properties p = new Properties();
    p.setProperty("ringstore.node.id", id);
    p.setProperty("ringstore.cluster.host", host);
    p.setProperty("ringstore.bus.host", host);
    p.setProperty("ringstore.cluster.port", port);
    p.setProperty("ringstore.cluster.seeds", seeds);
    p.setProperty("ringstore.gossip.intervalMillis", "100");
    p.setProperty("ringstore.gossip.downAfterMillis", "1500");
    p.setProperty("ringstore.handoff.replayIntervalMillis", "200");
    p.setProperty("ringstore.bus.eventLoops", "1");
    CacheManager manager = Caching.getCachingProvider(RingstoreCachingProvider.class.getName())
        .getCacheManager(URI.create("ringstore:" + id), FaultNodeMain.class.getClassLoader(), p);
    manager.createCache(SETS, configuration(dataDir + "/" + SETS).setSiblingResolver(new UnionResolver()));
    manager.createCache(DELETES, configuration(dataDir + "/" + DELETES));
    RingstoreNode node = manager.unwrap(RingstoreNode.class);
    print("READY " + node.nodeId());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.trim().split(" ");
      pool.execute(() -> {
        String request = words[0];
        try {
          print(request + " OK " + answer(manager, node, words));
        } catch (RuntimeException | Error e) {
          Throwable root = e;
          while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
          }
          print(request + " ERROR " + (e + (root != e ? " <- " + root : "")).replace('\n', ' ').replace('\r', ' '));
        }
      });
    }
    pool.shutdown();
    manager.close();
    print("CLOSED");
    System.exit(0);
  }

  private static RingstoreConfiguration<String, String> configuration(String directory) {
    return new RingstoreConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setReplication(N, 2, 2)
        .setReadTimeout(Duration.ofSeconds(3))
        .setWriteTimeout(Duration.ofSeconds(3))
        .setMaxSiblings(MAX_SIBLINGS)
        .setStorageEngine("lsm")
        .setEngineOption("directory", directory)
        .setEngineOption("wal.syncMode", "always")
        .setEngineOption("wal.segmentBytes", "1048576")
        .setEngineOption("memtable.bytes", "262144")
        .setEngineOption("blockCache.bytes", "1048576");
  }

  @SuppressWarnings("unchecked") // unwrap(RingstoreCache.class) of a Cache<String, String>
  private static String answer(CacheManager manager, RingstoreNode node, String[] words) {
    switch (words[1]) {
      case "add" -> {
        cache(manager, SETS).invoke(words[2], new AddElement(), Integer.parseInt(words[3]));
        return "";
      }
      case "put" -> {
        cache(manager, DELETES).put(words[2], words[3]);
        return "";
      }
      case "delete" -> {
        return Boolean.toString(cache(manager, DELETES).remove(words[2]));
      }
      case "read" -> {
        RingstoreCache<String, String> strict = cache(manager, words[2]).unwrap(RingstoreCache.class).withQuorums(2, N);
        List<SiblingResolver.Version<String>> versions = strict.getVersions(words[3]);
        if (words[2].equals(SETS)) {
          TreeSet<Integer> union = new TreeSet<>();
          for (SiblingResolver.Version<String> v : versions) {
            union.addAll(parse(v.value()));
          }
          return versions.size() + " " + (union.isEmpty() ? "-" : join(union));
        }
        StringBuilder values = new StringBuilder();
        for (SiblingResolver.Version<String> v : versions) {
          values.append(values.length() == 0 ? "" : "|").append(v.value() == null ? "~" : v.value());
        }
        return versions.size() + " " + (values.length() == 0 ? "-" : values);
      }
      case "local" -> {
        Coordinator keyspace = node.keyspace(words[2]);
        if (keyspace == null) {
          throw new IllegalStateException("keyspace '" + words[2] + "' is not open on " + node.nodeId());
        }
        return digest(keyspace.localRead(keyBytes(words[3]), true));
      }
      case "roots" -> {
        Coordinator keyspace = node.keyspace(words[2]);
        if (keyspace == null) {
          throw new IllegalStateException("keyspace '" + words[2] + "' is not open on " + node.nodeId());
        }
        // the Merkle root of what this node holds of the ranges it shares with each peer (anti-entropy's own trees)
        AntiEntropy trees = new AntiEntropy(keyspace, RepairSettings.defaults(), Env.system());
        StringBuilder roots = new StringBuilder();
        for (String peer : trees.peers()) {
          roots.append(roots.length() == 0 ? "" : ",").append(peer).append('=')
              .append(Long.toHexString(trees.tree(trees.scopeWith(peer)).root()));
        }
        return roots.toString();
      }
      case "replicas" -> {
        return String.join(",", cache(manager, words[2]).unwrap(RingstoreCache.class).ringView().replicasOf(words[3]));
      }
      case "alive" -> {
        long alive = node.membership().view().members().values().stream().filter(Member::alive).count();
        return alive + " " + node.ring().members().size();
      }
      default -> throw new IllegalArgumentException("unknown command '" + words[1] + "'; need add, put, delete, read, local, roots, replicas or alive");
    }
  }

  /** The key's bytes as the built-in tagged codec writes an ASCII string: tag 0x01, then the chars. */
  static Bytes keyBytes(String key) {
    byte[] ascii = key.getBytes(StandardCharsets.US_ASCII);
    byte[] tagged = new byte[ascii.length + 1];
    tagged[0] = 0x01;
    System.arraycopy(ascii, 0, tagged, 1, ascii.length);
    return Bytes.of(tagged);
  }

  /** A one-word description of a replica's record that is equal on two replicas exactly when the records are. */
  private static String digest(@Nullable StoredRecord record) {
    if (record == null) {
      return "absent";
    }
    StringBuilder b = new StringBuilder().append(record.clock()).append(";exp=").append(record.expiresAtMillis());
    for (Sibling s : record.siblings()) {
      b.append(";").append(s.dot()).append("@").append(s.timestamp()).append("=");
      if (s.value() == null) {
        b.append("~");
      } else {
        byte[] v = s.value().toByteArray();
        b.append(new String(v, 1, v.length - 1, StandardCharsets.UTF_8));
      }
    }
    return b.toString().replace(' ', '_');
  }

  private static Cache<String, String> cache(CacheManager manager, String name) {
    Cache<String, String> cache = manager.getCache(name, String.class, String.class);
    if (cache == null) {
      throw new IllegalArgumentException("no cache '" + name + "'; need " + SETS + " or " + DELETES);
    }
    return cache;
  }

  static TreeSet<Integer> parse(@Nullable String value) {
    TreeSet<Integer> set = new TreeSet<>();
    if (value != null && !value.isEmpty() && !value.equals("-")) {
      for (String part : value.split(",")) {
        set.add(Integer.parseInt(part));
      }
    }
    return set;
  }

  static String join(Iterable<Integer> set) {
    StringBuilder b = new StringBuilder();
    for (Integer i : set) {
      b.append(b.length() == 0 ? "" : ",").append(i);
    }
    return b.toString();
  }

  private static void print(String line) {
    synchronized (OUT) {
      OUT.println(line);
      OUT.flush();
    }
  }

  /** Adds its argument to the entry's set (a read-modify-write of the key). */
  static final class AddElement implements EntryProcessor<String, String, Void>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public @Nullable Void process(MutableEntry<String, String> entry, Object... arguments) {
      TreeSet<Integer> set = parse(entry.getValue());
      set.add((Integer) arguments[0]);
      entry.setValue(join(set));
      return null;
    }
  }

  /** Resolves siblings of a set into their union (a concurrent delete contributes nothing). */
  public static final class UnionResolver implements SiblingResolver<String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public @Nullable String resolve(List<Version<String>> siblings) {
      TreeSet<Integer> union = new TreeSet<>();
      for (Version<String> v : siblings) {
        union.addAll(parse(v.value()));
      }
      return union.isEmpty() ? null : join(union);
    }
  }
}
