// The cache's connections to origin servers, against raw TCP servers that misbehave on purpose:
// silence (read timeout), closing a kept-alive connection instead of answering (retry), idle limits.

import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccessLink } from '../../../src/main/lab/proxy/access-link';
import { SITE_MAX_FILE_BYTES } from '../../../src/main/lab/http/sites/file-response';
import { ORIGIN_POOL_IDLE_MS, ORIGIN_POOL_MAX_IDLE_PER_ORIGIN, ORIGIN_READ_TIMEOUT_MS, WEB_CACHE_MAX_RESPONSE_BYTES } from '../../../src/main/lab/proxy/limits';
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
type RawAnswer = string | 'close' | 'silent' | { afterMs: number; text: string } | { text: string; thenAfterMs: number; more: string };

async function rawOrigin(onRequest: (connection: number, request: number) => RawAnswer): Promise<{ target: OriginTarget; connections: () => number; closed: () => number }> {
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
        else if (typeof what === 'object' && 'more' in what) {
          socket.write(what.text);
          setTimeout(() => socket.write(what.more), what.thenAfterMs);
        } else if (typeof what === 'object') setTimeout(() => socket.write(what.text), what.afterMs);
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
  return { target: { address: '127.0.0.1', port, hostname: 'www.origin-test.edu', virtualAddress: '10.20.30.40', virtualPort: 80 }, connections: () => connections, closed: () => [...sockets].filter((s) => s.destroyed || s.readableEnded).length };
}

function pool(options: Partial<ConstructorParameters<typeof OriginPool>[0]> = {}): OriginPool {
  const link = options.link ?? new AccessLink();
  cleanups.push(() => link.dispose());
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
    // Every file the lab's web servers send gets through the cache.
    expect(WEB_CACHE_MAX_RESPONSE_BYTES).toBeGreaterThanOrEqual(SITE_MAX_FILE_BYTES);
  });

  it('gives up on an origin that stays silent past the read timeout, and waits for one that answers within it', async () => {
    const silent = await rawOrigin(() => 'silent');
    const p = pool({ readTimeoutMs: 300 });
    expect(await p.fetch(silent.target, 'GET', GET)).toMatchObject({ ok: false, kind: 'timeout', message: 'www.origin-test.edu sent nothing for 0.3 s' });
    const slow = await rawOrigin(() => ({ afterMs: 100, text: OK }));
    expect(await p.fetch(slow.target, 'GET', GET)).toMatchObject({ ok: true, response: { status: 200 } });
  });

  it('reuses a kept-alive connection, and opens a new one once it has been idle past the limit', async () => {
    const origin = await rawOrigin(() => OK);
    const p = pool({ idleMs: 200 });
    await p.fetch(origin.target, 'GET', GET);
    expect(p.connectionsOpened).toBe(1);
    await p.fetch(origin.target, 'GET', GET);
    expect(p.connectionsOpened).toBe(1);
    expect(origin.connections()).toBe(1);
    expect(p.idleCount).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    await p.fetch(origin.target, 'GET', GET);
    expect(p.connectionsOpened).toBe(2);
    p.resetCount();
    expect(p.connectionsOpened).toBe(0);
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
    expect(retried).toMatchObject({ ok: true });
    expect(origin.connections()).toBe(2);
    const post = await p.fetch(origin.target, 'POST', POST);
    expect(post).toMatchObject({ ok: false, kind: 'closed', message: 'www.origin-test.edu closed the connection without answering' });
    expect(origin.connections()).toBe(2);
  });

  it('says who refused when nothing listens', async () => {
    const origin = await rawOrigin(() => OK);
    cleanups.splice(0).forEach((c) => c()); // stop the server: its port is now closed
    const r = await pool().fetch(origin.target, 'GET', GET);
    expect(r).toMatchObject({ ok: false, kind: 'refused' });
    expect(!r.ok && r.message).toContain('www.origin-test.edu refused the connection');
  });

  it('reports an answer that is not HTTP', async () => {
    const origin = await rawOrigin(() => 'SSH-2.0-OpenSSH\r\n');
    const r = await pool().fetch(origin.target, 'GET', GET);
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
    expect(!r.ok && r.message).toContain('not valid HTTP');
  });

  it('does not count time on the access link as the origin\'s silence: a slow link is no read timeout', async () => {
    const body = 'b'.repeat(1_000);
    const origin = await rawOrigin(() => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    // 400 ms each way, and about 1,040 bytes at 16 kbit/s: about 1.3 s, far past the 300 ms read timeout.
    const link = new AccessLink({ settings: { delayMs: 400, bandwidthBps: 16_000 } });
    const p = pool({ link, readTimeoutMs: 300 });
    const started = performance.now();
    const r = await p.fetch(origin.target, 'GET', GET);
    expect(r).toMatchObject({ ok: true, response: { status: 200 } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_200);
  });

  it('still times out an origin that goes silent in the middle of its answer on a slow link', async () => {
    const origin = await rawOrigin(() => 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this');
    const link = new AccessLink({ settings: { delayMs: 200, bandwidthBps: 8_000 } });
    const p = pool({ link, readTimeoutMs: 300 });
    const started = performance.now();
    const r = await p.fetch(origin.target, 'GET', GET);
    expect(r).toMatchObject({ ok: false, kind: 'timeout', beforeResponse: false });
    // The request's 200 ms out, the bytes' time on the link back, then the 300 ms of silence.
    expect(performance.now() - started).toBeGreaterThanOrEqual(700);
  });

  it('refuses a response over the size limit with a 502-worthy reason, and passes one at the limit', async () => {
    const at = await rawOrigin(() => `HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n${'a'.repeat(1_000)}`);
    const over = await rawOrigin(() => `HTTP/1.1 200 OK\r\nContent-Length: 1001\r\n\r\n${'a'.repeat(1_001)}`);
    const chunked = await rawOrigin(() => `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n${'a'.repeat(1_001)}\r\n0\r\n\r\n`);
    const p = pool({ maxResponseBytes: 1_000 });
    expect(await p.fetch(at.target, 'GET', GET)).toMatchObject({ ok: true, response: { status: 200 } });
    for (const origin of [over, chunked]) {
      const r = await p.fetch(origin.target, 'GET', GET);
      expect(r).toMatchObject({ ok: false, kind: 'too-large' });
      expect(!r.ok && r.message).toContain('larger than 1000 bytes, the most the web cache passes on in one response');
    }
  });

  it('closes the origin connection and frees the link when the client hangs up during a slow transfer', async () => {
    const body = 'c'.repeat(20_000);
    const origin = await rawOrigin(() => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    // 160,000 bits at 8 kbit/s: 20 s on the link.
    const link = new AccessLink({ settings: { delayMs: 0, bandwidthBps: 8_000 } });
    const p = pool({ link });
    const client = new AbortController();
    const fetching = p.fetch(origin.target, 'GET', GET, client.signal);
    await vi.waitFor(() => expect(link.transfersInProgress).toBe(1));
    const abortedAt = performance.now();
    client.abort();
    const r = await fetching;
    expect(performance.now() - abortedAt).toBeLessThan(200);
    expect(r).toMatchObject({ ok: false, kind: 'cancelled' });
    expect(link.transfersInProgress).toBe(0);
    await vi.waitFor(() => expect(origin.closed()).toBe(1));
    expect(p.idleCount).toBe(0);
    // An aborted signal stops a fetch before it starts.
    expect(await p.fetch(origin.target, 'GET', GET, AbortSignal.abort())).toMatchObject({ ok: false, kind: 'cancelled' });
  });

  it('does not reuse a connection while bytes of it are still on the link', async () => {
    // After each response the origin sends a stray byte; over a link with delay it is still on its way when the response is complete.
    const origin = await rawOrigin(() => ({ text: OK, thenAfterMs: 20, more: 'x' }));
    const link = new AccessLink({ settings: { delayMs: 100, bandwidthBps: null } });
    const p = pool({ link });
    expect(await p.fetch(origin.target, 'GET', GET)).toMatchObject({ ok: true });
    expect(await p.fetch(origin.target, 'GET', GET)).toMatchObject({ ok: true });
    expect(origin.connections()).toBe(2);
  });
});
