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
    services: [{ protocol: test-origin, port: 80 }]
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
  const lab = await Lab.start({ dataDir: tempDir('protolab-proxy-data-'), contentDir: content, portOffset: offset });
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
function viaProxy(proxyPort: number, url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Fetched> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, method, path: url, headers: { Host: new URL(url).host, ...headers }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end();
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
    const refused = await viaProxy(proxyPort, 'http://127.0.0.1:22/');
    expect(refused.status).toBe(502);
    expect(connect).not.toHaveBeenCalled();
    expect(createConnection).not.toHaveBeenCalled();
    expect(seen).toHaveLength(0);
    expect((await lab.api.getWebCache()).stats).toMatchObject({ errors: 2, originConnections: 0, bytesToOrigins: 0 });
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

  it('paces a miss by the bandwidth and reports the utilization', async () => {
    const { lab, proxyPort } = await startLab((_req, res) => page(res, { 'Cache-Control': 'no-store' }, 'y'.repeat(25_000)));
    // 200,000 bits of body at 1 Mbps: at least 200 ms on the link.
    await lab.api.setAccessLink({ delayMs: 0, bandwidthBps: 1_000_000 });
    const r = await viaProxy(proxyPort, `http://${ORIGIN}/big.bin`);
    expect(r.body).toHaveLength(25_000);
    expect(r.ms).toBeGreaterThanOrEqual(190);
    const { stats } = await lab.api.getWebCache();
    expect(stats.linkUtilization).toBeGreaterThan(0);
    expect(stats.linkUtilization).toBeLessThanOrEqual(1);
    expect(stats.linkThroughputBps).toBeGreaterThan(0);
  });

  it('checks access link settings and clears the cache on request', async () => {
    const { lab, proxyPort } = await startLab((_req, res) => page(res, { 'Cache-Control': 'max-age=600' }, 'z'));
    await expect(lab.api.setAccessLink({ delayMs: ACCESS_LINK_MAX_DELAY_MS + 1, bandwidthBps: null })).rejects.toThrow(`from 0 to ${ACCESS_LINK_MAX_DELAY_MS}`);
    await expect(lab.api.setAccessLink({ delayMs: 0, bandwidthBps: 5 })).rejects.toThrow(/bandwidthBps/);
    expect((await lab.api.getWebCache()).link).toEqual({ delayMs: 0, bandwidthBps: null });
    await viaProxy(proxyPort, `http://${ORIGIN}/a.html`);
    expect((await lab.api.getWebCache()).usage.entries).toBe(1);
    const cleared = await lab.api.clearWebCache();
    expect(cleared.usage).toEqual({ entries: 0, bytes: 0 });
    expect(cleared.stats).toMatchObject({ requests: 0, hitRate: null, bytesFromOrigins: 0 });
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
