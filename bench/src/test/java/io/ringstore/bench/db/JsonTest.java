package io.ringstore.bench.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void whatTheWriterWritesTheReaderReadsBack() {
    String text = new JsonWriter().beginObject()
        .name("name").value("fill\"random\"\n")
        .name("ops").value(1_000_000L)
        .name("ratio").value(0.123456789)
        .name("nan").value(Double.NaN)
        .name("ok").value(true)
        .name("empty").beginArray().endArray()
        .name("list").beginArray().value(1L).beginObject().name("a").value("b").endObject().endArray()
        .endObject().toString();

    Object parsed = JsonReader.parse(text);

    assertThat(parsed).isInstanceOf(Map.class);
    Map<?, ?> m = (Map<?, ?>) parsed;
    assertThat(m.get("name")).isEqualTo("fill\"random\"\n");
    assertThat(m.get("ops")).isEqualTo(1_000_000.0);
    assertThat(m.get("ratio")).isEqualTo(0.123457);
    assertThat(m.containsKey("nan")).isTrue();
    assertThat(m.get("nan")).isNull();
    assertThat(m.get("ok")).isEqualTo(true);
    assertThat(m.get("empty")).isEqualTo(List.of());
    assertThat(m.get("list")).isEqualTo(List.of(1.0, Map.of("a", "b")));
    assertThat(text).contains("\"ops\": 1000000,").doesNotContain("E");
  }

  @Test
  void badSyntaxIsRefusedNamingTheOffset() {
    assertThatThrownBy(() -> JsonReader.parse("{\"a\": 1,}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset 8");
    assertThatThrownBy(() -> JsonReader.parse("[1] 2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after the end");
  }
}
