package io.ringstore.storage.lsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.EngineSettings;
import io.ringstore.spi.EvictionPolicy;
import io.ringstore.spi.RemovalListener;
import io.ringstore.spi.RingstoreException;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import io.ringstore.spi.env.DiskLockedException;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.spi.testkit.FakeTime;
import io.ringstore.spi.testkit.MemoryDisk;
import io.ringstore.storage.lsm.fs.FaultInjectionDisk;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine opens its store on the environment's disk and holds the directory's {@code LOCK}
 * while open: a second engine on the same directory is refused, a closed or killed one lets go.
 */
class LsmStorageEngineLockTest {

  @TempDir Path tmp;
  private final FakeTime time = new FakeTime();

  private EngineSettings settings(Env env, Path directory) {
    return new EngineSettings("orders", EngineSettings.UNBOUNDED, EngineSettings.UNBOUNDED,
        EvictionPolicy.NO_EVICTION, env, RemovalListener.NONE,
        Map.of(LsmStorageEngine.DIRECTORY, directory.toString(), "wal.syncMode", "always"));
  }

  private static StoredRecord put(LsmStorageEngine engine, String key, String value) {
    return engine.compute(Bytes.of(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        (k, current) -> StoredRecord.write(current, VectorClock.of(Map.of()), "n1", 1,
            Bytes.of(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)), Long.MAX_VALUE, 0));
  }

  private static StoredRecord get(LsmStorageEngine engine, String key) {
    return engine.get(Bytes.of(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void aSecondEngineOnTheSameDirectoryIsRefusedUntilTheFirstCloses() {
    MemoryDisk disk = new MemoryDisk();
    Path directory = Path.of("/data/orders").toAbsolutePath();
    EngineSettings settings = settings(Env.of(time, disk), directory);
    LsmStorageEngine first = LsmStorageEngine.open(settings);
    put(first, "k", "v");
    assertThat(disk.exists(directory.resolve(LsmStorageEngine.LOCK_FILE))).isTrue();
    assertThatThrownBy(() -> LsmStorageEngine.open(settings)).isInstanceOf(RingstoreException.class)
        .hasMessageContaining("cache 'orders'").hasMessageContaining(directory.toString())
        .hasMessageContaining("is in use by another open cache").hasCauseInstanceOf(DiskLockedException.class);
    first.close();
    try (LsmStorageEngine second = LsmStorageEngine.open(settings)) {
      assertThat(get(second, "k")).isNotNull();
    }
  }

  @Test
  void aKilledEnginesLockGoesWithItsProcess() throws java.io.IOException {
    FaultInjectionDisk disk = new FaultInjectionDisk(new NioDisk(), tmp, FaultInjectionDisk.Syncs.SIMULATED);
    EngineSettings settings = settings(Env.of(time, disk), tmp.resolve("orders"));
    LsmStorageEngine killed = LsmStorageEngine.open(settings);
    put(killed, "k", "acknowledged");
    assertThatThrownBy(() -> LsmStorageEngine.open(settings)).isInstanceOf(RingstoreException.class)
        .hasMessageContaining("is in use by another open cache");
    disk.killProcess(); // the engine is abandoned, never closed: kill -9
    try (LsmStorageEngine restarted = LsmStorageEngine.open(settings)) {
      assertThat(get(restarted, "k").soleValue().asUtf8()).isEqualTo("acknowledged");
    }
  }
}
