package io.ringstore.storage.lsm.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ringstore.spi.Bytes;
import io.ringstore.storage.lsm.sstable.CorruptionException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The edit encoding of {@code docs/formats/manifest.md}: round trips, one encoding per edit, and
 * every refusal of the strict decoder with the file and the offset of the bad field.
 */
class VersionEditTest {

  private static final String FILE = "/data/MANIFEST-000009";

  @Property(tries = 300)
  void decodingAnEncodedEditGivesItBack(@ForAll("edits") VersionEdit edit) {
    byte[] bytes = edit.encode();
    assertThat(VersionEdit.decode(bytes, 0, bytes.length, FILE, 0)).isEqualTo(edit);
    byte[] padded = new byte[bytes.length + 7];
    System.arraycopy(bytes, 0, padded, 3, bytes.length);
    assertThat(VersionEdit.decode(padded, 3, bytes.length, FILE, 1000)).isEqualTo(edit);
  }

  @Property(tries = 200)
  void aPrefixOfAnEncodingIsRefusedOrIsItselfAnEncoding(@ForAll("edits") VersionEdit edit) {
    byte[] bytes = edit.encode();
    for (int length = 0; length < bytes.length; length++) {
      VersionEdit decoded;
      try {
        decoded = VersionEdit.decode(bytes, 0, length, FILE, 0);
      } catch (CorruptionException refused) {
        continue;
      }
      assertThat(decoded.encode()).as("prefix of %d bytes", length).isEqualTo(Arrays.copyOf(bytes, length));
    }
  }

  @Provide
  Arbitrary<VersionEdit> edits() {
    Arbitrary<Long> counter = Arbitraries.longs().between(0, Long.MAX_VALUE).edgeCases(c -> c.add(0L))
        .injectNull(0.3);
    Arbitrary<Long> next = Arbitraries.longs().between(1, Long.MAX_VALUE).injectNull(0.3);
    Arbitrary<byte[]> key = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<FileMeta> file = Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE),
        Arbitraries.integers().between(0, ManifestState.MAX_LEVELS - 1), Arbitraries.longs().between(0, Long.MAX_VALUE),
        Arbitraries.longs().between(0, Long.MAX_VALUE), key, key).as((number, level, size, count, a, b) -> {
          Bytes x = Bytes.of(a);
          Bytes y = Bytes.of(b);
          return x.compareTo(y) <= 0 ? new FileMeta(number, level, size, count, x, y)
              : new FileMeta(number, level, size, count, y, x);
        });
    Arbitrary<DeletedFile> deleted = Combinators.combine(Arbitraries.integers().between(0, ManifestState.MAX_LEVELS - 1),
        Arbitraries.longs().between(1, Long.MAX_VALUE)).as(DeletedFile::new);
    return Combinators.combine(counter, next, counter, file.list().ofMaxSize(6), deleted.list().ofMaxSize(6))
        .as(VersionEdit::new);
  }

  @Test
  void theEmptyEditIsNoBytes() {
    assertThat(VersionEdit.empty().encode()).isEmpty();
    assertThat(VersionEdit.empty().isEmpty()).isTrue();
    assertThat(VersionEdit.decode(new byte[0], 0, 0, FILE, 0)).isEqualTo(VersionEdit.empty());
    assertThat(VersionEdit.empty().withLogNumber(0).isEmpty()).isFalse();
  }

  @Test
  void fieldsAreWrittenInTagOrder() {
    VersionEdit edit = VersionEdit.empty()
        .withAddedFile(new FileMeta(300, 2, 0, 1, Bytes.utf8("a"), Bytes.utf8("b")))
        .withDeletedFile(6, 1)
        .withLastSequence(1)
        .withNextFileNumber(128)
        .withLogNumber(0);
    assertThat(HexFormat.ofDelimiter(" ").formatHex(edit.encode()))
        .isEqualTo("01 00 02 80 01 03 01 04 06 01 05 02 ac 02 00 01 01 61 01 62");
  }

  @Test
  void unknownTagsAreCorruption() {
    refused("06", 0, "unknown tag 6 (this build knows tags 1 to 5");
    refused("00", 0, "unknown tag 0");
    refused("01 05 ff ff ff ff 0f", 2, "unknown tag 4294967295");
    refused("ff ff ff ff 1f", 0, "tag: varint32 overflows (byte 5 is 0x1f)");
  }

  @Test
  void fieldsOutOfOrderOrRepeatedAreCorruption() {
    refused("02 01 01 01", 2, "tag 1 follows tag 2; fields must be in ascending tag order");
    refused("05 00 01 00 00 00 00 04 00 01", 7, "tag 4 follows tag 5");
    refused("01 01 01 02", 2, "logNumber (tag 1) appears twice");
    refused("02 01 02 02", 2, "nextFileNumber (tag 2) appears twice");
    refused("03 01 03 02", 2, "lastSequence (tag 3) appears twice");
    VersionEdit twoOfEach = VersionEdit.decode(hex("04 00 01 04 00 02 05 00 03 00 00 00 00 05 00 04 00 00 00 00"), 0, 20,
        FILE, 0);
    assertThat(twoOfEach.deletedFiles()).hasSize(2);
    assertThat(twoOfEach.addedFiles()).hasSize(2);
  }

  @Test
  void valuesOutOfTheirBoundsAreCorruption() {
    refused("04 07 01", 1, "deleted file level = 7 is out of range; need level < 7");
    refused("05 ff ff ff ff 0f 01", 1, "added file level = 4294967295 is out of range; need level < 7");
    refused("04 00 00", 2, "deleted file number = 0 is out of range; need deleted file number >= 1");
    refused("05 00 00", 2, "added file number = 0 is out of range; need added file number >= 1");
    refused("02 00", 1, "nextFileNumber = 0 is out of range; need nextFileNumber >= 1");
    refused("01 80 80 80 80 80 80 80 80 80 01", 1,
        "logNumber = 9223372036854775808 is out of range; need logNumber < 2^63");
    refused("03 ff ff ff ff ff ff ff ff ff 01", 1, "lastSequence = 18446744073709551615 is out of range");
    refused("05 00 01 80 80 80 80 80 80 80 80 80 01 00 00 00", 3, "added file 1 sizeBytes = 9223372036854775808 is out of range");
    refused("05 00 01 00 80 80 80 80 80 80 80 80 80 01 00 00", 4, "added file 1 entryCount = 9223372036854775808");
    refused("01 80 80 80 80 80 80 80 80 80 02", 1, "logNumber: varint64 overflows (byte 10 is 0x2)");
  }

  @Test
  void keysAreBoundedByTheBytesLeftAndByTheFormat() {
    refused("05 00 01 00 00 05 61", 5, "added file 1 smallestKey length 5 bytes, but only 1 bytes of the edit remain");
    refused("05 00 01 00 00 00 02 61", 6, "added file 1 largestKey length 2 bytes, but only 1 bytes of the edit remain");
    refused("05 00 01 00 00 81 80 80 08", 5, "added file 1 smallestKey length 16777217 bytes exceeds the manifest's bound of"
        + " 16777216 bytes");
    refused("05 00 01 00 00 ff ff ff ff 0f", 5, "smallestKey length 4294967295 bytes exceeds the manifest's bound");
    refused("05 00 01 00 00 01 62 01 61", 0, "added file 1: smallestKey Bytes[1]0x62 sorts after largestKey Bytes[1]0x61");
    VersionEdit equalKeys = VersionEdit.decode(hex("05 00 01 00 00 01 62 01 62"), 0, 9, FILE, 0);
    assertThat(equalKeys.addedFiles().get(0).smallestKey()).isEqualTo(Bytes.utf8("b"));
    VersionEdit emptyKeys = VersionEdit.decode(hex("05 00 01 00 00 00 00"), 0, 7, FILE, 0);
    assertThat(emptyKeys.addedFiles().get(0).largestKey()).isEqualTo(Bytes.EMPTY);
  }

  @Test
  void truncatedAndNonCanonicalVarintsAreCorruption() {
    refused("01 80", 1, "logNumber: varint truncated after 1 byte at the end of the edit");
    refused("01", 1, "logNumber: varint truncated after 0 bytes");
    refused("01 80 00", 1, "logNumber: varint is not in its shortest form (2 bytes ending in 0x00)");
    refused("81 00", 0, "tag: varint is not in its shortest form");
    refused("04 00", 2, "deleted file number: varint truncated after 0 bytes");
  }

  @Test
  void aRangeOutsideTheArrayIsAProgrammingError() {
    assertThatThrownBy(() -> VersionEdit.decode(new byte[8], 5, 10, FILE, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("range [5, 5 + 10) is outside an array of 8 bytes");
    assertThatThrownBy(() -> VersionEdit.decode(new byte[8], -1, 2, FILE, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructorsCheckTheirFields() {
    Bytes a = Bytes.utf8("a");
    Bytes b = Bytes.utf8("b");
    assertThatThrownBy(() -> new FileMeta(0, 0, 0, 0, a, b)).hasMessage("file number = 0; must be >= 1");
    assertThatThrownBy(() -> new FileMeta(3, 7, 0, 0, a, b))
        .hasMessage("file 3: level = 7 is out of range; need 0 <= level < 7");
    assertThatThrownBy(() -> new FileMeta(3, -1, 0, 0, a, b)).hasMessageContaining("level = -1 is out of range");
    assertThatThrownBy(() -> new FileMeta(3, 0, -1, 0, a, b)).hasMessage("file 3: sizeBytes = -1; must be >= 0");
    assertThatThrownBy(() -> new FileMeta(3, 0, 0, -1, a, b)).hasMessage("file 3: entryCount = -1; must be >= 0");
    assertThatThrownBy(() -> new FileMeta(3, 0, 0, 0, b, a))
        .hasMessage("file 3: smallestKey Bytes[1]0x62 sorts after largestKey Bytes[1]0x61");
    Bytes huge = Bytes.of(new byte[FileMeta.MAX_KEY_BYTES + 1]);
    assertThatThrownBy(() -> new FileMeta(3, 0, 0, 0, a, huge))
        .hasMessage("file 3: largestKey of 16777217 bytes is longer than the manifest's bound of 16777216 bytes");
    assertThatThrownBy(() -> new DeletedFile(7, 1))
        .hasMessage("deleted file 1: level = 7 is out of range; need 0 <= level < 7");
    assertThatThrownBy(() -> new DeletedFile(0, 0)).hasMessage("deleted file number = 0; must be >= 1");
    assertThatThrownBy(() -> VersionEdit.empty().withLogNumber(-1)).hasMessage("logNumber = -1; must be >= 0");
    assertThatThrownBy(() -> VersionEdit.empty().withNextFileNumber(0)).hasMessage("nextFileNumber = 0; must be >= 1");
    assertThatThrownBy(() -> VersionEdit.empty().withLastSequence(-5)).hasMessage("lastSequence = -5; must be >= 0");
  }

  @Test
  void theListsAreImmutableCopies() {
    var added = new java.util.ArrayList<FileMeta>(List.of(Manifests.file(1, 0, "a", "b")));
    VersionEdit edit = new VersionEdit(null, null, null, added, List.of());
    added.clear();
    assertThat(edit.addedFiles()).hasSize(1);
    assertThatThrownBy(() -> edit.addedFiles().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void overlapIsInclusive() {
    FileMeta file = Manifests.file(1, 1, "c", "f");
    assertThat(file.overlaps(Bytes.utf8("a"), Bytes.utf8("c"))).isTrue();
    assertThat(file.overlaps(Bytes.utf8("f"), Bytes.utf8("z"))).isTrue();
    assertThat(file.overlaps(Bytes.utf8("d"), Bytes.utf8("e"))).isTrue();
    assertThat(file.overlaps(Bytes.utf8("a"), Bytes.utf8("b"))).isFalse();
    assertThat(file.overlaps(Bytes.utf8("f\0"), Bytes.utf8("z"))).isFalse();
  }

  /** Decoding {@code hexBytes} at file offset 500 fails at file offset {@code 500 + offset} with {@code detail}. */
  private static void refused(String hexBytes, int offset, String detail) {
    byte[] bytes = hex(hexBytes);
    CorruptionException e = catchThrowableOfType(CorruptionException.class,
        () -> VersionEdit.decode(bytes, 0, bytes.length, FILE, 500));
    assertThat(e).as(hexBytes).isNotNull();
    assertThat(e.structure()).isEqualTo("manifest edit");
    assertThat(e.file()).isEqualTo(FILE);
    assertThat(e.offset()).as("offset of %s", hexBytes).isEqualTo(500 + offset);
    assertThat(e.getMessage()).as(hexBytes).startsWith("manifest edit is corrupt at offset " + (500 + offset)
        + " of file " + FILE + ": ").contains(detail);
  }

  private static byte[] hex(String text) {
    return HexFormat.ofDelimiter(" ").parseHex(text);
  }
}
