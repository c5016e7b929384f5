package io.ringstore.cdi;

/**
 * Marks the module's own bean classes, which only {@link CacheAnnotationsExtension} may add to a
 * container: the extension vetoes any other discovery of them (a scanned jar, an explicit
 * {@code addBeanClass}), so each interceptor runs exactly once per call.
 */
interface AddedByExtension {}
