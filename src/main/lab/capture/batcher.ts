// Live capture updates for the faces, in batches (DESIGN.md §5). Model: Hyper's DataBatcher, which
// coalesces terminal output for 16 ms (BATCH_DURATION_MS) or up to a size limit, so a chatty socket costs the renderer one
// update per frame instead of one per chunk.

import type { CaptureBatch, ConnectionInfo, MessageSummary } from '../../../shared/capture';

/** One batch per display frame at 60 Hz. */
export const BATCH_INTERVAL_MS = 16;
/**
 * Message bytes (summed `length`) that send a batch at once, before the interval ends. DESIGN.md §5
 * sets 256 KiB (Hyper's own limit is 200 KiB of terminal text).
 */
export const BATCH_MAX_BYTES = 256 * 1024;

export interface CaptureBatcherOptions {
  intervalMs?: number;
  maxBytes?: number;
}

export class CaptureBatcher {
  private readonly emit: (batch: CaptureBatch) => void;
  private readonly intervalMs: number;
  private readonly maxBytes: number;
  /** Latest copy per connection id; a Map keeps first-seen order. */
  private connections = new Map<number, ConnectionInfo>();
  private messages: MessageSummary[] = [];
  private answers: Array<[number, number]> = [];
  private unanswered: number[] = [];
  private bytes = 0;
  private total = 0;
  private emittedTotal = 0;
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;

  /** `emit` runs from a timer: it must not throw. */
  constructor(emit: (batch: CaptureBatch) => void, options: CaptureBatcherOptions = {}) {
    const intervalMs = options.intervalMs ?? BATCH_INTERVAL_MS;
    const maxBytes = options.maxBytes ?? BATCH_MAX_BYTES;
    if (!(intervalMs >= 0) || !Number.isFinite(intervalMs)) throw new RangeError(`intervalMs must be a finite number >= 0, got ${intervalMs}`);
    if (!(maxBytes >= 1)) throw new RangeError(`maxBytes must be at least 1, got ${maxBytes}`);
    this.emit = emit;
    this.intervalMs = intervalMs;
    this.maxBytes = maxBytes;
  }

  /** A connection that opened or changed state; the latest copy per id wins within a batch. */
  addConnection(conn: ConnectionInfo): void {
    if (this.disposed) return;
    this.connections.set(conn.id, conn);
    this.schedule();
  }

  addMessage(message: MessageSummary): void {
    if (this.disposed) return;
    this.messages.push(message);
    // Ids are 1-based in capture order, so the newest id is also the count.
    if (message.id > this.total) this.total = message.id;
    this.bytes += message.length > 0 ? message.length : 0;
    if (this.bytes >= this.maxBytes) this.flush();
    else this.schedule();
  }

  addAnswer(requestId: number, responseId: number): void {
    if (this.disposed) return;
    this.answers.push([requestId, responseId]);
    this.schedule();
  }

  /** Requests whose connection ended with no response to them. */
  addUnanswered(requestIds: readonly number[]): void {
    if (this.disposed || requestIds.length === 0) return;
    this.unanswered.push(...requestIds);
    this.schedule();
  }

  /** Total messages in the capture; sent with the next batch (a change alone is worth a batch). */
  setTotal(totalMessages: number): void {
    if (this.disposed) return;
    this.total = totalMessages;
    if (totalMessages !== this.emittedTotal) this.schedule();
  }

  /** Sends what is pending now (nothing when nothing is pending). */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.disposed || !this.hasPending()) return;
    const batch: CaptureBatch = {
      connections: [...this.connections.values()],
      messages: this.messages,
      answers: this.answers,
      unanswered: this.unanswered,
      totalMessages: this.total,
    };
    this.connections = new Map();
    this.messages = [];
    this.answers = [];
    this.unanswered = [];
    this.bytes = 0;
    this.emittedTotal = this.total;
    this.emit(batch);
  }

  /** Stops the timer and drops whatever is pending (call flush() first to send it); later adds are ignored. */
  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.disposed = true;
    this.connections = new Map();
    this.messages = [];
    this.answers = [];
    this.unanswered = [];
    this.bytes = 0;
  }

  private hasPending(): boolean {
    return this.connections.size > 0 || this.messages.length > 0 || this.answers.length > 0 || this.unanswered.length > 0 || this.total !== this.emittedTotal;
  }

  /** The interval runs from the first item of a batch, so a steady trickle still leaves every intervalMs. */
  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.intervalMs);
    this.timer.unref();
  }
}
