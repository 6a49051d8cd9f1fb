// Pairs the requests and responses of one connection. The simple services and HTTP/1.1, SMTP,
// POP3 and FTP control all answer in the order they were asked (RFC 9112 §9.3.2 for HTTP
// pipelining; SMTP PIPELINING, RFC 2920 §3), so the oldest unanswered request owns each response.

import type { MessageRole } from '../../shared/capture';
import { assertNever } from './assert-never';

/**
 * Unanswered requests remembered per connection. A client that keeps sending with no answer
 * (a UDP echo to a silent port, a flood of pipelined lines) must not grow memory without bound;
 * past this many, the oldest is forgotten and counted in `dropped`.
 */
export const PAIRER_MAX_PENDING = 10_000;

export interface PairableMessage {
  id: number;
  role: MessageRole;
}

export class RequestPairer {
  private readonly pending: number[] = [];
  private head = 0;
  private droppedCount = 0;

  constructor(private readonly maxPending = PAIRER_MAX_PENDING) {
    if (!Number.isInteger(maxPending) || maxPending < 1) {
      throw new RangeError(`RequestPairer maxPending must be a positive integer, got ${maxPending}`);
    }
  }

  /** Requests still waiting for their response. */
  get pendingCount(): number {
    return this.pending.length - this.head;
  }

  /** The ids of the requests still waiting, oldest first. */
  pendingIds(): number[] {
    return this.pending.slice(this.head);
  }

  /** Requests forgotten because too many were waiting. */
  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * Feeds the next message of the connection. Returns `[requestId, responseId]` when `role` is a
   * response and a request is waiting; a response with none waiting stays unpaired (undefined).
   */
  add(id: number, role: MessageRole): [number, number] | undefined {
    switch (role) {
      case 'request':
        this.pending.push(id);
        if (this.pendingCount > this.maxPending) {
          this.head++;
          this.droppedCount++;
        }
        this.compact();
        return undefined;
      case 'response': {
        if (this.pendingCount === 0) return undefined;
        const requestId = this.pending[this.head++];
        this.compact();
        return [requestId, id];
      }
      case 'other':
        return undefined;
      default:
        return assertNever(role, 'message role');
    }
  }

  /** Pairs a whole list of one connection's messages in order. */
  static pairAll(messages: Iterable<PairableMessage>, maxPending = PAIRER_MAX_PENDING): Array<[number, number]> {
    const pairer = new RequestPairer(maxPending);
    const pairs: Array<[number, number]> = [];
    for (const m of messages) {
      const pair = pairer.add(m.id, m.role);
      if (pair) pairs.push(pair);
    }
    return pairs;
  }

  /** Drops consumed slots once they are the larger part, so shift() is never O(n). */
  private compact(): void {
    if (this.head > 64 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
  }
}
