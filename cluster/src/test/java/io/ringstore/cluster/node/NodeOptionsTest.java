package io.ringstore.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class NodeOptionsTest {

  @Test
  void optionsDoNotKeepAnApplicationsClassLoaderAlive() throws Exception {
    URLClassLoader application = new URLClassLoader(new URL[0], getClass().getClassLoader());
    NodeOptions options = NodeOptions.embedded(application).withNodeId("n1");
    assertThat(options.classLoader()).isSameAs(application);
    WeakReference<ClassLoader> gone = new WeakReference<>(application);
    application.close();
    application = null;

    for (int i = 0; i < 50 && gone.get() != null; i++) {
      System.gc();
      Thread.onSpinWait();
    }
    assertThat(gone.get()).as("the application's loader, referenced only by the options").isNull();
    assertThat(options.classLoader()).isSameAs(NodeOptions.class.getClassLoader());
  }

  @Test
  void badOptionsAreRefusedByName() {
    ClassLoader loader = getClass().getClassLoader();
    assertThatThrownBy(() -> NodeOptions.embedded(loader).withNodeId("")).hasMessageContaining("need 1 to 128 UTF-8 bytes");
    assertThatThrownBy(() -> new NodeOptions("n", NodeOptions.embedded(loader).env(), 0, 1, loader))
        .hasMessageContaining("vnodes = 0");
    assertThatThrownBy(() -> new NodeOptions("n", NodeOptions.embedded(loader).env(), 1, 65, loader))
        .hasMessageContaining("weight = 65").hasMessageContaining("<= 64");
  }
}
