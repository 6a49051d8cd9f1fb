import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureEvent } from '../../../src/shared/capture';
import {
  CaptureJournal,
  FLUSH_INTERVAL_MS,
  JournalClosedError,
  JournalFormatError,
  MAX_MESSAGE_ID_GAP,
  MAX_RECORD_PAYLOAD_BYTES,
  WRITE_BUFFER_BYTES,
  type JournalRecord,
} from '../../../src/main/lab/capture/journal';
import { JOURNAL_HEADER_BYTES, JOURNAL_VERSION, RECORD_HEADER_BYTES } from '../../../src/main/lab/capture/journal-format';
import { dataEvent, encoder, httpConnection, messageBytes, summary } from './support/fixtures';

let dir: string;
let file: string;
const open: CaptureJournal[] = [];

function openJournal(options?: { fsyncIntervalMs?: number }): CaptureJournal {
  const j = CaptureJournal.open(file, options);
  open.push(j);
  return j;
}

/** Compares large byte arrays without handing them to the matcher's diff (which would print megabytes). */
function sameBytes(a: Uint8Array | undefined | false, b: Uint8Array): boolean {
  return !!a && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/** Counts fsyncs on this thread and in the background alike (each resolves at once: only the count matters). */
function fsyncSpy() {
  const counter = vi.fn();
  vi.spyOn(fs, 'fsyncSync').mockImplementation(() => counter());
  vi.spyOn(fs, 'fsync').mockImplementation(((_fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
    counter();
    cb(null);
  }) as typeof fs.fsync);
  return counter;
}

function appendMessages(j: CaptureJournal, from: number, to: number): void {
  for (let id = from; id <= to; id++) {
    const bytes = messageBytes(id);
    j.append({ kind: 'message', message: summary(id, { length: bytes.length }), bytes });
  }
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-journal-'));
  file = path.join(dir, 'capture.journal');
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const j of open.splice(0)) j.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('CaptureJournal round trip', () => {
  it('reads back every kind of record, bytes included, in order', () => {
    const conn = httpConnection(1);
    const request = encoder.encode('GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n');
    const reply = encoder.encode('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    const records: JournalRecord[] = [
      { kind: 'event', event: { type: 'open', seq: 1, t: 0.5, conn } },
      { kind: 'event', event: dataEvent(2, 1, 'c2s', request, 1.25) },
      { kind: 'message', message: summary(1, { length: request.length }), bytes: request },
      { kind: 'event', event: dataEvent(3, 1, 's2c', reply, 2.5) },
      { kind: 'message', message: summary(2, { length: reply.length }), bytes: reply },
      { kind: 'answer', requestId: 1, responseId: 2 },
      { kind: 'event', event: { type: 'datagram', seq: 4, t: 3, connId: 2, dir: 'c2s', bytes: new Uint8Array([0, 1, 255]) } },
      { kind: 'event', event: { type: 'close', seq: 5, t: 4, connId: 1, by: 'client' } },
      { kind: 'event', event: { type: 'reset', seq: 6, t: 5, connId: 3, by: 'server', reason: 'ECONNRESET' } },
      { kind: 'message', message: summary(3, { length: 0, partial: true }), bytes: new Uint8Array(0) },
    ];
    const j = openJournal();
    for (const r of records) j.append(r);
    expect(j.messageCount).toBe(3);
    expect(j.eventCount).toBe(6);
    j.close();
    const back = [...CaptureJournal.read(file)];
    expect(back).toEqual(records);
    for (const r of back) {
      if (r.kind === 'message') expect(Object.getPrototypeOf(r.bytes)).toBe(Uint8Array.prototype);
    }
  });

  it('stores the bytes raw, not as base64 or JSON', () => {
    const j = openJournal();
    const bytes = encoder.encode('RAW-MARKER-\u00e9');
    j.append({ kind: 'message', message: summary(1, { length: bytes.length }), bytes });
    j.close();
    const onDisk = fs.readFileSync(file);
    expect(onDisk.indexOf(Buffer.from(bytes))).toBeGreaterThan(0);
    expect(onDisk.subarray(0, 8).toString('latin1')).toBe('PLJOURNL');
  });

  it('reads a message back while it is still in the write buffer', () => {
    const j = openJournal();
    appendMessages(j, 1, 3);
    expect(fs.statSync(file).size).toBe(JOURNAL_HEADER_BYTES); // nothing written yet
    expect(j.readMessage(2)).toEqual({ message: summary(2, { length: messageBytes(2).length }), bytes: messageBytes(2) });
    expect(j.readMessage(4)).toBeNull();
    expect(j.readMessage(0)).toBeNull();
    expect(j.readMessage(1.5)).toBeNull();
  });

  it('counts bytesWritten including buffered records, equal to the file size once flushed', () => {
    const j = openJournal();
    expect(j.bytesWritten).toBe(JOURNAL_HEADER_BYTES);
    appendMessages(j, 1, 5);
    const before = j.bytesWritten;
    expect(before).toBeGreaterThan(JOURNAL_HEADER_BYTES);
    j.flush();
    expect(fs.statSync(file).size).toBe(before);
  });
});

describe('listMessages', () => {
  it('returns the summaries in an id range, clipped to what exists', () => {
    const j = openJournal();
    appendMessages(j, 1, 10);
    expect(j.listMessages(3, 4).map((m) => m.id)).toEqual([3, 4, 5, 6]);
    expect(j.listMessages(8, 10).map((m) => m.id)).toEqual([8, 9, 10]);
    expect(j.listMessages(-5, 7).map((m) => m.id)).toEqual([1]);
    expect(j.listMessages(11, 5)).toEqual([]);
    expect(j.listMessages(1, 0)).toEqual([]);
    expect(j.listMessages(4, 1)[0]).toEqual(summary(4, { length: messageBytes(4).length }));
    expect(() => j.listMessages(1, -1)).toThrow(RangeError);
    expect(() => j.listMessages(1.5, 2)).toThrow(RangeError);
  });

  it('fills answeredBy from answer records, also after a reopen', () => {
    const j = openJournal();
    appendMessages(j, 1, 4);
    j.append({ kind: 'answer', requestId: 1, responseId: 2 });
    j.append({ kind: 'answer', requestId: 3, responseId: 4 });
    expect(j.listMessages(1, 4).map((m) => m.answeredBy)).toEqual([2, undefined, 4, undefined]);
    expect(j.readMessage(3)?.message.answeredBy).toBe(4);
    j.close();
    const again = openJournal();
    expect(again.listMessages(1, 4).map((m) => m.answeredBy)).toEqual([2, undefined, 4, undefined]);
  });

  it('refuses an answer for a message it does not hold', () => {
    const j = openJournal();
    appendMessages(j, 1, 2);
    expect(() => j.append({ kind: 'answer', requestId: 7, responseId: 8 })).toThrow(/not in the journal/);
    expect(() => j.append({ kind: 'answer', requestId: 1, responseId: 0 })).toThrow(RangeError);
  });
});

describe('reopen', () => {
  it('continues counts and ids after a clean close', () => {
    const j = openJournal();
    j.append({ kind: 'event', event: { type: 'open', seq: 1, t: 0, conn: httpConnection(1) } });
    appendMessages(j, 1, 5);
    j.close();
    const again = openJournal();
    expect(again.truncatedBytes).toBe(0);
    expect(again.repair).toBeNull();
    expect(again.messageCount).toBe(5);
    expect(again.lastMessageId).toBe(5);
    expect(again.eventCount).toBe(1);
    expect(() => appendMessages(again, 5, 5)).toThrow(/not after the last id 5/);
    appendMessages(again, 6, 7);
    again.close();
    expect([...CaptureJournal.read(file)].filter((r) => r.kind === 'message').map((r) => r.kind === 'message' && r.message.id)).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
  });

  it('truncates from a record whose CRC fails, keeps everything before it, and appends after', () => {
    const j = openJournal();
    appendMessages(j, 1, 20);
    j.flush();
    const offsets: number[] = [];
    // Record offsets from the file itself: header, then [len][crc][payload] each.
    const whole = fs.readFileSync(file);
    for (let at = JOURNAL_HEADER_BYTES; at < whole.length; at += RECORD_HEADER_BYTES + whole.readUInt32LE(at)) offsets.push(at);
    expect(offsets).toHaveLength(20);
    j.close();
    const damaged = Buffer.from(whole);
    damaged[offsets[12] + RECORD_HEADER_BYTES + 3] ^= 0x40; // inside message 13's payload
    fs.writeFileSync(file, damaged);

    const again = openJournal();
    expect(again.repair).toMatch(/CRC mismatch/);
    expect(again.truncatedBytes).toBe(whole.length - offsets[12]);
    expect(fs.statSync(file).size).toBe(offsets[12]);
    expect(again.messageCount).toBe(12);
    expect(again.readMessage(12)?.bytes).toEqual(messageBytes(12));
    expect(again.readMessage(13)).toBeNull();
    appendMessages(again, 13, 14);
    again.close();
    const ids = [...CaptureJournal.read(file)].map((r) => (r.kind === 'message' ? r.message.id : 0));
    expect(ids).toEqual([...Array(14).keys()].map((i) => i + 1));
  });

  it('treats a length field beyond MAX_RECORD_PAYLOAD_BYTES as damage, not as an allocation', () => {
    const j = openJournal();
    appendMessages(j, 1, 2);
    j.close();
    const size = fs.statSync(file).size;
    const bogus = Buffer.alloc(RECORD_HEADER_BYTES + 4);
    bogus.writeUInt32LE(MAX_RECORD_PAYLOAD_BYTES + 1, 0);
    fs.appendFileSync(file, bogus);
    const again = openJournal();
    expect(again.repair).toMatch(/record length/);
    expect(fs.statSync(file).size).toBe(size);
    expect(again.messageCount).toBe(2);
  });

  it('starts over a file torn while its header was written', () => {
    fs.writeFileSync(file, Buffer.from('PLJOU', 'latin1'));
    const j = openJournal();
    expect(j.truncatedBytes).toBe(5);
    expect(j.messageCount).toBe(0);
    appendMessages(j, 1, 1);
    j.close();
    expect([...CaptureJournal.read(file)]).toHaveLength(1);
  });

  it('refuses, and leaves alone, a file that is not a journal or is a newer version', () => {
    fs.writeFileSync(file, 'From: alice@crepes.fr\r\nSubject: not a journal\r\n');
    expect(() => CaptureJournal.open(file)).toThrow(JournalFormatError);
    expect(() => [...CaptureJournal.read(file)]).toThrow(/not a Protolab capture journal/);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^From: alice/);
    const newer = Buffer.alloc(JOURNAL_HEADER_BYTES);
    newer.write('PLJOURNL', 0, 'latin1');
    newer.writeUInt32LE(JOURNAL_VERSION + 1, 8);
    fs.writeFileSync(file, newer);
    expect(() => CaptureJournal.open(file)).toThrow(`version ${JOURNAL_VERSION + 1} journal`);
  });
});

describe('limits', () => {
  it('splits a message over MAX_RECORD_PAYLOAD_BYTES into fragments and reads it back whole', () => {
    const big = messageBytes(2, MAX_RECORD_PAYLOAD_BYTES + 1000);
    const j = openJournal();
    appendMessages(j, 1, 1);
    j.append({ kind: 'message', message: summary(2, { length: big.length }), bytes: big });
    appendMessages(j, 3, 3);
    expect(sameBytes(j.readMessage(2)?.bytes, big)).toBe(true);
    expect(j.listMessages(1, 3).map((m) => m.length)).toEqual([messageBytes(1).length, big.length, messageBytes(3).length]);
    j.close();
    const back = [...CaptureJournal.read(file)];
    expect(back).toHaveLength(3);
    expect(sameBytes(back[1].kind === 'message' && back[1].bytes, big)).toBe(true);
    const again = openJournal();
    expect(again.repair).toBeNull();
    expect(sameBytes(again.readMessage(2)?.bytes, big)).toBe(true);
  });

  it('keeps a record of exactly MAX_RECORD_PAYLOAD_BYTES as one record', () => {
    const j = openJournal();
    const message = summary(1, { length: 0 });
    const headLength = 5 + Buffer.byteLength(JSON.stringify(message));
    const bytes = messageBytes(1, MAX_RECORD_PAYLOAD_BYTES - headLength);
    j.append({ kind: 'message', message, bytes });
    j.close();
    const onDisk = fs.readFileSync(file);
    expect(onDisk.readUInt32LE(JOURNAL_HEADER_BYTES)).toBe(MAX_RECORD_PAYLOAD_BYTES);
    expect(onDisk.length).toBe(JOURNAL_HEADER_BYTES + RECORD_HEADER_BYTES + MAX_RECORD_PAYLOAD_BYTES);
    expect(sameBytes(openJournal().readMessage(1)?.bytes, bytes)).toBe(true);
  });

  it('drops a fragment run cut short and keeps the records before it', () => {
    const big = messageBytes(2, MAX_RECORD_PAYLOAD_BYTES + 1000);
    const j = openJournal();
    appendMessages(j, 1, 1);
    j.flush();
    const before = fs.statSync(file).size;
    j.append({ kind: 'message', message: summary(2, { length: big.length }), bytes: big });
    j.close();
    fs.truncateSync(file, fs.statSync(file).size - 500); // inside the second fragment
    const again = openJournal();
    expect(again.repair).toMatch(/cut short/);
    expect(fs.statSync(file).size).toBe(before);
    expect(again.messageCount).toBe(1);
    expect(again.readMessage(1)?.bytes).toEqual(messageBytes(1));
  });

  it('refuses a message id that jumps more than MAX_MESSAGE_ID_GAP, or does not increase', () => {
    const j = openJournal();
    appendMessages(j, 1, 1);
    expect(() => appendMessages(j, 2 + MAX_MESSAGE_ID_GAP, 2 + MAX_MESSAGE_ID_GAP)).toThrow(/jumps more than/);
    appendMessages(j, 1 + MAX_MESSAGE_ID_GAP, 1 + MAX_MESSAGE_ID_GAP);
    expect(() => appendMessages(j, 3, 3)).toThrow(/not after the last id/);
    expect(() => j.append({ kind: 'message', message: summary(0), bytes: new Uint8Array(0) })).toThrow(/positive integer/);
    expect(j.messageCount).toBe(2);
    expect(j.listMessages(1, MAX_MESSAGE_ID_GAP + 5).map((m) => m.id)).toEqual([1, 1 + MAX_MESSAGE_ID_GAP]);
  });

  it('writes the buffer once WRITE_BUFFER_BYTES would be passed, not before', () => {
    const j = openJournal();
    const chunk = new Uint8Array(1000);
    let seq = 0;
    let before = j.bytesWritten;
    while (fs.statSync(file).size === JOURNAL_HEADER_BYTES) {
      before = j.bytesWritten;
      j.append({ kind: 'event', event: dataEvent(++seq, 1, 'c2s', chunk) });
      expect(seq).toBeLessThan(1000);
    }
    // The record that would not fit sent the earlier ones to the file and waits in the buffer.
    expect(fs.statSync(file).size).toBe(before);
    expect(before - JOURNAL_HEADER_BYTES).toBeLessThanOrEqual(WRITE_BUFFER_BYTES);
    expect(j.bytesWritten - JOURNAL_HEADER_BYTES).toBeGreaterThan(WRITE_BUFFER_BYTES);
    expect(seq).toBeGreaterThan(50);
  });

  it('writes a record larger than the write buffer straight through', () => {
    const j = openJournal();
    const event = dataEvent(1, 1, 's2c', messageBytes(1, WRITE_BUFFER_BYTES + 1)) as Extract<CaptureEvent, { type: 'data' }>;
    j.append({ kind: 'event', event });
    expect(fs.statSync(file).size).toBe(j.bytesWritten);
    const back = [...CaptureJournal.read(file)];
    expect(back).toHaveLength(1);
    expect(back[0].kind === 'event' && back[0].event.type === 'data' && sameBytes(back[0].event.bytes, event.bytes)).toBe(true);
  });
});

describe('flush timer and fsync policy', () => {
  it('writes buffered records FLUSH_INTERVAL_MS after the first one', () => {
    vi.useFakeTimers();
    const j = openJournal();
    appendMessages(j, 1, 1);
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS - 1);
    expect(fs.statSync(file).size).toBe(JOURNAL_HEADER_BYTES);
    vi.advanceTimersByTime(1);
    expect(fs.statSync(file).size).toBe(j.bytesWritten);
  });

  it('fsyncs at most every fsyncIntervalMs after a write, and on sync() and close()', () => {
    vi.useFakeTimers();
    const j = openJournal({ fsyncIntervalMs: 1000 });
    const fsync = fsyncSpy();
    appendMessages(j, 1, 1);
    j.flush();
    expect(fsync).not.toHaveBeenCalled();
    vi.advanceTimersByTime(999);
    expect(fsync).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fsync).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5000); // nothing new written: no more fsyncs
    expect(fsync).toHaveBeenCalledTimes(1);
    appendMessages(j, 2, 2);
    j.flush(); // more than the interval since the last fsync: at once
    expect(fsync).toHaveBeenCalledTimes(2);
    appendMessages(j, 3, 3);
    j.sync();
    expect(fsync).toHaveBeenCalledTimes(3);
    appendMessages(j, 4, 4);
    j.close();
    expect(fsync).toHaveBeenCalledTimes(4);
  });

  it('fsyncs every write with fsyncIntervalMs 0, before flush() returns', () => {
    const j = openJournal({ fsyncIntervalMs: 0 });
    const fsync = vi.spyOn(fs, 'fsyncSync');
    appendMessages(j, 1, 1);
    j.flush();
    appendMessages(j, 2, 2);
    j.flush();
    expect(fsync).toHaveBeenCalledTimes(2);
  });

  it('runs the periodic fsync in the background, and close() still syncs everything', async () => {
    const j = openJournal({ fsyncIntervalMs: 1 });
    const background = vi.spyOn(fs, 'fsync');
    const foreground = vi.spyOn(fs, 'fsyncSync');
    appendMessages(j, 1, 1);
    await new Promise((r) => setTimeout(r, 5));
    j.flush(); // past the interval: an fsync in the thread pool, not on this thread
    expect(background).toHaveBeenCalledTimes(1);
    expect(foreground).not.toHaveBeenCalled();
    appendMessages(j, 2, 2);
    j.close(); // the record after the background fsync is synced before close returns
    expect(foreground).toHaveBeenCalledTimes(1);
    expect([...CaptureJournal.read(file)]).toHaveLength(2);
  });

  it('keeps records whose timed write failed and reports the failure to the next caller', () => {
    vi.useFakeTimers();
    const j = openJournal();
    appendMessages(j, 1, 1);
    const write = vi.spyOn(fs, 'writeSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS); // the timer's write fails, quietly
    expect(fs.statSync(file).size).toBe(JOURNAL_HEADER_BYTES);
    write.mockRestore();
    appendMessages(j, 2, 2); // retries the write first
    j.close();
    expect([...CaptureJournal.read(file)]).toHaveLength(2);
  });

  it('does not keep the process alive with its flush and fsync timers', () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const j = openJournal({ fsyncIntervalMs: 1000 });
    appendMessages(j, 1, 1); // arms the flush timer
    j.flush(); // arms the fsync timer
    expect(timers).toHaveBeenCalledTimes(2);
    for (const result of timers.mock.results) expect((result.value as NodeJS.Timeout).hasRef()).toBe(false);
  });

  it('refuses use after close', () => {
    const j = openJournal();
    j.close();
    j.close(); // twice is fine
    expect(() => appendMessages(j, 1, 1)).toThrow(JournalClosedError);
    expect(() => j.readMessage(1)).toThrow(JournalClosedError);
  });
});

describe('messages stored as slices of their events', () => {
  /** Two data events of a connection and three messages cut from them, one across both. */
  function appendSlicedExchange(j: CaptureJournal): { first: number; second: number } {
    const first = j.append({ kind: 'event', event: dataEvent(1, 1, 'c2s', encoder.encode('HELO a\r\nMAIL')) });
    const second = j.append({ kind: 'event', event: dataEvent(2, 1, 'c2s', encoder.encode(' FROM:<b>\r\nQUIT\r\n')) });
    j.append({ kind: 'messageSlices', message: summary(1, { length: 8 }), slices: [{ event: first, start: 0, length: 8 }] });
    j.append({
      kind: 'messageSlices',
      message: summary(3, { length: 15, responseTo: undefined }),
      slices: [
        { event: first, start: 8, length: 4 },
        { event: second, start: 0, length: 11 },
      ],
    });
    j.append({ kind: 'messageSlices', message: summary(5, { length: 6 }), slices: [{ event: second, start: 11, length: 6 }] });
    return { first, second };
  }

  it('stores each byte once: the message records hold offsets, not bytes', () => {
    const j = openJournal();
    appendSlicedExchange(j);
    j.close();
    const onDisk = fs.readFileSync(file);
    expect(onDisk.indexOf(Buffer.from('MAIL'))).toBe(onDisk.lastIndexOf(Buffer.from('MAIL')));
    expect(onDisk.indexOf(Buffer.from('QUIT'))).toBe(onDisk.lastIndexOf(Buffer.from('QUIT')));
  });

  it('reassembles the bytes in readMessage, in read(), and after a reopen', () => {
    const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('latin1') : undefined);
    const j = openJournal();
    const { first } = appendSlicedExchange(j);
    expect(first).toBe(JOURNAL_HEADER_BYTES); // append returns the record's offset
    expect(text(j.readMessage(1)?.bytes)).toBe('HELO a\r\n');
    expect(text(j.readMessage(3)?.bytes)).toBe('MAIL FROM:<b>\r\n');
    expect(j.listMessages(1, 5).map((m) => m.id)).toEqual([1, 3, 5]);
    j.close();
    const messages = [...CaptureJournal.read(file)].flatMap((r) => (r.kind === 'message' ? [[r.message.id, text(r.bytes)]] : []));
    expect(messages).toEqual([
      [1, 'HELO a\r\n'],
      [3, 'MAIL FROM:<b>\r\n'],
      [5, 'QUIT\r\n'],
    ]);
    const again = openJournal();
    expect(again.repair).toBeNull();
    expect(again.messageCount).toBe(3);
    expect(text(again.readMessage(5)?.bytes)).toBe('QUIT\r\n');
  });

  it('pairs a response with the request it names, without an answer record', () => {
    const j = openJournal();
    appendMessages(j, 1, 2); // message 2 is a response to 1
    expect(j.readMessage(1)?.message.answeredBy).toBe(2);
    j.close();
    expect([...CaptureJournal.read(file)].some((r) => r.kind === 'answer')).toBe(false);
    expect(openJournal().listMessages(1, 1)[0].answeredBy).toBe(2);
  });

  it('refuses slices that name no earlier record, and reports a slice that does not point at data as damage', () => {
    const j = openJournal();
    const event = j.append({ kind: 'event', event: dataEvent(1, 1, 'c2s', encoder.encode('abc')) });
    const open = j.append({ kind: 'event', event: { type: 'open', seq: 2, t: 0, conn: httpConnection(1) } });
    expect(() => j.append({ kind: 'messageSlices', message: summary(1), slices: [{ event: 1_000_000, start: 0, length: 1 }] })).toThrow(/not a record before/);
    expect(() => j.append({ kind: 'messageSlices', message: summary(1), slices: [{ event, start: -1, length: 1 }] })).toThrow(RangeError);
    j.append({ kind: 'messageSlices', message: summary(1), slices: [{ event, start: 2, length: 5 }] });
    j.append({ kind: 'messageSlices', message: summary(3), slices: [{ event: open, start: 0, length: 1 }] });
    expect(() => j.readMessage(1)).toThrow(/runs past the 3 bytes/);
    expect(() => j.readMessage(3)).toThrow(/no data or datagram event/);
  });

  it('reads and continues a version 1 journal, marking it the current version', () => {
    const j = openJournal();
    appendMessages(j, 1, 2);
    j.close();
    const v1 = fs.readFileSync(file);
    v1.writeUInt32LE(1, 8);
    fs.writeFileSync(file, v1);
    expect([...CaptureJournal.read(file)]).toHaveLength(2);
    const again = openJournal();
    expect(again.messageCount).toBe(2);
    expect(fs.readFileSync(file).readUInt32LE(8)).toBe(JOURNAL_VERSION);
  });
});
