// The journal's hot path: messages stored as slices in the packed form (format version 3), data
// and datagram events in theirs (version 4), and large chunks written from the memory the caller
// lends. Older files still read.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureEvent, MessageSummary } from '../../../src/shared/capture';
import { CaptureJournal, DIRECT_WRITE_MIN_BYTES, WRITE_BUFFER_BYTES, type JournalEntry } from '../../../src/main/lab/capture/journal';
import {
  decodeLogical,
  encodeRecord,
  JOURNAL_HEADER_BYTES,
  JOURNAL_VERSION,
  JournalFormatError,
  KIND_EVENT,
  KIND_EVENT_PACKED,
  KIND_MESSAGE_PACKED,
  KIND_MESSAGE_SLICES,
  PACKED_EVENT_HEAD_BYTES,
  packedMessageFlags,
  packedMessageMaxLength,
  RECORD_HEADER_BYTES,
  writePackedEventHead,
  PACKED_STRINGS_CACHE_ENTRIES,
  PackedStringsCache,
  writePackedMessage,
  writeUtf8,
  type EventSlice,
} from '../../../src/main/lab/capture/journal-format';
import { dataEvent, encoder, messageBytes, summary } from './support/fixtures';

let dir: string;
let file: string;
const open: CaptureJournal[] = [];

function openJournal(): CaptureJournal {
  const j = CaptureJournal.open(file);
  open.push(j);
  return j;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-journal-packed-'));
  file = path.join(dir, 'capture.journal');
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const j of open.splice(0)) j.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The kind byte of every logical record in the file, in order (none of these tests fragments). */
function kindsOnDisk(): number[] {
  const whole = fs.readFileSync(file);
  const kinds: number[] = [];
  for (let at = JOURNAL_HEADER_BYTES; at < whole.length; at += RECORD_HEADER_BYTES + whole.readUInt32LE(at)) kinds.push(whole[at + RECORD_HEADER_BYTES]);
  return kinds;
}

/** A summary using every field the packed form holds, with text beyond ASCII. */
function fullSummary(id: number): MessageSummary {
  return {
    id,
    connId: 70_000,
    protocol: 'dns',
    transport: 'udp',
    dir: 's2c',
    role: 'other',
    t: 1234.5678901,
    length: 5,
    summary: '"caf\u00e9 \u20ac \ud83d\ude00\\r\\n\u2026" (5 bytes, incomplete)',
    source: 'dns.poly.edu:53',
    destination: '\u00e9cole.example:40001',
    responseTo: id - 1,
    answeredBy: id + 1,
    partial: true,
  };
}

describe('packed message records', () => {
  it('stores a message given as slices in the packed form and reads every field back', () => {
    const j = openJournal();
    const event = j.append({ kind: 'event', event: dataEvent(1, 1, 's2c', encoder.encode('hello')) });
    const slices: EventSlice[] = [{ event, start: 0, length: 5 }];
    const plain = summary(1, { length: 5 });
    j.append({ kind: 'messageSlices', message: plain, slices });
    const full = fullSummary(2);
    j.append({ kind: 'messageSlices', message: full, slices });
    // Read from the write buffer, from the file, and after a reopen alike; the second answers the first.
    expect(j.listMessages(1, 1)).toEqual([{ ...plain, answeredBy: 2 }]);
    expect(j.readMessage(2)?.message).toEqual(full);
    j.flush();
    expect(kindsOnDisk().slice(1)).toEqual([KIND_MESSAGE_PACKED, KIND_MESSAGE_PACKED]);
    j.close();
    const again = openJournal();
    expect(again.repair).toBeNull();
    expect(again.listMessages(1, 1)).toEqual([{ ...plain, answeredBy: 2 }]);
    expect(again.listMessages(2, 1)).toEqual([full]);
    expect(Buffer.from(again.readMessage(2)!.bytes).toString()).toBe('hello');
    const read = [...CaptureJournal.read(file)].filter((r) => r.kind === 'message');
    expect(read.map((r) => r.kind === 'message' && r.message)).toEqual([plain, full]);
  });

  it('writes a summary the packed form cannot hold as JSON, and reads it back the same', () => {
    const j = openJournal();
    const event = j.append({ kind: 'event', event: dataEvent(1, 1, 'c2s', encoder.encode('abc')) });
    const odd = { ...summary(1, { length: 3 }), partial: false } as unknown as MessageSummary;
    expect(packedMessageFlags(odd)).toBe(-1);
    expect(packedMessageFlags({ ...summary(1), dir: 'sideways' } as unknown as MessageSummary)).toBe(-1);
    expect(packedMessageFlags({ ...summary(1), role: 'toString' } as unknown as MessageSummary)).toBe(-1);
    expect(packedMessageFlags({ ...summary(1), transport: 'sctp' } as unknown as MessageSummary)).toBe(-1);
    j.append({ kind: 'messageSlices', message: odd, slices: [{ event, start: 0, length: 3 }] });
    expect(j.readMessage(1)?.message).toEqual(odd);
    j.close();
    expect(kindsOnDisk().slice(1)).toEqual([KIND_MESSAGE_SLICES]);
    expect(openJournal().listMessages(1, 1)).toEqual([odd]);
  });

  it('writes a packed summary that could outgrow the write buffer as JSON', () => {
    const j = openJournal();
    const event = j.append({ kind: 'event', event: dataEvent(1, 1, 'c2s', encoder.encode('abc')) });
    const slices = [{ event, start: 0, length: 3 }];
    // At 3 bytes a unit the packed bound passes the buffer; the JSON form is written instead.
    const long = summary(1, { length: 3, summary: 'x'.repeat(Math.ceil(WRITE_BUFFER_BYTES / 3)) });
    expect(RECORD_HEADER_BYTES + packedMessageMaxLength(long, slices)).toBeGreaterThan(WRITE_BUFFER_BYTES);
    j.append({ kind: 'messageSlices', message: long, slices });
    j.close();
    expect(kindsOnDisk().slice(1)).toEqual([KIND_MESSAGE_SLICES]);
    expect(openJournal().listMessages(1, 1)).toEqual([long]);
  });

  it(`writes the same bytes with each connection's strings encoded once, however they change, past PACKED_STRINGS_CACHE_ENTRIES (${PACKED_STRINGS_CACHE_ENTRIES}) connections too`, () => {
    const slices = [{ event: 12, start: 0, length: 3 }];
    const cache = new PackedStringsCache();
    // A fresh cache encodes every string anew: the reference the long-lived one must match.
    const packed = (m: MessageSummary, strings = new PackedStringsCache()) => {
      const out = Buffer.alloc(packedMessageMaxLength(m, slices));
      return out.subarray(0, writePackedMessage(m, packedMessageFlags(m), slices, out, 0, strings));
    };
    const base = fullSummary(1);
    const variants: MessageSummary[] = [
      base,
      { ...base, id: 2 },
      { ...base, id: 3, dir: 'c2s', source: base.destination, destination: base.source },
      // The same connection named differently (new strings, other characters): encoded again.
      { ...base, id: 4, source: 'dns.poly.edu:5353' },
      { ...base, id: 5, protocol: 'dns2' },
      { ...base, id: 6, destination: `${'\u00e9'.repeat(3)}:1` },
      { ...base, id: 7, connId: 70_001 },
    ];
    for (const m of variants) expect(packed(m, cache)).toEqual(packed(m));
    for (let c = 0; c <= PACKED_STRINGS_CACHE_ENTRIES; c++) packed({ ...base, id: 8 + c, connId: c, source: `h${c}:1` }, cache);
    for (const m of variants) expect(packed(m, cache)).toEqual(packed(m));
    expect(decodeLogical(packed(variants[3], cache))).toEqual({ kind: 'messageSlices', message: variants[3], slices });
  });

  it('reports a packed record that does not hold together as damage', () => {
    const slices = [{ event: 12, start: 0, length: 3 }];
    const m = fullSummary(2 ** 40); // ids are f64: any safe integer
    const out = Buffer.alloc(packedMessageMaxLength(m, slices));
    const end = writePackedMessage(m, packedMessageFlags(m), slices, out, 0, new PackedStringsCache());
    const good = out.subarray(0, end);
    expect(decodeLogical(good)).toEqual({ kind: 'messageSlices', message: m, slices });
    const damaged = (mutate: (b: Buffer) => Buffer) => () => decodeLogical(mutate(Buffer.from(good)));
    expect(damaged((b) => ((b[1] |= 0x80), b))).toThrow(/unknown flags/);
    expect(damaged((b) => ((b[1] |= 0x06), b))).toThrow(/unknown flags/); // role code 3
    expect(damaged((b) => (b.writeDoubleLE(0, 2), b))).toThrow(/valid id/);
    expect(damaged((b) => b.subarray(0, 20))).toThrow(JournalFormatError);
    expect(damaged((b) => b.subarray(0, end - 16 - 3))).toThrow(/runs past its record|not a multiple/);
    expect(damaged((b) => b.subarray(0, 40))).toThrow(/runs past its record/);
  });
});

describe('packed event records', () => {
  it('stores data and datagram events in the packed form, every field read back, and messages sliced from them', () => {
    const j = openJournal();
    const request = encoder.encode('GET / HTTP/1.1\r\n\r\n');
    const data = { ...dataEvent(7, 2 ** 40, 's2c', request), t: 1234.5678901 };
    const at = j.append({ kind: 'event', event: data });
    const datagram = { type: 'datagram' as const, seq: 8, t: 2.5, connId: 3, dir: 'c2s' as const, bytes: encoder.encode('\x00\x01dns') };
    j.append({ kind: 'event', event: datagram });
    j.append({ kind: 'event', event: { type: 'close', seq: 9, t: 3, connId: 3, by: 'client' } });
    j.append({ kind: 'messageSlices', message: summary(1, { length: 5 }), slices: [{ event: at, start: 0, length: 5 }] });
    expect(Buffer.from(j.readMessage(1)!.bytes).toString()).toBe('GET /'); // from the write buffer
    j.close();
    expect(kindsOnDisk()).toEqual([KIND_EVENT_PACKED, KIND_EVENT_PACKED, KIND_EVENT, KIND_MESSAGE_PACKED]);
    const again = openJournal();
    expect(again.repair).toBeNull();
    expect(Buffer.from(again.readMessage(1)!.bytes).toString()).toBe('GET /');
    const events = [...CaptureJournal.read(file)].flatMap((r) => (r.kind === 'event' ? [r.event] : []));
    expect(events).toEqual([data, datagram, { type: 'close', seq: 9, t: 3, connId: 3, by: 'client' }]);
  });

  it('keeps the JSON form for a chunk lent to the journal', () => {
    const j = openJournal();
    j.appendLent({ kind: 'event', event: dataEvent(1, 1, 'c2s', messageBytes(1, DIRECT_WRITE_MIN_BYTES - 1)) });
    j.appendLent({ kind: 'event', event: dataEvent(2, 1, 'c2s', messageBytes(2, DIRECT_WRITE_MIN_BYTES)) });
    j.close();
    expect(kindsOnDisk()).toEqual([KIND_EVENT_PACKED, KIND_EVENT]);
  });

  it('writes a chunk too large for the write buffer, given to plain append(), in the JSON form', () => {
    const j = openJournal();
    const big = messageBytes(1, WRITE_BUFFER_BYTES);
    j.append({ kind: 'event', event: dataEvent(1, 1, 'c2s', big) });
    j.append({ kind: 'event', event: dataEvent(2, 1, 'c2s', encoder.encode('small')) });
    j.close();
    expect(kindsOnDisk()).toEqual([KIND_EVENT, KIND_EVENT_PACKED]);
    const back = [...CaptureJournal.read(file)];
    expect(back[0].kind === 'event' && back[0].event.type === 'data' && back[0].event.bytes).toEqual(big);
  });

  it('cuts the journal on reopen at a packed event with unknown flags, though its CRC is right', () => {
    const j = openJournal();
    j.append({ kind: 'event', event: dataEvent(1, 1, 'c2s', encoder.encode('kept')) });
    j.append({ kind: 'event', event: dataEvent(2, 1, 'c2s', encoder.encode('damaged')) });
    j.close();
    const whole = fs.readFileSync(file);
    const second = JOURNAL_HEADER_BYTES + RECORD_HEADER_BYTES + whole.readUInt32LE(JOURNAL_HEADER_BYTES);
    const payload = whole.subarray(second + RECORD_HEADER_BYTES, second + RECORD_HEADER_BYTES + whole.readUInt32LE(second));
    payload[1] |= 0x80;
    whole.writeUInt32LE(crc32(payload), second + 4);
    fs.writeFileSync(file, whole);
    const again = openJournal();
    expect(again.repair).toMatch(/unknown flags/);
    expect(fs.statSync(file).size).toBe(second);
    const back = [...CaptureJournal.read(file)];
    expect(back.map((r) => r.kind === 'event' && r.event.type === 'data' && Buffer.from(r.event.bytes).toString())).toEqual(['kept']);
  });

  it('reports a packed event that does not hold together as damage', () => {
    const event = dataEvent(5, 6, 's2c', encoder.encode('abc')) as Extract<CaptureEvent, { type: 'data' }>;
    const out = Buffer.alloc(PACKED_EVENT_HEAD_BYTES + 3);
    encoder.encodeInto('abc', out.subarray(writePackedEventHead(event, out, 0)));
    expect(decodeLogical(out)).toEqual({ kind: 'event', event });
    expect(() => decodeLogical(Buffer.concat([out.subarray(0, 1), Buffer.from([0x04]), out.subarray(2)]))).toThrow(/unknown flags/);
    expect(() => decodeLogical(out.subarray(0, PACKED_EVENT_HEAD_BYTES - 1))).toThrow(/shorter than its fixed fields/);
  });
});

describe('writeUtf8', () => {
  it('writes what Buffer writes, short strings and long, surrogates included', () => {
    const samples = ['', 'GET / HTTP/1.1', 'caf\u00e9', '\u20ac\u2026', '\ud83d\ude00', 'a\ud800b', '\udc00', 'x'.repeat(300) + '\u00e9\ud83d\ude00'];
    for (const text of samples) {
      const out = Buffer.alloc(text.length * 3 + 1);
      const n = writeUtf8(out, 1, text);
      expect(out.subarray(1, 1 + n)).toEqual(Buffer.from(text, 'utf8'));
    }
  });
});

describe('lent bytes', () => {
  it('keeps the bytes a caller lends, from DIRECT_WRITE_MIN_BYTES on, and writes them gathered with the records around them', () => {
    const j = openJournal();
    const below = messageBytes(1, DIRECT_WRITE_MIN_BYTES - 1);
    j.appendLent({ kind: 'event', event: dataEvent(1, 1, 'c2s', below) });
    expect(j.holdsLentBytes).toBe(false); // copied into the buffer
    j.append({ kind: 'message', message: summary(1, { length: 3 }), bytes: encoder.encode('abc') });
    const chunk = Buffer.from(messageBytes(2, 64 * 1024));
    const lent = chunk.subarray(100, 100 + DIRECT_WRITE_MIN_BYTES);
    const offset = j.appendLent({ kind: 'event', event: dataEvent(2, 1, 's2c', lent) });
    expect(j.holdsLentBytes).toBe(true);
    j.append({ kind: 'messageSlices', message: summary(3, { length: 10 }), slices: [{ event: offset, start: 5, length: 10 }] });
    expect(fs.statSync(file).size).toBe(JOURNAL_HEADER_BYTES);
    const writev = vi.spyOn(fs, 'writevSync');
    j.returnLentBytes();
    expect(j.holdsLentBytes).toBe(false);
    expect(writev).toHaveBeenCalledTimes(1);
    expect((writev.mock.calls[0][1] as Uint8Array[]).includes(lent)).toBe(true);
    expect(fs.statSync(file).size).toBe(j.bytesWritten);
    expect(j.readMessage(3)?.bytes).toEqual(new Uint8Array(lent.subarray(5, 15)));
    j.close();
    expect(openJournal().repair).toBeNull();
    const back = [...CaptureJournal.read(file)];
    expect(back.map((r) => r.kind)).toEqual(['event', 'message', 'event', 'message']);
    expect(back[2].kind === 'event' && back[2].event.type === 'data' && Buffer.from(back[2].event.bytes).equals(lent)).toBe(true);
  });

  it('writes as soon as WRITE_BUFFER_BYTES are pending, so lent bytes are held no longer', () => {
    const j = openJournal();
    const chunk = messageBytes(1, 64 * 1024);
    let appends = 0;
    do {
      j.appendLent({ kind: 'event', event: dataEvent(++appends, 1, 'c2s', chunk) });
    } while (j.holdsLentBytes);
    expect(appends).toBe(Math.ceil(WRITE_BUFFER_BYTES / chunk.length));
    expect(fs.statSync(file).size).toBe(j.bytesWritten);
  });

  it('finishes a gathered write the system cut short', () => {
    const j = openJournal();
    const realWrite = fs.writeSync;
    vi.spyOn(fs, 'writevSync').mockImplementationOnce((fd, pieces, position) => {
      // Only the first piece and half of the second reach the file in this call.
      const [head, bytes] = pieces as Uint8Array[];
      realWrite(fd, head, 0, head.length, position);
      return head.length + realWrite(fd, bytes, 0, bytes.length >> 1, (position ?? 0) + head.length);
    });
    const bytes = messageBytes(2, DIRECT_WRITE_MIN_BYTES * 2);
    j.appendLent({ kind: 'event', event: dataEvent(1, 1, 'c2s', bytes) });
    j.returnLentBytes();
    j.close();
    const back = [...CaptureJournal.read(file)];
    expect(back).toHaveLength(1);
    expect(back[0].kind === 'event' && back[0].event.type === 'data' && back[0].event.bytes).toEqual(bytes);
    expect(openJournal().repair).toBeNull();
  });

  it('copies lent bytes when their write fails, so the caller may reuse its memory, and writes them on a later try', () => {
    const j = openJournal();
    const enospc = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    const writev = vi.spyOn(fs, 'writevSync').mockImplementationOnce(enospc).mockImplementationOnce(enospc);
    const memory = messageBytes(1, DIRECT_WRITE_MIN_BYTES);
    const original = Uint8Array.from(memory);
    j.appendLent({ kind: 'event', event: dataEvent(1, 1, 'c2s', memory) });
    j.returnLentBytes(); // fails quietly: the caller gets its memory back all the same
    expect(j.holdsLentBytes).toBe(false);
    memory.fill(0xee);
    // The next append retries first, and reports the failure when it happens again.
    expect(() => j.append({ kind: 'message', message: summary(1, { length: 3 }), bytes: encoder.encode('abc') })).toThrow(/ENOSPC/);
    j.append({ kind: 'message', message: summary(1, { length: 3 }), bytes: encoder.encode('abc') });
    j.close();
    expect(writev).toHaveBeenCalledTimes(3);
    const back = [...CaptureJournal.read(file)];
    expect(back.map((r) => r.kind)).toEqual(['event', 'message']);
    expect(back[0].kind === 'event' && back[0].event.type === 'data' && back[0].event.bytes).toEqual(original);
  });

  it('copies large bytes given to plain append(), which borrows nothing', () => {
    const j = openJournal();
    const memory = messageBytes(1, DIRECT_WRITE_MIN_BYTES * 2);
    const original = Uint8Array.from(memory);
    j.append({ kind: 'event', event: dataEvent(1, 1, 'c2s', memory) });
    expect(j.holdsLentBytes).toBe(false);
    memory.fill(0xee);
    j.close();
    const [back] = [...CaptureJournal.read(file)];
    expect(back.kind === 'event' && back.event.type === 'data' && back.event.bytes).toEqual(original);
  });
});

describe('older journals', () => {
  /** One physical record as an older Protolab wrote it: its JSON form. */
  function oldRecord(entry: JournalEntry): Buffer {
    const { head, bytes } = encodeRecord(entry);
    const payload = Buffer.concat([head, bytes]);
    const header = Buffer.alloc(RECORD_HEADER_BYTES);
    header.writeUInt32LE(payload.length, 0);
    header.writeUInt32LE(crc32(payload), 4);
    return Buffer.concat([header, payload]);
  }

  it('reads a version 2 journal with JSON message slices, and continues it in the packed form', () => {
    const fileHeader = Buffer.alloc(JOURNAL_HEADER_BYTES);
    fileHeader.write('PLJOURNL', 0, 'latin1');
    fileHeader.writeUInt32LE(2, 8);
    const bytes = encoder.encode('HELO a\r\nQUIT\r\n');
    const eventRecord = oldRecord({ kind: 'event', event: dataEvent(1, 1, 'c2s', bytes) });
    const first = summary(1, { length: 8 });
    const slicesRecord = oldRecord({ kind: 'messageSlices', message: first, slices: [{ event: JOURNAL_HEADER_BYTES, start: 0, length: 8 }] });
    expect(slicesRecord[RECORD_HEADER_BYTES]).toBe(KIND_MESSAGE_SLICES);
    fs.writeFileSync(file, Buffer.concat([fileHeader, eventRecord, slicesRecord]));

    const j = openJournal();
    expect(j.repair).toBeNull();
    expect(fs.readFileSync(file).readUInt32LE(8)).toBe(JOURNAL_VERSION);
    expect(j.listMessages(1, 1)).toEqual([first]);
    const second = summary(3, { length: 6, responseTo: undefined });
    j.append({ kind: 'messageSlices', message: second, slices: [{ event: JOURNAL_HEADER_BYTES, start: 8, length: 6 }] });
    j.close();
    expect(kindsOnDisk()).toEqual([1, KIND_MESSAGE_SLICES, KIND_MESSAGE_PACKED]);
    const messages = [...CaptureJournal.read(file)].flatMap((r) => (r.kind === 'message' ? [[r.message.id, Buffer.from(r.bytes).toString()]] : []));
    expect(messages).toEqual([
      [1, 'HELO a\r\n'],
      [3, 'QUIT\r\n'],
    ]);
  });
});
