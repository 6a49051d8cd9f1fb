// The recorder's zero-copy path end to end: a line framer hands out views of chunks that live in
// the event ring, the journal writes large chunks from the ring, gathered, and the ring's memory is
// reused as soon as it is given back. Every message must still come back with its own bytes and
// summary.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ConnectionInfo, Direction } from '../../../src/shared/capture';
import { CAPTURE_MAX_LINE, LINE_CUT_NOTE } from '../../../src/protocols/core/line-framer';
import { summarizeBytes } from '../../../src/protocols/core/summary';
import {
  createEventRing,
  EventRingReader,
  EventRingWriter,
  MAX_RING_CHUNK_BYTES,
  releaseEventRing,
  TYPE_CLOSE,
  TYPE_OPEN,
  type EventVisitor,
} from '../../../src/main/lab/capture/event-ring';
import { CaptureJournal, DIRECT_WRITE_MIN_BYTES } from '../../../src/main/lab/capture/journal';
import { CaptureRecorder } from '../../../src/main/lab/capture/recorder';
import { endpoint } from './support/fixtures';

const SMALLEST_RING = 4 * MAX_RING_CHUNK_BYTES;
/** Enough that the ring wraps a few times, so views the recorder kept too long would see new bytes. */
const STREAM_BYTES = 3 * SMALLEST_RING;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-recorder-stream-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A deterministic stream of lines: short ones, ones cut at CAPTURE_MAX_LINE, bare LF, bytes above 0x7F. */
function makeStream(seed: number): Uint8Array {
  const out = new Uint8Array(STREAM_BYTES);
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) >>> 0);
  let at = 0;
  while (at < out.length) {
    const long = next() % 5 === 0;
    const length = long ? CAPTURE_MAX_LINE + (next() % (3 * CAPTURE_MAX_LINE)) : 1 + (next() % 300);
    for (let i = 0; i < length && at < out.length; i++) out[at++] = next() % 7 === 0 ? 0x80 + (next() % 0x80) : 0x20 + (next() % 0x5f);
    if (at < out.length && next() % 2 === 0) out[at++] = 0x0d;
    if (at < out.length) out[at++] = 0x0a;
  }
  return out;
}

/** What the line framer should cut from `stream`: lines, and CAPTURE_MAX_LINE pieces of longer ones. */
function expectedPieces(stream: Uint8Array): Array<{ bytes: Uint8Array; summary: string }> {
  const pieces: Array<{ bytes: Uint8Array; summary: string }> = [];
  let start = 0;
  while (start < stream.length) {
    const lf = stream.indexOf(0x0a, start);
    const end = lf === -1 ? stream.length : lf + 1;
    if (end - start > CAPTURE_MAX_LINE) {
      const bytes = stream.subarray(start, start + CAPTURE_MAX_LINE);
      pieces.push({ bytes, summary: summarizeBytes(bytes, LINE_CUT_NOTE) });
      start += CAPTURE_MAX_LINE;
    } else {
      const bytes = stream.subarray(start, end);
      pieces.push({ bytes, summary: summarizeBytes(bytes) });
      start = end;
    }
  }
  return pieces;
}

it('keeps every message of streams framed from views of a wrapping ring, bytes and summaries intact', () => {
  const ring = createEventRing(SMALLEST_RING);
  const journalPath = path.join(dir, 'capture.journal');
  const recorder = new CaptureRecorder({ journalPath, startEpochMs: Date.now() });
  // Ring space is scribbled over the moment the reader gives it back, even in the middle of a
  // drain, as a socket thread refilling it would: bytes the recorder still used then would be lost.
  const ringBytes = new Uint8Array(ring.data);
  const control = new Int32Array(ring.control);
  const READ_SLOT = 1;
  let scribbledTo = 0;
  const scribble = () => {
    const to = Atomics.load(control, READ_SLOT) >>> 0;
    for (let p = scribbledTo; p !== to; p = (p + 1) >>> 0) ringBytes[p & (ringBytes.length - 1)] = 0xee;
    scribbledTo = to;
  };
  const visitor: EventVisitor = {
    open: (seq, info) => (scribble(), recorder.open(seq, info)),
    chunk: (type, seq, t, connId, dir, bytes) => (scribble(), recorder.chunk(type, seq, t, connId, dir, bytes)),
    finish: (seq, t, connId, state, by, reason) => (scribble(), recorder.finish(seq, t, connId, state, by, reason)),
    live: () => {},
    holdsChunks: () => recorder.holdsChunks,
    releaseChunks: () => recorder.releaseChunks(),
  };
  const reader = new EventRingReader(ring);
  const failures: unknown[] = [];
  const writer = new EventRingWriter(ring);
  const conn: ConnectionInfo = {
    id: 1,
    transport: 'tcp',
    protocol: 'raw',
    side: 'server',
    client: endpoint({ port: 50000, virtualPort: 50000 }),
    server: endpoint({ port: 10007, virtualPort: 7 }),
    openedAt: 0,
    state: 'open',
  };
  const drain = () => {
    writer.publish();
    reader.drain(visitor, (err) => failures.push(err));
    scribble();
  };
  let seq = 1;
  writer.writeControl(TYPE_OPEN, seq++, 0, conn.id, EventRingWriter.controlPayload(conn));
  const streams: Record<Direction, Uint8Array> = { c2s: makeStream(1), s2c: makeStream(2) };
  const sent: Record<Direction, number> = { c2s: 0, s2c: 0 };
  let x = 7;
  // Chunk sizes on both sides of DIRECT_WRITE_MIN_BYTES, so lines span chunks and chunks go both ways into the journal.
  const chunkSize = () => 1 + ((x = (x * 1103515245 + 12345) >>> 0) % (4 * DIRECT_WRITE_MIN_BYTES));
  while (sent.c2s < STREAM_BYTES || sent.s2c < STREAM_BYTES) {
    for (const dir of ['c2s', 's2c'] as const) {
      if (sent[dir] >= STREAM_BYTES) continue;
      const chunk = streams[dir].subarray(sent[dir], sent[dir] + chunkSize());
      while (!writer.fits(chunk.length)) drain();
      writer.writeChunk('data', seq++, seq, conn.id, dir, chunk);
      sent[dir] += chunk.length;
    }
    // The recorder reads what piled up, as the worker does between the socket thread's writes.
    if (seq % 7 === 0) drain();
  }
  writer.writeControl(TYPE_CLOSE, seq++, seq, conn.id, EventRingWriter.controlPayload({ by: 'client' }));
  drain();
  recorder.close();
  releaseEventRing(ring);
  expect(failures).toEqual([]);

  const got: Record<Direction, Array<{ bytes: Uint8Array; summary: string }>> = { c2s: [], s2c: [] };
  for (const record of CaptureJournal.read(journalPath)) {
    if (record.kind === 'message') got[record.message.dir].push({ bytes: record.bytes, summary: record.message.summary });
  }
  for (const dir of ['c2s', 's2c'] as const) {
    const want = expectedPieces(streams[dir]);
    expect(got[dir].length).toBe(want.length);
    // Compared piece by piece without the matcher's diff, which would print megabytes.
    const bad = want.findIndex((w, i) => got[dir][i].summary !== w.summary || !Buffer.from(got[dir][i].bytes).equals(w.bytes));
    expect(bad, `${dir} message ${bad}`).toBe(-1);
  }
});
