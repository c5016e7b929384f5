package io.ringstore.cluster.membership;

import io.ringstore.spi.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of gossip values: valid frames of every type (for codec round trips), and
 * replicas of one node's history (for the merge laws: a node, generation and version name one
 * write, as in a real cluster).
 *
 * <p>Thread-safety: stateless.
 */
final class GossipArbitraries {

  private GossipArbitraries() {}

  static Arbitrary<NodeId> nodeIds() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().withChars('-', '.', 'é', '節').ofMinLength(1).ofMaxLength(40),
        Arbitraries.of("n1", "n2", "8c9e4c9b-5d9e-4d4b-9d0a-7f43c0a6b1e2"),
        Arbitraries.strings().withChars('x').ofLength(NodeId.MAX_UTF8_BYTES))
        .map(NodeId::new);
  }

  static Arbitrary<Long> longs() {
    return Arbitraries.oneOf(Arbitraries.longs().between(0, 300), Arbitraries.longs().between(0, Long.MAX_VALUE),
        Arbitraries.of(0L, 127L, 128L, 16_383L, 16_384L, 1_893_456_000_000L, Long.MAX_VALUE));
  }

  static Arbitrary<Bytes> valueOf(StateKey key) {
    return switch (key.code()) {
      case 0 -> Arbitraries.just(Bytes.EMPTY);
      case 1 -> Arbitraries.of(NodeStatus.class).map(s -> Bytes.of(new byte[] {(byte) s.code()}));
      case 2, 3, 4, 7 -> Arbitraries.strings().ofMinLength(1).ofMaxLength(60).map(Bytes::utf8)
          .filter(b -> b.length() <= StateKey.MAX_ADDRESS_BYTES);
      case 5 -> Arbitraries.integers().between(1, Integer.MAX_VALUE)
          .map(GossipArbitraries::weight);
      case 6 -> Arbitraries.integers().between(0, 10).map(n -> Bytes.of(new byte[n * 8]));
      default -> Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Bytes::of);
    };
  }

  static Bytes weight(int w) {
    return Bytes.of(new byte[] {(byte) w, (byte) (w >>> 8), (byte) (w >>> 16), (byte) (w >>> 24)});
  }

  static Arbitrary<StateKey> keys() {
    return Arbitraries.oneOf(Arbitraries.integers().between(0, 7), Arbitraries.integers().between(8, 255)).map(StateKey::new);
  }

  static Arbitrary<NodeDelta> deltas() {
    Arbitrary<List<StateKey>> keyLists = keys().list().uniqueElements().ofMaxSize(8);
    return Combinators.combine(nodeIds(), longs(), keyLists, Arbitraries.longs().between(1, 1000))
        .flatAs((node, generation, keys, firstVersion) -> {
          List<Arbitrary<Bytes>> values = keys.stream().map(GossipArbitraries::valueOf).toList();
          return Combinators.combine(values).as(list -> {
            List<StateEntry> entries = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
              entries.add(new StateEntry(keys.get(i), firstVersion + 3L * i, list.get(i)));
            }
            return new NodeDelta(node, generation, entries);
          });
        });
  }

  static Arbitrary<Digest> digests() {
    return Combinators.combine(nodeIds(), longs(), longs()).as(Digest::new);
  }

  static Arbitrary<GossipMessage> messages() {
    Arbitrary<List<Digest>> digestLists = digests().list().ofMaxSize(6).uniqueElements(Digest::node);
    Arbitrary<List<NodeDelta>> deltaLists = deltas().list().ofMaxSize(4).uniqueElements(NodeDelta::node);
    return Arbitraries.oneOf(
        digestLists.map(GossipMessage.Syn::new),
        Combinators.combine(deltaLists, digestLists).as(GossipMessage.Ack::new),
        deltaLists.map(GossipMessage.Ack2::new));
  }

  static Arbitrary<GossipFrame> frames() {
    Arbitrary<String> clusters = Arbitraries.oneOf(Arbitraries.of("c1", "prod"),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(20).filter(s -> Bytes.utf8(s).length() <= GossipFrame.MAX_CLUSTER_BYTES));
    Arbitrary<String> addresses = Arbitraries.oneOf(Arbitraries.of("10.0.0.1:7000", "[::1]:7946"),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(80).filter(s -> Bytes.utf8(s).length() <= StateKey.MAX_ADDRESS_BYTES));
    return Combinators.combine(clusters, nodeIds(), addresses, messages()).as(GossipFrame::new);
  }

  // ---------------------------------------------------------------- one node's history

  /**
   * Everything one node wrote: per generation (1, 2, 3), a sequence of writes whose versions are
   * their positions (1, 2, ...); keys from a small set so that writes overwrite each other.
   */
  record History(NodeId node, List<List<StateEntry>> generations) {

    /** The state of a replica that saw generation {@code g} (1-based) up to version {@code upTo}. */
    EndpointState replica(int g, long upTo) {
      Map<StateKey, StateEntry> latest = new LinkedHashMap<>();
      for (StateEntry write : generations.get(g - 1)) {
        if (write.version() <= upTo) {
          latest.put(write.key(), write);
        }
      }
      return new EndpointState(node, g, latest);
    }
  }

  static Arbitrary<History> histories() {
    Arbitrary<StateEntry> write = Arbitraries.of(StateKey.HEARTBEAT, StateKey.STATUS, StateKey.WEIGHT, new StateKey(40))
        .flatMap(key -> valueOf(key).map(value -> new StateEntry(key, 1, value)));
    Arbitrary<List<StateEntry>> generation = write.list().ofMinSize(0).ofMaxSize(12).map(writes -> {
      List<StateEntry> versioned = new ArrayList<>();
      for (int i = 0; i < writes.size(); i++) {
        versioned.add(new StateEntry(writes.get(i).key(), i + 1, writes.get(i).value()));
      }
      return versioned;
    });
    return generation.list().ofMinSize(1).ofMaxSize(3).map(gens -> new History(NodeId.of("n1"), gens));
  }

  /** Replicas of {@code history}: a generation and a version mark each. */
  static Arbitrary<EndpointState> replicas(History history) {
    return Arbitraries.integers().between(1, history.generations().size())
        .flatMap(g -> Arbitraries.longs().between(0, history.generations().get(g - 1).size()).map(v -> history.replica(g, v)));
  }
}
