package io.ringstore.provider.codec;

import java.io.ObjectInputFilter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ObjectInputFilter} every Java deserialisation of a stored key or value goes through.
 *
 * <p><b>Default</b> (no pattern configured): a class is allowed when the cache's class loader can
 * resolve it (that is, the application's and the JDK's classes), unless its name starts with one of
 * {@link #DENIED_PREFIXES}, the packages of well-known deserialisation gadget chains (Commons
 * Collections functors, Groovy runtime closures, Xalan templates, Spring/Hibernate internals, C3P0,
 * BeanShell, Jython, Clojure, JNDI/RMI, and others). Besides the class check, a stream may nest at
 * most {@value #MAX_DEPTH} objects deep, hold at most {@value #MAX_REFERENCES} references, and no
 * array may be longer than the stream's own byte bound.
 *
 * <p><b>Configured</b> ({@code RingstoreConfiguration.setDeserializationFilter(pattern)}): an
 * allow-list. The effective filter is {@code pattern;java.lang.*;java.util.*;java.time.*;java.math.*;!*}
 * built with {@link ObjectInputFilter.Config#createFilter(String)}: the user's pattern decides first
 * (so it may also reject JDK classes with {@code !java.util.*}), the JDK's value classes come next,
 * and every other class is rejected. The depth, reference and array limits apply as well.
 *
 * <p>Thread-safety: immutable.
 */
public final class DeserializationFilter implements ObjectInputFilter {

  /**
   * What the default filter rejects: an entry ending in {@code .} is a package (with its
   * subpackages), any other a class (with its nested classes, but not classes whose names merely
   * begin the same: {@code java.lang.Runtime} does not reject {@code java.lang.RuntimeException}).
   */
  public static final List<String> DENIED_PREFIXES = List.of(
      "org.apache.commons.collections.functors.",
      "org.apache.commons.collections4.functors.",
      "org.apache.commons.beanutils.",
      "org.apache.commons.fileupload.",
      "org.apache.commons.configuration.",
      "org.apache.xalan.",
      "com.sun.org.apache.xalan.",
      "org.apache.bcel.",
      "com.sun.org.apache.bcel.",
      "org.codehaus.groovy.runtime.",
      "groovy.lang.",
      "org.springframework.beans.factory.",
      "org.springframework.aop.",
      "org.springframework.transaction.jta.",
      "org.hibernate.",
      "com.mchange.v2.c3p0.",
      "bsh.",
      "org.python.",
      "clojure.",
      "com.sun.rowset.",
      "com.sun.jndi.",
      "javax.naming.",
      "javax.management.",
      "java.rmi.",
      "sun.rmi.",
      "jdk.jfr.",
      "org.mozilla.javascript.",
      "com.alibaba.fastjson.",
      "net.sf.json.",
      "org.jboss.interceptor.",
      "org.jboss.weld.interceptor.",
      "com.vaadin.data.",
      "org.apache.wicket.util.",
      "org.apache.myfaces.",
      "javassist.",
      "java.beans.EventHandler",
      "java.util.ServiceLoader",
      "java.net.URLClassLoader",
      "java.lang.ProcessBuilder",
      "java.lang.Runtime",
      "java.lang.reflect.Proxy",
      "sun.reflect.annotation.AnnotationInvocationHandler");

  /** How deep objects may nest in one stream. */
  public static final int MAX_DEPTH = 100;

  /** How many object references one stream may hold. */
  public static final int MAX_REFERENCES = 1_000_000;

  private final @Nullable ObjectInputFilter allowList;
  private final long maxArrayLength;

  private DeserializationFilter(@Nullable ObjectInputFilter allowList, long maxArrayLength) {
    this.allowList = allowList;
    this.maxArrayLength = maxArrayLength;
  }

  /**
   * The filter for an allow-list {@code pattern}, or the default filter when it is {@code null}.
   *
   * @param maxStreamBytes the bound on the bytes of one stored value; no array may be longer
   * @throws IllegalArgumentException if {@code pattern} is malformed
   */
  public static DeserializationFilter of(@Nullable String pattern, long maxStreamBytes) {
    ObjectInputFilter allowList = pattern == null ? null
        : ObjectInputFilter.Config.createFilter(pattern + ";java.lang.*;java.util.*;java.time.*;java.math.*;!*");
    return new DeserializationFilter(allowList, maxStreamBytes);
  }

  /** Whether the default filter rejects classes named {@code className} by name alone. */
  public static boolean isDenied(String className) {
    for (String entry : DENIED_PREFIXES) {
      boolean denied = entry.endsWith(".")
          ? className.startsWith(entry) // a package and its subpackages
          : className.equals(entry) || className.startsWith(entry + "$"); // a class and its nested classes
      if (denied) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Status checkInput(FilterInfo info) {
    if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.arrayLength() > maxArrayLength) {
      return Status.REJECTED;
    }
    Class<?> type = info.serialClass();
    if (type == null) {
      return Status.UNDECIDED;
    }
    while (type.isArray()) {
      type = type.getComponentType();
    }
    if (type.isPrimitive()) {
      return Status.ALLOWED;
    }
    if (allowList != null) {
      Status status = allowList.checkInput(info);
      return status == Status.UNDECIDED ? Status.REJECTED : status;
    }
    // Default: the class resolved through the cache's class loader (resolveClass ran already);
    // reject it only if it belongs to a known gadget package.
    return isDenied(type.getName()) ? Status.REJECTED : Status.ALLOWED;
  }

  @Override
  public String toString() {
    return allowList == null ? "DeserializationFilter[default]" : "DeserializationFilter[" + allowList + "]";
  }
}
