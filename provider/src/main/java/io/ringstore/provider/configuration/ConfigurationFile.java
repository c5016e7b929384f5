package io.ringstore.provider.configuration;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.UnicodeReader;

/**
 * A Ringstore configuration file: the YAML document a cache manager's URI names, read and checked
 * in full before the manager opens. The format is {@code docs/configuration.md}, section "The
 * configuration file":
 *
 * <pre>{@code
 * node:                # optional: the node the manager runs (NodeSection)
 *   id: alpha
 *   cluster: {port: 7701, seeds: [127.0.0.1:7701]}
 * defaults:            # optional: settings every cache of the file starts from
 *   statistics: true
 * caches:              # required: cache name -> settings (all optional)
 *   orders:
 *     max-entries: 100000
 *     eviction: LFU
 * }</pre>
 *
 * <p>The file is read with SnakeYAML as a node tree ({@code compose}), never bound to Java objects,
 * so every key and value keeps its line and column and no class is instantiated by the parser.
 * Limits: {@value #MAX_CODE_POINTS} code points, nesting depth {@value #MAX_NESTING_DEPTH},
 * {@value #MAX_ALIASES} aliases. Every problem (missing file, YAML syntax, unknown or duplicate key,
 * bad value, a {@code key-type} without {@code value-type}, a rule of {@link CacheSettings}) is a
 * {@link ConfigurationFileException} naming the file, the line and column, the key path and, for a
 * value, the value and the allowed range.
 *
 * <p>Which URIs name a file ({@link #forUri}): {@code classpath:<path>} is a resource of the
 * manager's class loader; any URI Java can open as a URL ({@code file:}, {@code jar:file:...!/...},
 * Spring Boot's {@code jar:nested:...}, {@code http:}) is opened through {@link URI#toURL()}. A
 * {@code ringstore:} URI, a relative URI and a URI whose scheme has no URL handler (such as
 * {@code urn:} or {@code test:}) name a manager without a file, unless the path ends in
 * {@code .yaml} or {@code .yml}: that is a file the application meant to give, and an error.
 *
 * <p>Thread-safety: immutable.
 */
public final class ConfigurationFile {

  /** The most code points a file may have (1 MiB). */
  public static final int MAX_CODE_POINTS = 1024 * 1024;

  /** The deepest nesting of mappings and lists a file may have. */
  public static final int MAX_NESTING_DEPTH = 16;

  /** The most aliases ({@code *name}) a file may use. */
  public static final int MAX_ALIASES = 50;

  /** How long opening or reading a remote file ({@code http:}) may wait before failing: 10 s. */
  public static final int URL_TIMEOUT_MILLIS = 10_000;

  /** The top-level keys. */
  static final List<String> TOP_KEYS = List.of("node", "defaults", "caches");

  private final String source;
  private final List<DeclaredCache> caches;
  private final Map<String, String> nodeProperties;
  private final RingstoreConfiguration<Object, Object> defaults;

  private ConfigurationFile(String source, List<DeclaredCache> caches, Map<String, String> nodeProperties,
      RingstoreConfiguration<Object, Object> defaults) {
    this.source = source;
    this.defaults = new RingstoreConfiguration<>(defaults);
    this.caches = List.copyOf(caches);
    this.nodeProperties = Collections.unmodifiableMap(new LinkedHashMap<>(nodeProperties));
  }

  /**
   * The file {@code uri} names, read and checked, or empty if the URI names a manager without a
   * file (see the class comment).
   *
   * @param classLoader the manager's class loader: finds {@code classpath:} resources and loads the
   *     classes the file names
   * @throws ConfigurationFileException if the file is missing or not valid
   */
  public static Optional<ConfigurationFile> forUri(URI uri, ClassLoader classLoader) {
    requireNonNull(uri, "uri");
    requireNonNull(classLoader, "classLoader");
    String scheme = uri.getScheme();
    if ("ringstore".equalsIgnoreCase(scheme)) {
      return Optional.empty();
    }
    if ("classpath".equalsIgnoreCase(scheme)) {
      String path = uri.getSchemeSpecificPart();
      while (path.startsWith("/")) {
        path = path.substring(1);
      }
      URL resource = classLoader.getResource(path);
      if (resource == null) {
        throw new ConfigurationFileException(uri.toString(), 0, 0, "", "no classpath resource '" + path
            + "' found by the cache manager's class loader " + classLoader, null);
      }
      return Optional.of(read(uri + " (" + resource + ")", resource, classLoader));
    }
    URL url;
    try {
      if (scheme == null) {
        throw new IllegalArgumentException("the URI is relative");
      }
      url = uri.toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      if (namesYaml(uri)) {
        throw new ConfigurationFileException(uri.toString(), 0, 0, "", "names a YAML file but cannot be opened as a URL ("
            + e.getMessage() + "); use classpath:<path>, file:<path> or a jar: URI", e);
      }
      return Optional.empty();
    }
    return Optional.of(read(uri.toString(), url, classLoader));
  }

  /**
   * Reads and checks a file from {@code reader}.
   *
   * @param source the file's name in errors (its URI)
   * @param classLoader loads the classes the file names
   * @throws ConfigurationFileException if the file is not valid
   */
  public static ConfigurationFile read(String source, Reader reader, ClassLoader classLoader) {
    requireNonNull(source, "source");
    requireNonNull(reader, "reader");
    requireNonNull(classLoader, "classLoader");
    NodeReader nodes = new NodeReader(source);
    Node root;
    try {
      root = new Yaml(new SafeConstructor(loaderOptions())).compose(reader);
    } catch (MarkedYAMLException e) {
      throw nodes.error(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark(), "", syntax(e), e);
    } catch (YAMLException e) {
      throw new ConfigurationFileException(source, 0, 0, "", "cannot be read as YAML: " + e.getMessage(), e);
    }
    Map<String, String> nodeProperties = new LinkedHashMap<>();
    RingstoreConfiguration<Object, Object> defaults = new RingstoreConfiguration<>();
    List<DeclaredCache> caches = declaredCaches(nodes, root, classLoader, nodeProperties, defaults);
    return new ConfigurationFile(source, caches, nodeProperties, defaults);
  }

  /** The file's name in messages: the URI as given (for {@code classpath:} with the resource found). */
  public String source() {
    return source;
  }

  /** The caches the file declares, in file order. */
  public List<DeclaredCache> caches() {
    return caches;
  }

  /**
   * The settings of the file's {@code node} mapping as the cache-manager properties they stand
   * for ({@code ringstore.node.id}, {@code ringstore.cluster.seeds}, ...), checked; empty if the
   * file has none.
   */
  public Map<String, String> nodeProperties() {
    return nodeProperties;
  }

  /**
   * The file's {@code defaults} section applied to the built-in defaults (the built-in defaults
   * alone if the file has none), as a fresh copy. Every declared cache starts from it, and so does
   * a cache the manager creates in code from a configuration that is not a
   * {@link RingstoreConfiguration}, for its Ringstore settings only
   * ({@link CacheSettings#validatedCopy(String, javax.cache.configuration.Configuration, RingstoreConfiguration)}).
   */
  public RingstoreConfiguration<Object, Object> defaults() {
    return new RingstoreConfiguration<>(defaults);
  }

  private static ConfigurationFile read(String source, URL url, ClassLoader classLoader) {
    try {
      URLConnection connection = url.openConnection();
      // Never keep a jar open in the JDK's cache after reading one entry.
      connection.setUseCaches(false);
      connection.setConnectTimeout(URL_TIMEOUT_MILLIS);
      connection.setReadTimeout(URL_TIMEOUT_MILLIS);
      try (InputStream in = connection.getInputStream(); Reader reader = new UnicodeReader(in)) {
        return read(source, reader, classLoader);
      }
    } catch (IOException e) {
      throw new ConfigurationFileException(source, 0, 0, "", "cannot read the configuration file: " + e, e);
    }
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setNestingDepthLimit(MAX_NESTING_DEPTH);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    // compose() never checks duplicates; NodeReader does. Set anyway in case of a later load().
    options.setAllowDuplicateKeys(false);
    return options;
  }

  private static String syntax(MarkedYAMLException e) {
    String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
    StringBuilder text = new StringBuilder("YAML syntax error: ").append(problem);
    if (e.getContext() != null) {
      text.append(" (").append(e.getContext());
      if (e.getContextMark() != null && e.getProblemMark() != null) {
        text.append(" at line ").append(e.getContextMark().getLine() + 1);
      }
      text.append(')');
    }
    return text.toString();
  }

  private static boolean namesYaml(URI uri) {
    String path = uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath();
    String lower = path == null ? "" : path.toLowerCase(Locale.ROOT);
    return lower.endsWith(".yaml") || lower.endsWith(".yml");
  }

  private static List<DeclaredCache> declaredCaches(NodeReader nodes, @Nullable Node root, ClassLoader classLoader,
      Map<String, String> nodeProperties, RingstoreConfiguration<Object, Object> base) {
    if (root == null) {
      throw new ConfigurationFileException(nodes.source(), 0, 0, "", "the file is empty; need a 'caches' mapping", null);
    }
    NodeReader.Entry defaults = null;
    NodeReader.Entry caches = null;
    for (NodeReader.Entry e : nodes.entries(root, "", "a mapping with 'caches' and optionally 'node' and 'defaults'")) {
      switch (e.key()) {
        case "node" -> nodeProperties.putAll(new NodeSection(nodes).read(e.value(), e.path()));
        case "defaults" -> defaults = e;
        case "caches" -> caches = e;
        default -> throw nodes.unknownKey(e, TOP_KEYS);
      }
    }
    CacheSection section = new CacheSection(nodes, classLoader);
    if (defaults != null) {
      section.apply(defaults.value(), defaults.path(), base);
    }
    if (caches == null) {
      throw nodes.error(root, "caches", "missing key 'caches'; need a mapping of cache names to their settings");
    }
    if (NodeReader.isNull(caches.value())) {
      throw nodes.error(caches.keyNode(), caches.path(), "caches has no value; need a mapping of cache names to their settings");
    }
    List<DeclaredCache> declared = new ArrayList<>();
    for (NodeReader.Entry cache : nodes.entries(caches.value(), caches.path(), "a mapping of cache names to their settings")) {
      RingstoreConfiguration<Object, Object> configuration = new RingstoreConfiguration<>(base);
      section.apply(cache.value(), cache.path(), configuration);
      try {
        CacheSettings.validate(cache.key(), configuration);
      } catch (IllegalArgumentException e) {
        throw nodes.error(cache.keyNode().getStartMark(), cache.path(), e.getMessage(), e);
      }
      declared.add(new DeclaredCache(cache.key(), nodes.source(), cache.keyNode().getStartMark().getLine() + 1,
          cache.keyNode().getStartMark().getColumn() + 1, configuration));
    }
    return declared;
  }

  @Override
  public String toString() {
    return "ConfigurationFile[" + source + ", " + caches.size() + " caches]";
  }
}
