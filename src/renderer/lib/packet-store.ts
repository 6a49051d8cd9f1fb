// The packet list's memory: a bounded window of MessageSummary rows around what the user looks
// at, filled live from capture batches and read back from the journal (LabApi.listMessages) when
// the user scrolls to rows the window no longer holds. A capture of any size costs the renderer
// at most PACKET_WINDOW_ROWS rows, plus one number per match while a display filter is on.
//
// Message ids are 1-based and consecutive in capture order (src/shared/capture.ts), so without a
// filter row i is message i + 1 and no index is needed.

import type { CaptureBatch, MessageSummary } from '../../shared/capture';
import { type DisplayFilter, matchesFilter } from './display-filter';
import { type ColumnExtents, INITIAL_EXTENTS, extendExtents } from './packet-columns';

/** Rows kept in memory at most (DESIGN.md §5: the renderer keeps a bounded window). */
export const PACKET_WINDOW_ROWS = 5000;

/** Rows dropped at once when the window overflows, so eviction (a sort) runs once per this many inserts. */
export const PACKET_WINDOW_SLACK = 500;

/** Rows read back per listMessages call when scrolling into history. */
export const LIST_PAGE_SIZE = 200;

/** Rows read per listMessages call while a display filter scans the journal. */
export const FILTER_SCAN_PAGE = 1000;

/** Pages read back at once; more waits until one returns. */
export const MAX_PAGES_IN_FLIGHT = 4;

/** A page that failed to load is not asked for again before this many milliseconds. */
export const PAGE_RETRY_MS = 2000;

export interface MessageSource {
  listMessages(fromId: number, count: number): Promise<MessageSummary[]>;
}

export interface PacketStoreOptions {
  windowRows?: number;
  slack?: number;
  pageSize?: number;
  scanPage?: number;
  now?: () => number;
}

export interface ScanProgress {
  checked: number;
  total: number;
  running: boolean;
}

/** A request's response, or that its connection ended with none. */
type PairingUpdate = { answeredBy: number; noReply: undefined } | { noReply: true; answeredBy?: undefined };

export class PacketStore {
  private rows = new Map<number, MessageSummary>();
  /**
   * What live batches said of requests lately (their response, or that none came before the
   * connection ended), for rows read back from a page that was in flight meanwhile.
   */
  private recentPairing = new Map<number, PairingUpdate>();
  private total = 0;
  private generation = 0;
  private inFlight = new Set<number>();
  private failedAt = new Map<number, number>();
  private focusFrom = 1;
  private focusTo = 1;
  private filter: DisplayFilter | null = null;
  private matches: number[] = [];
  /** Highest message id already tested against the filter. */
  private frontier = 0;
  private activeScan: object | null = null;
  private listeners = new Set<() => void>();
  private version = 0;
  private lastError: string | null = null;
  private extents: ColumnExtents = INITIAL_EXTENTS;
  private readonly windowRows: number;
  private readonly slack: number;
  private readonly pageSize: number;
  private readonly scanPage: number;
  private readonly now: () => number;

  constructor(
    private readonly source: MessageSource,
    options: PacketStoreOptions = {},
  ) {
    this.windowRows = options.windowRows ?? PACKET_WINDOW_ROWS;
    this.slack = Math.min(options.slack ?? PACKET_WINDOW_SLACK, Math.max(0, this.windowRows - 1));
    this.pageSize = options.pageSize ?? LIST_PAGE_SIZE;
    this.scanPage = options.scanPage ?? FILTER_SCAN_PAGE;
    this.now = options.now ?? (() => Date.now());
  }

  // --- subscription (React's useSyncExternalStore) ---

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private notify(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  // --- state ---

  /** Messages in the whole capture. */
  get totalMessages(): number {
    return this.total;
  }

  /** Rows held in memory right now. */
  get heldRows(): number {
    return this.rows.size;
  }

  get error(): string | null {
    return this.lastError;
  }

  /** What the list's columns have had to show since the last reset (their widths follow it). */
  get columnExtents(): ColumnExtents {
    return this.extents;
  }

  get activeFilter(): DisplayFilter | null {
    return this.filter;
  }

  get scanProgress(): ScanProgress {
    return { checked: this.frontier, total: this.total, running: this.activeScan !== null };
  }

  /** Rows the list shows: every message, or the matches found so far. */
  get rowCount(): number {
    return this.filter ? this.matches.length : this.total;
  }

  idAt(index: number): number | undefined {
    if (index < 0 || index >= this.rowCount) return undefined;
    return this.filter ? this.matches[index] : index + 1;
  }

  /** The row showing a message, or -1 when it is not in the list (filtered out, or not yet seen). */
  indexOfId(id: number): number {
    if (!this.filter) return id >= 1 && id <= this.total ? id - 1 : -1;
    let lo = 0;
    let hi = this.matches.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.matches[mid];
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  rowAt(index: number): MessageSummary | undefined {
    const id = this.idAt(index);
    return id === undefined ? undefined : this.rows.get(id);
  }

  getById(id: number): MessageSummary | undefined {
    return this.rows.get(id);
  }

  // --- input ---

  /** Forget everything (the link to the core was re-established); rows are read back as needed. */
  reset(): void {
    this.generation++;
    this.rows.clear();
    this.recentPairing.clear();
    this.inFlight.clear();
    this.failedAt.clear();
    this.total = 0;
    this.lastError = null;
    this.extents = INITIAL_EXTENTS;
    this.restartFilter();
    this.notify();
  }

  /** The capture holds at least this many messages (from a snapshot). */
  noteTotal(total: number): void {
    if (total <= this.total) return;
    this.total = total;
    this.continueScan();
    this.notify();
  }

  applyBatch(batch: CaptureBatch): void {
    for (const m of batch.messages) {
      this.insert(m);
      if (m.id > this.total) this.total = m.id;
      if (this.filter && m.id === this.frontier + 1) {
        this.frontier = m.id;
        if (matchesFilter(this.filter, m)) this.matches.push(m.id);
      }
    }
    for (const [request, response] of batch.answers) this.updatePairing(request, { answeredBy: response, noReply: undefined });
    for (const request of batch.unanswered) this.updatePairing(request, { noReply: true });
    this.trimPairing();
    if (batch.totalMessages > this.total) this.total = batch.totalMessages;
    this.continueScan();
    this.evict();
    this.notify();
  }

  setFilter(filter: DisplayFilter | null): void {
    if (filter === this.filter || (filter && this.filter && filter.source === this.filter.source)) return;
    this.filter = filter;
    this.restartFilter();
    this.notify();
  }

  /**
   * The list shows rows [startIndex, endIndex]: keep them (eviction spares them) and read back
   * those the window does not hold.
   */
  ensureRows(startIndex: number, endIndex: number): void {
    const first = Math.max(0, startIndex);
    const last = Math.min(this.rowCount - 1, endIndex);
    if (last < first) return;
    this.focusFrom = this.idAt(first)!;
    this.focusTo = this.idAt(last)!;
    const pages: number[] = [];
    for (let i = first; i <= last; i++) {
      const id = this.idAt(i)!;
      if (this.rows.has(id)) continue;
      const page = this.pageStart(id);
      if (pages[pages.length - 1] !== page) pages.push(page);
    }
    for (const page of pages) this.loadPage(page);
  }

  // --- internals ---

  private pageStart(id: number): number {
    return Math.floor((id - 1) / this.pageSize) * this.pageSize + 1;
  }

  private insert(m: MessageSummary): void {
    const update = this.recentPairing.get(m.id);
    this.extents = extendExtents(this.extents, m);
    this.rows.set(m.id, update && m.answeredBy === undefined && !m.noReply ? { ...m, ...update } : m);
  }

  private updatePairing(request: number, update: PairingUpdate): void {
    this.recentPairing.set(request, update);
    const row = this.rows.get(request);
    if (row && (row.answeredBy !== update.answeredBy || row.noReply !== update.noReply)) this.rows.set(request, { ...row, ...update });
  }

  private trimPairing(): void {
    if (this.recentPairing.size <= this.windowRows) return;
    const drop = this.recentPairing.size - this.windowRows;
    let n = 0;
    for (const key of this.recentPairing.keys()) {
      if (n++ >= drop) break;
      this.recentPairing.delete(key);
    }
  }

  private loadPage(page: number): void {
    if (this.inFlight.has(page) || this.inFlight.size >= MAX_PAGES_IN_FLIGHT) return;
    const failed = this.failedAt.get(page);
    if (failed !== undefined && this.now() - failed < PAGE_RETRY_MS) return;
    const generation = this.generation;
    this.inFlight.add(page);
    const count = Math.min(this.pageSize, this.total - page + 1);
    this.source.listMessages(page, count).then(
      (rows) => {
        if (generation !== this.generation) return;
        this.inFlight.delete(page);
        this.failedAt.delete(page);
        for (const r of rows) this.insert(r);
        this.lastError = null;
        this.evict();
        this.notify();
      },
      (err: unknown) => {
        if (generation !== this.generation) return;
        this.inFlight.delete(page);
        this.failedAt.set(page, this.now());
        this.lastError = `could not read messages #${page}–#${page + count - 1} back: ${errorText(err)}`;
        this.notify();
        // Wake the list again once the page may be retried, even if nothing else changes.
        setTimeout(() => {
          if (generation === this.generation) this.notify();
        }, PAGE_RETRY_MS);
      },
    );
  }

  /** Drops the rows farthest from the visible range, never the visible ones. */
  private evict(): void {
    if (this.rows.size <= this.windowRows) return;
    const target = this.windowRows - this.slack;
    const center = (this.focusFrom + this.focusTo) / 2;
    const candidates: number[] = [];
    for (const id of this.rows.keys()) if (id < this.focusFrom || id > this.focusTo) candidates.push(id);
    candidates.sort((a, b) => Math.abs(b - center) - Math.abs(a - center));
    for (const id of candidates) {
      if (this.rows.size <= target) break;
      this.rows.delete(id);
    }
  }

  private restartFilter(): void {
    this.matches = [];
    this.frontier = 0;
    this.activeScan = null;
    this.continueScan();
  }

  /** Tests the messages the filter has not seen yet, reading them from the journal page by page. */
  private continueScan(): void {
    if (!this.filter || this.activeScan || this.frontier >= this.total) return;
    const token = {};
    this.activeScan = token;
    const filter = this.filter;
    const generation = this.generation;
    const stillCurrent = () => this.activeScan === token && this.filter === filter && this.generation === generation;
    void (async () => {
      try {
        while (stillCurrent() && this.frontier < this.total) {
          const from = this.frontier + 1;
          const count = Math.min(this.scanPage, this.total - this.frontier);
          const rows = await this.source.listMessages(from, count);
          if (!stillCurrent()) return;
          // Nothing there yet (not journaled): stop; the next batch or snapshot resumes the scan.
          if (rows.length === 0) break;
          for (const r of rows) {
            if (r.id <= this.frontier) continue;
            this.frontier = r.id;
            if (matchesFilter(filter, r)) {
              this.matches.push(r.id);
              this.insert(r);
            }
          }
          this.evict();
          this.notify();
        }
      } catch (err) {
        if (stillCurrent()) this.lastError = `the filter could not read the capture: ${errorText(err)}`;
      } finally {
        if (this.activeScan === token) {
          this.activeScan = null;
          this.notify();
        }
      }
    })();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
