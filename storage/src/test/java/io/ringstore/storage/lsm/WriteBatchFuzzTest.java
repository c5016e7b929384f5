package io.ringstore.storage.lsm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ringstore.spi.Bytes;
import io.ringstore.storage.lsm.sstable.CorruptionException;

/**
 * Arbitrary bytes given to the batch decoder (what recovery does with each log record's payload):
 * the only failure allowed is a {@link CorruptionException}. The corpus in
 * {@code src/test/resources/.../WriteBatchFuzzTestInputs} runs as a regression test in every build;
 * {@code -Pfuzz} fuzzes for real.
 */
class WriteBatchFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void decode(byte[] input) {
    try {
      WriteBatch.Decoded batch = WriteBatch.decode(Bytes.of(input));
      // re-encoding what was decoded must give the same bytes: the decoder accepts only canonical payloads
      WriteBatch again = new WriteBatch();
      for (WriteBatch.Op op : batch.ops()) {
        if (op.value() == null) {
          again.delete(op.key());
        } else {
          again.put(op.key(), op.value());
        }
      }
      byte[] encoded = again.encode(batch.firstSequence());
      if (!java.util.Arrays.equals(encoded, input)) {
        throw new AssertionError("decode then encode changed the payload");
      }
    } catch (CorruptionException expected) {
      // the one allowed outcome for damaged input
    }
  }
}
