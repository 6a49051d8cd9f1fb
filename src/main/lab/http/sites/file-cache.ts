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
  stamp: string;
  bytes: Uint8Array;
}

function stampOf(stat: Stats): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
}

export class FileCache {
  /** Least recently used first. */
  private readonly entries = new Map<string, Entry>();
  private total = 0;

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
    this.entries.delete(file);
    if (entry.stamp !== stampOf(stat)) {
      this.total -= entry.bytes.length;
      return undefined;
    }
    this.entries.set(file, entry);
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
    this.entries.set(file, { stamp: stampOf(stat), bytes });
    this.total += bytes.length;
    for (const [name, entry] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(name);
      this.total -= entry.bytes.length;
    }
  }
}
