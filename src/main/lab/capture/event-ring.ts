// Tap events on their way from the socket thread to the recorder: a single-producer,
// single-consumer ring in shared memory. The socket thread copies each chunk in once and publishes
// its end with one atomic store; the recorder (in the capture worker) reads records in place. No
// message, allocation or transfer per chunk or per batch, so the socket thread's share of the
// capture is a memcpy and a few stores.
//
//   record  = u32 payload length | u8 type | u8 direction | u16 0 | u32 connection id | u32 0 |
//             f64 sequence number | f64 time | payload, padded to RECORD_ALIGN bytes
//   payload = the chunk's bytes (data, datagram), or JSON: the ConnectionInfo (open), { by, reason }
//             (close, reset), true or false (live: whether live batches are wanted from here on)
//
// Positions are byte counts since the start, kept mod 2^32 in an Int32Array (the capacity is a
// power of two, so position mod capacity is the place in the ring). A record that would run past
// the end is preceded by a PAD record filling the rest, or, with less than a header's room left,
// by nothing: the reader skips such a tail by itself.

import type { ConnectionInfo, Direction } from '../../../shared/capture';

/**
 * Ring size, and so the most the socket thread may be ahead of the recorder (MAX_QUEUED_BYTES in
 * hub.ts). Loopback streams run at ~450 MB/s here, and an echo puts each byte in the ring twice;
 * the recorder records ~900 MB/s of tap bytes on a core of its own (bench/recorder-cpu.ts) but
 * shares two cores with the sockets, so it falls behind a busy stream. 128 MiB lets a burst of
 * ~100 MiB (a large FTP or HTTP transfer) run at full speed before the taps pause the sockets.
 * The memory is mapped as it is first used and kept for the next capture of the process
 * (releaseEventRing).
 */
export const EVENT_RING_BYTES = 128 * 1024 * 1024;
/**
 * Largest chunk stored as one record; a longer socket write is recorded as several data events of
 * at most this size (same time, consecutive sequence numbers), so a record never needs more than
 * a small part of the ring.
 */
export const MAX_RING_CHUNK_BYTES = 1024 * 1024;
export const RECORD_HEADER_BYTES = 32;
const RECORD_ALIGN = 8;

export const TYPE_PAD = 0;
export const TYPE_OPEN = 1;
export const TYPE_DATA = 2;
export const TYPE_DATAGRAM = 3;
export const TYPE_CLOSE = 4;
export const TYPE_RESET = 5;
/** Not a tap event: live batches on or off, in order with the events around it. */
export const TYPE_LIVE = 6;

// Int32 slots of the control array.
const WRITE = 0;
const READ = 1;
/**
 * 1 while the reader is (about to be) asleep in waitAsync. The writer wakes it only then: a
 * notify for every published chunk cost the socket thread a futex call each time (18 % of its
 * time answering cached DNS queries, by bench/profile-dns.ts), though the reader was mostly awake.
 */
const WAITING = 2;
const CONTROL_SLOTS = 3;

export interface EventRingMemory {
  data: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

export type EndPayload = { by: 'client' | 'server'; reason?: string };

/** What the events read from the ring are handed to, in order. */
export interface EventVisitor {
  open(seq: number, info: ConnectionInfo): void;
  /**
   * `bytes` is a view into the ring, valid during the call and after it only while holdsChunks()
   * says so: whoever keeps bytes longer copies them.
   */
  chunk(type: 'data' | 'datagram', seq: number, t: number, connId: number, dir: Direction, bytes: Uint8Array): void;
  finish(seq: number, t: number, connId: number, state: 'closed' | 'reset', by: 'client' | 'server', reason?: string): void;
  /** From this event on, live batches are wanted (or not). */
  live(on: boolean): void;
  /**
   * True while the visitor still reads chunks it was handed earlier (the journal writes them from
   * the ring, gathered): their space is not given back to the writer until it is false. Absent:
   * never.
   */
  holdsChunks?(): boolean;
  /** At the end of each drain: the visitor is done with every chunk it was handed once this returns. */
  releaseChunks?(): void;
}

/**
 * Rings given back by a capture that ended, kept for the next one in this process: the memory of a
 * used ring is already mapped, so the next capture does not fault in every page of it again.
 */
export const MAX_SPARE_RINGS = 1;
const spareRings: EventRingMemory[] = [];

/** A ring of `capacity` bytes (a power of two), empty: a spare one if there is, else a new one. */
export function createEventRing(capacity = EVENT_RING_BYTES): EventRingMemory {
  if (!Number.isInteger(capacity) || capacity < 4 * MAX_RING_CHUNK_BYTES || (capacity & (capacity - 1)) !== 0 || capacity > 2 ** 30) {
    throw new RangeError(`event ring capacity must be a power of two from ${4 * MAX_RING_CHUNK_BYTES} to 2^30, got ${capacity}`);
  }
  const spare = spareRings.findIndex((r) => r.data.byteLength === capacity);
  if (spare >= 0) {
    const [ring] = spareRings.splice(spare, 1);
    const control = new Int32Array(ring.control);
    Atomics.store(control, WRITE, 0);
    Atomics.store(control, READ, 0);
    Atomics.store(control, WAITING, 0);
    return ring;
  }
  return { data: new SharedArrayBuffer(capacity), control: new SharedArrayBuffer(CONTROL_SLOTS * 4) };
}

/** Gives a ring back for reuse. Its writer and reader must be done with it (the worker ended). */
export function releaseEventRing(ring: EventRingMemory): void {
  if (spareRings.length < MAX_SPARE_RINGS && !spareRings.includes(ring)) spareRings.push(ring);
}

function recordSize(payload: number): number {
  return (RECORD_HEADER_BYTES + payload + RECORD_ALIGN - 1) & ~(RECORD_ALIGN - 1);
}

const textEncoder = new TextEncoder();

/** Atomics.waitAsync (ES2024; in Node since 16), typed here because the project's lib is ES2023. */
type WaitAsyncResult = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
const waitAsync = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): WaitAsyncResult }).waitAsync;

/** The socket thread's end. */
export class EventRingWriter {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly control: Int32Array;
  private readonly capacity: number;
  /** Where the next record goes (published to the reader by publish()). */
  private position: number;

  constructor(memory: EventRingMemory) {
    this.bytes = new Uint8Array(memory.data);
    this.view = new DataView(memory.data);
    this.control = new Int32Array(memory.control);
    this.capacity = memory.data.byteLength;
    this.position = Atomics.load(this.control, WRITE) >>> 0;
  }

  /** Bytes written and not yet read by the recorder, unpublished ones included. */
  get used(): number {
    return (this.position - (Atomics.load(this.control, READ) >>> 0)) >>> 0;
  }

  get size(): number {
    return this.capacity;
  }

  /** Room for a record with `payload` bytes, the padding it may need at the end of the ring included. */
  fits(payload: number): boolean {
    const at = this.position & (this.capacity - 1);
    const size = recordSize(payload);
    const tail = this.capacity - at;
    return this.used + (size > tail ? tail + size : size) <= this.capacity;
  }

  /** Writes one chunk record; the caller checked fits(bytes.length) and bytes.length <= MAX_RING_CHUNK_BYTES. */
  writeChunk(type: 'data' | 'datagram', seq: number, t: number, connId: number, dir: Direction, bytes: Uint8Array): void {
    const at = this.begin(bytes.length, type === 'data' ? TYPE_DATA : TYPE_DATAGRAM, dir === 'c2s' ? 0 : 1, connId, seq, t);
    this.bytes.set(bytes, at + RECORD_HEADER_BYTES);
    this.position = (this.position + recordSize(bytes.length)) >>> 0;
  }

  /** The JSON payload of an open/close/reset record, to check its size before writing it. */
  static controlPayload(payload: ConnectionInfo | EndPayload | boolean): Uint8Array {
    return textEncoder.encode(JSON.stringify(payload));
  }

  writeControl(type: typeof TYPE_OPEN | typeof TYPE_CLOSE | typeof TYPE_RESET | typeof TYPE_LIVE, seq: number, t: number, connId: number, payload: Uint8Array): void {
    const at = this.begin(payload.length, type, 0, connId, seq, t);
    this.bytes.set(payload, at + RECORD_HEADER_BYTES);
    this.position = (this.position + recordSize(payload.length)) >>> 0;
  }

  /** Makes everything written so far visible to the reader and wakes it if it waits. */
  publish(): void {
    Atomics.store(this.control, WRITE, this.position | 0);
    // Sequentially consistent: either this load sees the reader's flag, or the reader's wait sees
    // the new WRITE and does not sleep (see EventRingReader.waitForMore).
    if (Atomics.compareExchange(this.control, WAITING, 1, 0) === 1) Atomics.notify(this.control, WRITE);
  }

  /** Pads to the start of the ring when the record does not fit before its end; returns where it goes. */
  private begin(payload: number, type: number, dir: number, connId: number, seq: number, t: number): number {
    let at = this.position & (this.capacity - 1);
    const tail = this.capacity - at;
    if (recordSize(payload) > tail) {
      if (tail >= RECORD_HEADER_BYTES) this.writeHeader(at, tail - RECORD_HEADER_BYTES, TYPE_PAD, 0, 0, 0, 0);
      this.position = (this.position + tail) >>> 0;
      at = 0;
    }
    this.writeHeader(at, payload, type, dir, connId, seq, t);
    return at;
  }

  private writeHeader(at: number, payload: number, type: number, dir: number, connId: number, seq: number, t: number): void {
    const v = this.view;
    v.setUint32(at, payload, true);
    v.setUint8(at + 4, type);
    v.setUint8(at + 5, dir);
    v.setUint16(at + 6, 0, true);
    v.setUint32(at + 8, connId, true);
    v.setUint32(at + 12, 0, true);
    v.setFloat64(at + 16, seq, true);
    v.setFloat64(at + 24, t, true);
  }
}

/** The recorder's end. */
export class EventRingReader {
  private readonly buffer: Buffer;
  private readonly view: DataView;
  private readonly control: Int32Array;
  private readonly capacity: number;

  constructor(memory: EventRingMemory) {
    // A Buffer view: chunk views handed on are Buffers too, so a framer's indexOf runs as Buffer's
    // memchr rather than as a byte loop; the bytes are the same.
    this.buffer = Buffer.from(memory.data);
    this.view = new DataView(memory.data);
    this.control = new Int32Array(memory.control);
    this.capacity = memory.data.byteLength;
  }

  /** Published bytes not yet read. */
  get available(): number {
    return ((Atomics.load(this.control, WRITE) >>> 0) - (Atomics.load(this.control, READ) >>> 0)) >>> 0;
  }

  /**
   * Hands every published record to `visitor`, in order, freeing each one's space once the visitor
   * returns (or throws: `onError` gets it and reading goes on). Returns the bytes read.
   */
  drain(visitor: EventVisitor, onError: (err: unknown) => void): number {
    const end = Atomics.load(this.control, WRITE) >>> 0;
    const start = Atomics.load(this.control, READ) >>> 0;
    let position = start;
    while (position !== end) {
      const at = position & (this.capacity - 1);
      const tail = this.capacity - at;
      if (tail < RECORD_HEADER_BYTES) {
        position = (position + tail) >>> 0;
        continue;
      }
      const v = this.view;
      const length = v.getUint32(at, true);
      const type = v.getUint8(at + 4);
      const size = recordSize(length);
      if (type !== TYPE_PAD) {
        try {
          this.visit(visitor, at, length, type);
        } catch (err) {
          onError(err);
        }
      }
      position = (position + size) >>> 0;
      // Freed record by record (once the visitor holds none of them), so a long drain lets the
      // writer reuse the space at once.
      if (!visitor.holdsChunks?.()) Atomics.store(this.control, READ, position | 0);
    }
    if (visitor.releaseChunks) {
      try {
        visitor.releaseChunks();
      } catch (err) {
        onError(err);
      }
    }
    Atomics.store(this.control, READ, position | 0);
    return (end - start) >>> 0;
  }

  /** Resolves when the writer publishes more (at once when it already has). */
  waitForMore(): Promise<void> {
    const seen = Atomics.load(this.control, WRITE);
    if (seen !== Atomics.load(this.control, READ)) return Promise.resolve();
    // Raise the flag before the wait checks WRITE: a publish after this point notifies, and one
    // before it changed WRITE, so the wait returns at once.
    Atomics.store(this.control, WAITING, 1);
    const result = waitAsync(this.control, WRITE, seen);
    if (!result.async) {
      Atomics.store(this.control, WAITING, 0);
      return Promise.resolve();
    }
    return result.value.then(() => undefined);
  }

  private visit(visitor: EventVisitor, at: number, length: number, type: number): void {
    const v = this.view;
    const connId = v.getUint32(at + 8, true);
    const seq = v.getFloat64(at + 16, true);
    const t = v.getFloat64(at + 24, true);
    const start = at + RECORD_HEADER_BYTES;
    switch (type) {
      case TYPE_DATA:
      case TYPE_DATAGRAM:
        visitor.chunk(type === TYPE_DATA ? 'data' : 'datagram', seq, t, connId, v.getUint8(at + 5) === 0 ? 'c2s' : 's2c', this.buffer.subarray(start, start + length));
        return;
      case TYPE_OPEN:
        visitor.open(seq, this.json(start, length) as ConnectionInfo);
        return;
      case TYPE_CLOSE:
      case TYPE_RESET: {
        const end = this.json(start, length) as EndPayload;
        visitor.finish(seq, t, connId, type === TYPE_CLOSE ? 'closed' : 'reset', end.by, end.reason);
        return;
      }
      case TYPE_LIVE:
        visitor.live(this.json(start, length) === true);
        return;
      default:
        throw new Error(`event ring record of unknown type ${type}`);
    }
  }

  private json(start: number, length: number): unknown {
    return JSON.parse(this.buffer.toString('utf8', start, start + length));
  }
}
