// Hostile bytes against the lab's DNS servers, over raw UDP and TCP sockets, to the local resolver
// (dns.poly.edu) and to an authoritative server (dns.cs.umass.edu): compression pointer loops and
// forward pointers, labels over 63 octets, names over 255, counts the packet cannot hold, an
// RDLENGTH past the end, garbage, datagrams shorter than a header, "responses" sent to a server,
// and TCP clients that announce a message and then send nothing. Each is answered FORMERR with
// the sender's ID, or dropped; after each, the same server answers a good query from another
// client, and the capture's breakdown reads every one of those messages without failing.
//
// Also: exchangeDns (every lab DNS client) against a fake server that first replies with the wrong
// ID, the wrong question, from the wrong port, or with garbage: each is ignored and the right reply
// taken; and the resolver's handler REFUSES a client that is not on this machine.

import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DNS_HEADER_LENGTH,
  DNS_MAX_LABEL,
  DNS_MAX_NAME,
  DNS_TCP_LENGTH_PREFIX,
  type DnsMessage,
  RCODE,
  RR_TYPE,
  decodeMessage,
  dissectDns,
  encodeMessage,
  explainDns,
  makeOpt,
  makeQuery,
  withLengthPrefix,
} from '../../../src/protocols/dns';
import { walkFields } from '../../../src/protocols/core/field';
import { defaultContentDir } from '../../../src/main/lab/lab';
import { type DnsTarget, exchangeDns } from '../../../src/main/lab/dns/dns-exchange';
import { DnsRuntime } from '../../../src/main/lab/dns/dns-runtime';
import { addDnsHosts } from '../../../src/main/lab/dns/dns-services';
import { dnsWorldHosts, loadDnsWorld } from '../../../src/main/lab/dns/dns-world';
import { createResolverHandler } from '../../../src/main/lab/dns/local-resolver';
import { LabClientRegistry } from '../../../src/main/lab/services/lab-clients';
import { AddressMap } from '../../../src/main/lab/world/address-map';
import { parseWorld } from '../../../src/main/lab/world/world';
import { type TestLab, startTestLab } from '../../support/test-lab';

/**
 * The DNS servers' TCP idle timeout in this lab: short, so a client that goes silent is closed
 * within the test (the default, DNS_TCP_IDLE_TIMEOUT_MS, is 10 s).
 */
const TEST_TCP_IDLE_MS = 400;

/** How long a test waits to be sure nothing comes back: the servers answer on loopback in about a millisecond. */
const SILENCE_MS = 250;

/** How long a test waits for a reply that must come. */
const REPLY_WAIT_MS = 3_000;

const RESOLVER = 'dns.poly.edu';
const AUTHORITATIVE = 'dns.cs.umass.edu';
const GAIA = 'gaia.cs.umass.edu';
const GAIA_ADDRESS = '128.119.245.12';

let t: TestLab;

beforeAll(async () => {
  t = await startTestLab({ dnsTcpIdleTimeoutMs: TEST_TCP_IDLE_MS });
});

afterAll(async () => {
  await t?.stop();
});

function dnsPort(host: string): number {
  const s = t.lab.serviceInfos().find((x) => x.hostname === host && x.protocol === 'dns' && x.transport === 'udp');
  if (!s) throw new Error(`no DNS service for ${host}`);
  return s.port;
}

// --- building hostile messages by hand ---------------------------------------------------------

const QR = 0x8000;
const RD = 0x0100;

function header(id: number, counts: { qd?: number; an?: number; ns?: number; ar?: number } = {}, flags = RD): Uint8Array {
  const b = new Uint8Array(DNS_HEADER_LENGTH);
  const v = new DataView(b.buffer);
  v.setUint16(0, id);
  v.setUint16(2, flags);
  v.setUint16(4, counts.qd ?? 0);
  v.setUint16(6, counts.an ?? 0);
  v.setUint16(8, counts.ns ?? 0);
  v.setUint16(10, counts.ar ?? 0);
  return b;
}

function bytes(...parts: Array<Uint8Array | number[] | string>): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** A name in wire form, labels written out in full. */
function wireName(...labels: string[]): Uint8Array {
  return bytes(...labels.flatMap((l) => [[l.length], l]), [0]);
}

/** QTYPE A, QCLASS IN. */
const TYPE_A_CLASS_IN = [0, 1, 0, 1];

const label = (length: number, ch = 'a') => ch.repeat(length);

/** A deterministic stream of bytes (a linear congruential generator), so a failure can be replayed. */
function pseudoRandom(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

interface Attack {
  name: string;
  bytes: Uint8Array;
  /** formerr: answered FORMERR with the same ID; drop: no answer at all. */
  expect: 'formerr' | 'drop';
}

/** A reply a server might send: sent to a server it must be dropped, or two servers could loop. */
function strayResponse(id: number): Uint8Array {
  const m = makeQuery(id, GAIA, RR_TYPE.A);
  m.flags.qr = true;
  m.answers.push({ name: `${GAIA}.`, type: RR_TYPE.A, class: 1, ttl: 60, data: { kind: 'A', address: '10.6.6.6' } });
  return encodeMessage(m);
}

function attacks(): Attack[] {
  const garbage = pseudoRandom(0x5eed, 64);
  garbage[2] &= ~(QR >> 8); // a "query", so the server could answer it
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: dns.poly.edu\r\n\r\n');
  const fiveLabels = [label(DNS_MAX_LABEL), label(DNS_MAX_LABEL), label(DNS_MAX_LABEL), label(DNS_MAX_LABEL), label(3)];
  return [
    { name: 'a compression pointer to itself', bytes: bytes(header(0x0101, { qd: 1 }), [0xc0, DNS_HEADER_LENGTH], TYPE_A_CLASS_IN), expect: 'formerr' },
    { name: 'a pointer back into the labels that lead to it', bytes: bytes(header(0x0102, { qd: 1 }), [3], 'www', [0xc0, DNS_HEADER_LENGTH], TYPE_A_CLASS_IN), expect: 'formerr' },
    // Question 1 (offset 12) points forward to question 2 (offset 18), which points back to 1.
    { name: 'two names pointing at each other', bytes: bytes(header(0x0103, { qd: 2 }), [0xc0, 18], TYPE_A_CLASS_IN, [0xc0, DNS_HEADER_LENGTH], TYPE_A_CLASS_IN), expect: 'formerr' },
    { name: 'a forward pointer', bytes: bytes(header(0x0104, { qd: 1 }), [0xc0, 18], TYPE_A_CLASS_IN, wireName('gaia', 'cs', 'umass', 'edu')), expect: 'formerr' },
    { name: 'a pointer into the header', bytes: bytes(header(0x0105, { qd: 1 }), [0xc0, 2], TYPE_A_CLASS_IN), expect: 'formerr' },
    { name: 'a label of 64 octets', bytes: bytes(header(0x0106, { qd: 1 }), [DNS_MAX_LABEL + 1], label(DNS_MAX_LABEL + 1), [0], TYPE_A_CLASS_IN), expect: 'formerr' },
    { name: 'a label length with the reserved top bits 10', bytes: bytes(header(0x0107, { qd: 1 }), [0x80 | 4], 'gaia', [0], TYPE_A_CLASS_IN), expect: 'formerr' },
    { name: `a name of ${fiveLabels.reduce((n, l) => n + 1 + l.length, 1)} octets`, bytes: bytes(header(0x0108, { qd: 1 }), wireName(...fiveLabels), TYPE_A_CLASS_IN), expect: 'formerr' },
    { name: `a name of ${DNS_MAX_NAME + 1} octets, one over`, bytes: bytes(header(0x0109, { qd: 1 }), wireName(label(63), label(63), label(63), label(62)), TYPE_A_CLASS_IN), expect: 'formerr' },
    { name: 'an answer count of 65535 in a one-question packet', bytes: bytes(header(0x010a, { qd: 1, an: 0xffff }), wireName('gaia', 'cs', 'umass', 'edu'), TYPE_A_CLASS_IN), expect: 'formerr' },
    { name: 'a question count of 2 with one question', bytes: bytes(header(0x010b, { qd: 2 }), wireName('gaia', 'cs', 'umass', 'edu'), TYPE_A_CLASS_IN), expect: 'formerr' },
    // An OPT record announcing 500 octets of options, none of which follow.
    { name: 'an RDLENGTH past the end', bytes: bytes(header(0x010c, { qd: 1, ar: 1 }), wireName('gaia', 'cs', 'umass', 'edu'), TYPE_A_CLASS_IN, [0, 0, RR_TYPE.OPT, 0x04, 0xd0, 0, 0, 0, 0, 0x01, 0xf4]), expect: 'formerr' },
    { name: 'a question cut after its name', bytes: bytes(header(0x010d, { qd: 1 }), wireName('gaia', 'cs', 'umass', 'edu'), [0]), expect: 'formerr' },
    { name: 'an HTTP request sent to the DNS port', bytes: http, expect: 'formerr' },
    { name: '64 bytes of garbage', bytes: garbage, expect: 'formerr' },
    { name: 'a 3-byte datagram', bytes: Uint8Array.from([0x12, 0x34, 0x01]), expect: 'drop' },
    { name: 'a header cut at 11 bytes', bytes: header(0x010e, { qd: 1 }).subarray(0, DNS_HEADER_LENGTH - 1), expect: 'drop' },
    { name: 'a response (QR set) sent to a server', bytes: strayResponse(0x010f), expect: 'drop' },
    { name: 'an undecodable response (QR set)', bytes: bytes(header(0x0110, { qd: 3 }, QR), [0xc0, DNS_HEADER_LENGTH]), expect: 'drop' },
  ];
}

const idOf = (b: Uint8Array) => (b[0] << 8) | b[1];

// --- raw clients -------------------------------------------------------------------------------

/** Sends one datagram from a fresh socket; the first datagram back, or null when none comes within waitMs. */
function udpExchange(port: number, payload: Uint8Array, waitMs: number): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const done = (reply: Uint8Array | null) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(null), waitMs);
    socket.on('message', (msg) => done(new Uint8Array(msg)));
    socket.send(payload, port, '127.0.0.1');
  });
}

/** A raw TCP client: sends exact bytes, reads length-prefixed messages, sees when the server closes. */
class TcpClient {
  private buffered = Buffer.alloc(0);
  private readonly messages: Uint8Array[] = [];
  private wake: (() => void) | null = null;
  closedAt: number | null = null;
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= DNS_TCP_LENGTH_PREFIX) {
        const length = this.buffered.readUInt16BE(0);
        if (this.buffered.length < DNS_TCP_LENGTH_PREFIX + length) break;
        this.messages.push(new Uint8Array(this.buffered.subarray(DNS_TCP_LENGTH_PREFIX, DNS_TCP_LENGTH_PREFIX + length)));
        this.buffered = this.buffered.subarray(DNS_TCP_LENGTH_PREFIX + length);
      }
      this.wake?.();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.closedAt = performance.now();
        this.wake?.();
        resolve();
      }),
    );
  }

  static open(port: number): Promise<TcpClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => resolve(new TcpClient(s)));
      s.once('error', reject);
    });
  }

  send(data: Uint8Array): void {
    this.socket.write(data);
  }

  /** The next whole message, or null when none comes within waitMs (or the server closed first). */
  async next(waitMs: number): Promise<Uint8Array | null> {
    const deadline = performance.now() + waitMs;
    while (this.messages.length === 0 && this.closedAt === null && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - performance.now());
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    return this.messages.shift() ?? null;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function goodQuery(id: number): DnsMessage {
  return makeQuery(id, GAIA, RR_TYPE.A, { recursionDesired: true });
}

function expectGaiaAnswer(reply: Uint8Array | null, id: number, context: string): void {
  expect(reply, `${context}: no reply`).not.toBeNull();
  const decoded = decodeMessage(reply!);
  expect(decoded.ok, context).toBe(true);
  if (!decoded.ok) return;
  expect(decoded.message.id, context).toBe(id);
  expect(decoded.message.flags.rcode, context).toBe(RCODE.NOERROR);
  expect(decoded.message.answers.map((r) => (r.data.kind === 'A' ? r.data.address : r.data.kind)), context).toContain(GAIA_ADDRESS);
}

function expectFormerr(reply: Uint8Array | null, id: number, context: string): void {
  expect(reply, `${context}: no reply`).not.toBeNull();
  const decoded = decodeMessage(reply!);
  expect(decoded.ok, `${context}: the FORMERR itself must decode`).toBe(true);
  if (!decoded.ok) return;
  expect(decoded.message.id, `${context}: the ID echoed`).toBe(id);
  expect(decoded.message.flags.qr, context).toBe(true);
  expect(decoded.message.flags.rcode, context).toBe(RCODE.FORMERR);
}

/** A good query from a fresh client over UDP and over TCP: the server is still serving. */
async function stillServes(port: number, context: string): Promise<void> {
  const id = 0x600d;
  expectGaiaAnswer(await udpExchange(port, encodeMessage(goodQuery(id)), REPLY_WAIT_MS), id, `${context}, then a good UDP query`);
  const tcp = await TcpClient.open(port);
  tcp.send(withLengthPrefix(encodeMessage(goodQuery(id + 1))));
  expectGaiaAnswer(await tcp.next(REPLY_WAIT_MS), id + 1, `${context}, then a good TCP query`);
  tcp.destroy();
}

// --- the tests ---------------------------------------------------------------------------------

describe.each([
  ['the local resolver', RESOLVER],
  ['an authoritative server', AUTHORITATIVE],
])('hostile input to %s (%s)', (_, host) => {
  it('every attack over UDP is answered FORMERR with its ID, or dropped; a good client is served after each', async () => {
    const port = dnsPort(host);
    for (const a of attacks()) {
      if (a.expect === 'formerr') expect(decodeMessage(a.bytes).ok, `${a.name} must not decode`).toBe(false);
      const reply = await udpExchange(port, a.bytes, a.expect === 'drop' ? SILENCE_MS : REPLY_WAIT_MS);
      if (a.expect === 'formerr') expectFormerr(reply, idOf(a.bytes), `UDP: ${a.name}`);
      else expect(reply, `UDP: ${a.name} must get no reply`).toBeNull();
      await stillServes(port, `UDP: ${a.name}`);
    }
  });

  it('every attack over TCP is answered FORMERR on a connection that goes on serving, or gets no reply and a close', async () => {
    const port = dnsPort(host);
    for (const a of attacks()) {
      const conn = await TcpClient.open(port);
      conn.send(withLengthPrefix(a.bytes));
      if (a.expect === 'formerr') {
        expectFormerr(await conn.next(REPLY_WAIT_MS), idOf(a.bytes), `TCP: ${a.name}`);
        // The length prefix kept the stream in step: the next query on the same connection is answered.
        conn.send(withLengthPrefix(encodeMessage(goodQuery(0x7001))));
        expectGaiaAnswer(await conn.next(REPLY_WAIT_MS), 0x7001, `TCP: ${a.name}, then a good query on the same connection`);
      } else {
        expect(await conn.next(SILENCE_MS), `TCP: ${a.name} must get no reply`).toBeNull();
      }
      conn.destroy();
      await stillServes(port, `TCP: ${a.name}`);
    }
  });

  it('accepts a name of exactly 255 octets (answered, not FORMERR), the limit the attacks cross', async () => {
    const port = dnsPort(host);
    const name = wireName(label(63), label(63), label(63), label(61));
    expect(name.length).toBe(DNS_MAX_NAME);
    const reply = await udpExchange(port, bytes(header(0x0255, { qd: 1 }), name, TYPE_A_CLASS_IN), REPLY_WAIT_MS);
    expect(reply).not.toBeNull();
    const decoded = decodeMessage(reply!);
    expect(decoded.ok && decoded.message.id).toBe(0x0255);
    // No such top-level domain: NXDOMAIN from the resolver's walk; not its zone: REFUSED from dns.cs.umass.edu.
    expect(decoded.ok && decoded.message.flags.rcode).toBe(host === RESOLVER ? RCODE.NXDOMAIN : RCODE.REFUSED);
  });

  it('closes a TCP connection that sends a length prefix and then nothing, after the idle timeout', async () => {
    const port = dnsPort(host);
    const silent = [
      { name: 'a length prefix alone', bytes: Uint8Array.from([0x00, 0x20]) },
      { name: 'half a length prefix', bytes: Uint8Array.from([0x00]) },
      { name: 'a length prefix and part of the message', bytes: bytes([0x00, 0x40], header(0x0a0a, { qd: 1 }), [4], 'ga') },
      { name: 'nothing at all', bytes: new Uint8Array(0) },
    ];
    for (const s of silent) {
      const conn = await TcpClient.open(port);
      const started = performance.now();
      if (s.bytes.length > 0) conn.send(s.bytes);
      await conn.closed;
      const waited = conn.closedAt! - started;
      expect(waited, s.name).toBeGreaterThanOrEqual(TEST_TCP_IDLE_MS * 0.9);
      expect(waited, s.name).toBeLessThan(TEST_TCP_IDLE_MS + REPLY_WAIT_MS);
      expect(await conn.next(0), `${s.name}: nothing was sent back`).toBeNull();
    }
    // A length below the 12-octet header cannot start a DNS message: the stream is closed at once.
    const short = await TcpClient.open(port);
    const started = performance.now();
    short.send(Uint8Array.from([0x00, 0x03, 0x12, 0x34, 0x01]));
    await short.closed;
    expect(short.closedAt! - started).toBeLessThan(TEST_TCP_IDLE_MS);
    await stillServes(port, 'after the silent TCP clients');
  });

  it('closes a TCP connection that dribbles one message a byte at a time, at the idle timeout after its first byte', async () => {
    const port = dnsPort(host);
    const message = bytes([0x00, 0x40], header(0x0b0b, { qd: 1 }), [4], 'gaia');
    const conn = await TcpClient.open(port);
    const started = performance.now();
    // One byte every quarter of the idle timeout: each byte alone would keep an idle clock alive.
    const every = TEST_TCP_IDLE_MS / 4;
    let next = 0;
    const dribble = setInterval(() => {
      if (next < message.length) conn.send(message.subarray(next, ++next));
    }, every);
    try {
      await conn.closed;
    } finally {
      clearInterval(dribble);
    }
    const waited = conn.closedAt! - started;
    expect(waited).toBeGreaterThanOrEqual(TEST_TCP_IDLE_MS * 0.9);
    expect(waited).toBeLessThan(TEST_TCP_IDLE_MS * 3);
    await stillServes(port, 'after the dribbling client');
  });

  it('is still listening, and the capture breaks every message of the attacks down without failing', async () => {
    for (const transport of ['udp', 'tcp'] as const) {
      expect(t.lab.serviceInfos().find((s) => s.id === `${host}/dns/${transport}`)?.state).toBe('listening');
    }
    const messages = await t.lab.api.listMessages(0, 5_000);
    const dns = messages.filter((m) => m.protocol === 'dns');
    expect(dns.length).toBeGreaterThan(attacks().length * 2);
    let malformed = 0;
    for (const m of dns) {
      const detail = await t.lab.api.getMessage(m.id);
      expect(detail, `#${m.id}`).not.toBeNull();
      const b = new Uint8Array(Buffer.from(detail!.bytes, 'base64'));
      const ctx = { dir: m.dir, role: m.role, transport: m.transport, ...(m.partial ? { partial: true } : {}) };
      const tree = dissectDns(b, ctx);
      expect(tree.length, `#${m.id}`).toBeGreaterThan(0);
      for (const [node] of walkFields(tree)) {
        expect(node.expert?.message ?? '', `#${m.id} ${m.summary}`).not.toMatch(/could not read this message/);
        if (node.expert?.severity === 'error') malformed++;
      }
      expect(explainDns(b, ctx), `#${m.id}`).toBeTruthy();
      expect(m.summary, `#${m.id}`).not.toBe('');
    }
    // The attacks are there, marked as errors in the breakdown.
    expect(malformed).toBeGreaterThanOrEqual(attacks().filter((a) => a.expect === 'formerr').length);
  });
});

// --- exchangeDns against a fake server ---------------------------------------------------------

/** A target for exchangeDns: a world name and address for messages, the fake's real port. */
function fakeTarget(port: number): DnsTarget {
  return { name: 'ns.fake.example', address: '192.0.2.53', labAddress: '127.0.0.1', labPort: port };
}

function replyTo(query: DnsMessage, change: { id?: number; name?: string; address: string }): Uint8Array {
  const q = query.questions[0];
  const name = change.name ?? q.name;
  return encodeMessage({
    id: change.id ?? query.id,
    flags: { ...query.flags, qr: true, aa: true },
    questions: [{ ...q, name }],
    answers: [{ name, type: RR_TYPE.A, class: 1, ttl: 60, data: { kind: 'A', address: change.address } }],
    authorities: [],
    additionals: [],
  });
}

const answeredAddress = (m: DnsMessage) => m.answers.map((r) => (r.data.kind === 'A' ? r.data.address : '?'));

describe('exchangeDns accepts only the reply to its query', () => {
  it('over UDP ignores a wrong ID, another question, another port and garbage, and takes the right reply after them', async () => {
    const server = dgram.createSocket('udp4');
    const impostor = dgram.createSocket('udp4');
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
    await new Promise<void>((r) => impostor.bind(0, '127.0.0.1', () => r()));
    server.on('message', (msg, rinfo) => {
      const decoded = decodeMessage(new Uint8Array(msg));
      if (!decoded.ok) return;
      const q = decoded.message;
      const send = (b: Uint8Array, from = server) => from.send(b, rinfo.port, rinfo.address);
      send(replyTo(q, { id: q.id ^ 0x5555, address: '10.0.0.1' }));
      send(replyTo(q, { name: 'evil.example.', address: '10.0.0.2' }));
      send(replyTo(q, { address: '10.0.0.3' }), impostor);
      send(pseudoRandom(q.id, 40));
      const stray = makeQuery(q.id, GAIA, RR_TYPE.A); // QR clear: a query, not a reply
      send(encodeMessage(stray));
      setTimeout(() => send(replyTo(q, { address: '192.0.2.80' })), 30);
    });
    try {
      const rejected: string[] = [];
      const query = makeQuery(0x1234, GAIA, RR_TYPE.A);
      const result = await exchangeDns(query, fakeTarget((server.address() as { port: number }).port), { transport: 'udp', timeoutMs: REPLY_WAIT_MS, onRejected: (r) => rejected.push(r) });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(answeredAddress(result.response)).toEqual(['192.0.2.80']);
      expect(result.response.id).toBe(0x1234);
      expect(rejected).toHaveLength(5);
      expect(rejected).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/ID \d+, not 4660/),
          expect.stringMatching(/another question/),
          expect.stringMatching(/not from ns\.fake\.example/),
          expect.stringMatching(/undecodable/),
          expect.stringMatching(/QR is 0/),
        ]),
      );
    } finally {
      server.close();
      impostor.close();
    }
  });

  it('over UDP times out when only wrong replies come', async () => {
    const server = dgram.createSocket('udp4');
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
    server.on('message', (msg, rinfo) => {
      const decoded = decodeMessage(new Uint8Array(msg));
      if (decoded.ok) server.send(replyTo(decoded.message, { id: decoded.message.id + 1, address: '10.0.0.1' }), rinfo.port, rinfo.address);
    });
    try {
      const rejected: string[] = [];
      const result = await exchangeDns(makeQuery(0x2222, GAIA, RR_TYPE.A), fakeTarget((server.address() as { port: number }).port), { transport: 'udp', timeoutMs: SILENCE_MS, onRejected: (r) => rejected.push(r) });
      expect(result).toMatchObject({ ok: false, transport: 'udp', timedOut: true, reason: expect.stringMatching(/no reply from ns\.fake\.example/) });
      expect(rejected).toEqual([expect.stringMatching(/ID 8739, not 8738/)]);
    } finally {
      server.close();
    }
  });

  it('over TCP a server that closes without a reply is no timeout, even after a while', async () => {
    // Only the timer firing makes a timeout, not how long the failure took.
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      setTimeout(() => socket.destroy(), SILENCE_MS);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const result = await exchangeDns(makeQuery(0x4444, GAIA, RR_TYPE.A), fakeTarget((server.address() as net.AddressInfo).port), { transport: 'tcp', timeoutMs: REPLY_WAIT_MS });
      expect(result).toMatchObject({ ok: false, transport: 'tcp', timedOut: false, reason: 'ns.fake.example closed the TCP connection without a reply' });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('over TCP skips a wrong-ID message on the connection and takes the right one after it', async () => {
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (buffered.length < DNS_TCP_LENGTH_PREFIX || buffered.length < DNS_TCP_LENGTH_PREFIX + buffered.readUInt16BE(0)) return;
        const decoded = decodeMessage(new Uint8Array(buffered.subarray(DNS_TCP_LENGTH_PREFIX)));
        if (!decoded.ok) return;
        const q = decoded.message;
        // Both in one write: the client must split them by their length prefixes.
        socket.write(Buffer.concat([withLengthPrefix(replyTo(q, { id: q.id ^ 1, address: '10.0.0.1' })), withLengthPrefix(replyTo(q, { address: '192.0.2.80' }))]));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const rejected: string[] = [];
      const result = await exchangeDns(makeQuery(0x3333, GAIA, RR_TYPE.A), fakeTarget((server.address() as net.AddressInfo).port), { transport: 'tcp', timeoutMs: REPLY_WAIT_MS, onRejected: (r) => rejected.push(r) });
      expect(result.ok).toBe(true);
      if (result.ok) expect(answeredAddress(result.response)).toEqual(['192.0.2.80']);
      expect(rejected).toEqual([expect.stringMatching(/ID 13106, not 13107/)]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

// --- recursion only for this machine ------------------------------------------------------------

describe('the local resolver and clients elsewhere', () => {
  it('REFUSES a client that is not on loopback, with or without RD, and with EDNS keeps the OPT record', async () => {
    const contentDir = defaultContentDir();
    const world = parseWorld(fs.readFileSync(path.join(contentDir, 'world.yaml'), 'utf8'), 'world.yaml');
    const dnsWorld = loadDnsWorld(contentDir);
    if (!dnsWorld) throw new Error(`no zones/zones.yaml in ${contentDir}`);
    addDnsHosts(world, dnsWorldHosts(dnsWorld.manifest));
    const runtime = new DnsRuntime({ world: dnsWorld, worldDir: contentDir, map: new AddressMap(world, t.offset), labClients: new LabClientRegistry(), now: Date.now });
    const handler = createResolverHandler(runtime);
    const meta = (loopback: boolean) => ({
      transport: 'udp' as const,
      client: { address: loopback ? '127.0.0.1' : '192.0.2.99', port: 40000, virtualAddress: loopback ? '127.0.0.1' : '192.0.2.99', virtualPort: 40000 },
      loopback,
      connectionId: 1,
    });

    for (const rd of [true, false]) {
      const query = makeQuery(0x4e4e, GAIA, RR_TYPE.A, { recursionDesired: rd });
      const reply = await handler(encodeMessage(query), meta(false));
      expect(reply).not.toBeNull();
      const decoded = decodeMessage(reply!);
      expect(decoded.ok && decoded.message).toMatchObject({ id: 0x4e4e, flags: { qr: true, rcode: RCODE.REFUSED, rd }, answers: [] });
    }
    const withEdns = makeQuery(0x4e4f, GAIA, RR_TYPE.A);
    withEdns.additionals.push(makeOpt(1232));
    const refused = decodeMessage((await handler(encodeMessage(withEdns), meta(false)))!);
    expect(refused.ok && refused.message.flags.rcode).toBe(RCODE.REFUSED);
    expect(refused.ok && refused.message.additionals.map((r) => r.type)).toEqual([RR_TYPE.OPT]);

    // The same question without recursion from this machine is answered (from the empty cache: a
    // referral to the root, the closest servers it knows), which shows that the refusal above is
    // about where the client is.
    const local = decodeMessage((await handler(encodeMessage(makeQuery(0x4e50, GAIA, RR_TYPE.A, { recursionDesired: false })), meta(true)))!);
    expect(local.ok && local.message.flags.rcode).toBe(RCODE.NOERROR);
    expect(local.ok && local.message.authorities.map((r) => `${r.name} ${r.data.kind === 'NS' ? r.data.host : ''}`)).toEqual(['. a.root-servers.net.']);
    expect(runtime.resolverState().stats.upstreamQueries).toBe(0);
  });
});
