/**
 * JMH benchmarks of the {@code javax.cache} API: Ringstore beside the JCache providers a user
 * would pick instead (Caffeine, Ehcache 3, the JSR-107 reference implementation), all in one run.
 *
 * <p>This package owns the workload (keys, values, the Zipf key sequence), the per-provider cache
 * fixture, the benchmark methods and the runner that prints the comparison table. It reaches
 * every provider through {@code javax.cache} only, by provider class name: it must not import
 * any provider's classes (Ringstore's included), so that no provider gets a path the others lack.
 */
@NullMarked
package io.ringstore.bench;

import org.jspecify.annotations.NullMarked;
