package io.ringstore.cluster.vertx;

/**
 * The cluster manager's test hooks for tests in other packages: a member that behaves as a paused
 * process (no gossip, its cluster channel deaf), as a SIGSTOP would make it, and resumes.
 */
public final class ManagerHooks {
  private ManagerHooks() {}

  /** {@code true} pauses {@code manager}'s node; {@code false} resumes it. */
  public static void pause(RingstoreClusterManager manager, boolean paused) {
    manager.pauseForTest(paused);
  }
}
