package io.ringstore.provider.configuration;

import io.ringstore.spi.SiblingResolver;
import java.util.List;
import java.util.stream.Collectors;

/** A resolver the configuration file names by class: joins the siblings' values with '+'. */
public final class MergingResolver implements SiblingResolver<Object> {

  /** The public no-argument constructor the file needs. */
  public MergingResolver() {}

  @Override
  public Object resolve(List<Version<Object>> siblings) {
    return siblings.stream().map(v -> String.valueOf(v.value())).sorted().collect(Collectors.joining("+"));
  }
}
