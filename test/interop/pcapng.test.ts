// The pcapng export as Wireshark sees it: tshark reads the file, follows the TCP streams, checks
// every checksum, and dissects HTTP, DNS and SMTP by their standard ports.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureEvent, ConnectionInfo } from '../../src/shared/capture';
import { openPcapngFile } from '../../src/main/lab/capture/pcapng';
import { requireTool } from '../support/tools';
import { dnsFlow, encoder, endpoint, httpConnection, messageBytes } from '../unit/capture/support/fixtures';

const tshark = requireTool('tshark');
const capinfos = requireTool('capinfos', 'tshark');

const HTTP_REQUEST = encoder.encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
const HTTP_BODY = messageBytes(7, 300_000); // several windows' worth of segments
const HTTP_RESPONSE = Buffer.concat([
  encoder.encode(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${HTTP_BODY.length}\r\n\r\n`),
  HTTP_BODY,
]);
const SMTP_GREETING = encoder.encode('220 gaia.cs.umass.edu ESMTP Protolab\r\n');

/** RFC 1035 §4.1 message: header, one question, and (for the response) one A record. */
function dnsMessage(id: number, response: boolean): Uint8Array {
  const name: number[] = [];
  for (const label of ['gaia', 'cs', 'umass', 'edu']) name.push(label.length, ...encoder.encode(label));
  name.push(0);
  const header = [id >> 8, id & 0xff, response ? 0x81 : 0x01, response ? 0x80 : 0x00, 0, 1, 0, response ? 1 : 0, 0, 0, 0, 0];
  const question = [...name, 0, 1, 0, 1]; // QTYPE A, QCLASS IN
  // Answer: a pointer to the name at offset 12, TYPE A, CLASS IN, TTL 3600, RDLENGTH 4, 128.119.245.12.
  const answer = response ? [0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 128, 119, 245, 12] : [];
  return new Uint8Array([...header, ...question, ...answer]);
}

const http = httpConnection(1);
const dns = dnsFlow(2);
const smtp6 = httpConnection(3, {
  protocol: 'smtp',
  serviceId: 'gaia.cs.umass.edu/smtp',
  client: endpoint({ address: '::1', port: 41000, virtualAddress: '2001:db8::10', virtualPort: 41000 }),
  server: endpoint({ address: '::1', port: 10025, virtualAddress: '2001:db8::25', virtualPort: 25 }),
});

const EVENTS: Array<[CaptureEvent, ConnectionInfo]> = [
  [{ type: 'open', seq: 1, t: 0, conn: http }, http],
  [{ type: 'data', seq: 2, t: 1.2, connId: 1, dir: 'c2s', bytes: HTTP_REQUEST }, http],
  [{ type: 'data', seq: 3, t: 2.5, connId: 1, dir: 's2c', bytes: HTTP_RESPONSE }, http],
  [{ type: 'close', seq: 4, t: 3, connId: 1, by: 'client' }, http],
  [{ type: 'open', seq: 5, t: 4, conn: dns }, dns],
  [{ type: 'datagram', seq: 6, t: 4.1, connId: 2, dir: 'c2s', bytes: dnsMessage(0x1234, false) }, dns],
  [{ type: 'datagram', seq: 7, t: 4.3, connId: 2, dir: 's2c', bytes: dnsMessage(0x1234, true) }, dns],
  [{ type: 'open', seq: 8, t: 5, conn: smtp6 }, smtp6],
  [{ type: 'data', seq: 9, t: 5.5, connId: 3, dir: 's2c', bytes: SMTP_GREETING }, smtp6],
  [{ type: 'close', seq: 10, t: 6, connId: 3, by: 'server' }, smtp6],
];

let dir: string;
let file: string;
let packetCount: number;

function writeCapture(target: string, events: Array<[CaptureEvent, ConnectionInfo]>): number {
  const out = openPcapngFile(target, { startEpochMs: Date.UTC(2026, 10, 24, 9, 30) });
  for (const [event, conn] of events) out.writer.writeEvent(event, conn);
  const count = out.writer.packetCount;
  out.close();
  return count;
}

/** Runs tshark on a file with checksum validation on; returns stdout (stderr carries notices only). */
function runTshark(target: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(
    tshark!,
    ['-r', target, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', ...args],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** One row per packet. `cutShortIsFine`: tshark exits 2 on a truncated file after printing what it read. */
function fields(target: string, names: string[], filter?: string, cutShortIsFine = false): string[][] {
  const args = ['-T', 'fields', '-E', 'separator=|', ...names.flatMap((n) => ['-e', n])];
  if (filter) args.push('-Y', filter);
  const { stdout, stderr, status } = runTshark(target, args);
  const cutShort = cutShortIsFine && /cut short in the middle of a packet/.test(stderr);
  if (status !== 0 && !cutShort) throw new Error(`tshark failed (${status}): ${stderr}`);
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('|'));
}

/** `-z follow,tcp,raw,N`: the stream's bytes per direction (the second node's lines are indented). */
function followTcp(target: string, stream: number): { c2s: Buffer; s2c: Buffer } {
  const { stdout } = runTshark(target, ['-q', '-z', `follow,tcp,raw,${stream}`]);
  const c2s: Buffer[] = [];
  const s2c: Buffer[] = [];
  let inData = false;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('Node 1:')) {
      inData = true;
      continue;
    }
    if (!inData || line.startsWith('====') || line.trim() === '') continue;
    (line.startsWith('\t') ? s2c : c2s).push(Buffer.from(line.trim(), 'hex'));
  }
  return { c2s: Buffer.concat(c2s), s2c: Buffer.concat(s2c) };
}

describe.skipIf(!tshark || !capinfos)('pcapng export read by tshark', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-pcapng-interop-'));
    file = path.join(dir, 'lab.pcapng');
    packetCount = writeCapture(file, EVENTS);
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the three-way handshake between the world addresses', () => {
    const rows = fields(file, ['ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.flags.syn', 'tcp.flags.ack', 'tcp.seq', 'tcp.ack'], 'tcp.stream == 0');
    expect(rows.slice(0, 3)).toEqual([
      ['192.168.1.10', '128.119.245.12', '50001', '80', '1', '0', '0', '0'],
      ['128.119.245.12', '192.168.1.10', '80', '50001', '1', '1', '0', '1'],
      ['192.168.1.10', '128.119.245.12', '50001', '80', '0', '1', '1', '1'],
    ]);
  });

  it('reassembles each direction of the TCP streams to the bytes that were sent', () => {
    const httpStream = followTcp(file, 0);
    expect(httpStream.c2s.equals(Buffer.from(HTTP_REQUEST))).toBe(true);
    expect(httpStream.s2c.length).toBe(HTTP_RESPONSE.length);
    expect(httpStream.s2c.equals(HTTP_RESPONSE)).toBe(true);
    const smtpStream = followTcp(file, 1);
    expect(smtpStream.s2c.equals(Buffer.from(SMTP_GREETING))).toBe(true);
    expect(smtpStream.c2s.length).toBe(0);
  });

  it('has good IP, TCP and UDP checksums and no warnings, errors or malformed packets', () => {
    const bad = fields(
      file,
      ['frame.number', '_ws.expert.message'],
      '_ws.malformed || _ws.expert.severity >= 0x00600000 || ip.checksum.status != 1 || tcp.checksum.status != 1 || udp.checksum.status != 1',
    );
    expect(bad).toEqual([]);
    const statuses = fields(file, ['ip.checksum.status', 'tcp.checksum.status', 'udp.checksum.status']);
    expect(statuses).toHaveLength(packetCount);
    // IPv4 frames carry an IP header checksum; IPv6 has none (RFC 8200 §8.1 leaves it to the transport).
    for (const [ip, tcp, udp] of statuses) {
      expect(ip === '1' || ip === '').toBe(true);
      expect([tcp, udp]).toContain('1');
    }
  });

  it('keeps the lab-service comment on every packet', () => {
    const comments = fields(file, ['frame.comment']).map((row) => row[0]);
    expect(comments).toHaveLength(packetCount);
    expect(new Set(comments)).toEqual(
      new Set([
        'gaia.cs.umass.edu/http (lab port 127.0.0.1:10080)',
        'dns.poly.edu/dns (lab port 127.0.0.1:10053)',
        'gaia.cs.umass.edu/smtp (lab port ::1:10025)',
      ]),
    );
  });

  it('dissects the datagrams to port 53 as a DNS query and its answer', () => {
    expect(fields(file, ['dns.id', 'dns.flags.response', 'dns.qry.name', 'dns.a'], 'dns')).toEqual([
      ['0x1234', '0', 'gaia.cs.umass.edu', ''],
      ['0x1234', '1', 'gaia.cs.umass.edu', '128.119.245.12'],
    ]);
  });

  it('dissects the port 80 stream as HTTP', () => {
    expect(fields(file, ['http.request.method', 'http.host', 'http.response.code', 'http.content_length'], 'http')).toEqual([
      ['GET', 'x', '', ''],
      ['', '', '200', String(HTTP_BODY.length)],
    ]);
  });

  it('dissects the IPv6 port 25 stream as SMTP', () => {
    expect(fields(file, ['ipv6.src', 'smtp.response.code'], 'smtp')).toEqual([['2001:db8::25', '220']]);
  });

  it('marks a reset connection with RST from the side that reset', () => {
    const target = path.join(dir, 'reset.pcapng');
    const conn = httpConnection(9);
    writeCapture(target, [
      [{ type: 'open', seq: 1, t: 0, conn }, conn],
      [{ type: 'reset', seq: 2, t: 1, connId: 9, by: 'server', reason: 'ECONNRESET' }, conn],
    ]);
    expect(fields(target, ['tcp.srcport', 'tcp.flags.reset'], 'tcp.flags.reset == 1')).toEqual([['80', '1']]);
  });

  it('reads a file cut short in its last block up to the last whole packet', () => {
    const whole = fs.readFileSync(file);
    // The last block is the SMTP connection's final ACK (60 bytes with its comment and IPv6 header).
    const cut = path.join(dir, 'cut.pcapng');
    fs.writeFileSync(cut, whole.subarray(0, whole.length - 30));
    const frames = fields(cut, ['frame.number', 'tcp.flags.ack'], undefined, true);
    expect(frames).toHaveLength(packetCount - 1);
    expect(frames.at(-1)).toEqual([String(packetCount - 1), '1']);
    const info = spawnSync(capinfos!, ['-c', '-M', cut], { encoding: 'utf8' });
    expect(info.stdout).toMatch(new RegExp(`Number of packets:\\s+${packetCount - 1}\\b`));
    expect(info.stderr).toMatch(/cut short/);
  });
});
