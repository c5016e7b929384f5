package io.ringstore.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The repackaged application run as users run it, {@code java -jar}: its configuration file is
 * then a {@code jar:nested:} resource inside the executable jar, which Ringstore must open.
 */
class ExecutableJarIT {

  @Test
  void theExecutableJarRunsWithItsNestedConfigurationFile() throws Exception {
    File jar = new File(System.getProperty("sample.jar"));
    assertThat(jar).as("the repackaged jar").isFile();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(List.of(java, "-jar", jar.getPath())).redirectErrorStream(true).start();
    boolean ended = process.waitFor(120, TimeUnit.SECONDS);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ended) {
      process.destroyForcibly();
    }
    assertThat(ended).as("the application ended; output:%n%s", output).isTrue();
    assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
    assertThat(output).contains("6 lookups, 2 computed").contains("of jar:nested:").contains("ringstore.yaml");
  }
}
