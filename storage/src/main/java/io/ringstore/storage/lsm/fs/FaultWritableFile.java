package io.ringstore.storage.lsm.fs;

import io.ringstore.spi.env.WritableFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;

/**
 * A {@link WritableFile} of {@link FaultInjectionDisk}: it keeps the file's
 * {@link TrackedFile} up to date (bytes written, bytes synced, the cap after a failed sync),
 * applies the fault rules and the disk-full budget, and dies at a crash.
 *
 * <p>Thread-safety: thread-safe. Appends and truncates hold the tracked file's monitor while they
 * write; a sync holds it only to read and to update the counts, not during the fsync.
 */
final class FaultWritableFile extends FaultHandle implements WritableFile {
  private final WritableFile target;
  private final TrackedFile state;

  FaultWritableFile(FaultInjectionDisk fs, Path path, WritableFile target, TrackedFile state, long epoch) {
    super(fs, path, epoch);
    this.target = target;
    this.state = state;
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public void append(ByteBuffer source) throws IOException {
    Lock shared = live();
    try {
      fs.rules().check(FileOp.WRITE, path);
      int wanted = source.remaining();
      int granted = fs.rules().reserveDisk(wanted);
      synchronized (state) {
        ByteBuffer part = source.duplicate();
        int start = part.position();
        part.limit(start + granted);
        try {
          target.append(part);
        } finally {
          source.position(part.position()); // a real failure may have written a prefix
          state.writtenBytes += part.position() - start;
        }
      }
      fs.traced("append", path, " " + granted);
      if (granted < wanted) {
        throw fs.rules().diskFull(path, granted, wanted);
      }
    } finally {
      shared.unlock();
    }
  }

  @Override
  public void sync() throws IOException {
    Lock shared = live();
    try {
      long syncing;
      synchronized (state) {
        syncing = state.writtenBytes;
      }
      try {
        fs.rules().check(FileOp.SYNC, path);
        if (fs.syncs() == FaultInjectionDisk.Syncs.PASS_THROUGH) {
          target.sync();
        }
      } catch (IOException e) {
        synchronized (state) {
          state.durableCapBytes = Math.min(state.durableCapBytes, state.syncedBytes);
        }
        throw e;
      }
      synchronized (state) {
        state.syncedBytes = Math.min(Math.max(state.syncedBytes, syncing), state.writtenBytes);
      }
      fs.traced("sync", path, " @" + syncing);
    } finally {
      shared.unlock();
    }
  }

  @Override
  public void truncate(long sizeBytes) throws IOException {
    Lock shared = live();
    try {
      fs.rules().check(FileOp.WRITE, path);
      synchronized (state) {
        target.truncate(sizeBytes);
        state.writtenBytes = sizeBytes;
        state.syncedBytes = Math.min(state.syncedBytes, sizeBytes);
      }
      fs.traced("truncate", path, " " + sizeBytes);
    } finally {
      shared.unlock();
    }
  }

  @Override
  public long sizeBytes() {
    return target.sizeBytes();
  }

  @Override
  public void close() throws IOException {
    closeHandle();
  }

  @Override
  WritableFile target() {
    return target;
  }
}
