// Where a request path really leads, remembered for a moment. Resolving a path (realpath) costs one
// lstat per folder on the way, the largest share of a static GET once the file itself is cached in
// memory; a benchmark or a page with ten images asks for the same few paths again and again.
//
// What is remembered is only the real path of a regular file inside its site. The file is still
// looked at for every turn of the event loop that reads requests for it (one lstat of that real
// path), so an edited, replaced or removed file is seen by the next request sent after the change,
// and a file replaced by a symbolic link is resolved again from scratch. What can go unseen for up
// to REAL_PATH_TTL_MS is a folder on the way being swapped for a link; nginx's open_file_cache
// trusts what it found for 60 s by default (open_file_cache_valid).
//
// Why one lstat per turn is enough: the requests answered in one turn were, nearly always, read
// from sockets the poll found readable, so each had arrived before the first of them was
// answered, and the lstat taken then was taken after every one of those requests was sent.
// Answering them all from it is what answering them one after the other at that instant would
// give. The lstat is kept until the turn's check phase, so a few cases widen that by at most one
// turn of the loop: a request read in the timers phase (a socket resumed from a timer, when the
// capture had paused reading), one read by a second poll in the same phase (libuv polls again when
// 1024 sockets were ready at once), or more bytes read from a socket while its turn goes on.
// Under load (fifty keep-alive clients asking for the same page) this turns most of the lstats, a
// fifth of a static GET's time, into a map lookup; a request read in a later turn looks again.

import fsSync, { type Stats } from 'node:fs';

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

  /** lstat results taken in this turn of the event loop, by real path (null: not a regular file). */
  private readonly turnStats = new Map<string, Stats | null>();
  private turnEndScheduled = false;

  constructor(
    private readonly ttlMs = REAL_PATH_TTL_MS,
    private readonly maxEntries = REAL_PATH_CACHE_MAX_ENTRIES,
    private readonly clock: () => number = () => performance.now(),
    /** Runs `forget` once the turn's requests are answered (the check phase, after the poll). */
    private readonly atTurnEnd: (forget: () => void) => void = (forget) => setImmediate(forget),
  ) {}

  /**
   * The metadata of `real` if it is still a regular file (not a link put in its place), else null
   * to resolve it again: taken at most once per turn of the event loop (see the top of this file).
   */
  fileStat(real: string): Stats | null {
    const known = this.turnStats.get(real);
    if (known !== undefined) return known;
    let stat: Stats | null;
    try {
      const found = fsSync.lstatSync(real, { throwIfNoEntry: false });
      stat = found?.isFile() ? found : null;
    } catch {
      stat = null;
    }
    this.turnStats.set(real, stat);
    if (!this.turnEndScheduled) {
      this.turnEndScheduled = true;
      this.atTurnEnd(() => {
        this.turnEndScheduled = false;
        this.turnStats.clear();
      });
    }
    return stat;
  }

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
