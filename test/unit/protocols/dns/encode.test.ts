// The pure encoder: every record type round-trips through the decoder, names are compressed,
// and a model that cannot be encoded says which field.

import { describe, expect, it } from 'vitest';
import {
  DNS_MAX_CHARACTER_STRING,
  DNS_TCP_LENGTH_PREFIX,
  DNS_TCP_MAX,
  DnsEncodeError,
  type DnsMessage,
  RR_TYPE,
  decodeMessage,
  encodeMessage,
  encodeTcpMessage,
  flagsToWord,
  makeQuery,
  withLengthPrefix,
  wordToFlags,
} from '../../../../src/protocols/dns';
import { everyTypeMessage } from './helpers';

describe('round trips', () => {
  it('encodes every record type and decodes it back unchanged, compressed or not', () => {
    const m = everyTypeMessage();
    for (const compress of [true, false]) {
      const r = decodeMessage(encodeMessage(m, { compress }));
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.message).toEqual(m);
    }
  });

  it('builds queries from names typed without the final dot', () => {
    const q = makeQuery(1, 'GAIA.cs.umass.edu', RR_TYPE.A, { ednsPayload: 1232 });
    expect(q.questions[0].name).toBe('GAIA.cs.umass.edu.');
    const r = decodeMessage(encodeMessage(q));
    expect(r.ok && r.message).toEqual(q);
  });

  it('keeps the flags word bit for bit', () => {
    for (const word of [0x0000, 0x0100, 0x8180, 0x8583, 0x7fff, 0xffff, 0x2810]) expect(flagsToWord(wordToFlags(word))).toBe(word);
  });

  it('keeps the case of names, and escaped octets', () => {
    const m = everyTypeMessage();
    m.questions[0].name = 'GAIA.cs.UMass.edu.';
    m.answers[0].name = 'a\\.b\\032c.example.';
    const r = decodeMessage(encodeMessage(m));
    expect(r.ok && r.message.questions[0].name).toBe('GAIA.cs.UMass.edu.');
    expect(r.ok && r.message.answers[0].name).toBe('a\\.b\\032c.example.');
  });
});

describe('name compression (RFC 1035 §4.1.4)', () => {
  it('writes a repeated name as a pointer to its first occurrence, and a shared ending as labels plus a pointer', () => {
    const m = everyTypeMessage();
    const compressed = encodeMessage(m);
    const plain = encodeMessage(m, { compress: false });
    expect(compressed.length).toBeLessThan(plain.length);
    const r = decodeMessage(compressed);
    if (!r.ok) throw new Error(r.error.message);
    // The answer's owner gaia.cs.umass.edu. is the question's name, at offset 12.
    const first = r.spans.records[0];
    expect(first.name.labels).toEqual([]);
    expect(first.name.pointer).toMatchObject({ target: 12, suffix: 'gaia.cs.umass.edu.' });
    // dns.cs.umass.edu. in the NS data: the label "dns", then a pointer to cs.umass.edu. at 17.
    const ns = r.spans.records[7];
    expect(ns.section).toBe('authority');
    const host = ns.parts[0].name;
    expect(host?.labels.map((l) => l.text)).toEqual(['dns']);
    expect(host?.pointer).toMatchObject({ target: 17, suffix: 'cs.umass.edu.' });
  });

  it('never compresses names inside RDATA of types it does not know (RFC 3597 §4)', () => {
    const m = everyTypeMessage();
    const raw = encodeMessage(m);
    // The unknown type's three octets are written as they are.
    const r = decodeMessage(raw);
    expect(r.ok && r.message.answers[6].data).toEqual({ kind: 'raw', bytes: Uint8Array.from([1, 2, 3]) });
  });
});

describe('models that cannot be encoded', () => {
  const withAnswer = (data: DnsMessage['answers'][number]): DnsMessage => ({ ...everyTypeMessage(), answers: [data] });

  it('names the field', () => {
    expect(() => encodeMessage({ ...everyTypeMessage(), questions: [{ name: 'a..b', type: 1, class: 1 }] })).toThrow(/questions\[0\]\.name/);
    expect(() => encodeMessage(withAnswer({ name: 'a.', type: 1, class: 1, ttl: 1, data: { kind: 'A', address: '1.2.3' } }))).toThrow(DnsEncodeError);
    expect(() => encodeMessage(withAnswer({ name: 'a.', type: 28, class: 1, ttl: 1, data: { kind: 'AAAA', address: '1.2.3.4' } }))).toThrow(/IPv6/);
    expect(() => encodeMessage(withAnswer({ name: 'a.', type: 1, class: 1, ttl: -1, data: { kind: 'A', address: '1.2.3.4' } }))).toThrow(/TTL/);
    expect(() => encodeMessage(withAnswer({ name: 'a.', type: 2, class: 1, ttl: 1, data: { kind: 'A', address: '1.2.3.4' } }))).toThrow(/A data in a record of type 2/);
    expect(() => encodeMessage(withAnswer({ name: 'a.', type: 16, class: 1, ttl: 1, data: { kind: 'TXT', strings: [] } }))).toThrow(/at least one string/);
    expect(() => encodeMessage({ ...everyTypeMessage(), id: 0x10000 })).toThrow(/ID/);
  });

  it(`writes TXT strings of ${DNS_MAX_CHARACTER_STRING} octets and refuses ${DNS_MAX_CHARACTER_STRING + 1}`, () => {
    const txt = (n: number) => withAnswer({ name: 'a.', type: 16, class: 1, ttl: 1, data: { kind: 'TXT', strings: [new Uint8Array(n).fill(0x61)] } });
    const ok = decodeMessage(encodeMessage(txt(DNS_MAX_CHARACTER_STRING)));
    expect(ok.ok && ok.message.answers[0].data.kind === 'TXT' && ok.message.answers[0].data.strings[0].length).toBe(DNS_MAX_CHARACTER_STRING);
    expect(() => encodeMessage(txt(DNS_MAX_CHARACTER_STRING + 1))).toThrow(/at most 255/);
  });
});

describe('TCP length prefix (RFC 1035 §4.2.2)', () => {
  it('prefixes the message with its length in two octets', () => {
    const m = everyTypeMessage();
    const wire = encodeMessage(m);
    const tcp = encodeTcpMessage(m);
    expect(tcp.length).toBe(wire.length + DNS_TCP_LENGTH_PREFIX);
    expect((tcp[0] << 8) | tcp[1]).toBe(wire.length);
    expect(Array.from(tcp.subarray(2))).toEqual(Array.from(wire));
  });

  it(`takes a message of ${DNS_TCP_MAX} octets and refuses ${DNS_TCP_MAX + 1}`, () => {
    expect(withLengthPrefix(new Uint8Array(DNS_TCP_MAX)).length).toBe(DNS_TCP_MAX + 2);
    expect(() => withLengthPrefix(new Uint8Array(DNS_TCP_MAX + 1))).toThrow(/16-bit/);
  });
});
