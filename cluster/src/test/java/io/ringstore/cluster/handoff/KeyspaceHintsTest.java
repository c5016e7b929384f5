package io.ringstore.cluster.handoff;

import static io.ringstore.cluster.handoff.HandoffRig.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.StoredRecord;
import io.ringstore.storage.lsm.LsmStorageEngineFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyspace's hint store: versions for one target and key merge into one hint; the node's byte
 * bound refuses a hint past it (counted, target marked for repair, nothing stored); hints of a
 * persistent keyspace survive a restart; the settings refuse bad values naming them.
 */
class KeyspaceHintsTest {

  @Test
  void versionsOfOneKeyForOneTargetMergeIntoOneHint() {
    HandoffRig rig = new HandoffRig(HandoffSettings.defaults());
    StoredRecord first = rig.version(null, "one");
    StoredRecord second = rig.version(first, "two");
    rig.hints.add("b", key(0), first);
    rig.hints.add("b", key(0), second);
    rig.hints.add("c", key(0), first);
    assertThat(rig.hints.counts()).isEqualTo(Map.of("b", 1L, "c", 1L));
    Iterator<KeyspaceHints.Hint> forB = rig.hints.hintsFor("b");
    KeyspaceHints.Hint hint = forB.next();
    assertThat(forB.hasNext()).isFalse();
    assertThat(hint.key()).isEqualTo(key(0));
    assertThat(hint.record()).isEqualTo(second); // the descendant replaced its ancestor
    assertThat(rig.budget.stats().hints()).isEqualTo(2);
    assertThat(rig.budget.stats().bytes()).isEqualTo(second.weightBytes(hint.hintKey().length())
        + first.weightBytes(KeyspaceHints.hintKey("c", key(0)).length()));
  }

  @Test
  void aHintIsAsOldAsItsOldestVersionSoThatNoHintDeliversAVersionOlderThanTheBound() {
    HandoffRig rig = new HandoffRig(HandoffSettings.defaults().withMaxAge(Duration.ofSeconds(10)));
    StoredRecord old = rig.version(null, "old");
    rig.advance(Duration.ofSeconds(8));
    // a concurrent version (another actor, not descending the old one): the hint keeps both as siblings
    StoredRecord concurrent = StoredRecord.write(null, io.ringstore.spi.VectorClock.EMPTY, "x", rig.hlc.now(),
        io.ringstore.spi.Bytes.utf8("new"), StoredRecord.NEVER, rig.time.millis());
    rig.hints.add("b", key(0), old);
    rig.hints.add("b", key(0), concurrent);
    KeyspaceHints.Hint hint = rig.hints.hintsFor("b").next();
    assertThat(hint.record().siblings()).hasSize(2);
    assertThat(rig.hints.isExpired(hint)).isFalse();
    rig.advance(Duration.ofSeconds(3)); // the old version is 11 s old, the newer one 3 s
    assertThat(rig.hints.isExpired(hint)).isTrue();
  }

  @Test
  void aHintPastTheByteBoundIsNotKeptButCountedAndMarksItsTarget() {
    HandoffRig rig = new HandoffRig(HandoffSettings.defaults().withMaxBytes(HandoffSettings.MIN_MAX_BYTES));
    int i = 0;
    while (rig.budget.stats().overflowed() == 0) {
      rig.hints.add("b", key(i), rig.version(null, "value-" + i));
      i++;
    }
    HandoffStats stats = rig.budget.stats();
    assertThat(stats.bytes()).isLessThanOrEqualTo(HandoffSettings.MIN_MAX_BYTES);
    assertThat(stats.hints()).isEqualTo(i - 1);
    assertThat(rig.hints.counts()).containsEntry("b", (long) i - 1);
    assertThat(rig.hints.repairMarks()).containsExactly("b");
    Iterator<KeyspaceHints.Hint> kept = rig.hints.hintsFor("b");
    int count = 0;
    while (kept.hasNext()) {
      assertThat(kept.next().key()).isNotEqualTo(key(i - 1)); // the refused one is not stored
      count++;
    }
    assertThat(count).isEqualTo(i - 1);
    rig.hints.clearRepairMark("b");
    assertThat(rig.hints.repairMarks()).isEmpty();
  }

  @Test
  void hintsOfAPersistentKeyspaceSurviveARestart(@TempDir Path dir) {
    HandoffRig rig = new HandoffRig(HandoffSettings.defaults());
    HintBudget budget = new HintBudget(HandoffSettings.defaults().maxBytes());
    Map<String, String> options = Map.of("directory", dir.resolve("ks.hints").toString(), "wal.syncMode", "always");
    KeyspaceHints hints = KeyspaceHints.open("ks", listener -> new LsmStorageEngineFactory().open(new EngineSettings("ks (hints)",
        EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED, EvictionPolicy.LRU, rig.env, listener, options)), budget,
        HandoffSettings.defaults(), rig.time);
    for (int i = 0; i < 20; i++) {
      hints.add(i % 2 == 0 ? "b" : "c", key(i), rig.version(null, "v" + i));
    }
    HandoffStats before = budget.stats();
    hints.close();
    assertThat(budget.stats().bytes()).isZero();

    HintBudget again = new HintBudget(HandoffSettings.defaults().maxBytes());
    KeyspaceHints reopened = KeyspaceHints.open("ks", listener -> new LsmStorageEngineFactory().open(new EngineSettings("ks (hints)",
        EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED, EvictionPolicy.LRU, rig.env, listener, options)), again,
        HandoffSettings.defaults(), rig.time);
    try {
      assertThat(reopened.counts()).isEqualTo(Map.of("b", 10L, "c", 10L));
      assertThat(again.stats().bytes()).isEqualTo(before.bytes());
      assertThat(again.stats().hints()).isEqualTo(20);
      KeyspaceHints.Hint hint = reopened.hintsFor("b").next();
      assertThat(reopened.delivered(hint)).isTrue();
      assertThat(reopened.counts()).containsEntry("b", 9L);
    } finally {
      reopened.close();
    }
  }

  @Test
  void settingsParseFromPropertiesAndRefuseBadValuesNamingThem() {
    Properties p = new Properties();
    p.setProperty("ringstore.handoff.maxBytes", "1048576");
    p.setProperty("ringstore.handoff.maxAgeMillis", "60000");
    p.setProperty("ringstore.handoff.enabled", "false");
    p.setProperty("ringstore.handoff.replayWindow", "8");
    HandoffSettings parsed = HandoffSettings.from(p);
    assertThat(parsed.maxBytes()).isEqualTo(1 << 20);
    assertThat(parsed.maxAge()).isEqualTo(Duration.ofMinutes(1));
    assertThat(parsed.enabled()).isFalse();
    assertThat(parsed.replayWindow()).isEqualTo(8);
    assertThat(parsed.replayInterval()).isEqualTo(HandoffSettings.defaults().replayInterval());

    assertThatThrownBy(() -> HandoffSettings.from(props("ringstore.handoff.maxBytes", "10")))
        .hasMessage("ringstore.handoff.maxBytes = 10 is out of range; need 1024 to 1099511627776");
    assertThatThrownBy(() -> HandoffSettings.from(props("ringstore.handoff.replayWindow", "0")))
        .hasMessage("ringstore.handoff.replayWindow = 0 is out of range; need 1 to 1024");
    assertThatThrownBy(() -> HandoffSettings.from(props("ringstore.handoff.maxAgeMillis", "soon")))
        .hasMessage("ringstore.handoff.maxAgeMillis = 'soon' is not a whole number");
    assertThatThrownBy(() -> HandoffSettings.from(props("ringstore.handoff.enabled", "yes")))
        .hasMessage("ringstore.handoff.enabled = 'yes' is not true or false");
    assertThatThrownBy(() -> HandoffSettings.from(props("ringstore.handoff.maxbytes", "1")))
        .hasMessageStartingWith("unknown handoff setting(s) [ringstore.handoff.maxbytes]; known: [ringstore.handoff.enabled,");
  }

  private static Properties props(String name, String value) {
    Properties p = new Properties();
    p.setProperty(name, value);
    return p;
  }
}
