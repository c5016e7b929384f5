/**
 * Entry processors: the {@link javax.cache.processor.MutableEntry} a processor works on (which
 * records what it did to the entry: nothing, read, created, loaded, updated or removed), and the
 * results of {@code invokeAll}.
 *
 * <p>Depends on {@code javax.cache} and the provider's {@code integration} package only; must not
 * import the cluster, storage or the provider's cache classes.
 */
@NullMarked
package io.ringstore.provider.processor;

import org.jspecify.annotations.NullMarked;
