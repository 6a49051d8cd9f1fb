// The decoder on every malformed input of issue 4, each limit crossed by one, and random bytes:
// always a value, never a throw.

import { describe, expect, it } from 'vitest';
import {
  DNS_HEADER_LENGTH,
  DNS_MAX_LABEL,
  DNS_MAX_NAME,
  DNS_MAX_POINTER_JUMPS,
  DNS_MIN_QUESTION,
  DNS_MIN_RECORD,
  DNS_UDP_MAX,
  type DnsDecodeResult,
  RR_TYPE,
  decodeMessage,
  encodeMessage,
  formatErrorResponse,
  makeOpt,
  makeQuery,
  readName,
} from '../../../../src/protocols/dns';
import { PacketBuilder, ask, prng } from './helpers';

const QUERY_FLAGS = 0x0100; // RD

function errorOf(result: DnsDecodeResult) {
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

/** A query header and a question whose name is written by `name`. */
function queryWith(name: (b: PacketBuilder) => PacketBuilder, extra: (b: PacketBuilder) => PacketBuilder = (b) => b): Uint8Array {
  return extra(name(new PacketBuilder().header(0x1234, QUERY_FLAGS, 1, 0, 0, 0)).u16(1).u16(1)).build();
}

describe('the header', () => {
  it(`needs ${DNS_HEADER_LENGTH} octets: 0 to ${DNS_HEADER_LENGTH - 1} are a truncated header`, () => {
    const full = encodeMessage(makeQuery(7, 'gaia.cs.umass.edu', RR_TYPE.A));
    for (let n = 0; n < DNS_HEADER_LENGTH; n++) {
      const r = decodeMessage(full.subarray(0, n));
      const e = errorOf(r);
      expect(e.code).toBe('header-truncated');
      expect(e.offset).toBe(n);
      expect(r.ok === false && r.partial).toBeNull();
      expect(formatErrorResponse(full.subarray(0, n))).toBeNull();
    }
    const headerOnly = new PacketBuilder().header(7, QUERY_FLAGS, 0, 0, 0, 0).build();
    const r = decodeMessage(headerOnly);
    expect(r.ok && r.message.questions).toEqual([]);
  });

  it('reads every flag bit where RFC 1035 §4.1.1 puts it', () => {
    const r = decodeMessage(new PacketBuilder().header(0xbeef, 0b1_0010_1_1_1_1_1_1_1_0101, 0, 0, 0, 0).build());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.message.id).toBe(0xbeef);
    expect(r.message.flags).toEqual({ qr: true, opcode: 2, aa: true, tc: true, rd: true, ra: true, z: true, ad: true, cd: true, rcode: 5 });
    expect(r.notes.map((n) => n.code)).toContain('z-bit-set');
  });

  it('refuses counts larger than the packet, naming the count that overflows', () => {
    // One question of the smallest size (the root name) fits exactly; a second does not.
    const one = new PacketBuilder().header(1, 0, 1, 0, 0, 0).u8(0).u16(1).u16(1).build();
    expect(one.length - DNS_HEADER_LENGTH).toBe(DNS_MIN_QUESTION);
    expect(decodeMessage(one).ok).toBe(true);
    const two = new PacketBuilder().header(1, 0, 2, 0, 0, 0).u8(0).u16(1).u16(1).build();
    const e = errorOf(decodeMessage(two));
    expect(e.code).toBe('count-exceeds-packet');
    expect(e.offset).toBe(4);
    // An answer count of 65535 after a real question.
    const huge = new PacketBuilder().header(1, 0x8000, 1, 0xffff, 0, 0).u8(0).u16(1).u16(1).build();
    expect(errorOf(decodeMessage(huge))).toMatchObject({ code: 'count-exceeds-packet', offset: 6 });
    // The smallest record (root name, 10 fixed octets, no data) fits exactly; one octet less does not.
    const rec = new PacketBuilder().header(1, 0x8000, 0, 0, 0, 1).u8(0).u16(RR_TYPE.A).u16(1).u32(0).u16(0).build();
    expect(rec.length - DNS_HEADER_LENGTH).toBe(DNS_MIN_RECORD);
    expect(errorOf(decodeMessage(rec)).code).toBe('rdata-length-mismatch');
    const cut = rec.subarray(0, rec.length - 1);
    expect(errorOf(decodeMessage(cut))).toMatchObject({ code: 'count-exceeds-packet', offset: 10 });
  });
});

describe('names', () => {
  it('refuses a compression pointer to itself (a loop)', () => {
    const e = errorOf(decodeMessage(queryWith((b) => b.pointer(12))));
    expect(e).toMatchObject({ code: 'pointer-loop', offset: 12 });
    expect(e.message).toContain('itself');
  });

  it('refuses a pointer back into the labels that lead to it (a longer loop)', () => {
    // "a" at 12, pointer at 14 -> 12: following it would read "a" and the pointer again forever.
    const e = errorOf(decodeMessage(queryWith((b) => b.name(['a'], false).pointer(12))));
    expect(e).toMatchObject({ code: 'pointer-loop', offset: 14 });
  });

  it('refuses two names that point at each other: one of the two pointers must point forward', () => {
    // Question 1 at 12 is "b" + pointer to 20; question 2 at 20 is "c" + pointer to 12.
    const bytes = new PacketBuilder().header(1, 0, 2, 0, 0, 0).name(['b'], false).pointer(20).u16(1).u16(1).name(['c'], false).pointer(12).u16(1).u16(1).build();
    expect(errorOf(decodeMessage(bytes))).toMatchObject({ code: 'pointer-forward', offset: 14 });
  });

  it('refuses a forward pointer', () => {
    const bytes = queryWith((b) => b.name(['www'], false).pointer(40));
    expect(errorOf(decodeMessage(bytes))).toMatchObject({ code: 'pointer-forward', offset: 16 });
  });

  it('refuses a pointer into the header', () => {
    expect(errorOf(decodeMessage(queryWith((b) => b.name(['www'], false).pointer(4))))).toMatchObject({ code: 'pointer-into-header', offset: 16 });
  });

  it('refuses a pointer cut after its first octet', () => {
    const bytes = new PacketBuilder().header(1, 0, 1, 0, 0, 0).u8(0xc0).build();
    // The count check comes first: 1 octet cannot hold a question.
    expect(errorOf(decodeMessage(bytes)).code).toBe('count-exceeds-packet');
    const r = readName(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0]), 12);
    expect(r.ok === false && r.error.code).toBe('pointer-truncated');
  });

  it(`follows a chain of ${DNS_MAX_POINTER_JUMPS} pointers and refuses ${DNS_MAX_POINTER_JUMPS + 1}`, () => {
    // "x." at offset 12, then pointers each pointing at the one before; the name read is one more.
    const build = (jumps: number) => {
      const bytes: number[] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
      bytes.push(1, 0x78, 0); // "x." at 12
      let last = 12;
      for (let i = 1; i < jumps; i++) {
        const at = bytes.length;
        bytes.push(0xc0 | (last >> 8), last & 0xff);
        last = at;
      }
      const nameAt = bytes.length;
      bytes.push(0xc0 | (last >> 8), last & 0xff, 0, 1, 0, 1);
      return { bytes: Uint8Array.from(bytes), nameAt };
    };
    const ok = build(DNS_MAX_POINTER_JUMPS);
    const read = readName(ok.bytes, ok.nameAt);
    expect(read.ok && read.value.name).toBe('x.');
    const over = build(DNS_MAX_POINTER_JUMPS + 1);
    const bad = readName(over.bytes, over.nameAt);
    expect(bad.ok === false && bad.error.code).toBe('pointer-chain-too-long');
  });

  it(`takes a label of ${DNS_MAX_LABEL} octets; a length octet of ${DNS_MAX_LABEL + 1} is an error`, () => {
    expect(decodeMessage(queryWith((b) => b.name(['x'.repeat(DNS_MAX_LABEL)]))).ok).toBe(true);
    const bytes = queryWith((b) => b.u8(DNS_MAX_LABEL + 1).u8(...new Array(DNS_MAX_LABEL + 1).fill(0x78)).u8(0));
    const e = errorOf(decodeMessage(bytes));
    expect(e).toMatchObject({ code: 'label-too-long', offset: 12 });
    expect(e.message).toContain('0x40 (64)');
    // 0x80..0xbf are not labels either.
    expect(errorOf(decodeMessage(queryWith((b) => b.u8(0x80).u8(0))))).toMatchObject({ code: 'label-too-long', offset: 12 });
  });

  it(`takes a name of ${DNS_MAX_NAME} octets and refuses ${DNS_MAX_NAME + 1}`, () => {
    const labelsFor = (octets: number) => {
      const labels: string[] = [];
      let left = octets - 1;
      while (left > 0) {
        const take = Math.min(DNS_MAX_LABEL, left - 1);
        labels.push('a'.repeat(take));
        left -= take + 1;
      }
      return labels;
    };
    const ok = decodeMessage(queryWith((b) => b.name(labelsFor(DNS_MAX_NAME))));
    expect(ok.ok).toBe(true);
    const e = errorOf(decodeMessage(queryWith((b) => b.name(labelsFor(DNS_MAX_NAME + 1)))));
    expect(e.code).toBe('name-too-long');
  });

  it('counts the octets of labels reached through pointers toward the 255 limit', () => {
    // A 200-octet name, then a name of 60 more octets that ends with a pointer to it: 260 in all.
    const long = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(6)];
    const bytes = new PacketBuilder().header(1, 0, 2, 0, 0, 0).name(long).u16(1).u16(1).name(['e'.repeat(59)], false).pointer(12).u16(1).u16(1).build();
    expect(errorOf(decodeMessage(bytes)).code).toBe('name-too-long');
  });

  it('refuses a name that runs past the end of the message', () => {
    const bytes = new PacketBuilder().header(1, 0, 1, 0, 0, 0).u8(10, 0x61, 0x62, 0x63, 0x64).build();
    expect(errorOf(decodeMessage(bytes))).toMatchObject({ code: 'name-truncated', offset: 12 });
  });

  it('keeps what it read of a broken name, for the breakdown', () => {
    const r = decodeMessage(queryWith((b) => b.name(['www', 'example'], false).pointer(60)));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.failed?.section).toBe('question');
    expect(r.failed?.name?.labels.map((l) => l.text)).toEqual(['www', 'example']);
    expect(r.failed?.name?.pointer?.target).toBe(60);
  });
});

describe('sections and records', () => {
  const answerHeader = () => new PacketBuilder().header(0x4242, 0x8400, 1, 1, 0, 0).name(['gaia', 'cs', 'umass', 'edu']).u16(1).u16(1);

  it('refuses an RDLENGTH that runs past the end', () => {
    const bytes = answerHeader().pointer(12).u16(1).u16(1).u32(3600).u16(40).u8(128, 119, 245, 12).build();
    expect(errorOf(decodeMessage(bytes))).toMatchObject({ code: 'rdata-past-end', offset: 45 });
  });

  it('refuses record data whose fields do not fill RDLENGTH exactly', () => {
    const a3 = answerHeader().pointer(12).u16(RR_TYPE.A).u16(1).u32(60).u16(3).u8(1, 2, 3).build();
    expect(errorOf(decodeMessage(a3)).code).toBe('rdata-length-mismatch');
    const ns = answerHeader().pointer(12).u16(RR_TYPE.NS).u16(1).u32(60).u16(4).pointer(12).u8(0, 0).build();
    expect(errorOf(decodeMessage(ns)).code).toBe('rdata-length-mismatch');
    const txt = answerHeader().pointer(12).u16(RR_TYPE.TXT).u16(1).u32(60).u16(3).u8(5, 0x61, 0x62).build();
    expect(errorOf(decodeMessage(txt)).code).toBe('rdata-length-mismatch');
    const emptyTxt = answerHeader().pointer(12).u16(RR_TYPE.TXT).u16(1).u32(60).u16(0).build();
    expect(errorOf(decodeMessage(emptyTxt)).code).toBe('rdata-length-mismatch');
    const soa = answerHeader().pointer(12).u16(RR_TYPE.SOA).u16(1).u32(60).u16(6).pointer(12).pointer(12).u16(0).build();
    expect(errorOf(decodeMessage(soa)).code).toBe('rdata-length-mismatch');
    // A name inside RDATA may not run past RDLENGTH, even where the message goes on.
    const cname = answerHeader().pointer(12).u16(RR_TYPE.CNAME).u16(1).u32(60).u16(2).name(['abc']).build();
    const e = errorOf(decodeMessage(cname));
    expect(e).toMatchObject({ code: 'name-truncated', offset: 47 });
    expect(e.message).toContain('record data');
  });

  it('refuses a question or record cut in its fixed fields', () => {
    const q = new PacketBuilder().header(1, 0, 1, 0, 0, 0).name(['abc']).u16(1).build();
    expect(errorOf(decodeMessage(q)).code).toBe('question-truncated');
    const r = new PacketBuilder().header(1, 0x8000, 0, 1, 0, 0).name(['abcdefg']).u16(1).u16(1).u32(1).build();
    expect(errorOf(decodeMessage(r))).toMatchObject({ code: 'record-truncated', offset: 21 });
  });

  it('refuses a second OPT record (RFC 6891 §6.1.1) and notes a misplaced one', () => {
    const m = makeQuery(5, 'a.example', RR_TYPE.A);
    m.additionals.push(makeOpt(1232), makeOpt(4096));
    expect(errorOf(decodeMessage(encodeMessage(m))).code).toBe('opt-duplicate');
    const misplaced = makeQuery(5, 'a.example', RR_TYPE.A);
    misplaced.answers.push({ ...makeOpt(512), name: 'x.example.' });
    const r = decodeMessage(encodeMessage(misplaced));
    expect(r.ok && r.notes.map((n) => n.code)).toEqual(['opt-outside-additional', 'opt-name-not-root']);
  });

  it('notes trailing bytes and keeps the message', () => {
    const wire = encodeMessage(makeQuery(9, 'gaia.cs.umass.edu', RR_TYPE.A));
    const withJunk = Uint8Array.from([...wire, 1, 2, 3]);
    const r = decodeMessage(withJunk);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.trailing).toBe(3);
    expect(r.notes).toEqual([expect.objectContaining({ code: 'trailing-bytes', offset: wire.length })]);
  });

  it(`notes a UDP message over ${DNS_UDP_MAX} octets without EDNS, not with it`, () => {
    const big = ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { transport: 'tcp' }).wire;
    expect(big.length).toBeGreaterThan(DNS_UDP_MAX);
    const r = decodeMessage(big, { transport: 'udp' });
    expect(r.ok && r.notes.map((n) => n.code)).toEqual(['udp-over-512']);
    expect(decodeMessage(big, { transport: 'tcp' }).ok && decodeMessage(big, { transport: 'tcp' })).toMatchObject({ notes: [] });
    const withEdns = ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { ednsPayload: 1232 }).wire;
    expect(withEdns.length).toBeGreaterThan(DNS_UDP_MAX);
    expect(decodeMessage(withEdns, { transport: 'udp' })).toMatchObject({ ok: true, notes: [] });
    // Exactly 512 octets without EDNS is fine: a message of that size built from a raw record.
    const m = makeQuery(1, 'a.example', RR_TYPE.A);
    const base = encodeMessage(m).length + 11;
    m.additionals.push({ name: '.', type: 65280, class: 1, ttl: 0, data: { kind: 'raw', bytes: new Uint8Array(DNS_UDP_MAX - base) } });
    const exact = encodeMessage(m);
    expect(exact.length).toBe(DNS_UDP_MAX);
    expect(decodeMessage(exact, { transport: 'udp' })).toMatchObject({ ok: true, notes: [] });
  });

  it('answers FORMERR to a broken query with its ID, and nothing to a broken response', () => {
    const bytes = queryWith((b) => b.pointer(12));
    const formerr = formatErrorResponse(bytes);
    expect(formerr?.id).toBe(0x1234);
    expect(formerr?.flags).toMatchObject({ qr: true, rcode: 1, rd: true });
    const response = new PacketBuilder().header(0x1234, 0x8000, 1, 0, 0, 0).pointer(12).u16(1).u16(1).build();
    expect(formatErrorResponse(response)).toBeNull();
  });
});

describe('never throws', () => {
  it('on random bytes', () => {
    const next = prng(0xd05);
    for (let round = 0; round < 3000; round++) {
      const bytes = new Uint8Array(Math.floor(next() * 80));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
      // Small counts make the decoder go past the header more often.
      if (bytes.length > 12 && next() < 0.7) {
        bytes[4] = 0;
        bytes[5] = Math.floor(next() * 3);
        bytes[6] = 0;
        bytes[7] = Math.floor(next() * 3);
      }
      expect(() => decodeMessage(bytes, { transport: next() < 0.5 ? 'udp' : 'tcp' })).not.toThrow();
    }
  });

  it('on every truncation and every one-byte change of real responses', () => {
    const samples = [
      ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A).wire,
      ask('a.root-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A, { ednsPayload: 1232 }).wire,
      ask('ns.hamburger.edu', 'hamburger.edu.', RR_TYPE.MX).wire,
      ask('dns.cs.umass.edu', 'nope.cs.umass.edu.', RR_TYPE.A).wire,
    ];
    const next = prng(42);
    for (const wire of samples) {
      for (let n = 0; n <= wire.length; n++) {
        const r = decodeMessage(wire.subarray(0, n));
        // Only the whole message decodes; every shorter prefix is an error value.
        expect(r.ok).toBe(n === wire.length);
      }
      for (let i = 0; i < wire.length; i++) {
        for (let k = 0; k < 4; k++) {
          const copy = wire.slice();
          copy[i] = Math.floor(next() * 256);
          expect(() => decodeMessage(copy)).not.toThrow();
        }
      }
    }
  });
});
