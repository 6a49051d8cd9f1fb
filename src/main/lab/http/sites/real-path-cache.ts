// Where a request path really leads, remembered for a moment. Resolving a path (realpath) costs one
// lstat per folder on the way, the largest share of a static GET once the file itself is cached in
// memory; a benchmark or a page with ten images asks for the same few paths again and again.
//
// What is remembered is only the real path of a regular file inside its site. The file is still
// looked at on every request (one lstat of that real path), so an edited, replaced or removed file
// is seen at once, and a file replaced by a symbolic link is resolved again from scratch. What can
// go unseen for up to REAL_PATH_TTL_MS is a folder on the way being swapped for a link; nginx's
// open_file_cache trusts what it found for 60 s by default (open_file_cache_valid).

/** How long a resolved path is trusted before it is resolved again. */
export const REAL_PATH_TTL_MS = 1_000;

/** Paths remembered at most; past this the oldest are forgotten (a crawler cannot grow it without bound). */
export const REAL_PATH_CACHE_MAX_ENTRIES = 4_096;

interface Entry {
  real: string;
  resolvedAt: number;
}

export class RealPathCache {
  /** Oldest first. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = REAL_PATH_TTL_MS,
    private readonly maxEntries = REAL_PATH_CACHE_MAX_ENTRIES,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The real path `candidate` led to less than the TTL ago, or undefined. */
  get(candidate: string): string | undefined {
    const entry = this.entries.get(candidate);
    if (!entry) return undefined;
    if (this.clock() - entry.resolvedAt >= this.ttlMs) {
      this.entries.delete(candidate);
      return undefined;
    }
    return entry.real;
  }

  set(candidate: string, real: string): void {
    this.entries.delete(candidate);
    this.entries.set(candidate, { real, resolvedAt: this.clock() });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  delete(candidate: string): void {
    this.entries.delete(candidate);
  }
}
