// The cache's connections to origin servers, against raw TCP servers that misbehave on purpose:
// silence (read timeout), closing a kept-alive connection instead of answering (retry), idle limits.

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessLink } from '../../../src/main/lab/proxy/access-link';
import { ORIGIN_POOL_IDLE_MS, ORIGIN_POOL_MAX_IDLE_PER_ORIGIN, ORIGIN_READ_TIMEOUT_MS } from '../../../src/main/lab/proxy/limits';
import { systemLinkClock } from '../../../src/main/lab/proxy/link-clock';
import type { OriginTarget } from '../../../src/main/lab/proxy/origin-connection';
import { OriginPool } from '../../../src/main/lab/proxy/origin-pool';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

/**
 * A raw origin: `onRequest(n, i)` decides what the i-th request on the n-th connection gets
 * (a response to write, now or after a while, 'close' to hang up instead, or 'silent').
 */
type RawAnswer = string | 'close' | 'silent' | { afterMs: number; text: string };

async function rawOrigin(onRequest: (connection: number, request: number) => RawAnswer): Promise<{ target: OriginTarget; connections: () => number }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const n = ++connections;
    let requests = 0;
    let buffered = '';
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('data', (d) => {
      buffered += d.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        const what = onRequest(n, ++requests);
        if (what === 'close') socket.destroy();
        else if (typeof what === 'object') setTimeout(() => socket.write(what.text), what.afterMs);
        else if (what !== 'silent') socket.write(what);
      }
    });
  });
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, () => r()));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const port = (server.address() as net.AddressInfo).port;
  return { target: { address: '127.0.0.1', port, hostname: 'www.origin-test.edu', virtualAddress: '10.20.30.40', virtualPort: 80 }, connections: () => connections };
}

function pool(options: Partial<ConstructorParameters<typeof OriginPool>[0]> = {}): OriginPool {
  const link = new AccessLink();
  const p = new OriginPool({ link, clock: systemLinkClock, captureFor: () => undefined, ...options });
  cleanups.push(() => p.closeAll());
  return p;
}

const GET = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: www.origin-test.edu\r\n\r\n');
const POST = new TextEncoder().encode('POST / HTTP/1.1\r\nHost: www.origin-test.edu\r\nContent-Length: 0\r\n\r\n');

describe('connections to origin servers', () => {
  it('has named limits', () => {
    expect(ORIGIN_READ_TIMEOUT_MS).toBe(30_000);
    expect(ORIGIN_POOL_IDLE_MS).toBeLessThan(5_000); // under the lab server's keep-alive timeout
    expect(ORIGIN_POOL_MAX_IDLE_PER_ORIGIN).toBeGreaterThan(0);
  });

  it('gives up on an origin that stays silent past the read timeout, and waits for one that answers within it', async () => {
    const silent = await rawOrigin(() => 'silent');
    const p = pool({ readTimeoutMs: 300 });
    expect((await p.fetch(silent.target, 'GET', GET)).result).toMatchObject({ ok: false, kind: 'timeout', message: 'www.origin-test.edu sent nothing for 0.3 s' });
    const slow = await rawOrigin(() => ({ afterMs: 100, text: OK }));
    expect((await p.fetch(slow.target, 'GET', GET)).result).toMatchObject({ ok: true, response: { status: 200 } });
  });

  it('reuses a kept-alive connection, and opens a new one once it has been idle past the limit', async () => {
    const origin = await rawOrigin(() => OK);
    const p = pool({ idleMs: 200 });
    expect((await p.fetch(origin.target, 'GET', GET)).newConnection).toBe(true);
    expect((await p.fetch(origin.target, 'GET', GET)).newConnection).toBe(false);
    expect(origin.connections()).toBe(1);
    expect(p.idleCount).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect((await p.fetch(origin.target, 'GET', GET)).newConnection).toBe(true);
    expect(p.connectionsOpened).toBe(2);
  });

  it('keeps at most the idle limit of connections per origin', async () => {
    const origin = await rawOrigin(() => OK);
    const p = pool({ maxIdlePerOrigin: 1 });
    await Promise.all([p.fetch(origin.target, 'GET', GET), p.fetch(origin.target, 'GET', GET), p.fetch(origin.target, 'GET', GET)]);
    expect(p.connectionsOpened).toBe(3);
    expect(p.idleCount).toBe(1);
  });

  it('sends a GET again on a new connection when a kept-alive one closes instead of answering, but not a POST', async () => {
    // The second request on any connection is met with a hang-up (a server whose keep-alive ran out).
    const origin = await rawOrigin((_n, i) => (i === 1 ? OK : 'close'));
    const p = pool();
    await p.fetch(origin.target, 'GET', GET);
    const retried = await p.fetch(origin.target, 'GET', GET);
    expect(retried).toMatchObject({ newConnection: true, result: { ok: true } });
    expect(origin.connections()).toBe(2);
    const post = await p.fetch(origin.target, 'POST', POST);
    expect(post).toMatchObject({ newConnection: false, result: { ok: false, kind: 'closed', message: 'www.origin-test.edu closed the connection without answering' } });
  });

  it('says who refused when nothing listens', async () => {
    const origin = await rawOrigin(() => OK);
    cleanups.splice(0).forEach((c) => c()); // stop the server: its port is now closed
    const r = await pool().fetch(origin.target, 'GET', GET);
    expect(r.result).toMatchObject({ ok: false, kind: 'refused' });
    expect(!r.result.ok && r.result.message).toContain('www.origin-test.edu refused the connection');
  });

  it('reports an answer that is not HTTP', async () => {
    const origin = await rawOrigin(() => 'SSH-2.0-OpenSSH\r\n');
    const r = await pool().fetch(origin.target, 'GET', GET);
    expect(r.result).toMatchObject({ ok: false, kind: 'invalid' });
    expect(!r.result.ok && r.result.message).toContain('not valid HTTP');
  });
});
