package io.ringstore.cluster.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The event bus's settings from properties: the event-loop count, its default and its bounds. */
class EventBusSettingsTest {

  @Test
  void eventLoopsDefaultToTheProcessorsAndComeFromTheirProperty() {
    assertThat(EventBusSettings.defaults().eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
    Properties p = new Properties();
    p.setProperty("ringstore.bus.eventLoops", "1");
    EventBusSettings settings = EventBusSettings.from(p);
    assertThat(settings.eventLoops()).isEqualTo(1);
    assertThat(settings.withPort(7000).withMaxFrameBytes(EventBusSettings.MIN_FRAME_BYTES).eventLoops()).isEqualTo(1);
  }

  @Test
  void eventLoopsOutOfRangeNameTheSettingAndTheBound() {
    for (String bad : new String[] {"0", "1025"}) {
      Properties p = new Properties();
      p.setProperty("ringstore.bus.eventLoops", bad);
      assertThatThrownBy(() -> EventBusSettings.from(p))
          .hasMessage("ringstore.bus.eventLoops = " + bad + " is out of range; need 1 to 1024");
    }
    Properties p = new Properties();
    p.setProperty("ringstore.bus.eventLoops", "many");
    assertThatThrownBy(() -> EventBusSettings.from(p)).hasMessageContaining("ringstore.bus.eventLoops = 'many' is not an integer");
  }

  @Test
  void theTransportDefaultsToAutoAndComesFromItsProperty() {
    assertThat(EventBusSettings.defaults().transport()).isEqualTo(EventBusSettings.Net.AUTO);
    for (EventBusSettings.Net net : EventBusSettings.Net.values()) {
      Properties p = new Properties();
      p.setProperty("ringstore.bus.transport", net.settingValue());
      EventBusSettings settings = EventBusSettings.from(p);
      assertThat(settings.transport()).isEqualTo(net);
      assertThat(settings.withPort(7000).withMaxFrameBytes(EventBusSettings.MIN_FRAME_BYTES).transport()).isEqualTo(net);
    }
    for (String bad : new String[] {"udp", "EPOLL", ""}) {
      Properties p = new Properties();
      p.setProperty("ringstore.bus.transport", bad);
      assertThatThrownBy(() -> EventBusSettings.from(p))
          .hasMessage("ringstore.bus.transport = '" + bad + "' is not one of auto, nio, epoll");
    }
  }
}
