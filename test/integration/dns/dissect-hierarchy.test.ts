// The breakdown of a real resolution, as the details pane builds it: the snapshot gives each DNS
// server of the world its place in the hierarchy, the capture gives each message's connection, and
// the renderer's dissectMessage turns both into "Sent by" / "Sent to" lines; the local name
// server's answer from its cache shows each TTL as the time left there.

import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RR_TYPE, encodeMessage, makeQuery } from '../../../src/protocols/dns';
import { type FieldNode, walkFields } from '../../../src/protocols/core/field';
import { getProtocol } from '../../../src/protocols/registry';
import { dissectMessage } from '../../../src/renderer/lib/dissection';
import type { MessageDetail } from '../../../src/shared/capture';
import type { WorldHostInfo } from '../../../src/shared/lab-api';
import { type TestLab, startTestLab } from '../../support/test-lab';

/** How long a test waits for one reply, or for the capture to hold a message, before failing. */
const WAIT_MS = 4_000;

/** The lab's clock stands still unless a test moves it on, so the resolver's cache ages by exact seconds. */
let clockMs = Date.UTC(2025, 0, 6, 9, 0, 0);
let t: TestLab;

beforeAll(async () => {
  t = await startTestLab({ now: () => clockMs });
});

afterAll(async () => {
  await t?.stop();
});

async function until<T>(probe: () => Promise<T | undefined | false>, what: string): Promise<T> {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends one recursive query to the resolver from a fresh socket (as the student's dig does); resolves with the local port once the reply is in. */
function askResolver(id: number): Promise<number> {
  const port = t.lab.serviceInfos().find((s) => s.hostname === 'dns.poly.edu' && s.protocol === 'dns' && s.transport === 'udp')?.port;
  if (port === undefined) throw new Error('no resolver in this lab');
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('the resolver did not answer'));
    }, WAIT_MS);
    socket.on('message', () => {
      clearTimeout(timer);
      const local = socket.address().port;
      socket.close();
      resolve(local);
    });
    socket.send(encodeMessage(makeQuery(id, 'gaia.cs.umass.edu', RR_TYPE.A)), port, '127.0.0.1');
  });
}

const find = (tree: readonly FieldNode[], id: string) => [...walkFields(tree)].map(([n]) => n).filter((n) => n.id === id);

async function dnsMessages(match: (d: MessageDetail) => boolean, count: number, what: string): Promise<MessageDetail[]> {
  return until(async () => {
    const list = (await t.lab.api.listMessages(1, 100_000)).filter((m) => m.protocol === 'dns');
    const details = (await Promise.all(list.map((m) => t.lab.api.getMessage(m.id)))).filter((d): d is MessageDetail => d !== null && match(d));
    return details.length >= count && details;
  }, what);
}

describe('the breakdown of a real resolution', () => {
  let hosts: WorldHostInfo[];

  it('the snapshot gives every DNS server of the world its place in the hierarchy, and other hosts none', async () => {
    hosts = (await t.lab.api.getSnapshot()).hosts;
    const role = (name: string) => hosts.find((h) => h.name === name)?.dnsRole;
    expect(role('dns.poly.edu')).toBe('resolver');
    expect(role('a.root-servers.net')).toBe('root');
    expect(role('a.edu-servers.net')).toBe('tld');
    expect(role('dns.cs.umass.edu')).toBe('authoritative');
    expect(role('gaia.cs.umass.edu')).toBeUndefined();
    expect(role('cache.poly.edu')).toBeUndefined();
  });

  it('names the root as the sender of its referral to the local name server', async () => {
    await askResolver(0x0a01);
    const [referral] = await dnsMessages((d) => d.conn?.server.hostname === 'a.root-servers.net' && d.dir === 's2c', 1, 'the root\'s reply in the capture');
    const d = dissectMessage(referral, getProtocol, null, hosts);
    expect(find(d.nodes, 'dns.sender')[0].display).toBe('Sent by: a.root-servers.net (198.41.0.4), a root server');
    expect(find(d.nodes, 'dns.receiver')[0].display).toBe('Sent to: dns.poly.edu (128.238.29.22), the local name server');
    expect(find(d.nodes, 'dns.rr.ttl.remaining')).toEqual([]);
  });

  it('a cache hit 58 s later: the local name server to the student\'s machine, each TTL the time left in its cache', async () => {
    clockMs += 58_000;
    const studentPort = await askResolver(0x0a02);
    const [reply] = await dnsMessages((d) => d.conn?.client.port === studentPort && d.dir === 's2c', 1, 'the cached answer in the capture');
    const d = dissectMessage(reply, getProtocol, null, hosts);
    expect(find(d.nodes, 'dns.sender')[0].display).toBe('Sent by: dns.poly.edu (128.238.29.22), the local name server');
    expect(find(d.nodes, 'dns.receiver')[0].display).toBe("Sent to: cis.poly.edu (128.238.2.93), the student's machine");
    const [ttl] = find(d.nodes, 'dns.rr.ttl');
    expect(ttl.value).toBe(3600 - 58);
    expect(ttl.children?.map((c) => [c.id, c.value])).toEqual([['dns.rr.ttl.remaining', 3542]]);
    expect(d.explanation?.text).toContain('(dns.poly.edu may keep it 59 minutes 2 seconds more)');
  });
});
