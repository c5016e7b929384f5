package io.ringstore.cluster.repair;

import io.ringstore.cluster.ring.Tokens;
import io.ringstore.spi.Bytes;
import io.ringstore.spi.Sibling;
import io.ringstore.spi.StoredRecord;
import io.ringstore.spi.VectorClock;
import java.util.List;

/**
 * A 64-bit digest of what identifies a version of a key, so that two replicas compare versions
 * without sending them: equal records ({@link StoredRecord#equals}) have equal digests, and
 * different ones differ but for a 2^-64 chance.
 *
 * <p>What goes in, in this order ({@link Hash64#combine} after a fixed seed):
 * <ol>
 *   <li>the clock's actors and counters (not the entries' stamps: they are bookkeeping for
 *       pruning, which {@link VectorClock#equals} ignores too);
 *   <li>the siblings, as the sum (mod 2^64) of one hash per sibling, so that the order a record
 *       happens to hold them in does not matter: each sibling's dot (actor, counter), its
 *       hybrid-logical-clock timestamp and its value (MurmurHash3 of the bytes and their length),
 *       or a tombstone mark for a delete;
 *   <li>the expiry ({@code expiresAtMillis}, {@link StoredRecord#NEVER} included).
 * </ol>
 * The expiry is in because {@link StoredRecord#sync} converges it too: two replicas that merge
 * each other's version hold the same expiry afterwards (the descendant's, or the later of two
 * concurrent or equal ones), so after an exchange the digests are equal; leaving it out would let
 * replicas that differ only in expiry (a version that reached one of them with an older expiry)
 * stay different forever. The tombstone flag is each sibling's mark (a record is a tombstone when
 * all its siblings are), so deletes are compared, and propagate, as values are.
 *
 * <p>Thread-safety: stateless.
 */
public final class VersionDigest {
  private static final long SEED = 0x52696e6773746f72L; // "Ringstor"
  private static final long TOMBSTONE = 0x746f6d6273746f6eL; // "tombston"

  private VersionDigest() {}

  /** The digest of {@code record}. */
  public static long of(StoredRecord record) {
    VectorClock clock = record.clock();
    long hash = Hash64.combine(SEED, clock.size());
    for (int i = 0; i < clock.size(); i++) {
      hash = Hash64.combine(hash, actorHash(clock.actor(i)));
      hash = Hash64.combine(hash, clock.counterAt(i));
    }
    List<Sibling> siblings = record.siblings();
    long sum = 0;
    for (int i = 0, n = siblings.size(); i < n; i++) {
      sum += siblingHash(siblings.get(i));
    }
    hash = Hash64.combine(hash, siblings.size());
    hash = Hash64.combine(hash, sum);
    return Hash64.combine(hash, record.expiresAtMillis());
  }

  /** The hash one entry of a Merkle tree's leaf adds: its key's and its version's. */
  public static long entry(Bytes key, long versionDigest) {
    return Hash64.combine(Hash64.combine(SEED, Tokens.of(key)) ^ key.length(), versionDigest);
  }

  private static long siblingHash(Sibling sibling) {
    long hash = Hash64.combine(actorHash(sibling.dot().actor()), sibling.dot().counter());
    hash = Hash64.combine(hash, sibling.timestamp());
    Bytes value = sibling.value();
    return value == null ? Hash64.combine(hash, TOMBSTONE) : Hash64.combine(Hash64.combine(hash, Tokens.of(value)), value.length());
  }

  private static long actorHash(String actor) {
    return Tokens.of(Bytes.utf8(actor));
  }
}
