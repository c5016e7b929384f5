package io.ringstore.provider.configuration;

import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.SiblingResolver;
import java.io.ObjectInputFilter;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Locale;
import javax.cache.configuration.Factory;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Applies one mapping of cache settings from the file ({@code defaults} or a cache under
 * {@code caches}) onto a {@link RingstoreConfiguration}: each key checked and turned into a setter
 * call, every error placed at its key or value. The key table is {@link #KEYS}; the format is
 * {@code docs/configuration.md}, section "The configuration file".
 *
 * <p>Cross-setting rules (W and R at most N, store-by-reference needs N = 1) are left to
 * {@link CacheSettings#validate}, run on each cache once its settings are applied, so code and file
 * share them.
 *
 * <p>Thread-safety: not thread-safe; used by one thread while a file is read.
 */
final class CacheSection {

  /** The keys of a cache's settings, in the documented order. */
  static final List<String> KEYS = List.of("key-type", "value-type", "store-by-value", "statistics", "management",
      "expiry", "engine", "engine-options", "max-entries", "max-bytes", "eviction", "replication", "read-timeout",
      "write-timeout", "max-siblings", "max-clock-entries", "sibling-resolver", "max-key-bytes", "max-value-bytes",
      "deserialization-filter");

  private static final List<String> EXPIRY_KEYS = List.of("policy", "duration");
  private static final List<String> REPLICATION_KEYS = List.of("n", "w", "r");
  private static final String EXPIRY_POLICIES = "created, accessed, modified, touched or eternal";
  private static final String EVICTION_POLICIES = "LRU, LFU, FIFO, VOLATILE_TTL or NO_EVICTION";

  private final NodeReader reader;
  private final ClassLoader classLoader;

  CacheSection(NodeReader reader, ClassLoader classLoader) {
    this.reader = reader;
    this.classLoader = classLoader;
  }

  /** Applies the settings of {@code node} (a mapping, or null for none) at {@code path} onto {@code c}. */
  void apply(Node node, String path, RingstoreConfiguration<Object, Object> c) {
    if (NodeReader.isNull(node)) {
      return;
    }
    NodeReader.Entry keyType = null;
    NodeReader.Entry valueType = null;
    for (NodeReader.Entry e : reader.entries(node, path, "a mapping of cache settings (" + String.join(", ", KEYS) + ")")) {
      switch (e.key()) {
        case "key-type" -> keyType = e;
        case "value-type" -> valueType = e;
        case "store-by-value" -> c.setStoreByValue(bool(e));
        case "statistics" -> c.setStatisticsEnabled(bool(e));
        case "management" -> c.setManagementEnabled(bool(e));
        case "expiry" -> c.setExpiryPolicyFactory(expiry(e));
        case "engine" -> c.setStorageEngine(engine(e));
        case "engine-options" -> engineOptions(e, c);
        case "max-entries" -> c.setMaxEntries(reader.whole(e, SettingRange.POSITIVE));
        case "max-bytes" -> c.setMaxBytes(size(e, SettingRange.POSITIVE));
        case "eviction" -> c.setEvictionPolicy(eviction(e));
        case "replication" -> replication(e, c);
        case "read-timeout" -> c.setReadTimeout(duration(e, 1).toJavaDuration());
        case "write-timeout" -> c.setWriteTimeout(duration(e, 1).toJavaDuration());
        case "max-siblings" -> c.setMaxSiblings((int) reader.whole(e, SettingRange.SIBLINGS_OR_CLOCK_ENTRIES));
        case "max-clock-entries" -> c.setMaxClockEntries((int) reader.whole(e, SettingRange.SIBLINGS_OR_CLOCK_ENTRIES));
        case "sibling-resolver" -> c.setSiblingResolverFactory(siblingResolver(e));
        case "max-key-bytes" -> c.setMaxKeyBytes((int) size(e, SettingRange.KEY_BYTES));
        case "max-value-bytes" -> c.setMaxValueBytes((int) size(e, SettingRange.VALUE_BYTES));
        case "deserialization-filter" -> c.setDeserializationFilter(deserializationFilter(e));
        default -> throw reader.unknownKey(e, KEYS);
      }
    }
    types(path, keyType, valueType, c);
  }

  private void types(String path, NodeReader.@Nullable Entry keyType, NodeReader.@Nullable Entry valueType,
      RingstoreConfiguration<Object, Object> c) {
    if (keyType == null && valueType == null) {
      return;
    }
    if (keyType == null || valueType == null) {
      NodeReader.Entry given = keyType != null ? keyType : valueType;
      String missing = keyType == null ? "key-type" : "value-type";
      throw reader.error(given.keyNode(), given.path(), given.path() + " is set without " + path + "." + missing
          + "; set both key-type and value-type, or neither (then keys and values are Objects)");
    }
    @SuppressWarnings("unchecked")
    Class<Object> keyClass = (Class<Object>) loadClass(keyType);
    @SuppressWarnings("unchecked")
    Class<Object> valueClass = (Class<Object>) loadClass(valueType);
    c.setTypes(keyClass, valueClass);
  }

  private Class<?> loadClass(NodeReader.Entry e) {
    String name = reader.text(e, "a fully qualified class name").trim();
    try {
      return Class.forName(name, false, classLoader);
    } catch (ClassNotFoundException | LinkageError ex) {
      throw reader.badValue(e, name, "is not a class the cache manager's class loader (" + classLoader + ") can load: " + ex,
          ex);
    }
  }

  private boolean bool(NodeReader.Entry e) {
    String text = reader.text(e, "true or false");
    try {
      return SettingText.bool(text);
    } catch (IllegalArgumentException ex) {
      throw reader.badValue(e, text, ex.getMessage(), null);
    }
  }

  private long size(NodeReader.Entry e, SettingRange range) {
    String text = reader.text(e, "a size such as 64MiB (" + SettingText.SIZE_UNITS + ")");
    try {
      return SettingText.size(text, range);
    } catch (IllegalArgumentException ex) {
      throw reader.badValue(e, text, ex.getMessage(), null);
    }
  }

  private SettingText.Amount duration(NodeReader.Entry e, long minMillis) {
    String text = reader.text(e, "a duration such as 30s (" + SettingText.DURATION_UNITS + ")");
    try {
      return SettingText.duration(text, minMillis);
    } catch (IllegalArgumentException ex) {
      throw reader.badValue(e, text, ex.getMessage(), null);
    }
  }

  private String engine(NodeReader.Entry e) {
    String name = reader.text(e, "a storage engine's name such as memory").trim();
    if (name.isEmpty()) {
      throw reader.badValue(e, "''", "is blank; need a storage engine's name such as memory", null);
    }
    return name;
  }

  private void engineOptions(NodeReader.Entry e, RingstoreConfiguration<Object, Object> c) {
    if (NodeReader.isNull(e.value())) {
      return;
    }
    for (NodeReader.Entry option : reader.entries(e.value(), e.path(), "a mapping of engine option names to values")) {
      c.setEngineOption(option.key(), reader.text(option, "a plain value"));
    }
  }

  private EvictionPolicy eviction(NodeReader.Entry e) {
    String text = reader.text(e, EVICTION_POLICIES);
    String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (EvictionPolicy policy : EvictionPolicy.values()) {
      if (policy.name().equals(name)) {
        return policy;
      }
    }
    throw reader.badValue(e, text, "is not an eviction policy; need " + EVICTION_POLICIES + " (any case, '-' or '_')", null);
  }

  private Factory<? extends ExpiryPolicy> expiry(NodeReader.Entry e) {
    NodeReader.Entry policy = null;
    NodeReader.Entry duration = null;
    for (NodeReader.Entry part : reader.entries(e.value(), e.path(), "a mapping with policy and duration")) {
      switch (part.key()) {
        case "policy" -> policy = part;
        case "duration" -> duration = part;
        default -> throw reader.unknownKey(part, EXPIRY_KEYS);
      }
    }
    if (policy == null) {
      throw reader.error(e.keyNode(), e.path(), e.path() + " has no policy; need policy: " + EXPIRY_POLICIES);
    }
    String text = reader.text(policy, EXPIRY_POLICIES);
    String name = text.trim().toLowerCase(Locale.ROOT);
    if (name.equals("eternal")) {
      if (duration != null) {
        throw reader.error(duration.keyNode(), duration.path(),
            duration.path() + " is set with policy eternal; an eternal entry has no duration, remove it");
      }
      return EternalExpiryPolicy.factoryOf();
    }
    if (!List.of("created", "accessed", "modified", "touched").contains(name)) {
      throw reader.badValue(policy, text, "is not an expiry policy; need " + EXPIRY_POLICIES, null);
    }
    if (duration == null) {
      throw reader.error(policy.keyNode(), e.path(), e.path() + " has policy " + name
          + " but no duration; need a duration such as 10m (0s expires at once)");
    }
    javax.cache.expiry.Duration d = duration(duration, 0).toCacheDuration();
    return switch (name) {
      case "created" -> CreatedExpiryPolicy.factoryOf(d);
      case "accessed" -> AccessedExpiryPolicy.factoryOf(d);
      case "modified" -> ModifiedExpiryPolicy.factoryOf(d);
      default -> TouchedExpiryPolicy.factoryOf(d);
    };
  }

  private void replication(NodeReader.Entry e, RingstoreConfiguration<Object, Object> c) {
    NodeReader.Entry n = null;
    for (NodeReader.Entry part : reader.entries(e.value(), e.path(), "a mapping with n, w and r")) {
      switch (part.key()) {
        case "n" -> {
          c.setReplicationFactor((int) reader.whole(part, SettingRange.REPLICATION_FACTOR));
          n = part;
        }
        case "w" -> c.setWriteQuorum((int) reader.whole(part, SettingRange.REPLICATION_FACTOR));
        case "r" -> c.setReadQuorum((int) reader.whole(part, SettingRange.REPLICATION_FACTOR));
        default -> throw reader.unknownKey(part, REPLICATION_KEYS);
      }
    }
    for (NodeReader.Entry part : reader.entries(e.value(), e.path(), "a mapping with n, w and r")) {
      long value = part.key().equals("w") ? c.getWriteQuorum() : part.key().equals("r") ? c.getReadQuorum() : 0;
      if (value > c.getReplicationFactor()) {
        throw reader.badValue(part, Long.toString(value), "is out of range; need 1..n (n = " + c.getReplicationFactor()
            + (n == null ? ", from defaults or the default 1" : "") + ")", null);
      }
    }
  }

  private Factory<? extends SiblingResolver<Object>> siblingResolver(NodeReader.Entry e) {
    Class<?> type = loadClass(e);
    String name = type.getName();
    if (!SiblingResolver.class.isAssignableFrom(type)) {
      throw reader.badValue(e, name, "does not implement " + SiblingResolver.class.getName(), null);
    }
    if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
      throw reader.badValue(e, name, "is not a public concrete class; need a public class with a public no-argument constructor",
          null);
    }
    try {
      type.getConstructor();
    } catch (NoSuchMethodException ex) {
      throw reader.badValue(e, name, "has no public no-argument constructor", ex);
    }
    @SuppressWarnings("unchecked")
    Class<? extends SiblingResolver<Object>> resolver = (Class<? extends SiblingResolver<Object>>) type;
    return new NoArgFactory<>(resolver);
  }

  private String deserializationFilter(NodeReader.Entry e) {
    String pattern = reader.text(e, "an ObjectInputFilter pattern such as \"com.example.**;java.util.*\"");
    try {
      ObjectInputFilter.Config.createFilter(pattern);
    } catch (IllegalArgumentException ex) {
      throw reader.badValue(e, pattern, "is not an ObjectInputFilter pattern: " + ex.getMessage(), ex);
    }
    return pattern;
  }
}
