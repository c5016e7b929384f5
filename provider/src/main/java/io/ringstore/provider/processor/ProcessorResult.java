package io.ringstore.provider.processor;

import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import org.jspecify.annotations.Nullable;

/**
 * One key's outcome of {@code invokeAll}: the processor's result, or the exception its invocation
 * ended with, thrown again by {@link #get()}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param <T> the processor's result type
 */
public final class ProcessorResult<T> implements EntryProcessorResult<T> {
  private final @Nullable T result;
  private final @Nullable EntryProcessorException failure;

  private ProcessorResult(@Nullable T result, @Nullable EntryProcessorException failure) {
    this.result = result;
    this.failure = failure;
  }

  /** A successful outcome. */
  public static <T> ProcessorResult<T> of(T result) {
    return new ProcessorResult<>(result, null);
  }

  /** A failed outcome: {@code failure} is wrapped in an {@link EntryProcessorException} unless it is one. */
  public static <T> ProcessorResult<T> failed(Throwable failure) {
    return new ProcessorResult<>(null, failure instanceof EntryProcessorException e ? e : new EntryProcessorException(failure));
  }

  @Override
  public @Nullable T get() {
    if (failure != null) {
      throw failure;
    }
    return result;
  }
}
