package io.ringstore.storage.lsm;

import io.ringstore.spi.Bytes;
import io.ringstore.spi.env.Env;
import io.ringstore.spi.env.NioDisk;
import io.ringstore.storage.lsm.wal.WalSyncMode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link LsmKillTest}: opens the store in {@code args[0]} under
 * {@code wal.syncMode = always} and writes from {@code args[2]} threads until it is killed. Thread
 * {@code t} writes keys {@code t<t>-<j % keys>} with values {@code <round>:<j>}, one after another,
 * and prints {@code ack <t> <j>} once each write returned, so the parent knows exactly what was
 * acknowledged.
 */
public final class KillChild {

  private KillChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String round = args[1];
    int threads = Integer.parseInt(args[2]);
    int keys = Integer.parseInt(args[3]);
    LsmOptions options = LsmStoreTest.small().withSyncMode(WalSyncMode.ALWAYS);
    LsmStore store = LsmStore.open(new NioDisk(), dir, options, Env.system());
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
        StandardCharsets.UTF_8);
    synchronized (out) {
      out.println("open");
      out.flush();
    }
    Thread[] writers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int thread = t;
      writers[t] = new Thread(() -> {
        for (long j = 0; ; j++) {
          Bytes key = key(thread, j % keys);
          try {
            store.put(key, (round + ":" + j + ":" + "z".repeat((int) (j % 70))).getBytes(StandardCharsets.UTF_8));
          } catch (Exception e) {
            synchronized (out) {
              out.println("error " + e);
              out.flush();
            }
            return;
          }
          synchronized (out) {
            out.println("ack " + thread + " " + j);
            out.flush();
          }
        }
      });
      writers[t].start();
    }
    for (Thread w : writers) {
      w.join();
    }
  }

  static Bytes key(int thread, long index) {
    return Bytes.utf8("t" + thread + "-" + index);
  }
}
