package io.ringstore.cluster.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringstore.cluster.ring.Tokens;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.Dot;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link MerkleTree} and {@link VersionDigest}: equal contents give equal roots whatever the order
 * the keys were added in; one differing key changes exactly the nodes on its leaf's path; keys
 * outside the scope are not in the tree; a version digest ignores sibling order and converges
 * under {@link StoredRecord#sync}. (jqwik prints the seed of any failing property.)
 */
class MerkleTreeTest {

  @Provide
  Arbitrary<Map<Bytes, StoredRecord>> contents() {
    Arbitrary<Bytes> keys = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(20).map(Bytes::of);
    return Arbitraries.maps(keys, anyRecord()).ofMinSize(1).ofMaxSize(60);
  }

  @Provide
  Arbitrary<StoredRecord> records() {
    return anyRecord();
  }

  /**
   * Records of 1 to 3 concurrent siblings, one per actor at the clock's counter of that actor; a
   * dot always carries the same timestamp and value (a tombstone for some), as a real write does.
   */
  static Arbitrary<StoredRecord> anyRecord() {
    Arbitrary<Map<String, Long>> clocks = Arbitraries.maps(Arbitraries.of("n1", "n2", "n3", "w"), Arbitraries.longs().between(1, 4))
        .ofMinSize(1).ofMaxSize(3);
    return Combinators.combine(clocks, Arbitraries.of(StoredRecord.NEVER, 1_893_456_060_000L)).as((counters, expiry) -> {
      VectorClock clock = VectorClock.of(counters);
      List<Sibling> siblings = new ArrayList<>();
      counters.forEach((actor, counter) -> siblings.add(new Sibling(new Dot(actor, counter), counter * 1000 + actor.length(),
          (actor.hashCode() + counter) % 3 == 0 ? null : Bytes.utf8(actor + "@" + counter))));
      siblings.sort(java.util.Comparator.comparing((Sibling x) -> x.dot().actor()));
      return StoredRecord.of(clock, siblings, expiry);
    });
  }

  private static MerkleTree tree(TokenRanges scope, int depth, List<Map.Entry<Bytes, StoredRecord>> entries) {
    MerkleTree.Builder builder = MerkleTree.builder(scope, depth);
    for (Map.Entry<Bytes, StoredRecord> e : entries) {
      builder.add(e.getKey(), e.getValue());
    }
    return builder.build();
  }

  @Property(tries = 200)
  void equalContentsGiveEqualRootsWhateverTheOrder(@ForAll("contents") Map<Bytes, StoredRecord> contents,
      @ForAll @IntRange(min = 0, max = 12) int depth, @ForAll long shuffleSeed) {
    List<Map.Entry<Bytes, StoredRecord>> inOrder = new ArrayList<>(contents.entrySet());
    List<Map.Entry<Bytes, StoredRecord>> shuffled = new ArrayList<>(inOrder);
    Collections.shuffle(shuffled, new Random(shuffleSeed));
    MerkleTree a = tree(TokenRanges.ALL, depth, inOrder);
    MerkleTree b = tree(TokenRanges.ALL, depth, shuffled);
    assertThat(b.root()).isEqualTo(a.root());
    assertThat(a.differingLeaves(b)).isEmpty();
    assertThat(a.entries()).isEqualTo(contents.size());
  }

  @Property(tries = 200)
  void oneDifferingKeyChangesExactlyItsLeafsPath(@ForAll("contents") Map<Bytes, StoredRecord> contents,
      @ForAll @IntRange(min = 0, max = 12) int depth, @ForAll @IntRange(min = 0, max = 59) int which,
      @ForAll("records") StoredRecord other, @ForAll boolean remove) {
    List<Map.Entry<Bytes, StoredRecord>> entries = new ArrayList<>(contents.entrySet());
    Map.Entry<Bytes, StoredRecord> changed = entries.get(which % entries.size());
    if (!remove && VersionDigest.of(other) == VersionDigest.of(changed.getValue())) {
      return; // the same version: nothing differs
    }
    List<Map.Entry<Bytes, StoredRecord>> altered = new ArrayList<>(entries);
    if (remove) {
      altered.remove(changed);
    } else {
      altered.set(altered.indexOf(changed), Map.entry(changed.getKey(), other));
    }
    MerkleTree a = tree(TokenRanges.ALL, depth, entries);
    MerkleTree b = tree(TokenRanges.ALL, depth, altered);
    int leaf = MerkleTree.leafOf(Tokens.of(changed.getKey()), depth);
    assertThat(a.differingLeaves(b)).containsExactly(leaf);
    for (int level = 0; level <= depth; level++) {
      int onPath = leaf >> (depth - level);
      for (int node = 0; node < 1 << level; node++) {
        if (node == onPath) {
          assertThat(a.hash(level, node)).as("level %d node %d, on the path", level, node).isNotEqualTo(b.hash(level, node));
        } else {
          assertThat(a.hash(level, node)).as("level %d node %d, off the path", level, node).isEqualTo(b.hash(level, node));
        }
      }
    }
  }

  @Property(tries = 100)
  void keysOutsideTheScopeAreNotInTheTree(@ForAll("contents") Map<Bytes, StoredRecord> contents, @ForAll long first,
      @ForAll long last) {
    TokenRanges scope = new TokenRanges(List.of(new TokenRange(Math.min(first, last), Math.max(first, last))));
    List<Map.Entry<Bytes, StoredRecord>> inScope = new ArrayList<>();
    for (Map.Entry<Bytes, StoredRecord> e : contents.entrySet()) {
      if (scope.contains(Tokens.of(e.getKey()))) {
        inScope.add(e);
      }
    }
    MerkleTree all = tree(scope, 6, new ArrayList<>(contents.entrySet()));
    MerkleTree only = tree(scope, 6, inScope);
    assertThat(all.root()).isEqualTo(only.root());
    assertThat(all.entries()).isEqualTo(inScope.size());
  }

  @Property(tries = 200)
  void aDigestConvergesUnderSyncAndIgnoresSiblingOrder(@ForAll("records") StoredRecord a, @ForAll("records") StoredRecord b) {
    StoredRecord ab = StoredRecord.sync(a, b);
    StoredRecord ba = StoredRecord.sync(b, a);
    assertThat(ab).isEqualTo(ba);
    assertThat(VersionDigest.of(ab)).isEqualTo(VersionDigest.of(ba));
    if (ab.siblings().size() > 1) {
      List<Sibling> reversed = new ArrayList<>(ab.siblings());
      Collections.reverse(reversed);
      assertThat(VersionDigest.of(StoredRecord.of(ab.clock(), reversed, ab.expiresAtMillis()))).isEqualTo(VersionDigest.of(ab));
    }
    if (!a.equals(b)) {
      assertThat(VersionDigest.of(a)).isNotEqualTo(VersionDigest.of(b));
    }
  }

  @Test
  void theDigestCoversTheClockTheValuesTheTombstoneAndTheExpiry() {
    StoredRecord base = StoredRecord.of(VectorClock.of("n1", 2, 5), List.of(new Sibling(new Dot("n1", 2), 9, Bytes.utf8("v"))),
        StoredRecord.NEVER);
    long digest = VersionDigest.of(base);
    Map<String, StoredRecord> variants = new LinkedHashMap<>();
    variants.put("counter", StoredRecord.of(VectorClock.of("n1", 3, 5), List.of(new Sibling(new Dot("n1", 2), 9,
        Bytes.utf8("v"))), StoredRecord.NEVER));
    variants.put("value", StoredRecord.of(VectorClock.of("n1", 2, 5), List.of(new Sibling(new Dot("n1", 2), 9,
        Bytes.utf8("w"))), StoredRecord.NEVER));
    variants.put("tombstone", StoredRecord.of(VectorClock.of("n1", 2, 5), List.of(new Sibling(new Dot("n1", 2), 9, null)),
        StoredRecord.NEVER));
    variants.put("timestamp", StoredRecord.of(VectorClock.of("n1", 2, 5), List.of(new Sibling(new Dot("n1", 2), 10,
        Bytes.utf8("v"))), StoredRecord.NEVER));
    variants.put("expiry", base.withExpiry(1_000));
    variants.forEach((what, variant) -> assertThat(VersionDigest.of(variant)).as(what).isNotEqualTo(digest));
    // the clock's stamps are bookkeeping, as in VectorClock.equals
    StoredRecord restamped = StoredRecord.of(VectorClock.of("n1", 2, 6), base.siblings(), StoredRecord.NEVER);
    assertThat(VersionDigest.of(restamped)).isEqualTo(digest);
  }

  @Test
  void shapeAndBounds() {
    assertThat(MerkleTree.leafOf(Long.MIN_VALUE, 4)).isZero();
    assertThat(MerkleTree.leafOf(-1, 4)).isEqualTo(7);
    assertThat(MerkleTree.leafOf(0, 4)).isEqualTo(8);
    assertThat(MerkleTree.leafOf(Long.MAX_VALUE, 4)).isEqualTo(15);
    assertThat(MerkleTree.leafOf(12345, 0)).isZero();
    assertThat(MerkleTree.children(List.of(1, 3), 2)).containsExactly(4, 5, 6, 7, 12, 13, 14, 15);
    MerkleTree empty = MerkleTree.builder(TokenRanges.ALL, 3).build();
    assertThat(empty.hash(3, 7)).isZero();
    assertThatThrownBy(() -> MerkleTree.builder(TokenRanges.ALL, 17))
        .hasMessage("Merkle tree depth = 17 is out of range; need 0 <= depth <= 16");
    assertThatThrownBy(() -> empty.hash(4, 0)).hasMessage("level = 4 is out of range; need 0 <= level <= depth = 3");
    assertThatThrownBy(() -> empty.hash(2, 4)).hasMessage("node index = 4 is out of range for level 2; need 0 <= index < 4");
    assertThatThrownBy(() -> empty.differingLeaves(MerkleTree.builder(TokenRanges.ALL, 4).build()))
        .hasMessageStartingWith("trees of different shapes cannot be compared");
  }
}
