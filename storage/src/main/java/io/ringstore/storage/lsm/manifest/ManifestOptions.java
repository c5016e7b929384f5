package io.ringstore.storage.lsm.manifest;

/**
 * The manifest's settings. Neither is part of the file format.
 *
 * @param maxFileBytes {@code manifest.maxFileBytes}: before an edit would take the live manifest
 *     file past this size (or past twice the snapshot it starts with, if that is more), the
 *     manifest switches to a new file holding one snapshot of the state instead; 4 KiB to 1 GiB,
 *     4 MiB by default
 * @param maxRecordBytes {@code manifest.maxRecordBytes}: the largest encoded edit
 *     {@link Manifest#apply} accepts; a longer one is refused before anything is written. It bounds
 *     edits only: a snapshot is as large as the state it describes, and readers take any record
 *     the file holds (every length is checked against the bytes that follow it). 4 KiB to 1 GiB,
 *     64 MiB by default
 *
 * <p>Invariants: every value is within its documented range (checked at construction, naming the
 * setting, the value and the bound). Thread-safety: immutable.
 */
public record ManifestOptions(long maxFileBytes, int maxRecordBytes) {

  /** Default {@code manifest.maxFileBytes}: 4 MiB. */
  public static final long DEFAULT_MAX_FILE_BYTES = 4L << 20;
  /** Default {@code manifest.maxRecordBytes}: 64 MiB. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 64 << 20;
  /** Lower bound of both settings: 4 KiB. */
  public static final int MIN_BYTES = 4 << 10;
  /** Upper bound of both settings: 1 GiB. */
  public static final int MAX_BYTES = 1 << 30;

  /** Checks every setting. */
  public ManifestOptions {
    if (maxFileBytes < MIN_BYTES || maxFileBytes > MAX_BYTES) {
      throw new IllegalArgumentException("manifest.maxFileBytes = " + maxFileBytes
          + " bytes is out of range; need " + MIN_BYTES + " <= manifest.maxFileBytes <= " + MAX_BYTES + " bytes");
    }
    if (maxRecordBytes < MIN_BYTES || maxRecordBytes > MAX_BYTES) {
      throw new IllegalArgumentException("manifest.maxRecordBytes = " + maxRecordBytes
          + " bytes is out of range; need " + MIN_BYTES + " <= manifest.maxRecordBytes <= " + MAX_BYTES + " bytes");
    }
  }

  /** The defaults: 4 MiB files, 64 MiB records. */
  public static ManifestOptions defaults() {
    return new ManifestOptions(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_RECORD_BYTES);
  }

  /** A copy with another {@code manifest.maxFileBytes}. */
  public ManifestOptions withMaxFileBytes(long bytes) {
    return new ManifestOptions(bytes, maxRecordBytes);
  }

  /** A copy with another {@code manifest.maxRecordBytes}. */
  public ManifestOptions withMaxRecordBytes(int bytes) {
    return new ManifestOptions(maxFileBytes, bytes);
  }
}
