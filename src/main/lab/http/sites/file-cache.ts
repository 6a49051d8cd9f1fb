// Recently sent small files, kept in memory so a page fetched again (the ten images of home.index,
// a benchmark's 1 KiB page) costs one stat instead of open, fstat, read and close. An entry is used
// only while the file's size, mtime, ctime and inode are what they were when it was read, so an
// edited file is read again on the next request.

import type { Stats } from 'node:fs';

/** Largest file kept (the lab's pages and images are a few KiB; a big download is read each time). */
export const FILE_CACHE_MAX_FILE_BYTES = 256 * 1024;

/** Bytes kept in all; past this the least recently used files are dropped. */
export const FILE_CACHE_MAX_BYTES = 16 * 1024 * 1024;

interface Entry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  bytes: Uint8Array;
}

function unchanged(entry: Entry, stat: Stats): boolean {
  return entry.size === stat.size && entry.mtimeMs === stat.mtimeMs && entry.ctimeMs === stat.ctimeMs && entry.ino === stat.ino;
}

export class FileCache {
  /** Least recently used first. */
  private readonly entries = new Map<string, Entry>();
  private total = 0;
  /** The key at the end of `entries` (the most recently used), when known. */
  private lastKey: string | undefined;

  constructor(
    private readonly maxBytes = FILE_CACHE_MAX_BYTES,
    private readonly maxFileBytes = FILE_CACHE_MAX_FILE_BYTES,
  ) {}

  get bytesHeld(): number {
    return this.total;
  }

  /** The file's bytes if they were read while it looked exactly as `stat` says. */
  get(file: string, stat: Stats): Uint8Array | undefined {
    const entry = this.entries.get(file);
    if (!entry) return undefined;
    if (!unchanged(entry, stat)) {
      this.entries.delete(file);
      this.total -= entry.bytes.length;
      return undefined;
    }
    // Most recently used last; the file at the end already is.
    if (this.lastKey !== file) {
      this.entries.delete(file);
      this.entries.set(file, entry);
      this.lastKey = file;
    }
    return entry.bytes;
  }

  /** Keeps `bytes` read from `file` (whose stat was taken before the read). */
  set(file: string, stat: Stats, bytes: Uint8Array): void {
    if (bytes.length > this.maxFileBytes || bytes.length !== stat.size) return;
    const old = this.entries.get(file);
    if (old) {
      this.entries.delete(file);
      this.total -= old.bytes.length;
    }
    this.entries.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, bytes });
    this.lastKey = file;
    this.total += bytes.length;
    for (const [name, entry] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(name);
      this.total -= entry.bytes.length;
    }
  }
}
