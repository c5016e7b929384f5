package io.ringstore.provider.event;

import java.util.List;
import javax.cache.event.CacheEntryEvent;

/**
 * Where a cache's events go besides its own listeners: the listeners of the caches of the same name
 * on other nodes of a cluster. The cache's {@link ListenerRegistry} asks {@link #othersListen()}
 * once per operation (in {@link ListenerRegistry#newBatch()}), hands every fired batch of such an
 * operation to {@link #publish}, and says through {@link #listening} when its own first listener
 * arrives and its last one goes, so that the relay hears other nodes' events only while something
 * here listens.
 *
 * <p>An embedded node, or a cache whose values cannot travel, uses {@link #none()}, which changes
 * nothing.
 *
 * <p>Thread-safety: implementations are thread-safe; {@link #othersListen()} and {@link #publish}
 * are called on the operations' threads, {@link #listening} under the registry's registration lock.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface EventRelay<K, V> {

  /**
   * Whether some other node has a listener on this cache now. Called once per operation; must be
   * cheap and must not block.
   */
  boolean othersListen();

  /**
   * Sends the events of one operation, which has taken effect, to the other nodes' listeners.
   * Must not block on the network and must not throw: a failure is counted and logged.
   */
  void publish(List<? extends CacheEntryEvent<K, V>> events);

  /**
   * This node's cache got its first listener ({@code true}) or lost its last one ({@code false}).
   * The relay starts or stops hearing other nodes' events for it; starting waits (boundedly) until
   * the other nodes know, so that an operation made elsewhere after registration returns is heard.
   */
  void listening(boolean any);

  /** The relay of a cache that is alone: nobody else listens, nothing is sent or heard. */
  @SuppressWarnings("unchecked")
  static <K, V> EventRelay<K, V> none() {
    return (EventRelay<K, V>) NoRelay.INSTANCE;
  }

  /** {@link EventRelay#none()}. */
  enum NoRelay implements EventRelay<Object, Object> {
    INSTANCE;

    @Override
    public boolean othersListen() {
      return false;
    }

    @Override
    public void publish(List<? extends CacheEntryEvent<Object, Object>> events) {
      // alone: nobody to tell
    }

    @Override
    public void listening(boolean any) {
      // alone: nothing to hear
    }
  }
}
