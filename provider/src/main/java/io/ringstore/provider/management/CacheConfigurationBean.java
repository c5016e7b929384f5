package io.ringstore.provider.management;

import java.util.Objects;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.management.CacheMXBean;

/**
 * A cache's configuration as the spec's {@link CacheMXBean}.
 *
 * <p>Each getter reads the configuration object it was given at the time of the call, so when the
 * cache changes that object (enabling statistics or management at run time) JMX shows the change.
 * Type names are {@link Class#getName()}, as in the reference implementation.
 *
 * <p>Thread-safety: as thread-safe as the configuration it reads; it holds no state of its own.
 */
public final class CacheConfigurationBean implements CacheMXBean {

  private final CompleteConfiguration<?, ?> configuration;

  /** Creates a view of {@code configuration} (the live object, not a copy). */
  public CacheConfigurationBean(CompleteConfiguration<?, ?> configuration) {
    this.configuration = Objects.requireNonNull(configuration, "configuration");
  }

  @Override
  public String getKeyType() {
    return configuration.getKeyType().getName();
  }

  @Override
  public String getValueType() {
    return configuration.getValueType().getName();
  }

  @Override
  public boolean isReadThrough() {
    return configuration.isReadThrough();
  }

  @Override
  public boolean isWriteThrough() {
    return configuration.isWriteThrough();
  }

  @Override
  public boolean isStoreByValue() {
    return configuration.isStoreByValue();
  }

  @Override
  public boolean isStatisticsEnabled() {
    return configuration.isStatisticsEnabled();
  }

  @Override
  public boolean isManagementEnabled() {
    return configuration.isManagementEnabled();
  }
}
