import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureBatch } from '../../../src/shared/capture';
import { BATCH_INTERVAL_MS, BATCH_MAX_BYTES, CaptureBatcher } from '../../../src/main/lab/capture/batcher';
import { httpConnection, summary } from './support/fixtures';

let batches: CaptureBatch[];
let batcher: CaptureBatcher;

beforeEach(() => {
  vi.useFakeTimers();
  batches = [];
  batcher = new CaptureBatcher((b) => batches.push(b));
});

afterEach(() => {
  batcher.dispose();
  vi.useRealTimers();
});

describe('CaptureBatcher', () => {
  it('sends one batch BATCH_INTERVAL_MS after the first item, with everything added meanwhile', () => {
    batcher.addConnection(httpConnection(1));
    vi.advanceTimersByTime(5);
    batcher.addMessage(summary(1, { length: 10 }));
    batcher.addMessage(summary(2, { length: 10 }));
    batcher.addAnswer(1, 2);
    batcher.addUnanswered([3]);
    batcher.addUnanswered([]); // nothing to say: nothing added
    batcher.setTotal(2);
    vi.advanceTimersByTime(BATCH_INTERVAL_MS - 6);
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([
      {
        connections: [httpConnection(1)],
        messages: [summary(1, { length: 10 }), summary(2, { length: 10 })],
        answers: [[1, 2]],
        unanswered: [3],
        totalMessages: 2,
      },
    ]);
    vi.advanceTimersByTime(10 * BATCH_INTERVAL_MS);
    expect(batches).toHaveLength(1); // nothing new, nothing sent
  });

  it('keeps only the latest copy of a connection within a batch, in first-seen order', () => {
    batcher.addConnection(httpConnection(1));
    batcher.addConnection(httpConnection(2));
    batcher.addConnection(httpConnection(1, { state: 'closed', closedAt: 9 }));
    batcher.flush();
    expect(batches[0].connections).toEqual([httpConnection(1, { state: 'closed', closedAt: 9 }), httpConnection(2)]);
  });

  it('sends at once when BATCH_MAX_BYTES of messages pile up, not one byte before', () => {
    batcher.addMessage(summary(1, { length: BATCH_MAX_BYTES - 1 }));
    expect(batches).toHaveLength(0);
    batcher.addMessage(summary(2, { length: 1 }));
    expect(batches).toHaveLength(1);
    expect(batches[0].messages.map((m) => m.id)).toEqual([1, 2]);
    expect(batches[0].totalMessages).toBe(2);
    // The size count starts over with the next batch.
    batcher.addMessage(summary(3, { length: BATCH_MAX_BYTES - 1 }));
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(batches).toHaveLength(2);
  });

  it('honours its options', () => {
    const small: CaptureBatch[] = [];
    const b = new CaptureBatcher((x) => small.push(x), { intervalMs: 100, maxBytes: 50 });
    b.addMessage(summary(1, { length: 49 }));
    vi.advanceTimersByTime(99);
    expect(small).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(small).toHaveLength(1);
    b.addMessage(summary(2, { length: 50 }));
    expect(small).toHaveLength(2);
    b.dispose();
    expect(() => new CaptureBatcher(() => {}, { maxBytes: 0 })).toThrow(RangeError);
    expect(() => new CaptureBatcher(() => {}, { intervalMs: -1 })).toThrow(RangeError);
  });

  it('counts the total from message ids unless told otherwise, and sends a changed total alone', () => {
    batcher.addMessage(summary(41));
    batcher.flush();
    expect(batches[0].totalMessages).toBe(41);
    batcher.setTotal(41);
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(batches).toHaveLength(1); // unchanged total: no batch
    batcher.setTotal(0); // the capture was cleared
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(batches[1]).toEqual({ connections: [], messages: [], answers: [], unanswered: [], totalMessages: 0 });
  });

  it('flush() sends what is pending now and nothing when nothing is', () => {
    batcher.flush();
    expect(batches).toHaveLength(0);
    batcher.addAnswer(3, 4);
    batcher.flush();
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(BATCH_INTERVAL_MS); // the timer was cancelled with the flush
    expect(batches).toHaveLength(1);
  });

  it('dispose() drops pending items, stops the timer and ignores later adds', () => {
    batcher.addMessage(summary(1));
    batcher.dispose();
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    batcher.addMessage(summary(2, { length: BATCH_MAX_BYTES }));
    batcher.flush();
    expect(batches).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not keep the process alive with its timer', () => {
    vi.useRealTimers();
    const unref = vi.spyOn(globalThis, 'setTimeout');
    const b = new CaptureBatcher(() => {});
    b.addMessage(summary(1));
    const timer = unref.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    b.dispose();
    unref.mockRestore();
  });
});
