import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaptureEvent, ConnectionInfo } from '../../../src/shared/capture';
import {
  DEFAULT_SNAPLEN,
  LINKTYPE_RAW,
  MAX_OPTION_VALUE_BYTES,
  openPcapngFile,
  packetComment,
  PcapngWriter,
  TCP_MSS,
  TCP_WINDOW,
} from '../../../src/main/lab/capture/pcapng';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../../../src/main/lab/capture/packet-synth';
import { dataEvent, dnsFlow, encoder, endpoint, httpConnection, messageBytes } from './support/fixtures';
import { decodePacket, parsePcapng, type DecodedPacket } from './support/pcapng-parse';

const START = Date.UTC(2026, 10, 24, 12, 0, 0);

function capture(events: Array<[CaptureEvent, ConnectionInfo]>, options: { snaplen?: number } = {}) {
  const chunks: Uint8Array[] = [];
  const writer = new PcapngWriter({ write: (b) => chunks.push(b) }, { startEpochMs: START, ...options });
  for (const [event, conn] of events) writer.writeEvent(event, conn);
  const file = Buffer.concat(chunks);
  const parsed = parsePcapng(file);
  // A packet cut at the snaplen cannot be checked; every whole one is decoded and its checksums verified.
  const whole = parsed.packets.filter((p) => p.capturedLength === p.originalLength);
  return { writer, file, parsed, packets: whole.map((p) => ({ ...p, ip: decodePacket(p.data) })) };
}

const flagNames = (f: number) =>
  [
    [TCP_SYN, 'SYN'],
    [TCP_FIN, 'FIN'],
    [TCP_RST, 'RST'],
    [TCP_PSH, 'PSH'],
    [TCP_ACK, 'ACK'],
  ]
    .filter(([bit]) => f & (bit as number))
    .map(([, name]) => name)
    .join('/');

/** Walks a TCP trace like a receiver: every segment must start at the sender's next sequence number. */
function checkTcpConsistency(packets: DecodedPacket[], clientPort: number) {
  const next = new Map<string, number>();
  const streams = { c2s: [] as number[], s2c: [] as number[] };
  for (const p of packets) {
    const from = p.srcPort === clientPort ? 'c2s' : 's2c';
    const to = from === 'c2s' ? 's2c' : 'c2s';
    if (next.has(from)) expect(p.seq).toBe(next.get(from));
    if (p.flags & TCP_ACK && next.has(to)) expect(p.ack).toBe(next.get(to));
    next.set(from, (p.seq + p.payload.length + (p.flags & TCP_SYN ? 1 : 0) + (p.flags & TCP_FIN ? 1 : 0)) >>> 0);
    streams[from].push(...p.payload);
  }
  return streams;
}

describe('pcapng blocks', () => {
  it('starts with a Section Header Block and one LINKTYPE_RAW interface in microseconds', () => {
    const { parsed, file } = capture([]);
    expect(parsed.shb.body.getUint32(0, true)).toBe(0x1a2b3c4d);
    expect(parsed.shb.body.getUint16(4, true)).toBe(1);
    expect(parsed.idb.body.getUint16(0, true)).toBe(LINKTYPE_RAW);
    expect(parsed.idb.body.getUint32(4, true)).toBe(DEFAULT_SNAPLEN);
    expect([...parsed.idb.options.get(9)![0]]).toEqual([6]);
    expect(parsed.packets).toHaveLength(0);
    expect(file.length % 4).toBe(0);
  });

  it('writes absolute microsecond timestamps from the start epoch and the event time', () => {
    const conn = dnsFlow(3);
    const { packets } = capture([[{ type: 'datagram', seq: 1, t: 1.5, connId: 3, dir: 'c2s', bytes: new Uint8Array(12) }, conn]]);
    expect(packets[0].timestampMicros).toBe(START * 1000 + 1500);
  });

  it('comments every packet with the lab service and its real port', () => {
    const conn = httpConnection(1);
    const { packets } = capture([[{ type: 'open', seq: 1, t: 0, conn }, conn]]);
    expect(packets.map((p) => p.comment)).toEqual(new Array(3).fill('gaia.cs.umass.edu/http (lab port 127.0.0.1:10080)'));
    const anonymous = httpConnection(2, { serviceId: undefined });
    const again = capture([[{ type: 'open', seq: 1, t: 0, conn: anonymous }, anonymous]]);
    expect(again.packets[0].comment).toBe('http gaia.cs.umass.edu:80 (lab port 127.0.0.1:10080)');
  });

  it('cuts a comment longer than MAX_OPTION_VALUE_BYTES at a character boundary', () => {
    const fits = httpConnection(1, { serviceId: 'a'.repeat(MAX_OPTION_VALUE_BYTES - ' (lab port 127.0.0.1:10080)'.length) });
    const a = capture([[{ type: 'open', seq: 1, t: 0, conn: fits }, fits]]);
    expect(a.packets[0].comment).toBe(packetComment(fits));
    // Two-byte characters across the limit: the cut must not leave half of one.
    const long = httpConnection(2, { serviceId: '\u00e9'.repeat(MAX_OPTION_VALUE_BYTES) });
    const b = capture([[{ type: 'open', seq: 1, t: 0, conn: long }, long]]);
    const comment = b.packets[0].comment!;
    expect(Buffer.byteLength(comment)).toBe(MAX_OPTION_VALUE_BYTES - 1);
    expect(comment).toBe('\u00e9'.repeat((MAX_OPTION_VALUE_BYTES - 1) / 2));
  });

  it('cuts packets at the snaplen and records their original length', () => {
    const conn = dnsFlow(1);
    const bytes = messageBytes(1, 500);
    const small = messageBytes(2, 100 - 28);
    const { packets, parsed } = capture(
      [
        [{ type: 'datagram', seq: 1, t: 0, connId: 1, dir: 'c2s', bytes }, conn],
        [{ type: 'datagram', seq: 2, t: 0, connId: 1, dir: 'c2s', bytes: small }, conn],
      ],
      { snaplen: 100 },
    );
    expect(parsed.idb.body.getUint32(4, true)).toBe(100);
    expect(parsed.packets[0].capturedLength).toBe(100);
    expect(parsed.packets[0].originalLength).toBe(20 + 8 + 500);
    expect(parsed.packets[0].data.length).toBe(100);
    expect(parsed.packets[1].capturedLength).toBe(100); // exactly the snaplen: whole
    expect(packets).toHaveLength(1);
    expect([...packets[0].ip.payload]).toEqual([...small]);
    expect(() => new PcapngWriter({ write() {} }, { snaplen: 0 })).toThrow(RangeError);
  });
});

describe('TCP synthesis', () => {
  it('opens with SYN, SYN-ACK, ACK between the world addresses and standard port', () => {
    const conn = httpConnection(1);
    const { packets } = capture([[{ type: 'open', seq: 1, t: 0, conn }, conn]]);
    expect(packets.map((p) => flagNames(p.ip.flags))).toEqual(['SYN', 'SYN/ACK', 'ACK']);
    const [syn, synAck, ack] = packets.map((p) => p.ip);
    expect(syn).toMatchObject({ src: '192.168.1.10', dst: '128.119.245.12', srcPort: 50001, dstPort: 80, mss: TCP_MSS });
    expect(synAck).toMatchObject({ src: '128.119.245.12', dst: '192.168.1.10', srcPort: 80, dstPort: 50001, mss: TCP_MSS });
    expect(synAck.ack).toBe((syn.seq + 1) >>> 0);
    expect(ack.seq).toBe((syn.seq + 1) >>> 0);
    expect(ack.ack).toBe((synAck.seq + 1) >>> 0);
    expect(packets.map((p) => p.ip.ipId)).toEqual([1, 2, 3]);
  });

  it('splits data at the MSS, pushes the last segment, acks it, and keeps seq/ack consistent', () => {
    const conn = httpConnection(1);
    const request = messageBytes(1, 5000);
    const reply = messageBytes(2, 1000);
    const { packets } = capture([
      [{ type: 'open', seq: 1, t: 0, conn }, conn],
      [dataEvent(2, 1, 'c2s', request), conn],
      [dataEvent(3, 1, 's2c', reply), conn],
    ]);
    const data = packets.slice(3).map((p) => p.ip);
    expect(data.map((p) => [flagNames(p.flags), p.payload.length, p.srcPort === 80 ? 's' : 'c'])).toEqual([
      ['ACK', TCP_MSS, 'c'],
      ['ACK', TCP_MSS, 'c'],
      ['ACK', TCP_MSS, 'c'],
      ['PSH/ACK', 5000 - 3 * TCP_MSS, 'c'],
      ['ACK', 0, 's'],
      ['PSH/ACK', 1000, 's'],
      ['ACK', 0, 'c'],
    ]);
    const streams = checkTcpConsistency(
      packets.map((p) => p.ip),
      50001,
    );
    expect(Buffer.from(streams.c2s).equals(Buffer.from(request))).toBe(true);
    expect(Buffer.from(streams.s2c).equals(Buffer.from(reply))).toBe(true);
  });

  it('never has more than TCP_WINDOW bytes unacknowledged', () => {
    const conn = httpConnection(1);
    const big = messageBytes(1, 300_000);
    const { packets } = capture([
      [{ type: 'open', seq: 1, t: 0, conn }, conn],
      [dataEvent(2, 1, 's2c', big), conn],
    ]);
    let inFlight = 0;
    for (const p of packets.slice(3).map((x) => x.ip)) {
      if (p.srcPort === 80) inFlight += p.payload.length;
      else inFlight = 0; // the client's ACK covers everything sent so far
      expect(inFlight).toBeLessThanOrEqual(TCP_WINDOW);
    }
    const streams = checkTcpConsistency(
      packets.map((p) => p.ip),
      50001,
    );
    expect(Buffer.from(streams.s2c).equals(Buffer.from(big))).toBe(true);
  });

  it('closes with FIN/ACK from the closer, ACK, the peer FIN/ACK, and the last ACK', () => {
    const conn = httpConnection(1);
    const { packets } = capture([
      [{ type: 'open', seq: 1, t: 0, conn }, conn],
      [dataEvent(2, 1, 'c2s', encoder.encode('QUIT\r\n')), conn],
      [{ type: 'close', seq: 3, t: 5, connId: 1, by: 'server' }, conn],
      [{ type: 'close', seq: 4, t: 6, connId: 1, by: 'client' }, conn], // a second close adds nothing
    ]);
    const tail = packets.slice(-4).map((p) => [flagNames(p.ip.flags), p.ip.srcPort === 80 ? 's' : 'c']);
    expect(tail).toEqual([
      ['FIN/ACK', 's'],
      ['ACK', 'c'],
      ['FIN/ACK', 'c'],
      ['ACK', 's'],
    ]);
    expect(packets).toHaveLength(3 + 2 + 4);
    checkTcpConsistency(
      packets.map((p) => p.ip),
      50001,
    );
  });

  it('resets with RST/ACK from the side that reset', () => {
    const conn = httpConnection(1);
    const { packets } = capture([
      [{ type: 'open', seq: 1, t: 0, conn }, conn],
      [{ type: 'reset', seq: 2, t: 1, connId: 1, by: 'client', reason: 'ECONNRESET' }, conn],
    ]);
    expect(flagNames(packets[3].ip.flags)).toBe('RST/ACK');
    expect(packets[3].ip.srcPort).toBe(50001);
    checkTcpConsistency(
      packets.map((p) => p.ip),
      50001,
    );
  });

  it('starts a connection first seen mid-stream with a handshake', () => {
    const conn = httpConnection(4);
    const { packets } = capture([[dataEvent(9, 4, 's2c', encoder.encode('220 ready\r\n')), conn]]);
    expect(packets.map((p) => flagNames(p.ip.flags))).toEqual(['SYN', 'SYN/ACK', 'ACK', 'PSH/ACK', 'ACK']);
  });

  it('carries bytes seen after a close on a fresh handshake instead of dropping them', () => {
    const conn = httpConnection(1);
    const { packets } = capture([
      [{ type: 'open', seq: 1, t: 0, conn }, conn],
      [{ type: 'close', seq: 2, t: 1, connId: 1, by: 'client' }, conn],
      [dataEvent(3, 1, 's2c', encoder.encode('late')), conn],
    ]);
    expect(packets.slice(7).map((p) => flagNames(p.ip.flags))).toEqual(['SYN', 'SYN/ACK', 'ACK', 'PSH/ACK', 'ACK']);
    expect(packets[7].ip.seq).not.toBe(packets[0].ip.seq);
  });

  it('writes nothing for the close of a connection it never saw, and forgets closed connections', () => {
    const conn = httpConnection(5);
    const other = dnsFlow(6);
    const { packets, writer } = capture([
      [{ type: 'close', seq: 1, t: 0, connId: 5, by: 'client' }, conn],
      [{ type: 'reset', seq: 2, t: 0, connId: 5, by: 'client' }, conn],
      [{ type: 'open', seq: 3, t: 0, conn: other }, other],
    ]);
    expect(packets).toHaveLength(0);
    expect(writer.openFlowCount).toBe(1);
    writer.writeEvent({ type: 'close', seq: 4, t: 1, connId: 6, by: 'client' }, other);
    writer.writeEvent({ type: 'open', seq: 5, t: 1, conn }, conn);
    writer.writeEvent({ type: 'reset', seq: 6, t: 1, connId: 5, by: 'server' }, conn);
    expect(writer.openFlowCount).toBe(0);
  });

  it('writes IPv6 endpoints as IPv6, and a mixed pair IPv4-mapped', () => {
    const v6 = httpConnection(1, {
      client: endpoint({ address: '::1', virtualAddress: '::1', port: 40000, virtualPort: 40000 }),
      server: endpoint({ address: '::1', virtualAddress: '2001:db8::80', port: 10080, virtualPort: 80 }),
    });
    const a = capture([[dataEvent(1, 1, 'c2s', encoder.encode('hi')), v6]]);
    expect(a.packets.every((p) => p.ip.version === 6)).toBe(true);
    expect(a.packets[0].ip.dst).toBe('2001:db8:0:0:0:0:0:80');
    const mixed = httpConnection(2, { client: endpoint({ address: '::1', virtualAddress: '::1', port: 40000, virtualPort: 40000 }) });
    const b = capture([[{ type: 'open', seq: 1, t: 0, conn: mixed }, mixed]]);
    expect(b.packets[0].ip.dst).toBe('0:0:0:0:0:ffff:8077:f50c');
  });

  it('falls back to the real address when the virtual one is not an IP, and refuses when neither is', () => {
    const named = httpConnection(1, { server: endpoint({ virtualAddress: 'gaia.cs.umass.edu', address: '127.0.0.1', port: 10080 }) });
    expect(capture([[{ type: 'open', seq: 1, t: 0, conn: named }, named]]).packets[0].ip.dst).toBe('127.0.0.1');
    const broken = httpConnection(2, { server: endpoint({ virtualAddress: 'nowhere', address: 'nothing' }) });
    expect(() => capture([[{ type: 'open', seq: 1, t: 0, conn: broken }, broken]])).toThrow(/neither "nowhere" nor "nothing"/);
  });

  it('refuses an event paired with another connection', () => {
    const writer = new PcapngWriter({ write() {} });
    expect(() => writer.writeEvent(dataEvent(1, 2, 'c2s', new Uint8Array(1)), httpConnection(1))).toThrow(/connection 2 was given connection 1/);
  });
});

describe('UDP synthesis', () => {
  it('writes one UDP packet per datagram in the direction of the event', () => {
    const conn = dnsFlow(1);
    const { packets } = capture([
      [{ type: 'open', seq: 1, t: 0, conn }, conn],
      [{ type: 'datagram', seq: 2, t: 1, connId: 1, dir: 'c2s', bytes: messageBytes(1, 30) }, conn],
      [{ type: 'datagram', seq: 3, t: 2, connId: 1, dir: 's2c', bytes: messageBytes(2, 60) }, conn],
      [{ type: 'close', seq: 4, t: 3, connId: 1, by: 'client' }, conn],
    ]);
    expect(packets.map((p) => [p.ip.protocol, p.ip.srcPort, p.ip.dstPort, p.ip.payload.length])).toEqual([
      [17, 40001, 53, 30],
      [17, 53, 40001, 60],
    ]);
    expect(packets[1].ip.src).toBe('128.119.40.186');
  });

  it('cuts a datagram longer than an IPv4 packet can carry to the UDP maximum and says so', () => {
    const conn = dnsFlow(1);
    const { packets } = capture([
      [{ type: 'datagram', seq: 1, t: 0, connId: 1, dir: 'c2s', bytes: new Uint8Array(65_507) }, conn],
      [{ type: 'datagram', seq: 2, t: 0, connId: 1, dir: 'c2s', bytes: new Uint8Array(65_508) }, conn],
    ]);
    expect(packets.map((p) => p.ip.payload.length)).toEqual([65_507, 65_507]);
    expect(packets[0].comment).not.toMatch(/cut/);
    expect(packets[1].comment).toMatch(/datagram of 65508 bytes cut to the 65507-byte UDP maximum/);
  });
});

describe('openPcapngFile', () => {
  it('writes the same blocks to a file as to a sink, readable while still open', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-pcapng-'));
    try {
      const file = path.join(dir, 'lab.pcapng');
      const conn = httpConnection(1);
      const events: Array<[CaptureEvent, ConnectionInfo]> = [
        [{ type: 'open', seq: 1, t: 0, conn }, conn],
        [dataEvent(2, 1, 'c2s', encoder.encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n')), conn],
      ];
      const out = openPcapngFile(file, { startEpochMs: START });
      for (const [e, c] of events) out.writer.writeEvent(e, c);
      expect(fs.readFileSync(file).equals(capture(events).file)).toBe(true); // no buffering
      out.close();
      out.close();
      expect(() => out.writer.writeEvent(events[1][0], conn)).toThrow(/closed/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
