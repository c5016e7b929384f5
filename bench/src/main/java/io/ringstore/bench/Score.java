package io.ringstore.bench;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One benchmark figure: a (benchmark, threads, config, provider) cell of the result table.
 *
 * @param benchmark the benchmark method, e.g. {@code "get"}
 * @param threads the number of benchmark threads sharing the cache
 * @param config the {@link StoreMode#param()}, e.g. {@code "byValue"}
 * @param provider the {@link Provider#param()}, e.g. {@code "caffeine"}
 * @param opsPerMicros throughput summed over threads, in operations per microsecond
 * @param errorOpsPerMicros JMH's 99.9% confidence half-width, in ops/us ({@code NaN} if unknown)
 * @param allocBytesPerOp bytes allocated per operation ({@code -prof gc}), or null if not profiled
 *
 * <p>Thread-safety: immutable.
 */
public record Score(String benchmark, int threads, String config, String provider,
    double opsPerMicros, double errorOpsPerMicros, @Nullable Double allocBytesPerOp) {

  public Score {
    Objects.requireNonNull(benchmark, "benchmark");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(provider, "provider");
    if (threads < 1) {
      throw new IllegalArgumentException("threads = " + threads + "; need >= 1");
    }
  }
}
