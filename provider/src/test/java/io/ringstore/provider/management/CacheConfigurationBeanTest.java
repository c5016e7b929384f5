package io.ringstore.provider.management;

import static org.assertj.core.api.Assertions.assertThat;

import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

class CacheConfigurationBeanTest {

  @Test
  void readsTheLiveConfiguration() {
    MutableConfiguration<Long, String> configuration = new MutableConfiguration<Long, String>()
        .setTypes(Long.class, String.class)
        .setStoreByValue(false);
    CacheConfigurationBean bean = new CacheConfigurationBean(configuration);

    assertThat(bean.getKeyType()).isEqualTo("java.lang.Long");
    assertThat(bean.getValueType()).isEqualTo("java.lang.String");
    assertThat(bean.isStoreByValue()).isFalse();
    assertThat(bean.isReadThrough()).isFalse();
    assertThat(bean.isWriteThrough()).isFalse();
    assertThat(bean.isStatisticsEnabled()).isFalse();
    assertThat(bean.isManagementEnabled()).isFalse();

    configuration.setStatisticsEnabled(true).setManagementEnabled(true).setReadThrough(true)
        .setWriteThrough(true);
    assertThat(bean.isStatisticsEnabled()).isTrue();
    assertThat(bean.isManagementEnabled()).isTrue();
    assertThat(bean.isReadThrough()).isTrue();
    assertThat(bean.isWriteThrough()).isTrue();
  }

  @Test
  void untypedCachesReportObject() {
    CacheConfigurationBean bean = new CacheConfigurationBean(new MutableConfiguration<>());
    assertThat(bean.getKeyType()).isEqualTo("java.lang.Object");
    assertThat(bean.getValueType()).isEqualTo("java.lang.Object");
  }
}
