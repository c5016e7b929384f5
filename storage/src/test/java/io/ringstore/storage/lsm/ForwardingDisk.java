package io.ringstore.storage.lsm;

import io.ringstore.spi.env.Disk;
import io.ringstore.spi.env.DiskLock;
import io.ringstore.spi.env.ReadableFile;
import io.ringstore.spi.env.WritableFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link Disk} that passes every operation to another; tests override the few they slow down or
 * gate. Thread-safety: as the delegate.
 */
public abstract class ForwardingDisk implements Disk {
  protected final Disk delegate;

  protected ForwardingDisk(Disk delegate) {
    this.delegate = delegate;
  }

  @Override
  public WritableFile create(Path path) throws IOException {
    return delegate.create(path);
  }

  @Override
  public WritableFile openForAppend(Path path) throws IOException {
    return delegate.openForAppend(path);
  }

  @Override
  public ReadableFile openForRead(Path path) throws IOException {
    return delegate.openForRead(path);
  }

  @Override
  public List<Path> list(Path directory) throws IOException {
    return delegate.list(directory);
  }

  @Override
  public void rename(Path source, Path target) throws IOException {
    delegate.rename(source, target);
  }

  @Override
  public void delete(Path path) throws IOException {
    delegate.delete(path);
  }

  @Override
  public void mkdirs(Path directory) throws IOException {
    delegate.mkdirs(directory);
  }

  @Override
  public void syncDirectory(Path directory) throws IOException {
    delegate.syncDirectory(directory);
  }

  @Override
  public boolean exists(Path path) throws IOException {
    return delegate.exists(path);
  }

  @Override
  public long sizeBytes(Path path) throws IOException {
    return delegate.sizeBytes(path);
  }

  @Override
  public DiskLock lock(Path lockFile) throws IOException {
    return delegate.lock(lockFile);
  }
}
