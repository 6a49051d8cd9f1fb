// Lines entered earlier, recalled with Up/Down.

/**
 * Lines kept per history. 500 is bash's default HISTSIZE: plenty for a lab session, and a bound on
 * memory for a terminal that may stay open all day.
 */
export const HISTORY_LIMIT = 500;

export class LineHistory {
  private readonly entries: string[] = [];

  constructor(readonly limit: number = HISTORY_LIMIT) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`history limit must be a positive integer, got ${limit}`);
    }
  }

  get length(): number {
    return this.entries.length;
  }

  /** Oldest first. */
  at(index: number): string | undefined {
    return this.entries[index];
  }

  /** Blank lines and an immediate repeat of the last line are not kept (bash's ignoreboth). */
  add(line: string): void {
    if (line.trim() === '') return;
    if (this.entries[this.entries.length - 1] === line) return;
    this.entries.push(line);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }
}
