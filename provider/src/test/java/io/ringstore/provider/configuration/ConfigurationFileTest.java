package io.ringstore.provider.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.SiblingResolver;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.cache.CacheException;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading the configuration file: every key, defaults, and every kind of error with its place. */
class ConfigurationFileTest {
  private static final ClassLoader LOADER = ConfigurationFileTest.class.getClassLoader();

  @TempDir
  Path dir;

  private ConfigurationFile read(String yaml) {
    URI uri = ConfigurationFiles.write(dir, "ringstore.yaml", yaml);
    return ConfigurationFile.forUri(uri, LOADER).orElseThrow();
  }

  private ConfigurationFileException failure(String yaml) {
    URI uri = ConfigurationFiles.write(dir, "ringstore.yaml", yaml);
    Throwable thrown = catchThrowable(() -> ConfigurationFile.forUri(uri, LOADER));
    assertThat(thrown).isInstanceOf(ConfigurationFileException.class).isInstanceOf(CacheException.class);
    ConfigurationFileException e = (ConfigurationFileException) thrown;
    assertThat(e.source()).isEqualTo(uri.toString());
    assertThat(e.getMessage()).startsWith(uri.toString());
    return e;
  }

  private static RingstoreConfiguration<Object, Object> only(ConfigurationFile file, String name) {
    return file.caches().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().configuration();
  }

  @Test
  void everyKeyIsRead() {
    ConfigurationFile file = read("""
        # ringstore.yaml
        caches:
          orders:
            key-type: java.lang.String
            value-type: java.lang.Long
            store-by-value: true
            statistics: true
            management: true
            expiry:
              policy: created
              duration: 10m
            engine: memory
            engine-options: {segments: 4, mode: fast}
            max-entries: 100_000
            max-bytes: 64MiB
            eviction: volatile-ttl
            replication: { n: 3, w: 2, r: 2 }
            read-timeout: 500ms
            write-timeout: 1h
            max-siblings: 8
            max-clock-entries: 64
            sibling-resolver: io.ringstore.provider.configuration.MergingResolver
            max-key-bytes: 1KiB
            max-value-bytes: 1GiB
            deserialization-filter: "org.hibernate.cache.**;java.io.Serializable"
        """);

    assertThat(file.caches()).extracting(DeclaredCache::name).containsExactly("orders");
    DeclaredCache declared = file.caches().get(0);
    assertThat(declared.line()).isEqualTo(3);
    assertThat(declared.column()).isEqualTo(3);
    RingstoreConfiguration<Object, Object> c = declared.configuration();
    assertThat(c.getKeyType()).isEqualTo(String.class);
    assertThat(c.getValueType()).isEqualTo(Long.class);
    assertThat(c.isStoreByValue()).isTrue();
    assertThat(c.isStatisticsEnabled()).isTrue();
    assertThat(c.isManagementEnabled()).isTrue();
    ExpiryPolicy expiry = c.getExpiryPolicyFactory().create();
    assertThat(expiry).isInstanceOf(CreatedExpiryPolicy.class);
    assertThat(expiry.getExpiryForCreation()).isEqualTo(new Duration(TimeUnit.MINUTES, 10));
    assertThat(c.getStorageEngine()).isEqualTo("memory");
    assertThat(c.getEngineOptions()).isEqualTo(Map.of("segments", "4", "mode", "fast"));
    assertThat(c.getMaxEntries()).isEqualTo(100_000);
    assertThat(c.getMaxBytes()).isEqualTo(64L << 20);
    assertThat(c.getEvictionPolicy()).isEqualTo(EvictionPolicy.VOLATILE_TTL);
    assertThat(c.getReplicationFactor()).isEqualTo(3);
    assertThat(c.getWriteQuorum()).isEqualTo(2);
    assertThat(c.getReadQuorum()).isEqualTo(2);
    assertThat(c.getReadTimeout()).isEqualTo(java.time.Duration.ofMillis(500));
    assertThat(c.getWriteTimeout()).isEqualTo(java.time.Duration.ofHours(1));
    assertThat(c.getMaxSiblings()).isEqualTo(8);
    assertThat(c.getMaxClockEntries()).isEqualTo(64);
    SiblingResolver<Object> resolver = c.getSiblingResolverFactory().create();
    assertThat(resolver).isInstanceOf(MergingResolver.class);
    assertThat(resolver.resolve(List.of(new SiblingResolver.Version<>("b", 1, "n1"), new SiblingResolver.Version<>("a", 2, "n2"))))
        .isEqualTo("a+b");
    assertThat(c.getMaxKeyBytes()).isEqualTo(1024);
    assertThat(c.getMaxValueBytes()).isEqualTo(1 << 30);
    assertThat(c.getDeserializationFilter()).isEqualTo("org.hibernate.cache.**;java.io.Serializable");
  }

  @Test
  void aCacheWithoutSettingsGetsTheDefaultsOfRingstoreAndJCache() {
    ConfigurationFile file = read("""
        caches:
          plain:
          empty: {}
        """);

    RingstoreConfiguration<Object, Object> expected = new RingstoreConfiguration<>();
    assertThat(file.caches()).extracting(DeclaredCache::name).containsExactly("plain", "empty");
    assertThat(only(file, "plain")).isEqualTo(expected);
    assertThat(only(file, "empty")).isEqualTo(expected);
    assertThat(expected.isStoreByValue()).isTrue();
    assertThat(expected.getKeyType()).isEqualTo(Object.class);
  }

  @Test
  void defaultsApplyToEveryCacheAndACacheOverridesThemKeyByKey() {
    ConfigurationFile file = read("""
        defaults:
          statistics: true
          max-entries: 1000
          eviction: LFU
          engine-options: {a: "1"}
          replication: {n: 3, w: 2, r: 2}
          expiry: {policy: accessed, duration: 30s}
        caches:
          first:
          second:
            max-entries: 5
            engine-options: {b: "2"}
            replication: {r: 1}
            expiry: {policy: eternal}
        """);

    RingstoreConfiguration<Object, Object> first = only(file, "first");
    assertThat(first.isStatisticsEnabled()).isTrue();
    assertThat(first.getMaxEntries()).isEqualTo(1000);
    assertThat(first.getEvictionPolicy()).isEqualTo(EvictionPolicy.LFU);
    assertThat(first.getEngineOptions()).isEqualTo(Map.of("a", "1"));
    assertThat(List.of(first.getReplicationFactor(), first.getWriteQuorum(), first.getReadQuorum())).containsExactly(3, 2, 2);
    assertThat(first.getExpiryPolicyFactory().create()).isInstanceOf(AccessedExpiryPolicy.class);
    assertThat(first.getExpiryPolicyFactory().create().getExpiryForAccess()).isEqualTo(new Duration(TimeUnit.SECONDS, 30));

    RingstoreConfiguration<Object, Object> second = only(file, "second");
    assertThat(second.isStatisticsEnabled()).isTrue();
    assertThat(second.getMaxEntries()).isEqualTo(5);
    assertThat(second.getEvictionPolicy()).isEqualTo(EvictionPolicy.LFU);
    assertThat(second.getEngineOptions()).isEqualTo(Map.of("a", "1", "b", "2"));
    assertThat(List.of(second.getReplicationFactor(), second.getWriteQuorum(), second.getReadQuorum())).containsExactly(3, 2, 1);
    assertThat(second.getExpiryPolicyFactory().create()).isInstanceOf(EternalExpiryPolicy.class);
  }

  static Stream<Arguments> expiryPolicies() {
    return Stream.of(
        Arguments.of("created", "5s", CreatedExpiryPolicy.class, new Duration(TimeUnit.SECONDS, 5)),
        Arguments.of("ACCESSED", "2h", AccessedExpiryPolicy.class, new Duration(TimeUnit.HOURS, 2)),
        Arguments.of("modified", "1d", ModifiedExpiryPolicy.class, new Duration(TimeUnit.DAYS, 1)),
        Arguments.of("touched", "250ms", TouchedExpiryPolicy.class, new Duration(TimeUnit.MILLISECONDS, 250)),
        Arguments.of("created", "0s", CreatedExpiryPolicy.class, Duration.ZERO));
  }

  @ParameterizedTest
  @MethodSource("expiryPolicies")
  void expiryPolicyAndDuration(String policy, String duration, Class<?> type, Duration expected) {
    ConfigurationFile file = read("caches:\n  c:\n    expiry: {policy: " + policy + ", duration: " + duration + "}\n");

    ExpiryPolicy expiry = only(file, "c").getExpiryPolicyFactory().create();
    assertThat(expiry).isInstanceOf(type);
    assertThat(expiry.getExpiryForCreation()).isEqualTo(expected);
  }

  @Test
  void sizesTakeBinaryUnitsAndPlainBytes() {
    ConfigurationFile file = read("""
        caches:
          c:
            max-bytes: 123
            max-key-bytes: 10 B
            max-value-bytes: 3 MiB
          d:
            max-bytes: 2GiB
            max-key-bytes: 16KiB
        """);

    assertThat(only(file, "c").getMaxBytes()).isEqualTo(123);
    assertThat(only(file, "c").getMaxKeyBytes()).isEqualTo(10);
    assertThat(only(file, "c").getMaxValueBytes()).isEqualTo(3 << 20);
    assertThat(only(file, "d").getMaxBytes()).isEqualTo(2L << 30);
    assertThat(only(file, "d").getMaxKeyBytes()).isEqualTo(16 << 10);
  }

  @Test
  void evictionIgnoresCaseAndTakesDashOrUnderscore() {
    ConfigurationFile file = read("""
        caches:
          a: {eviction: no-eviction}
          b: {eviction: Volatile_TTL}
          c: {eviction: fifo}
        """);

    assertThat(only(file, "a").getEvictionPolicy()).isEqualTo(EvictionPolicy.NO_EVICTION);
    assertThat(only(file, "b").getEvictionPolicy()).isEqualTo(EvictionPolicy.VOLATILE_TTL);
    assertThat(only(file, "c").getEvictionPolicy()).isEqualTo(EvictionPolicy.FIFO);
  }

  @Test
  void anAnchorAndAliasShareSettings() {
    ConfigurationFile file = read("""
        caches:
          a: &small {max-entries: 10}
          b: *small
        """);

    assertThat(only(file, "b").getMaxEntries()).isEqualTo(10);
  }

  // ---- errors ----

  @Test
  void unknownKeyNamesThePathTheLineTheColumnAndTheKnownKeys() {
    ConfigurationFileException e = failure("""
        # ringstore.yaml
        caches:
          orders:
            engine: memory
            max-entries: 10000
            evictoin: LRU
        """);

    assertThat(e.line()).isEqualTo(6);
    assertThat(e.column()).isEqualTo(5);
    assertThat(e.keyPath()).isEqualTo("caches.orders.evictoin");
    assertThat(e.getMessage())
        .isEqualTo(e.source() + " line 6, column 5: unknown key 'caches.orders.evictoin' (did you mean 'eviction'?)"
            + " (known keys: " + String.join(", ", CacheSection.KEYS) + ")");
  }

  @Test
  void unknownTopLevelKey() {
    ConfigurationFileException e = failure("""
        nodes:
          port: 7000
        caches: {}
        """);

    assertThat(e.getMessage()).endsWith(" line 1, column 1: unknown key 'nodes' (did you mean 'node'?) (known keys: node, defaults, caches)");
  }

  @Test
  void nodeSettingsAreReadAsTheirPropertyNames() {
    ConfigurationFile file = read("""
        node:
          id: alpha
          weight: 2
          cluster:
            host: 127.0.0.1
            port: 7701
            seeds: [127.0.0.1:7701, "[::1]:7702"]
        caches: {}
        """);

    assertThat(file.nodeProperties()).containsExactly(
        Map.entry("ringstore.node.id", "alpha"),
        Map.entry("ringstore.node.weight", "2"),
        Map.entry("ringstore.cluster.host", "127.0.0.1"),
        Map.entry("ringstore.cluster.port", "7701"),
        Map.entry("ringstore.cluster.seeds", "127.0.0.1:7701,[::1]:7702"));
    assertThat(read("caches: {}").nodeProperties()).isEmpty();
    assertThat(read("node:\n  cluster:\n    seeds: 10.0.0.1:7701\ncaches: {}").nodeProperties())
        .containsExactly(Map.entry("ringstore.cluster.seeds", "10.0.0.1:7701"));
  }

  static Stream<Arguments> badNodeSettings() {
    return Stream.of(
        Arguments.of("node: {weight: 65}", 1, "node.weight = 65 is out of range; need 1..64"),
        Arguments.of("node: {weight: 0}", 1, "node.weight = 0 is out of range; need 1..64"),
        Arguments.of("node: {cluster: {port: 70000}}", 1, "node.cluster.port = 70000 is out of range; need 0..65535"),
        Arguments.of("node:\n  cluster:\n    seeds: [127.0.0.1:7701, localhost]", 3, "node.cluster.seeds entry 'localhost' is not host:port (port 0..65535)"),
        Arguments.of("node:\n  cluster:\n    seeds: [127.0.0.1:99999]", 3, "node.cluster.seeds entry '127.0.0.1:99999' is not host:port (port 0..65535)"),
        Arguments.of("node:\n  cluster:\n    seed: [127.0.0.1:7701]", 3, "unknown key 'node.cluster.seed' (did you mean 'seeds'?) (known keys: host, port, seeds)"),
        Arguments.of("node:\n  ide: alpha", 2, "unknown key 'node.ide' (did you mean 'id'?) (known keys: id, weight, cluster)"));
  }

  @ParameterizedTest
  @MethodSource("badNodeSettings")
  void badNodeSettingsNameTheKeyTheValueAndTheBound(String node, int line, String message) {
    ConfigurationFileException e = failure(node + "\ncaches: {}\n");

    assertThat(e.line()).isEqualTo(line);
    assertThat(e.getMessage()).contains(message);
  }

  @Test
  void outOfRangeValueNamesTheValueAndTheRange() {
    ConfigurationFileException e = failure("""
        caches:
          orders:
            max-entries: 0
        """);

    assertThat(e.getMessage()).isEqualTo(e.source() + " line 3, column 18: caches.orders.max-entries = 0 is out of range; need >= 1");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("max-siblings: 5000", "caches.c.max-siblings = 5000 is out of range; need 1..1024"),
        Arguments.of("max-clock-entries: many", "caches.c.max-clock-entries = many is not a whole number; need 1..1024"),
        Arguments.of("max-entries: 99999999999999999999", "caches.c.max-entries = 99999999999999999999 is out of range; need >= 1"),
        Arguments.of("max-bytes: 64MB", "caches.c.max-bytes = 64MB is not a size; need a whole number of bytes, optionally followed by B, KiB, MiB or GiB, in >= 1"),
        Arguments.of("max-key-bytes: 17MiB", "caches.c.max-key-bytes = 17MiB is out of range; need 1..16777216 (16777216 = 16 MiB)"),
        Arguments.of("max-value-bytes: 0", "caches.c.max-value-bytes = 0 is out of range; need 1..1073741824 (1073741824 = 1 GiB)"),
        Arguments.of("read-timeout: 5", "caches.c.read-timeout = 5 is not a duration; need a whole number > 0 followed by ms, s, m, h or d, e.g. 30s or 10m"),
        Arguments.of("write-timeout: 0s", "caches.c.write-timeout = 0s is out of range; need > 0"),
        Arguments.of("statistics: yes", "caches.c.statistics = yes is not a boolean; need true or false"),
        Arguments.of("eviction: RANDOM", "caches.c.eviction = RANDOM is not an eviction policy; need LRU, LFU, FIFO, VOLATILE_TTL or NO_EVICTION"),
        Arguments.of("replication: {n: 33}", "caches.c.replication.n = 33 is out of range; need 1..32"),
        Arguments.of("replication: {n: 3, w: 4}", "caches.c.replication.w = 4 is out of range; need 1..n (n = 3)"),
        Arguments.of("replication: {r: 2}", "caches.c.replication.r = 2 is out of range; need 1..n (n = 1, from defaults or the default 1)"),
        Arguments.of("expiry: {policy: sometimes, duration: 1s}", "caches.c.expiry.policy = sometimes is not an expiry policy; need created, accessed, modified, touched or eternal"),
        Arguments.of("expiry: {policy: created}", "caches.c.expiry has policy created but no duration"),
        Arguments.of("expiry: {policy: eternal, duration: 1s}", "caches.c.expiry.duration is set with policy eternal"),
        Arguments.of("expiry: {duration: 1s}", "caches.c.expiry has no policy"),
        Arguments.of("expiry: {policy: created, duration: -1s}", "caches.c.expiry.duration = -1s is out of range; need >= 0"),
        Arguments.of("expiry: {policy: created, duratoin: 1s}", "unknown key 'caches.c.expiry.duratoin' (did you mean 'duration'?) (known keys: policy, duration)"),
        Arguments.of("engine: ''", "caches.c.engine = '' is blank"),
        Arguments.of("engine-options: {a: [1, 2]}", "caches.c.engine-options.a is a list; need a plain value"),
        Arguments.of("statistics:", "caches.c.statistics has no value; need true or false"),
        Arguments.of("max-entries: [1]", "caches.c.max-entries is a list; need a whole number in >= 1"),
        Arguments.of("key-type: java.lang.String", "caches.c.key-type is set without caches.c.value-type; set both key-type and value-type, or neither"),
        Arguments.of("value-type: java.lang.String", "caches.c.value-type is set without caches.c.key-type"),
        Arguments.of("{key-type: java.lang.String, value-type: com.example.Missing}", "caches.c.value-type = com.example.Missing is not a class the cache manager's class loader"),
        Arguments.of("sibling-resolver: java.lang.String", "caches.c.sibling-resolver = java.lang.String does not implement io.ringstore.spi.SiblingResolver"),
        Arguments.of("deserialization-filter: \"maxdepth=x\"", "caches.c.deserialization-filter = maxdepth=x is not an ObjectInputFilter pattern"),
        Arguments.of("[1, 2]", "caches.c is a list; need a mapping of cache settings"),
        Arguments.of("max-entries: !custom 5", "the tag '!custom' is not supported"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void badValueNamesPathValueAndRange(String setting, String message) {
    String body = setting.startsWith("{") || setting.startsWith("[") ? "  c: " + setting + "\n" : "  c:\n    " + setting + "\n";
    ConfigurationFileException e = failure("caches:\n" + body);

    assertThat(e.line()).isBetween(2, 3);
    assertThat(e.getMessage()).contains(message);
  }

  @Test
  void crossSettingRulesComeFromCacheSettingsAtTheCachesLine() {
    ConfigurationFileException e = failure("""
        defaults:
          replication: {n: 3, w: 2, r: 2}
        caches:
          ok:
          byReference:
            store-by-value: false
        """);

    assertThat(e.getMessage()).isEqualTo(e.source() + " line 5, column 3: cache 'byReference': storeByValue=false"
        + " (store-by-reference) needs N=1, got N=3: references cannot be replicated to other nodes; store by value"
        + " or set replicationFactor to 1");
    assertThat(e.keyPath()).isEqualTo("caches.byReference");
  }

  @Test
  void aQuorumAboveAReplicationFactorFromDefaultsIsCaught() {
    ConfigurationFileException e = failure("""
        defaults:
          replication: {n: 3, w: 3, r: 1}
        caches:
          c:
            replication: {n: 2}
        """);

    assertThat(e.getMessage()).endsWith("line 4, column 3: cache 'c': W=3 exceeds N=2 (writeQuorum must be in 1..replicationFactor)");
  }

  @Test
  void badValueInDefaultsNamesTheDefaultsPath() {
    ConfigurationFileException e = failure("""
        defaults:
          max-entries: -1
        caches: {}
        """);

    assertThat(e.getMessage()).endsWith(" line 2, column 16: defaults.max-entries = -1 is out of range; need >= 1");
  }

  @Test
  void duplicateKeyIsAnErrorAtItsSecondOccurrence() {
    ConfigurationFileException e = failure("""
        caches:
          orders:
            max-entries: 10
          sessions:
            max-entries: 20
            max-entries: 30
        """);

    assertThat(e.getMessage()).isEqualTo(e.source() + " line 6, column 5: duplicate key 'caches.sessions.max-entries' (first at line 5)");
  }

  @Test
  void duplicateCacheName() {
    ConfigurationFileException e = failure("""
        caches:
          orders: {}
          orders: {max-entries: 1}
        """);

    assertThat(e.getMessage()).endsWith(" line 3, column 3: duplicate key 'caches.orders' (first at line 2)");
  }

  @Test
  void syntaxErrorNamesTheFileAndTheLine() {
    ConfigurationFileException e = failure("""
        caches:
          orders:
            max-entries: 10
           bad: indentation: here
        """);

    assertThat(e.line()).isEqualTo(4);
    assertThat(e.getMessage()).startsWith(e.source() + " line 4, column ").contains("YAML syntax error: ");
    assertThat(e.getCause()).isInstanceOf(org.yaml.snakeyaml.error.MarkedYAMLException.class);
  }

  @Test
  void twoDocumentsAreASyntaxError() {
    ConfigurationFileException e = failure("caches: {}\n---\ncaches: {}\n");

    assertThat(e.getMessage()).contains("line 2").contains("YAML syntax error: ");
  }

  @Test
  void emptyFileAndMissingCaches() {
    assertThat(failure("# nothing\n").getMessage()).endsWith(": the file is empty; need a 'caches' mapping");
    assertThat(failure("defaults: {statistics: true}\n").getMessage())
        .endsWith("line 1, column 1: missing key 'caches'; need a mapping of cache names to their settings");
    assertThat(failure("caches:\n").getMessage()).endsWith("line 1, column 1: caches has no value; need a mapping of cache names to their settings");
    assertThat(failure("- a\n- b\n").getMessage()).endsWith("line 1, column 1: the document is a list; need a mapping with 'caches' and optionally 'node' and 'defaults'");
  }

  @Test
  void mergeKeysAreRefusedWithAHint() {
    ConfigurationFileException e = failure("""
        caches:
          a: &base {max-entries: 10}
          b:
            <<: *base
            eviction: LFU
        """);

    assertThat(e.getMessage()).endsWith("line 4, column 5: YAML merge keys ('<<') are not supported in 'caches.b'; put shared settings under 'defaults'");
  }

  @Test
  void limitsOnAliasesNestingAndSize() {
    StringBuilder aliases = new StringBuilder("x: &a [1]\ny: [");
    for (int i = 0; i < ConfigurationFile.MAX_ALIASES + 10; i++) {
      aliases.append(i == 0 ? "" : ", ").append("*a");
    }
    aliases.append("]\ncaches: {}\n");
    assertThat(failure(aliases.toString()).getMessage()).contains("cannot be read as YAML").containsIgnoringCase("aliases");

    String deep = "caches: " + "[".repeat(ConfigurationFile.MAX_NESTING_DEPTH + 5) + "]".repeat(ConfigurationFile.MAX_NESTING_DEPTH + 5) + "\n";
    assertThat(failure(deep).getMessage()).contains("cannot be read as YAML").containsIgnoringCase("nesting depth");

    String huge = "# " + "x".repeat(ConfigurationFile.MAX_CODE_POINTS) + "\ncaches: {}\n";
    assertThat(failure(huge).getMessage()).contains("cannot be read as YAML").contains("code points");
  }

  @Test
  void missingFileNamesTheUri() {
    URI uri = dir.resolve("absent.yaml").toUri();

    assertThatThrownBy(() -> ConfigurationFile.forUri(uri, LOADER))
        .isInstanceOf(ConfigurationFileException.class)
        .hasMessageStartingWith(uri + ": cannot read the configuration file: java.io.FileNotFoundException");
  }

  @Test
  void missingClasspathResourceNamesThePathAndTheLoader() {
    assertThatThrownBy(() -> ConfigurationFile.forUri(URI.create("classpath:config/absent.yaml"), LOADER))
        .isInstanceOf(ConfigurationFileException.class)
        .hasMessage("classpath:config/absent.yaml: no classpath resource 'config/absent.yaml' found by the cache manager's"
            + " class loader " + LOADER);
  }

  @Test
  void urisWithoutAFile() {
    assertThat(ConfigurationFile.forUri(URI.create("ringstore:default"), LOADER)).isEmpty();
    assertThat(ConfigurationFile.forUri(URI.create("ringstore:orders.yaml"), LOADER)).isEmpty();
    assertThat(ConfigurationFile.forUri(URI.create("test:manager-1"), LOADER)).isEmpty();
    assertThat(ConfigurationFile.forUri(URI.create("urn:x:y"), LOADER)).isEmpty();
    assertThat(ConfigurationFile.forUri(URI.create("my-manager"), LOADER)).isEmpty();
  }

  @Test
  void aYamlNameThatIsNoUrlIsAnError() {
    assertThatThrownBy(() -> ConfigurationFile.forUri(URI.create("ringstore.yaml"), LOADER))
        .isInstanceOf(ConfigurationFileException.class)
        .hasMessage("ringstore.yaml: names a YAML file but cannot be opened as a URL (the URI is relative);"
            + " use classpath:<path>, file:<path> or a jar: URI");
    assertThatThrownBy(() -> ConfigurationFile.forUri(URI.create("fiel:/etc/ringstore.yml"), LOADER))
        .isInstanceOf(ConfigurationFileException.class)
        .hasMessageStartingWith("fiel:/etc/ringstore.yml: names a YAML file but cannot be opened as a URL");
  }
}
