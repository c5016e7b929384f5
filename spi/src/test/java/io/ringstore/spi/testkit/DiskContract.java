package io.ringstore.spi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.ReadableFile;
import io.ringstore.spi.env.WritableFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Disk} implementation must do, whatever it is backed by; a test class per
 * implementation extends it (the system disk, the in-memory one, the fault-injecting one).
 */
public abstract class DiskContract {

  /** The disk under test. */
  protected abstract Disk disk();

  /** An existing, empty directory of that disk. */
  protected abstract Path directory();

  @Test
  void concurrentAppendsStayContiguous() throws Exception {
    Disk disk = disk();
    Path file = directory().resolve("group.log");
    int threads = 4;
    int records = 200;
    int recordBytes = 64;
    try (WritableFile out = disk.create(file)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          byte tag = (byte) (t + 1);
          done.add(pool.submit(() -> {
            byte[] record = new byte[recordBytes];
            Arrays.fill(record, tag);
            for (int i = 0; i < records; i++) {
              out.append(record);
              if (i % 50 == 0) {
                out.sync();
              }
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
    }
    byte[] all = new byte[threads * records * recordBytes];
    try (ReadableFile in = disk.openForRead(file)) {
      assertThat(in.sizeBytes()).isEqualTo(all.length);
      in.readFully(0, ByteBuffer.wrap(all));
    }
    for (int r = 0; r < all.length; r += recordBytes) {
      byte tag = all[r];
      for (int i = r; i < r + recordBytes; i++) {
        assertThat(all[i]).as("byte %d of the record at %d", i - r, r).isEqualTo(tag);
      }
    }
  }
}
