package io.ringstore.spi;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz test of {@link RecordCodec#decode}: any input decodes to a record that round-trips,
 * or is refused with {@link MalformedRecordException}; nothing else. In the normal build it runs
 * its corpus ({@code src/test/resources/io/ringstore/spi/RecordCodecFuzzTestInputs/decode}) as a
 * regression test (the seeds and the corpus of a 30-second fuzzing run, 3.1 million inputs, no
 * failure); {@code mvn -Pfuzz -pl spi test -Dtest=RecordCodecFuzzTest} fuzzes again.
 */
class RecordCodecFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void decode(byte[] input) {
    StoredRecord record;
    try {
      record = RecordCodec.decode(input);
    } catch (MalformedRecordException refused) {
      return;
    }
    StoredRecord again = RecordCodec.decode(RecordCodec.encode(record));
    if (!again.equals(record) || again.expiresAtMillis() != record.expiresAtMillis()) {
      throw new AssertionError("a decoded record does not survive encode and decode: " + record);
    }
  }
}
