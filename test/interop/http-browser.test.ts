// A real browser through the lab's web cache, set up as a student sets theirs: Debian's Chromium
// with its proxy at cache.poly.edu (127.0.0.1:offset+3128). It loads the course's page of eleven
// objects by host name, fills the cache, is served from it on the next visit, and submits the
// three forms of www.somesite.com through it. Skips with a printed reason without chromium, and
// fails under CI.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ResponseParser } from '../../src/protocols/http/parser';
import type { MessageSummary } from '../../src/shared/capture';
import type { Lab } from '../../src/main/lab/lab';
import { startLab, useLabs } from '../integration/http/helpers';
import { requireTool } from '../support/tools';
import { CHROMIUM_BASE_ARGS as CHROMIUM_ARGS } from '../support/chromium';

useLabs();

const chromiumPath = requireTool('chromium');

const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url));

/**
 * The e2e suite's headless flags (STACK.md). No --proxy-bypass-list: Chromium bypasses only
 * loopback by default, and the lab's hosts are names that no resolver on this machine knows, so
 * every page request has to go through the proxy (and a mistake would fail, not leak).
 */

/** How long one page load may take (eleven objects over loopback take well under a second). */
const LOAD_TIMEOUT_MS = 10_000;

const SCHOOL = 'www.someschool.edu';
const HOME = `http://${SCHOOL}/someDepartment/home.index`;
const HOME_PATH = '/someDepartment/home.index';
const IMAGE_PATHS = Array.from({ length: 10 }, (_, i) => `/someDepartment/images/img${i + 1}.jpg`);
/** The base file and its ten images: the course's example of one page with eleven objects. */
const OBJECT_PATHS = [HOME_PATH, ...IMAGE_PATHS];
/** Chromium also asks for the site's icon, which the school does not have (404); nothing else. */
const FAVICON_PATH = '/favicon.ico';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function launchThroughProxy(proxyPort: number): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: chromiumPath!, args: [...CHROMIUM_ARGS, `--proxy-server=http://127.0.0.1:${proxyPort}`] });
  cleanups.push(() => browser.close());
  return browser;
}

interface SeenResponse {
  url: string;
  status: number;
  xCache: string | undefined;
  via: string | undefined;
}

interface NetworkResponse {
  url: string;
  /** Chromium's id of the TCP connection the response arrived on. */
  connectionId: number;
  remote: string;
}

/** A page that records what Chromium requested, what came back, and over which connection. */
async function watchedPage(context: BrowserContext): Promise<{ page: Page; requests: string[]; responses: SeenResponse[]; network: NetworkResponse[] }> {
  const page = await context.newPage();
  page.setDefaultTimeout(LOAD_TIMEOUT_MS);
  const requests: string[] = [];
  const responses: SeenResponse[] = [];
  const network: NetworkResponse[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => {
    const h = r.headers();
    responses.push({ url: r.url(), status: r.status(), xCache: h['x-cache'], via: h.via });
  });
  // The DevTools protocol says which socket each response used (and skips the memory cache's).
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const fromMemory = new Set<string>();
  cdp.on('Network.requestServedFromCache', (e) => fromMemory.add(e.requestId));
  cdp.on('Network.responseReceived', (e) => {
    if (fromMemory.has(e.requestId) || e.response.fromDiskCache) return;
    network.push({ url: e.response.url, connectionId: e.response.connectionId, remote: `${e.response.remoteIPAddress}:${e.response.remotePort}` });
  });
  return { page, requests, responses, network };
}

/** Every message the capture holds so far. */
async function messages(lab: Lab): Promise<MessageSummary[]> {
  const total = (await lab.api.getSnapshot()).capture.totalMessages;
  return lab.api.listMessages(1, total);
}

/** The first line of a captured message, as the wire carried it. */
async function firstLine(lab: Lab, id: number): Promise<string> {
  const detail = await lab.api.getMessage(id);
  const text = Buffer.from(detail!.bytes, 'base64').toString('latin1');
  return text.slice(0, text.indexOf('\r\n'));
}

interface Exchange {
  request: MessageSummary;
  /** `GET /path HTTP/1.1` at an origin; `GET http://host/path HTTP/1.1` at the cache. */
  requestLine: string;
  status: number | null;
  responseHeaders: Map<string, string>;
}

/** The requests that reached `destination` (e.g. `www.someschool.edu:80`) after message `afterId`, with their answers. */
async function exchangesAt(lab: Lab, destination: string, afterId = 0): Promise<Exchange[]> {
  const all = await messages(lab);
  const byId = new Map(all.map((m) => [m.id, m]));
  const out: Exchange[] = [];
  for (const m of all) {
    if (m.id <= afterId || m.role !== 'request' || m.destination !== destination) continue;
    const answer = m.answeredBy === undefined ? undefined : byId.get(m.answeredBy);
    let status: number | null = null;
    const responseHeaders = new Map<string, string>();
    if (answer) {
      const parser = new ResponseParser();
      parser.expect((await firstLine(lab, m.id)).split(' ')[0]!);
      const detail = await lab.api.getMessage(answer.id);
      for (const ev of [...parser.push(Buffer.from(detail!.bytes, 'base64')), ...parser.end()]) {
        if (ev.type !== 'response') continue;
        status = ev.response.status;
        for (const h of ev.response.headers) responseHeaders.set(h.name.toLowerCase(), h.value);
      }
    }
    out.push({ request: m, requestLine: await firstLine(lab, m.id), status, responseHeaders });
  }
  return out;
}

/** The path of a request line's target, in origin form (`/a?b`) or absolute form (`http://host/a?b`). */
function pathOf(requestLine: string): string {
  return new URL(requestLine.split(' ')[1]!, 'http://origin-form.invalid').pathname;
}

/** Waits until the capture holds an answered request for each of `paths` at `destination`. */
async function untilAnswered(lab: Lab, destination: string, paths: string[], afterId: number): Promise<Exchange[]> {
  let seen: Exchange[] = [];
  await vi.waitFor(
    async () => {
      seen = await exchangesAt(lab, destination, afterId);
      const answered = new Set(seen.filter((e) => e.status !== null).map((e) => pathOf(e.requestLine)));
      expect(paths.filter((p) => !answered.has(p))).toEqual([]);
    },
    { timeout: 5_000, interval: 50 },
  );
  return seen;
}

async function lastMessageId(lab: Lab): Promise<number> {
  return (await lab.api.getSnapshot()).capture.totalMessages;
}

describe.skipIf(!chromiumPath)('Chromium through the web cache', () => {
  it('loads home.index and its 10 images by name through cache.poly.edu, over few connections, then gets them from the cache', async () => {
    const t = await startLab();
    const cache = await t.lab.api.getWebCache();
    const proxyPort = cache.proxy.port;
    const cacheAt = `${cache.proxy.hostname}:${cache.proxy.wellKnownPort}`;
    const worldHosts = new Set((await t.lab.api.getSnapshot()).hosts.map((h) => h.name));
    const labPorts = new Set(t.lab.serviceInfos().map((s) => s.port));
    // Every connection the lab itself opens (the cache's, to origin servers) goes through these.
    const connect = vi.spyOn(net, 'connect');
    const createConnection = vi.spyOn(net, 'createConnection');

    const browser = await launchThroughProxy(proxyPort);
    const first = await watchedPage(await browser.newContext({ viewport: { width: 900, height: 900 } }));
    const start = await lastMessageId(t.lab);
    await first.page.goto(HOME);

    // The page, whole: its title and ten decoded images.
    expect(await first.page.title()).toBe('Some Department: one page, eleven objects');
    const images = await first.page.$$eval('img', (imgs) => imgs.map((i) => ({ src: i.src, complete: i.complete, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight })));
    expect(images.map((i) => new URL(i.src).pathname)).toEqual(IMAGE_PATHS);
    for (const img of images) {
      expect(img.complete, img.src).toBe(true);
      expect(img.naturalWidth * img.naturalHeight, `${img.src} decoded`).toBeGreaterThan(0);
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await first.page.screenshot({ path: path.join(ARTIFACTS, 'home-index.png'), fullPage: true });

    // What Chromium asked for: the eleven objects, by the lab host's name, each through the proxy.
    expect(first.requests.map((u) => new URL(u).pathname).sort()).toEqual([...OBJECT_PATHS].sort());
    for (const url of first.requests) expect(worldHosts.has(new URL(url).hostname), url).toBe(true);
    expect(first.network.map((n) => new URL(n.url).pathname)).toEqual(expect.arrayContaining(OBJECT_PATHS));
    for (const n of first.network) expect(n.remote, n.url).toBe(`127.0.0.1:${proxyPort}`);
    // Each one a miss, fetched from the origin by the cache.
    const firstObjects = first.responses.filter((r) => OBJECT_PATHS.includes(new URL(r.url).pathname));
    expect(firstObjects).toHaveLength(11);
    for (const r of firstObjects) expect(r, r.url).toMatchObject({ status: 200, xCache: 'MISS', via: '1.1 cache.poly.edu:3128 (Protolab-cache/1.0)' });

    // The capture: the eleven GETs reached www.someschool.edu's server, each once, in origin form.
    const atOrigin = await untilAnswered(t.lab, `${SCHOOL}:80`, OBJECT_PATHS, start);
    const originPaths = atOrigin.map((e) => pathOf(e.requestLine));
    expect(originPaths.filter((p) => p !== FAVICON_PATH).sort()).toEqual([...OBJECT_PATHS].sort());
    expect(originPaths.filter((p) => p === FAVICON_PATH).length).toBeLessThanOrEqual(1);
    for (const e of atOrigin.filter((x) => pathOf(x.requestLine) !== FAVICON_PATH)) {
      expect(e.requestLine).toMatch(/^GET \/someDepartment\/\S+ HTTP\/1\.1$/);
      expect(e.status, e.requestLine).toBe(200);
    }

    // Persistent connections on both legs: fewer TCP connections than objects. Chromium's own
    // count of the sockets it used matches the connections the capture saw at the cache.
    const browserSockets = new Set(first.network.filter((n) => OBJECT_PATHS.includes(new URL(n.url).pathname)).map((n) => n.connectionId));
    const atCache = await untilAnswered(t.lab, cacheAt, OBJECT_PATHS, start);
    const cacheConnections = new Set(atCache.filter((e) => OBJECT_PATHS.includes(pathOf(e.requestLine))).map((e) => e.request.connId));
    expect(browserSockets.size).toBeLessThan(OBJECT_PATHS.length);
    expect(cacheConnections.size).toBe(browserSockets.size);
    const originConnections = new Set(atOrigin.map((e) => e.request.connId));
    expect(originConnections.size).toBeLessThan(OBJECT_PATHS.length);

    // Reload: Chromium asks for the base file again (a conditional GET with max-age=0), and the
    // cache answers it without a full response from the origin: from storage, or after the
    // origin's 304. On the wire that answer is often a 304, which Chromium shows as its stored 200
    // with the new headers. The images come from Chromium's memory cache.
    const beforeReload = await lastMessageId(t.lab);
    first.responses.length = 0;
    await first.page.reload();
    const reloaded = first.responses.find((r) => new URL(r.url).pathname === HOME_PATH);
    expect([200, 304]).toContain(reloaded?.status);
    expect(['HIT', 'REVALIDATED']).toContain(reloaded?.xCache);
    const reloadAtCache = (await untilAnswered(t.lab, cacheAt, [HOME_PATH], beforeReload)).find((e) => pathOf(e.requestLine) === HOME_PATH)!;
    expect([200, 304]).toContain(reloadAtCache.status);
    expect(['HIT', 'REVALIDATED']).toContain(reloadAtCache.responseHeaders.get('x-cache'));
    const originOnReload = await exchangesAt(t.lab, `${SCHOOL}:80`, beforeReload);
    expect(originOnReload.filter((e) => e.status !== 304)).toEqual([]);

    // A second student behind the same cache (a fresh browser profile, empty browser cache): all
    // eleven objects come from cache.poly.edu, and the origin sends no object again.
    const beforeSecond = await lastMessageId(t.lab);
    const second = await watchedPage(await browser.newContext());
    await second.page.goto(HOME);
    expect(await second.page.$$eval('img', (imgs) => imgs.filter((i) => i.complete && i.naturalWidth > 0).length)).toBe(10);
    const secondObjects = second.responses.filter((r) => OBJECT_PATHS.includes(new URL(r.url).pathname));
    expect(secondObjects).toHaveLength(11);
    for (const r of secondObjects) {
      expect(r.status, r.url).toBe(200);
      expect(['HIT', 'REVALIDATED'], r.url).toContain(r.xCache);
    }
    await untilAnswered(t.lab, cacheAt, OBJECT_PATHS, beforeSecond);
    const originOnSecond = await exchangesAt(t.lab, `${SCHOOL}:80`, beforeSecond);
    expect(originOnSecond.filter((e) => e.status !== 304)).toEqual([]);
    const stats = (await t.lab.api.getWebCache()).stats;
    expect(stats.hits + stats.revalidations).toBeGreaterThanOrEqual(12);
    expect(stats.misses).toBeGreaterThanOrEqual(11);

    // Nothing went anywhere else. Chromium's own background requests (update checks, sign-in)
    // reach the proxy too, since it is the browser's only way out; the cache answers those itself
    // (501 for CONNECT, 502 for hosts outside the world) and the lab connects only to its own
    // listeners on loopback.
    await vi.waitFor(
      async () => {
        for (const e of await exchangesAt(t.lab, cacheAt)) {
          const [method, target] = e.requestLine.split(' ');
          const host = method === 'CONNECT' ? target!.replace(/:\d+$/, '') : new URL(target!, `http://${cache.proxy.hostname}`).hostname;
          if (worldHosts.has(host)) continue;
          expect([501, 502], e.requestLine).toContain(e.status);
        }
      },
      { timeout: 2_000, interval: 50 },
    );
    const opened = [...connect.mock.calls, ...createConnection.mock.calls].map(([a, b]): { host?: string; port?: unknown } =>
      typeof a === 'object' ? (a as { host?: string; port?: unknown }) : { port: a, host: typeof b === 'string' ? b : undefined },
    );
    expect(opened.length).toBeGreaterThan(0);
    for (const o of opened) {
      expect(o.host).toBe('127.0.0.1');
      expect(labPorts.has(Number(o.port)), `port ${o.port}`).toBe(true);
    }
  });

  it("submits www.somesite.com's three forms through the cache; page1exec shows what Chromium encoded", async () => {
    const t = await startLab();
    const proxyPort = (await t.lab.api.getWebCache()).proxy.port;
    const browser = await launchThroughProxy(proxyPort);
    const { page, responses } = await watchedPage(await browser.newContext());
    /** Characters a form must encode: a space, "&" and "=" (which would split fields), and a non-ASCII letter. */
    const var1 = 'hello world';
    const var2 = 'café & crème=1';

    const sent: Array<{ button: string; url: string; method: string; contentType: string | undefined; foundIn: string }> = [
      { button: 'Send with GET', url: '', method: 'GET', contentType: undefined, foundIn: 'the query string in the request line (after "?")' },
      { button: 'Send with POST', url: '', method: 'POST', contentType: 'application/x-www-form-urlencoded', foundIn: 'the body, application/x-www-form-urlencoded' },
      { button: 'Send as multipart', url: '', method: 'POST', contentType: 'multipart/form-data', foundIn: 'the body, multipart/form-data part' },
    ];
    for (const s of sent) {
      await page.goto('http://www.somesite.com/');
      const form = page.locator('form', { has: page.getByRole('button', { name: s.button }) });
      await form.locator('input[name=var1]').fill(var1);
      await form.locator('input[name=var2]').fill(var2);
      const [request] = await Promise.all([page.waitForRequest((r) => new URL(r.url()).pathname === '/page1exec'), form.getByRole('button', { name: s.button }).click()]);
      await page.waitForLoadState('load');
      expect(request.method()).toBe(s.method);
      if (s.contentType) expect(request.headers()['content-type']).toContain(s.contentType);
      s.url = request.url();
      // The first table: the course's two fields as the server decoded them, and where it found them.
      const rows = await page.$$eval('table:first-of-type tr', (trs) => trs.slice(1).map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
      expect(rows.map((r) => r.slice(0, 2))).toEqual([
        ['var1', var1],
        ['var2', var2],
      ]);
      for (const r of rows) expect(r[2]).toContain(s.foundIn);
    }
    // GET put the fields in the URL, encoded as an HTML form does (RFC 1866 §8.2.1: + for a space).
    expect(new URL(sent[0]!.url).search).toBe('?var1=hello+world&var2=caf%C3%A9+%26+cr%C3%A8me%3D1');
    // Form answers are never stored (no-store, and a POST always goes to the origin).
    const answers = responses.filter((r) => new URL(r.url).pathname === '/page1exec');
    expect(answers.map((r) => `${r.status} ${r.xCache}`)).toEqual(['200 MISS', '200 MISS', '200 MISS']);
    const atOrigin = await exchangesAt(t.lab, 'www.somesite.com:80');
    expect(atOrigin.filter((e) => pathOf(e.requestLine) === '/page1exec').map((e) => e.requestLine.split(' ')[0])).toEqual(['GET', 'POST', 'POST']);
  });
});
