// The web cache in a real lab: a world with one web server the test runs itself (so it can count
// the requests that reach it and choose its caching headers) and the lab's cache.poly.edu.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Lab, defaultContentDir } from '../../../src/main/lab/lab';
import { NO_WEB_CACHE_MESSAGE } from '../../../src/main/lab/proxy/web-cache-service';
import type { WebCacheState } from '../../../src/shared/web-cache';
import { ACCESS_LINK_MAX_DELAY_MS } from '../../../src/shared/web-cache';
import { freePortOffset } from '../../support/ports';
import { requireTool } from '../../support/tools';

const ORIGIN = 'www.origin-test.edu';
const WORLD = `client: { name: cis.poly.edu, address: 128.238.2.93 }
hosts:
  # No server of the lab's own: the test listens on this host's loopback port (offset + 80).
  - name: ${ORIGIN}
    address: 10.20.30.40
    services: [{ protocol: test-origin, port: 80 }, { protocol: echo, port: 7 }]
  - name: cache.poly.edu
    address: 128.238.2.10
    services: [{ protocol: http-proxy, port: 3128 }]
`;

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

type OriginHandler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

/** A lab whose only web server is `handle`, with every request that reached it. */
async function startLab(handle: OriginHandler, world = WORLD) {
  const content = tempDir('protolab-proxy-content-');
  fs.writeFileSync(path.join(content, 'world.yaml'), world);
  const offset = await freePortOffset();
  const seen: http.IncomingMessage[] = [];
  const origin = http.createServer((req, res) => {
    seen.push(req);
    handle(req, res, seen.length);
  });
  await new Promise<void>((r) => origin.listen({ host: '127.0.0.1', port: offset + 80 }, () => r()));
  cleanups.push(() => new Promise<void>((r) => { origin.closeAllConnections(); origin.close(() => r()); }));
  // The test's origin is no lab web server: the cache is told it speaks HTTP too.
  const lab = await Lab.start({ dataDir: tempDir('protolab-proxy-data-'), contentDir: content, portOffset: offset, webCacheOriginProtocols: ['test-origin'] });
  cleanups.push(() => lab.stop());
  return { lab, offset, proxyPort: offset + 3128, seen };
}

interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** A request through the proxy, as a browser sends it: the whole URL in the request line. */
function viaProxy(proxyPort: number, url: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Fetched> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const host = url.startsWith('http://') ? new URL(url).host : '';
    const req = http.request({ host: '127.0.0.1', port: proxyPort, method, path: url, headers: { Host: host, ...headers }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `text` to the cache as it is and returns everything it answers until it closes. */
function raw(proxyPort: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // A Socket of its own, not net.connect: the tests spy on net.connect to see the cache's connections.
    const s = new net.Socket().connect({ host: '127.0.0.1', port: proxyPort }, () => s.write(text));
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
}

function page(res: http.ServerResponse, headers: Record<string, string>, body: string): void {
  res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

describe('the web cache in a lab', () => {
  it('fetches a miss from the origin once, then answers from storage with Age, Via and X-Cache: HIT', async () => {
    const { lab, proxyPort, seen } = await startLab((_req, res) => page(res, { 'Cache-Control': 'max-age=600', ETag: '"one"' }, '<p>file1</p>'));
    const states: WebCacheState[] = [];
    lab.api.on('webCache', (s) => states.push(s));
    const url = `http://${ORIGIN}/wireshark-labs/HTTP-wireshark-file1.html`;
    const miss = await viaProxy(proxyPort, url);
    expect(miss).toMatchObject({ status: 200, body: '<p>file1</p>' });
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers.via).toBe('1.1 cache.poly.edu:3128 (Protolab-cache/1.0)');
    const hit = await viaProxy(proxyPort, url);
    expect(hit).toMatchObject({ status: 200, body: '<p>file1</p>' });
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(Number(hit.headers.age)).toBeGreaterThanOrEqual(0);
    expect(seen).toHaveLength(1);
    // What the origin saw: origin-form, Host of the target, and the cache in Via.
    expect(seen[0].url).toBe('/wireshark-labs/HTTP-wireshark-file1.html');
    expect(seen[0].headers.host).toBe(ORIGIN);
    expect(seen[0].headers.via).toBe('1.1 cache.poly.edu:3128 (Protolab-cache/1.0)');

    const state = await lab.api.getWebCache();
    expect(state.proxy).toMatchObject({ hostname: 'cache.poly.edu', virtualAddress: '128.238.2.10', wellKnownPort: 3128, port: proxyPort, listening: true });
    expect(state.stats).toMatchObject({ requests: 2, hits: 1, misses: 1, hitRate: 0.5, originConnections: 1 });
    expect(state.entries).toEqual([expect.objectContaining({ url, status: 200, bodyBytes: 12, hits: 1, fresh: true, etag: '"one"', lifetimeSeconds: 600 })]);
    expect(state.recent.map((r) => r.outcome)).toEqual(['HIT', 'MISS']);
    await vi.waitFor(() => expect(states.at(-1)?.stats.requests).toBe(2));
  });

  it('revalidates a stale entry with a conditional GET; the 304 refreshes it, and the next request is a hit', async () => {
    const { lab, proxyPort, seen } = await startLab((req, res, n) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { ETag: '"v1"', 'Cache-Control': 'max-age=600', 'X-Refreshed': String(n) });
        res.end();
        return;
      }
      page(res, { 'Cache-Control': 'max-age=0', ETag: '"v1"' }, 'version 1');
    });
    const url = `http://${ORIGIN}/conditional.html`;
    expect((await viaProxy(proxyPort, url)).headers['x-cache']).toBe('MISS');
    expect((await lab.api.getWebCache()).entries[0]).toMatchObject({ fresh: false, lifetimeSeconds: 0 });
    const revalidated = await viaProxy(proxyPort, url);
    expect(revalidated).toMatchObject({ status: 200, body: 'version 1' });
    expect(revalidated.headers['x-cache']).toBe('REVALIDATED');
    expect(revalidated.headers['x-refreshed']).toBe('2');
    expect(seen[1].headers['if-none-match']).toBe('"v1"');
    const entry = (await lab.api.getWebCache()).entries[0];
    expect(entry).toMatchObject({ fresh: true, lifetimeSeconds: 600, hits: 1 });
    const hit = await viaProxy(proxyPort, url);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(seen).toHaveLength(2);
    expect((await lab.api.getWebCache()).stats).toMatchObject({ misses: 1, revalidations: 1, hits: 1 });
  });

  it('keeps one variant per Vary value', async () => {
    const { proxyPort, seen } = await startLab((req, res) => page(res, { 'Cache-Control': 'max-age=600', Vary: 'Accept-Language' }, `in ${req.headers['accept-language']}`));
    const url = `http://${ORIGIN}/lang.html`;
    const en1 = await viaProxy(proxyPort, url, { 'Accept-Language': 'en' });
    const fr = await viaProxy(proxyPort, url, { 'Accept-Language': 'fr' });
    const en2 = await viaProxy(proxyPort, url, { 'Accept-Language': 'en' });
    expect([en1, fr, en2].map((r) => `${r.headers['x-cache']} ${r.body}`)).toEqual(['MISS in en', 'MISS in fr', 'HIT in en']);
    expect(seen).toHaveLength(2);
  });

  it('does not store a no-store response', async () => {
    const { lab, proxyPort, seen } = await startLab((_req, res) => page(res, { 'Cache-Control': 'no-store' }, 'secret'));
    const url = `http://${ORIGIN}/private.html`;
    for (let i = 0; i < 2; i++) {
      const r = await viaProxy(proxyPort, url);
      expect(r.headers['x-cache']).toBe('MISS');
      expect(r.headers['x-cache-detail']).toContain('no-store');
    }
    expect(seen).toHaveLength(2);
    expect((await lab.api.getWebCache()).usage.entries).toBe(0);
  });

  it('answers a host outside the lab world with the offline page and connects nowhere', async () => {
    const { lab, proxyPort, seen } = await startLab((_req, res) => page(res, {}, 'x'));
    const connect = vi.spyOn(net, 'connect');
    const createConnection = vi.spyOn(net, 'createConnection');
    const r = await viaProxy(proxyPort, 'http://www.google.com/search?q=lab');
    expect(r.status).toBe(502);
    expect(r.body).toContain('The lab is offline');
    expect(r.body).toContain(ORIGIN);
    const refused: Array<[string, number, string]> = [
      ['http://127.0.0.1:22/', 502, 'not by loopback addresses'],
      ['http://[::1]:22/', 502, 'not by loopback addresses'],
      ['http://localhost./', 502, 'not by loopback addresses'],
      // The lab's echo server on the origin host: no HTTP server, so no HTTP request goes there.
      [`http://${ORIGIN}:7/`, 502, 'is its echo server, not a web server'],
      [`http://${ORIGIN}@127.0.0.1:${proxyPort - 3128 + 80}/`, 400, 'userinfo'],
    ];
    for (const [url, status, why] of refused) {
      const r = await raw(proxyPort, `GET ${url} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(r.split('\r\n')[0], url).toBe(`HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : 'Bad Gateway'}`);
      expect(r, url).toContain(why);
    }
    expect(connect).not.toHaveBeenCalled();
    expect(createConnection).not.toHaveBeenCalled();
    expect(seen).toHaveLength(0);
    expect((await lab.api.getWebCache()).stats).toMatchObject({ errors: 1 + refused.length, originConnections: 0, bytesToOrigins: 0 });
    // The spy does see the cache's connections: a world host is reached through it.
    await viaProxy(proxyPort, `http://${ORIGIN}/`);
    expect(connect).toHaveBeenCalledTimes(1);
    expect(connect.mock.calls[0][0]).toMatchObject({ host: '127.0.0.1' });
  });

  it('refuses CONNECT with an explanation (no TLS in the lab)', async () => {
    const { proxyPort } = await startLab((_req, res) => page(res, {}, 'x'));
    const reply = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: proxyPort }, () => s.write(`CONNECT ${ORIGIN}:443 HTTP/1.1\r\nHost: ${ORIGIN}:443\r\n\r\n`));
      let got = '';
      s.on('data', (d) => {
        got += d.toString('latin1');
        if (got.includes('</html>')) s.end();
      });
      s.on('close', () => resolve(got));
      s.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 501 Not Implemented\r\n/);
    expect(reply).toContain('The lab has no TLS');
  });

  it('keeps connections to the origin alive and reuses them', async () => {
    const { lab, proxyPort, seen } = await startLab((req, res) => page(res, { 'Cache-Control': 'no-store' }, req.url ?? ''));
    for (let i = 0; i < 4; i++) await viaProxy(proxyPort, `http://${ORIGIN}/p${i}.html`);
    expect(seen).toHaveLength(4);
    expect((await lab.api.getWebCache()).stats.originConnections).toBe(1);
  });

  it('delays a miss by the access link, and not a hit', async () => {
    const { lab, proxyPort } = await startLab((_req, res) => page(res, { 'Cache-Control': 'max-age=600' }, 'x'.repeat(1_000)));
    const set = await lab.api.setAccessLink({ delayMs: 200, bandwidthBps: null });
    expect(set.link).toEqual({ delayMs: 200, bandwidthBps: null });
    const miss = await viaProxy(proxyPort, `http://${ORIGIN}/slow.html`);
    const hit = await viaProxy(proxyPort, `http://${ORIGIN}/slow.html`);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(hit.headers['x-cache']).toBe('HIT');
    // The request crosses the link once each way: at least 2 x 200 ms. A hit never touches it.
    expect(miss.ms).toBeGreaterThanOrEqual(390);
    expect(hit.ms).toBeLessThan(300);
    const { stats } = await lab.api.getWebCache();
    expect(stats.responseTimes.miss.meanMs!).toBeGreaterThanOrEqual(390);
    expect(stats.responseTimes.hit.meanMs!).toBeLessThan(stats.responseTimes.miss.meanMs! - 200);
    expect(stats.bytesFromOrigins).toBeGreaterThan(1_000);
  });

  it('paces a miss by the bandwidth: bits / bandwidth on the link, and the throughput and utilization that follow', async () => {
    const { lab, proxyPort } = await startLab((_req, res) => page(res, { 'Cache-Control': 'no-store' }, 'y'.repeat(50_000)));
    const bandwidth = 1_000_000;
    const setAt = performance.now();
    await lab.api.setAccessLink({ delayMs: 0, bandwidthBps: bandwidth });
    const setDone = performance.now();
    const r = await viaProxy(proxyPort, `http://${ORIGIN}/big.bin`);
    expect(r.body).toHaveLength(50_000);
    const askedAt = performance.now();
    const { stats } = await lab.api.getWebCache();
    const answeredAt = performance.now();
    // About 400,000 bits (body and head) at 1 Mbps: 400 ms on the link, give or take timer lateness.
    const bits = stats.bytesFromOrigins * 8;
    expect(bits).toBeGreaterThan(400_000);
    const linkMs = (bits * 1000) / bandwidth;
    expect(r.ms).toBeGreaterThanOrEqual(linkMs * 0.95);
    expect(r.ms).toBeLessThan(linkMs + 250);
    // Throughput is the bits over the time since the measurement started (the setting, here), at least one 250 ms bucket.
    const fastest = (bits * 1000) / Math.max(askedAt - setDone, 250);
    const slowest = (bits * 1000) / (answeredAt - setAt);
    expect(stats.linkThroughputBps).toBeGreaterThanOrEqual(slowest * 0.99);
    expect(stats.linkThroughputBps).toBeLessThanOrEqual(Math.min(fastest * 1.01, bandwidth * 1.05));
    expect(stats.linkUtilization).toBeCloseTo(Math.min(1, stats.linkThroughputBps / bandwidth), 2);
    expect(stats.linkUtilization!).toBeGreaterThan(0.6);
  });

  it('checks access link settings and clears the cache on request', async () => {
    const { lab, proxyPort } = await startLab((_req, res) => page(res, { 'Cache-Control': 'max-age=600' }, 'z'));
    await expect(lab.api.setAccessLink({ delayMs: ACCESS_LINK_MAX_DELAY_MS + 1, bandwidthBps: null })).rejects.toThrow(`from 0 to ${ACCESS_LINK_MAX_DELAY_MS}`);
    await expect(lab.api.setAccessLink({ delayMs: 0, bandwidthBps: 5 })).rejects.toThrow(/bandwidthBps/);
    expect((await lab.api.getWebCache()).link).toEqual({ delayMs: 0, bandwidthBps: null });
    await viaProxy(proxyPort, `http://${ORIGIN}/a.html`);
    expect((await lab.api.getWebCache()).usage.entries).toBe(1);
    expect((await lab.api.getWebCache()).stats.originConnections).toBe(1);
    const cleared = await lab.api.clearWebCache();
    expect(cleared.usage).toEqual({ entries: 0, bytes: 0 });
    expect(cleared.stats).toMatchObject({ requests: 0, hitRate: null, bytesFromOrigins: 0, originConnections: 0 });
    expect((await viaProxy(proxyPort, `http://${ORIGIN}/a.html`)).headers['x-cache']).toBe('MISS');
  });

  it('sends at most a few webCache events a second, however many requests', async () => {
    const { lab, proxyPort } = await startLab((_req, res) => page(res, { 'Cache-Control': 'max-age=600' }, 'e'));
    const at: number[] = [];
    lab.api.on('webCache', () => at.push(performance.now()));
    const started = performance.now();
    for (let i = 0; i < 30; i++) await viaProxy(proxyPort, `http://${ORIGIN}/same.html`);
    await vi.waitFor(async () => expect(at.length).toBeGreaterThan(0));
    const elapsed = performance.now() - started;
    expect(at.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 2);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(200);
  });

  it('keeps its store across a stop and start of the service, and serves nothing while stopped', async () => {
    const { lab, proxyPort, seen } = await startLab((_req, res) => page(res, { 'Cache-Control': 'max-age=600' }, 'kept'));
    await viaProxy(proxyPort, `http://${ORIGIN}/k.html`);
    expect((await lab.api.stopService('cache.poly.edu/http-proxy/tcp')).state).toBe('stopped');
    await expect(viaProxy(proxyPort, `http://${ORIGIN}/k.html`)).rejects.toThrow(/ECONNREFUSED/);
    expect((await lab.api.getWebCache()).proxy.listening).toBe(false);
    expect((await lab.api.startService('cache.poly.edu/http-proxy/tcp')).state).toBe('listening');
    expect((await viaProxy(proxyPort, `http://${ORIGIN}/k.html`)).headers['x-cache']).toBe('HIT');
    expect(seen).toHaveLength(1);
  });

  it('sends POST and PUT bodies to a strict origin (Node\'s http) with one Content-Length, and counts them apart from misses', async () => {
    const { lab, proxyPort, seen } = await startLab((req, res) => {
      let got = '';
      req.setEncoding('latin1');
      req.on('data', (d: string) => (got += d));
      req.on('end', () => page(res, {}, `${req.method} got ${got.length}: ${got}`));
    });
    const form = 'var1=a&var2=b';
    const post = await viaProxy(proxyPort, `http://${ORIGIN}/page1exec`, { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(form.length) }, 'POST', form);
    expect(post).toMatchObject({ status: 200, body: `POST got 13: ${form}` });
    const put = await viaProxy(proxyPort, `http://${ORIGIN}/uploads/a.txt`, { 'Content-Length': '5' }, 'PUT', 'hello');
    expect(put).toMatchObject({ status: 200, body: 'PUT got 5: hello' });
    // A chunked body and Expect: 100-continue reach the origin as one body with its length.
    const chunked = await raw(proxyPort, `POST http://${ORIGIN}/page1exec HTTP/1.1\r\nHost: ${ORIGIN}\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n`);
    expect(chunked).toMatch(/^HTTP\/1\.1 (100 Continue\r\n\r\nHTTP\/1\.1 )?200 OK\r\n/);
    expect(chunked).toContain('POST got 5: hello');
    expect(seen.map((r) => r.headers['content-length'])).toEqual(['13', '5', '5']);
    expect(seen[2].headers['transfer-encoding']).toBeUndefined();
    expect(seen[2].headers.expect).toBeUndefined();
    const { stats } = await lab.api.getWebCache();
    expect(stats).toMatchObject({ passes: 3, misses: 0, hitRate: null });
  });

  it('passes on a response larger than the HTTP module\'s 10 MiB default body limit', async () => {
    const big = 'z'.repeat(11 * 1024 * 1024);
    const { proxyPort } = await startLab((_req, res) => page(res, { 'Cache-Control': 'no-store' }, big));
    const r = await viaProxy(proxyPort, `http://${ORIGIN}/video.bin`);
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(big.length);
  });

  it('stops the origin fetch and frees the link when the client hangs up during a slow miss', async () => {
    let originClosed = false;
    const { lab, proxyPort } = await startLab((req, res) => {
      req.socket.once('close', () => (originClosed = true));
      page(res, { 'Cache-Control': 'no-store' }, 's'.repeat(40_000));
    });
    // 320,000 bits at 8 kbit/s: 40 s on the link.
    await lab.api.setAccessLink({ delayMs: 0, bandwidthBps: 8_000 });
    const client = net.connect({ host: '127.0.0.1', port: proxyPort }, () => client.write(`GET http://${ORIGIN}/slow.bin HTTP/1.1\r\nHost: ${ORIGIN}\r\n\r\n`));
    client.on('error', () => {});
    await vi.waitFor(async () => expect((await lab.api.getWebCache()).stats.linkTransfers).toBe(1), { timeout: 3_000 });
    client.destroy();
    await vi.waitFor(async () => expect((await lab.api.getWebCache()).stats.linkTransfers).toBe(0), { timeout: 1_000 });
    await vi.waitFor(() => expect(originClosed).toBe(true), { timeout: 1_000 });
    const { recent } = await lab.api.getWebCache();
    expect(recent[0]).toMatchObject({ outcome: 'ERROR', bytes: 0 });
    expect(recent[0].reason).toContain('the client closed its connection');
  });

  it("serves its own page to a browser that opens the cache's loopback address, and answers OPTIONS *", async () => {
    const { proxyPort, seen } = await startLab((_req, res) => page(res, {}, 'x'));
    const home = await raw(proxyPort, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${proxyPort}\r\nConnection: close\r\n\r\n`);
    expect(home).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(home).toContain("the lab's web cache");
    const absolute = await raw(proxyPort, `GET http://127.0.0.1:${proxyPort}/ HTTP/1.1\r\nHost: 127.0.0.1:${proxyPort}\r\nConnection: close\r\n\r\n`);
    expect(absolute).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const options = await raw(proxyPort, 'OPTIONS * HTTP/1.1\r\nHost: cache.poly.edu\r\nConnection: close\r\n\r\n');
    expect(options).toMatch(/^HTTP\/1\.1 204 No Content\r\n/);
    expect(options).toContain('\r\nAllow: GET, HEAD, POST, PUT, DELETE, OPTIONS\r\n');
    expect(seen).toHaveLength(0);
  });

  it('says how to get a web cache when the world has none', async () => {
    const { lab } = await startLab((_req, res) => page(res, {}, ''), WORLD.split('  - name: cache.poly.edu')[0]);
    await expect(lab.api.getWebCache()).rejects.toThrow(NO_WEB_CACHE_MESSAGE);
    await expect(lab.api.setAccessLink({ delayMs: 0, bandwidthBps: null })).rejects.toThrow(/no web cache/);
  });
});

describe('curl through the web cache', () => {
  const curl = requireTool('curl');
  const run = promisify(execFile);

  it.skipIf(!curl)('curl -x fetches a page of a test origin through the cache: MISS, then HIT', async () => {
    const { proxyPort, seen } = await startLab((_req, res) => page(res, { 'Cache-Control': 'max-age=600' }, 'via curl'));
    const fetch = () => run(curl!, ['-s', '-i', '--noproxy', '', '-x', `http://127.0.0.1:${proxyPort}`, `http://${ORIGIN}/curl.html`], { encoding: 'latin1' });
    const first = (await fetch()).stdout;
    const second = (await fetch()).stdout;
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(first).toMatch(/\r\nX-Cache: MISS\r\n/);
    expect(first.endsWith('\r\n\r\nvia curl')).toBe(true);
    expect(second).toMatch(/\r\nX-Cache: HIT\r\n/);
    expect(second).toMatch(/\r\nAge: \d+\r\n/);
    expect(seen).toHaveLength(1);
  });

  it.skipIf(!curl)("curl -x reaches the lab's own web server for gaia.cs.umass.edu by name", async () => {
    const offset = await freePortOffset();
    const lab = await Lab.start({ dataDir: tempDir('protolab-proxy-shipped-'), contentDir: defaultContentDir(), portOffset: offset });
    cleanups.push(() => lab.stop());
    const url = 'http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html';
    const fetch = () => run(curl!, ['-s', '-i', '--noproxy', '', '-x', `http://127.0.0.1:${offset + 3128}`, url], { encoding: 'latin1' });
    const first = (await fetch()).stdout;
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(first).toMatch(/\r\nX-Cache: MISS\r\n/);
    expect(first).toContain('Via: 1.1 cache.poly.edu:3128');
    // The lab's pages carry validators: the second fetch is served from the store, fresh or after a 304.
    const second = (await fetch()).stdout;
    expect(second).toMatch(/\r\nX-Cache: (HIT|REVALIDATED)\r\n/);
    expect(second.split('\r\n\r\n')[1]).toBe(first.split('\r\n\r\n')[1]);
    const state = await lab.api.getWebCache();
    expect(state.entries.map((e) => e.url)).toEqual([url]);
  });
});
