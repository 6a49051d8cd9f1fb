import { describe, expect, it } from 'vitest';
import type { ConnectionInfo, Direction } from '../../../src/shared/capture';
import {
  createEventRing,
  EventRingReader,
  EventRingWriter,
  MAX_RING_CHUNK_BYTES,
  RECORD_HEADER_BYTES,
  releaseEventRing,
  TYPE_CLOSE,
  TYPE_LIVE,
  TYPE_OPEN,
  type EventVisitor,
} from '../../../src/main/lab/capture/event-ring';
import { httpConnection } from './support/fixtures';

const SMALLEST_RING = 4 * MAX_RING_CHUNK_BYTES;

type Seen = ['open', number, number] | ['chunk', string, number, number, number, Direction, number[]] | ['finish', number, number, string, string, string | undefined] | ['live', boolean];

function recorder(): EventVisitor & { seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    open: (seq, info: ConnectionInfo) => seen.push(['open', seq, info.id]),
    chunk: (type, seq, t, connId, dir, bytes) => seen.push(['chunk', type, seq, t, connId, dir, [...bytes.subarray(0, 4)]]),
    finish: (seq, t, connId, state, by, reason) => seen.push(['finish', seq, connId, state, by, reason]),
    live: (on) => seen.push(['live', on]),
  };
}

const noErrors = (err: unknown): never => {
  throw err;
};

describe('the event ring', () => {
  it('carries every kind of record, in order, with its fields', () => {
    const ring = createEventRing(SMALLEST_RING);
    const writer = new EventRingWriter(ring);
    const reader = new EventRingReader(ring);
    writer.writeControl(TYPE_OPEN, 1, 0.5, 7, EventRingWriter.controlPayload(httpConnection(7)));
    writer.writeChunk('data', 2, 1.25, 7, 'c2s', new Uint8Array([1, 2, 3]));
    writer.writeChunk('datagram', 3, 2.5, 7, 's2c', new Uint8Array([9]));
    writer.writeControl(TYPE_LIVE, 0, 3, 0, EventRingWriter.controlPayload(true));
    writer.writeControl(TYPE_CLOSE, 4, 4, 7, EventRingWriter.controlPayload({ by: 'client' }));
    const r = recorder();
    expect(reader.drain(r, noErrors)).toBe(0); // nothing published yet
    writer.publish();
    expect(reader.drain(r, noErrors)).toBeGreaterThan(0);
    expect(r.seen).toEqual([
      ['open', 1, 7],
      ['chunk', 'data', 2, 1.25, 7, 'c2s', [1, 2, 3]],
      ['chunk', 'datagram', 3, 2.5, 7, 's2c', [9]],
      ['live', true],
      ['finish', 4, 7, 'closed', 'client', undefined],
    ]);
    expect(writer.used).toBe(0);
  });

  it('wraps at the end with a pad record, and the reader skips a tail too short for a header', () => {
    const ring = createEventRing(SMALLEST_RING);
    const writer = new EventRingWriter(ring);
    const reader = new EventRingReader(ring);
    const r = recorder();
    // Fill to 16 bytes short of the end: the next record cannot even leave a header there.
    const first = SMALLEST_RING - 16 - RECORD_HEADER_BYTES;
    writer.writeChunk('data', 1, 0, 1, 'c2s', new Uint8Array(first).fill(1));
    writer.publish();
    reader.drain(r, noErrors);
    writer.writeChunk('data', 2, 0, 1, 'c2s', new Uint8Array(100).fill(2));
    // And one that needs a pad record before it: most of the ring, then a record larger than the rest.
    writer.writeChunk('data', 3, 0, 1, 'c2s', new Uint8Array(SMALLEST_RING - 4096).fill(3));
    writer.publish();
    reader.drain(r, noErrors);
    writer.writeChunk('data', 4, 0, 1, 'c2s', new Uint8Array(8192).fill(4));
    writer.publish();
    reader.drain(r, noErrors);
    expect(r.seen.map((s) => (s[0] === 'chunk' ? [s[2], s[6][0]] : s))).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
  });

  it('says when a record does not fit, counting the padding it would need', () => {
    const ring = createEventRing(SMALLEST_RING);
    const writer = new EventRingWriter(ring);
    const reader = new EventRingReader(ring);
    expect(writer.fits(SMALLEST_RING - RECORD_HEADER_BYTES)).toBe(true);
    expect(writer.fits(SMALLEST_RING)).toBe(false);
    writer.writeChunk('data', 1, 0, 1, 'c2s', new Uint8Array(SMALLEST_RING / 2));
    writer.publish();
    // Half is used; a record of half the ring would need the used half back, so it waits for the reader.
    expect(writer.fits(SMALLEST_RING / 2)).toBe(false);
    expect(writer.fits(SMALLEST_RING / 4)).toBe(true);
    reader.drain(recorder(), noErrors);
    expect(writer.fits(SMALLEST_RING / 2)).toBe(true);
  });

  it('reports a record the visitor throws on and goes on with the next', () => {
    const ring = createEventRing(SMALLEST_RING);
    const writer = new EventRingWriter(ring);
    writer.writeChunk('data', 1, 0, 1, 'c2s', new Uint8Array([1]));
    writer.writeChunk('data', 2, 0, 1, 'c2s', new Uint8Array([2]));
    writer.publish();
    const r = recorder();
    const failing: EventVisitor = {
      ...r,
      chunk: (type, seq, ...rest) => {
        if (seq === 1) throw new Error('disk full');
        r.chunk(type, seq, ...rest);
      },
    };
    const errors: string[] = [];
    new EventRingReader(ring).drain(failing, (err) => errors.push((err as Error).message));
    expect(errors).toEqual(['disk full']);
    expect(r.seen.map((s) => s[2])).toEqual([2]);
  });

  it('keeps the space of chunks the visitor still holds, until it lets go or the drain ends', () => {
    const ring = createEventRing(SMALLEST_RING);
    const writer = new EventRingWriter(ring);
    for (let seq = 1; seq <= 4; seq++) writer.writeChunk('data', seq, 0, 1, 'c2s', new Uint8Array(1000).fill(seq));
    writer.publish();
    const all = writer.used;
    let holding = false;
    const usedAt: number[] = [];
    const visitor: EventVisitor = {
      ...recorder(),
      // The visitor keeps chunks 1 and 2, lets go after 3 (a write), then keeps 4 to the end.
      chunk: (_type, seq) => {
        usedAt.push(writer.used);
        holding = seq !== 3;
      },
      holdsChunks: () => holding,
      releaseChunks: () => {
        usedAt.push(writer.used);
        holding = false;
        throw new Error('write failed');
      },
    };
    const errors: string[] = [];
    new EventRingReader(ring).drain(visitor, (err) => errors.push((err as Error).message));
    const record = all / 4;
    expect(usedAt).toEqual([all, all, all, record, record]);
    // Reported, and the space given back all the same: the visitor is done with it either way.
    expect(errors).toEqual(['write failed']);
    expect(writer.used).toBe(0);
  });

  it('wakes a waiting reader when the writer publishes', async () => {
    const ring = createEventRing(SMALLEST_RING);
    const reader = new EventRingReader(ring);
    let woke = false;
    const waiting = reader.waitForMore().then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(woke).toBe(false);
    const writer = new EventRingWriter(ring);
    writer.writeChunk('data', 1, 0, 1, 'c2s', new Uint8Array([1]));
    writer.publish();
    await waiting;
    expect(reader.available).toBeGreaterThan(0);
  });

  it('wakes the reader again each time it goes back to sleep, and publishes between wakes need no wake', async () => {
    const ring = createEventRing(SMALLEST_RING);
    const reader = new EventRingReader(ring);
    const writer = new EventRingWriter(ring);
    const visitor = { open() {}, chunk() {}, finish() {}, live() {} };
    for (let round = 0; round < 3; round++) {
      let woke = false;
      const waiting = reader.waitForMore().then(() => (woke = true));
      await new Promise((r) => setTimeout(r, 5));
      expect(woke).toBe(false);
      // Several publishes while the reader is awake: one wake is enough, and all of them are read.
      for (let i = 0; i < 3; i++) {
        writer.writeChunk('data', round * 3 + i, 0, 1, 'c2s', new Uint8Array([i]));
        writer.publish();
      }
      await waiting;
      expect(reader.drain(visitor, () => {})).toBeGreaterThan(0);
    }
    // Nothing left unread: the next wait sleeps until the next publish.
    let woke = false;
    const waiting = reader.waitForMore().then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(woke).toBe(false);
    writer.writeChunk('data', 99, 0, 1, 'c2s', new Uint8Array([9]));
    writer.publish();
    await waiting;
  });

  it('hands a released ring to the next capture, emptied', () => {
    const ring = createEventRing(SMALLEST_RING);
    const writer = new EventRingWriter(ring);
    writer.writeChunk('data', 1, 0, 1, 'c2s', new Uint8Array(1000));
    writer.publish();
    releaseEventRing(ring);
    const again = createEventRing(SMALLEST_RING);
    expect(again).toBe(ring);
    expect(new EventRingWriter(again).used).toBe(0);
    expect(new EventRingReader(again).available).toBe(0);
    expect(createEventRing(SMALLEST_RING)).not.toBe(ring); // handed out once
  });

  it('refuses a size that is not a power of two or is too small', () => {
    expect(() => createEventRing(SMALLEST_RING + 8)).toThrow(RangeError);
    expect(() => createEventRing(SMALLEST_RING / 2)).toThrow(/power of two/);
  });
});
