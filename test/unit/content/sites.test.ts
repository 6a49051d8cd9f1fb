// The lab's web content (content/sites/) and its manifest (sites.yaml): every file the manifest
// names is there, every link on every page lands on something the server will answer, nothing
// points off the lab, and the images are real files that a browser decodes. The last part loads
// each page in Debian's chromium with every request answered from content/sites/ itself, so the
// check needs no HTTP server and no network.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chromium, type Browser, type Page, type Route } from 'playwright-core';
import { IMAGE_COLOURS, Raster, encodeGif, encodeJpeg, lzwEncode, renderSiteImages, type Rgb } from '../../../scripts/make-site-images.mjs';
import { requireTool } from '../../support/tools';
import { CHROMIUM_BASE_ARGS } from '../../support/chromium';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SITES = path.join(ROOT, 'content', 'sites');

/** Handlers the manifest may name; the HTTP server implements exactly these. */
const KNOWN_HANDLERS = ['form-echo', 'cart'];
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'];
/** The classic lab's long page must not fit in one Ethernet-sized segment, by a wide margin. */
const LONG_PAGE_MIN_BYTES = 4096;
/** GIF's LZW code table holds 4096 codes (12-bit codes, GIF89a Appendix F). */
const GIF_CODE_TABLE_SIZE = 4096;
/** A GIF data sub-block carries at most 255 bytes (GIF89a section 15). */
const GIF_SUB_BLOCK_MAX = 255;

interface Redirect { from: string; to: string; status: number }
interface AuthRealm { prefix: string; scheme: string; realm: string; users: { name: string; password: string }[] }
interface DynamicRoute { path: string; handler: string; methods: string[]; options?: Record<string, unknown> }
interface UploadArea { prefix: string; folder: string; seedFrom?: string; maxBytes: number }
interface SiteHost {
  name: string;
  description: string;
  root: string;
  index?: string[];
  mimeTypes?: Record<string, string>;
  redirects?: Redirect[];
  auth?: AuthRealm[];
  dynamic?: DynamicRoute[];
  uploads?: UploadArea[];
}
interface SitesManifest {
  version: number;
  defaultHost: string;
  defaults: { index: string[]; mimeTypes: Record<string, string>; fallbackMimeType: string };
  hosts: SiteHost[];
}

const manifestText = fs.readFileSync(path.join(SITES, 'sites.yaml'), 'utf8');
const manifest = parse(manifestText) as SitesManifest;
const hostNames = manifest.hosts.map((h) => h.name);
const hostByName = new Map(manifest.hosts.map((h) => [h.name, h]));

function host(name: string): SiteHost {
  const found = hostByName.get(name);
  if (!found) throw new Error(`sites.yaml has no host ${name}`);
  return found;
}

function rootOf(h: SiteHost): string {
  return path.join(SITES, h.root);
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), relative) : [relative];
  });
}

function mimeTypesOf(h: SiteHost): Map<string, string> {
  return new Map(Object.entries({ ...manifest.defaults.mimeTypes, ...h.mimeTypes }).map(([ext, type]) => [ext.toLowerCase(), type]));
}

function mimeTypeOf(h: SiteHost, file: string): string {
  return mimeTypesOf(h).get(path.extname(file).toLowerCase()) ?? manifest.defaults.fallbackMimeType;
}

/** The host's files that the server labels text/html. */
function pagesOf(h: SiteHost): string[] {
  return listFiles(rootOf(h)).filter((f) => mimeTypeOf(h, f).startsWith('text/html'));
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** A relative path that stays where it is put: no "..", no absolute path, no backslash. */
function isPlainRelativePath(p: string): boolean {
  return p.length > 0 && !path.isAbsolute(p) && !p.includes('\\') && !p.split('/').some((s) => s === '..' || s === '.' || s === '');
}

type Answer = { kind: 'file'; file: string } | { kind: 'redirect'; to: string } | { kind: 'dynamic'; handler: string } | { kind: 'upload'; file: string | null } | { kind: 'missing' };

/** What the server is meant to answer for a GET of `urlPath` on host `h`, from the manifest and the files. */
function answerFor(h: SiteHost, urlPath: string): Answer {
  const decoded = decodeURIComponent(urlPath);
  const redirect = h.redirects?.find((r) => r.from === decoded);
  if (redirect) return { kind: 'redirect', to: redirect.to };
  const route = h.dynamic?.find((d) => decoded === d.path || decoded.startsWith(`${d.path}/`));
  if (route) return { kind: 'dynamic', handler: route.handler };
  const upload = h.uploads?.find((u) => decoded.startsWith(u.prefix));
  if (upload) {
    // Before any PUT, the uploads folder holds what seedFrom ships.
    const seeded = upload.seedFrom ? path.join(rootOf(h), upload.seedFrom, decoded.slice(upload.prefix.length)) : null;
    return { kind: 'upload', file: seeded && fs.existsSync(seeded) && fs.statSync(seeded).isFile() ? seeded : null };
  }
  const target = path.resolve(rootOf(h), `.${decoded}`);
  if (target !== rootOf(h) && !isInside(rootOf(h), target)) return { kind: 'missing' };
  if (decoded.endsWith('/')) {
    for (const name of h.index ?? manifest.defaults.index) {
      const candidate = path.join(target, name);
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return { kind: 'file', file: candidate };
    }
    return { kind: 'missing' };
  }
  return fs.existsSync(target) && fs.statSync(target).isFile() ? { kind: 'file', file: target } : { kind: 'missing' };
}

/** Attribute values that make a client fetch or navigate: links, embedded objects, form targets. */
function referencesIn(html: string): string[] {
  const refs: string[] = [];
  const attribute = /\s(href|src|action|srcset|poster|data|formaction|background|cite)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>"']+))/gi;
  for (const m of html.matchAll(attribute)) refs.push(m[3] ?? m[4] ?? m[5] ?? '');
  return refs.map((r) => r.replaceAll('&amp;', '&'));
}

/** Every text file of the sites, with host and path: the pages, the README, the catalogue. */
function textFiles(): { host: SiteHost; file: string; text: string }[] {
  return manifest.hosts.flatMap((h) =>
    listFiles(rootOf(h))
      .filter((f) => /^(text\/|application\/json)/.test(mimeTypeOf(h, f)))
      .map((f) => ({ host: h, file: f, text: fs.readFileSync(path.join(rootOf(h), f), 'utf8') })),
  );
}

function startsWithBytes(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

describe('sites.yaml', () => {
  it('parses and declares every host once, with a folder of its own', () => {
    expect(manifest.version).toBe(1);
    expect(new Set(hostNames).size).toBe(hostNames.length);
    expect(hostNames).toEqual(expect.arrayContaining(['www.someschool.edu', 'gaia.cs.umass.edu', 'www-net.cs.umass.edu', 'www.massey.ac.nz', 'www.somesite.com', 'www.amazon.com']));
    expect(hostNames).toContain(manifest.defaultHost);
    for (const h of manifest.hosts) {
      expect(h.name, 'host names are compared lowercased').toBe(h.name.toLowerCase());
      expect(h.name).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/);
      expect(h.description.length).toBeGreaterThan(10);
      expect(isPlainRelativePath(h.root), `${h.name}.root`).toBe(true);
      expect(fs.statSync(rootOf(h)).isDirectory(), `${h.name}: ${h.root}/ exists`).toBe(true);
      expect(answerFor(h, '/'), `${h.name} answers /`).toMatchObject({ kind: 'file' });
    }
    expect(new Set(manifest.hosts.map((h) => h.root)).size).toBe(manifest.hosts.length);
    // Every folder under content/sites/ belongs to a host: nothing is shipped that no one serves.
    const folders = fs.readdirSync(SITES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.sort()).toEqual(manifest.hosts.map((h) => h.root).sort());
  });

  it('knows the media type of every file it serves, and serves home.index as HTML', () => {
    for (const [ext, type] of Object.entries(manifest.defaults.mimeTypes)) {
      expect(ext).toMatch(/^\.[a-z0-9]+$/);
      expect(type).toMatch(/^[a-z]+\/[a-z0-9.+-]+(; charset=utf-8)?$/);
    }
    for (const h of manifest.hosts) {
      const known = mimeTypesOf(h);
      for (const file of listFiles(rootOf(h))) expect(known.has(path.extname(file).toLowerCase()), `${h.name}/${file} has a media type`).toBe(true);
    }
    expect(mimeTypeOf(host('www.someschool.edu'), 'someDepartment/home.index')).toBe('text/html; charset=utf-8');
    expect(mimeTypeOf(host('gaia.cs.umass.edu'), 'x.index'), '.index is an addition for someschool only').toBe(manifest.defaults.fallbackMimeType);
    expect(answerFor(host('www.someschool.edu'), '/someDepartment/')).toEqual({ kind: 'file', file: path.join(SITES, 'www.someschool.edu/someDepartment/home.index') });
  });

  it('redirects old-page.html with a 301 to a page that exists', () => {
    const all = manifest.hosts.flatMap((h) => (h.redirects ?? []).map((r) => ({ h, r })));
    expect(all.length).toBeGreaterThan(0);
    for (const { h, r } of all) {
      expect(REDIRECT_STATUSES).toContain(r.status);
      expect(r.from).toMatch(/^\//);
      expect(fs.existsSync(path.join(rootOf(h), r.from)), `${r.from} is not also a file that the redirect would hide`).toBe(false);
      expect(answerFor(h, r.to), `${h.name}: redirect target ${r.to}`).toMatchObject({ kind: 'file' });
    }
    expect(host('gaia.cs.umass.edu').redirects).toContainEqual({ from: '/old-page.html', to: '/wireshark-labs/HTTP-wireshark-file1.html', status: 301 });
  });

  it('puts file5 behind Basic authentication with the lab credentials', () => {
    const gaia = host('gaia.cs.umass.edu');
    expect(gaia.auth).toEqual([
      { prefix: '/wireshark-labs/protected_pages/', scheme: 'Basic', realm: 'wireshark-students only', users: [{ name: 'wireshark-students', password: 'network' }] },
    ]);
    for (const h of manifest.hosts) {
      for (const realm of h.auth ?? []) {
        expect(realm.prefix).toMatch(/^\/.*\/$/);
        // RFC 7617 §2: the user-id cannot contain a colon; the realm goes in a quoted-string.
        for (const user of realm.users) expect(user.name).not.toContain(':');
        expect(realm.realm).not.toMatch(/["\\]/);
        expect(fs.statSync(path.join(rootOf(h), realm.prefix)).isDirectory()).toBe(true);
      }
    }
    expect(answerFor(gaia, '/wireshark-labs/protected_pages/HTTP-wireshark-file5.html')).toMatchObject({ kind: 'file' });
  });

  it('declares the dynamic routes with known handlers and the files they read', () => {
    const routes = manifest.hosts.flatMap((h) => (h.dynamic ?? []).map((d) => ({ h, d })));
    for (const { h, d } of routes) {
      expect(KNOWN_HANDLERS).toContain(d.handler);
      expect(d.path).toMatch(/^\/[^?#]*[^/]$/);
      for (const m of d.methods) expect(HTTP_METHODS).toContain(m);
      expect(fs.existsSync(path.join(rootOf(h), d.path)), `${h.name}${d.path} is not shadowed by a file`).toBe(false);
    }
    const somesite = host('www.somesite.com');
    expect(answerFor(somesite, '/page1exec')).toEqual({ kind: 'dynamic', handler: 'form-echo' });
    expect(answerFor(somesite, '/path/page1exec')).toEqual({ kind: 'dynamic', handler: 'form-echo' });
    expect(somesite.dynamic?.find((d) => d.path === '/page1exec')?.methods).toEqual(expect.arrayContaining(['GET', 'POST']));

    const shop = host('www.amazon.com');
    const cart = shop.dynamic?.find((d) => d.handler === 'cart');
    expect(cart?.methods).toEqual(expect.arrayContaining(['GET', 'POST']));
    const options = cart?.options as { catalog: string; database: string; cookie: string };
    expect(isPlainRelativePath(options.catalog)).toBe(true);
    expect(fs.existsSync(path.join(rootOf(shop), options.catalog))).toBe(true);
    expect(isPlainRelativePath(options.database)).toBe(true);
    expect(options.database.startsWith('world/') || options.database.startsWith('captures/'), 'the database lives beside, not inside, the seeded world').toBe(false);
    // RFC 6265 §4.1.1: a cookie name is a token.
    expect(options.cookie).toMatch(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/);
    for (const sub of ['/cart', '/cart/add', '/cart/remove']) expect(answerFor(shop, sub)).toEqual({ kind: 'dynamic', handler: 'cart' });
  });

  it('declares one uploads area, confined to a data folder, with a README that states its limit', () => {
    const areas = manifest.hosts.flatMap((h) => (h.uploads ?? []).map((u) => ({ h, u })));
    expect(areas.map(({ h, u }) => `${h.name}${u.prefix}`)).toEqual(['www.somesite.com/uploads/']);
    const folders = new Set<string>();
    for (const { h, u } of areas) {
      expect(u.prefix).toMatch(/^\/.+\/$/);
      expect(isPlainRelativePath(u.folder)).toBe(true);
      expect(u.folder.startsWith('world/') || u.folder.startsWith('captures/')).toBe(false);
      folders.add(u.folder);
      expect(Number.isSafeInteger(u.maxBytes) && u.maxBytes > 0).toBe(true);
      expect(isPlainRelativePath(u.seedFrom ?? '')).toBe(true);
      const readme = fs.readFileSync(path.join(rootOf(h), u.seedFrom ?? '', 'README.txt'), 'utf8');
      expect(readme).toContain(`${u.maxBytes} bytes`);
      expect(readme).toContain(`PUT ${u.prefix}`);
      expect(readme).toContain(`DELETE ${u.prefix}`);
    }
    expect(folders.size).toBe(areas.length);
    const cartDatabase = (host('www.amazon.com').dynamic?.[0].options as { database: string }).database;
    expect([...folders].some((f) => isInside(path.resolve('/data', f), path.resolve('/data', cartDatabase)))).toBe(false);
  });
});

describe('the pages', () => {
  const pages = manifest.hosts.flatMap((h) => pagesOf(h).map((file) => ({ h, file, html: fs.readFileSync(path.join(rootOf(h), file), 'utf8') })));

  it('are small, plain HTML5 with no script and no outside resources', () => {
    expect(pages.length).toBeGreaterThanOrEqual(12);
    const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
    for (const { h, file, html } of pages) {
      const where = `${h.name}/${file}`;
      expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>'), where).toBe(true);
      expect(html, where).toMatch(/<title>[^<]{5,}<\/title>/);
      expect(html, where).not.toMatch(/<(script|link|iframe|object|embed|base|meta\s+http-equiv)\b/i);
      expect(html, where).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html, where).not.toMatch(/url\(|@import|javascript:/i);
      // Tags balance: every element that is not void is closed, in order.
      const open: string[] = [];
      for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) {
        const name = m[2].toLowerCase();
        if (voidElements.has(name)) continue;
        if (m[1]) expect(open.pop(), `${where}: </${name}>`).toBe(name);
        else open.push(name);
      }
      expect(open, where).toEqual([]);
      // ids are unique, and every label points at one.
      const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      expect(new Set(ids).size, where).toBe(ids.length);
      for (const m of html.matchAll(/<label for="([^"]+)"/g)) expect(ids, where).toContain(m[1]);
      for (const m of html.matchAll(/<img\b[^>]*>/g)) expect(m[0], `${where}: img has alt text`).toMatch(/\salt="[^"]+"/);
    }
  });

  it('link only to things the lab answers', () => {
    let checked = 0;
    for (const { h, file, html } of pages) {
      const base = new URL(`http://${h.name}/${file}`);
      for (const ref of referencesIn(html)) {
        const url = new URL(ref, base);
        expect(url.protocol, `${h.name}/${file}: ${ref}`).toBe('http:');
        const target = hostByName.get(url.hostname);
        expect(target, `${h.name}/${file}: ${ref} names a lab host`).toBeDefined();
        expect(answerFor(target!, url.pathname).kind, `${h.name}/${file}: ${ref}`).not.toBe('missing');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('name no host outside the lab, in any text file', () => {
    const urlHost = /(?:\b[a-z][a-z0-9+.-]*:)?\/\/([^\s/"'<>?#:]+)/gi;
    const offLab: string[] = [];
    for (const { host: h, file, text } of textFiles()) {
      for (const m of text.matchAll(urlHost)) if (!hostNames.includes(m[1].toLowerCase())) offLab.push(`${h.name}/${file}: ${m[0]}`);
      for (const ref of referencesIn(text)) if (/^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^https?:\/\//i.test(ref)) offLab.push(`${h.name}/${file}: ${ref}`);
    }
    for (const m of manifestText.matchAll(urlHost)) offLab.push(`sites.yaml: ${m[0]}`);
    expect(offLab).toEqual([]);
    // And the scan does see such references where they are.
    expect([...'<a href="https://example.org/x">'.matchAll(urlHost)].map((m) => m[1])).toEqual(['example.org']);
    expect([...'<img src="//cdn.example.net/a.png">'.matchAll(urlHost)].map((m) => m[1])).toEqual(['cdn.example.net']);
  });

  it('home.index references exactly ten JPEG images that exist', () => {
    const school = host('www.someschool.edu');
    const html = fs.readFileSync(path.join(rootOf(school), 'someDepartment/home.index'), 'utf8');
    const images = [...html.matchAll(/<img\b[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
    expect(images).toEqual(Array.from({ length: 10 }, (_, i) => `images/img${i + 1}.jpg`));
    expect(referencesIn(html).filter((r) => !images.includes(r))).toEqual([]);
    for (const src of images) {
      const bytes = fs.readFileSync(path.join(rootOf(school), 'someDepartment', src));
      expect(startsWithBytes(bytes, [0xff, 0xd8]), `${src} starts with SOI`).toBe(true);
      expect([...bytes.subarray(-2)], `${src} ends with EOI`).toEqual([0xff, 0xd9]);
      expect(jpegSize(bytes)).toEqual({ width: 64, height: 48 });
    }
    expect(html).toMatch(/eleven objects/i);
    expect(html).toMatch(/22 RTT/);
  });

  it('ships the classic HTTP lab pages, with a long file3 and two pictures in file4', () => {
    const gaia = host('gaia.cs.umass.edu');
    const lab = (f: string) => path.join(rootOf(gaia), 'wireshark-labs', f);
    for (const f of ['HTTP-wireshark-file1.html', 'HTTP-wireshark-file2.html', 'HTTP-wireshark-file3.html', 'HTTP-wireshark-file4.html', 'protected_pages/HTTP-wireshark-file5.html']) {
      expect(fs.existsSync(lab(f)), f).toBe(true);
    }
    const size = (f: string) => fs.statSync(lab(f)).size;
    expect(size('HTTP-wireshark-file3.html')).toBeGreaterThan(LONG_PAGE_MIN_BYTES);
    expect(size('HTTP-wireshark-file1.html')).toBeLessThan(size('HTTP-wireshark-file2.html'));
    expect(size('HTTP-wireshark-file2.html')).toBeLessThan(size('HTTP-wireshark-file3.html'));
    expect(fs.readFileSync(lab('HTTP-wireshark-file3.html'), 'utf8')).toContain('Amendment X');
    const file4 = fs.readFileSync(lab('HTTP-wireshark-file4.html'), 'utf8');
    expect([...file4.matchAll(/<img\b[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1])).toEqual(['images/client-server.gif', 'images/segments.jpg']);
    // The gaia index links every lab page and the moved one.
    const index = fs.readFileSync(path.join(rootOf(gaia), 'index.html'), 'utf8');
    for (const f of ['HTTP-wireshark-file1.html', 'HTTP-wireshark-file2.html', 'HTTP-wireshark-file3.html', 'HTTP-wireshark-file4.html', 'protected_pages/HTTP-wireshark-file5.html']) {
      expect(referencesIn(index)).toContain(`wireshark-labs/${f}`);
    }
    expect(referencesIn(index)).toContain('old-page.html');
  });

  it('has forms on www.somesite.com that send var1 and var2 to page1exec by GET, POST and multipart', () => {
    const html = fs.readFileSync(path.join(rootOf(host('www.somesite.com')), 'index.html'), 'utf8');
    const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => ({ attributes: m[1], body: m[2] }));
    expect(forms.map((f) => f.attributes.trim())).toEqual([
      'method="get" action="/page1exec"',
      'method="post" action="/page1exec"',
      'method="post" action="/page1exec" enctype="multipart/form-data"',
    ]);
    for (const form of forms) expect([...form.body.matchAll(/\sname="([^"]+)"/g)].map((m) => m[1])).toEqual(['var1', 'var2']);
    // The typed example's Content-Length is right.
    expect(html).toContain(`Content-Length: ${'var1=value1&var2=value2'.length}`);
  });

  it('has a shop whose add-to-cart forms match the catalogue the cart handler reads', () => {
    const shop = host('www.amazon.com');
    const catalog = JSON.parse(fs.readFileSync(path.join(rootOf(shop), 'catalog.json'), 'utf8')) as { currency: string; items: { id: string; name: string; priceCents: number }[] };
    expect(catalog.currency).toMatch(/^[A-Z]{3}$/);
    expect(catalog.items.length).toBeGreaterThanOrEqual(3);
    expect(new Set(catalog.items.map((i) => i.id)).size).toBe(catalog.items.length);
    for (const item of catalog.items) {
      expect(item.id).toMatch(/^[a-z0-9-]+$/);
      expect(Number.isSafeInteger(item.priceCents) && item.priceCents > 0).toBe(true);
    }
    const html = fs.readFileSync(path.join(rootOf(shop), 'index.html'), 'utf8');
    const forms = [...html.matchAll(/<form method="post" action="\/cart\/add"><input type="hidden" name="item" value="([^"]+)">/g)].map((m) => m[1]);
    expect(forms).toEqual(catalog.items.map((i) => i.id));
    for (const item of catalog.items) expect(html).toContain(`<td>${item.name}</td><td>$${Math.floor(item.priceCents / 100)}.${String(item.priceCents % 100).padStart(2, '0')}</td>`);
    expect(referencesIn(html)).toContain('/cart');
  });
});

/** Width and height from a baseline JPEG's SOF0, walking the marker segments (T.81 B.1.1). */
function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    expect(bytes[offset]).toBe(0xff);
    const marker = bytes[offset + 1];
    const length = (bytes[offset + 2] << 8) | bytes[offset + 3];
    if (marker === 0xc0) return { height: (bytes[offset + 5] << 8) | bytes[offset + 6], width: (bytes[offset + 7] << 8) | bytes[offset + 8] };
    expect(marker, 'only baseline JPEG, SOF0 before SOS').not.toBe(0xda);
    offset += 2 + length;
  }
  throw new Error('no SOF0 segment');
}

/** Decodes GIF's variable-width LZW (GIF89a Appendix F), to check the encoder against. */
function lzwDecode(data: Uint8Array | number[], minCodeSize: number): number[] {
  const clearCode = 1 << minCodeSize;
  const endCode = clearCode + 1;
  const out: number[] = [];
  let table: number[][] = [];
  let codeSize = minCodeSize + 1;
  let previous: number[] | null = null;
  const reset = () => {
    table = Array.from({ length: clearCode + 2 }, (_, i) => [i]);
    codeSize = minCodeSize + 1;
    previous = null;
  };
  reset();
  let bitPosition = 0;
  for (;;) {
    let code = 0;
    for (let i = 0; i < codeSize; i++, bitPosition++) {
      const byte = data[bitPosition >> 3];
      if (byte === undefined) throw new Error('LZW data ended without an end code');
      code |= ((byte >> (bitPosition & 7)) & 1) << i;
    }
    if (code === clearCode) {
      reset();
      continue;
    }
    if (code === endCode) return out;
    let entry: number[];
    if (code < table.length) entry = table[code];
    else if (code === table.length && previous) entry = [...(previous as number[]), (previous as number[])[0]];
    else throw new Error(`LZW code ${code} is not in the table (${table.length} entries)`);
    out.push(...entry);
    if (previous && table.length < GIF_CODE_TABLE_SIZE) {
      table.push([...(previous as number[]), entry[0]]);
      if (table.length === 1 << codeSize && codeSize < 12) codeSize++;
    }
    previous = entry;
  }
}

/** Parses a single-image GIF89a into its palette and pixel indices. */
function decodeGif(bytes: Uint8Array): { width: number; height: number; palette: Rgb[]; indices: number[]; subBlocks: number[] } {
  const ascii = new TextDecoder('latin1').decode(bytes.subarray(0, 6));
  expect(ascii).toBe('GIF89a');
  const le16 = (o: number) => bytes[o] | (bytes[o + 1] << 8);
  const width = le16(6);
  const height = le16(8);
  const packed = bytes[10];
  expect(packed & 0x80, 'global colour table').toBe(0x80);
  const tableSize = 1 << ((packed & 7) + 1);
  const palette: Rgb[] = [];
  for (let i = 0; i < tableSize; i++) palette.push([bytes[13 + i * 3], bytes[14 + i * 3], bytes[15 + i * 3]]);
  let offset = 13 + tableSize * 3;
  expect(bytes[offset]).toBe(0x2c);
  expect([le16(offset + 5), le16(offset + 7)]).toEqual([width, height]);
  offset += 10;
  const minCodeSize = bytes[offset++];
  const data: number[] = [];
  const subBlocks: number[] = [];
  for (let size = bytes[offset++]; size !== 0; size = bytes[offset++]) {
    subBlocks.push(size);
    data.push(...bytes.subarray(offset, offset + size));
    offset += size;
  }
  expect(bytes[offset]).toBe(0x3b);
  expect(offset).toBe(bytes.length - 1);
  return { width, height, palette, indices: lzwDecode(data, minCodeSize), subBlocks };
}

/** A deterministic noisy picture: enough distinct runs to fill the 4096-entry LZW table several times. */
function noisyRaster(palette: Rgb[]): Raster {
  const raster = new Raster(160, 120, palette[0]);
  let seed = 12345;
  for (let y = 0; y < raster.height; y++) {
    for (let x = 0; x < raster.width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      raster.setPixel(x, y, palette[(seed >>> 16) % palette.length]);
    }
  }
  return raster;
}

const NOISE_PALETTE: Rgb[] = Array.from({ length: 16 }, (_, i) => [i * 16, 255 - i * 16, (i * 97) % 256]);

describe('the images', () => {
  it('are what scripts/make-site-images.mjs generates, byte for byte', () => {
    const generated = renderSiteImages();
    expect(generated.size).toBe(13);
    for (const [relative, bytes] of generated) {
      expect(Buffer.compare(fs.readFileSync(path.join(SITES, relative)), Buffer.from(bytes)), `${relative} is stale: run node scripts/make-site-images.mjs`).toBe(0);
    }
    // And nothing image-like is shipped that the script does not make.
    const shipped = manifest.hosts.flatMap((h) => listFiles(rootOf(h)).filter((f) => mimeTypeOf(h, f).startsWith('image/')).map((f) => `${h.root}/${f}`));
    expect(shipped.sort()).toEqual([...generated.keys()].sort());
  });

  it('are GIF89a files whose LZW data decodes to the picture', () => {
    for (const relative of ['www.someschool.edu/someDept/pic.gif', 'gaia.cs.umass.edu/wireshark-labs/images/client-server.gif']) {
      const bytes = fs.readFileSync(path.join(SITES, relative));
      expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe('GIF89a');
      const gif = decodeGif(bytes);
      expect(gif.indices.length, relative).toBe(gif.width * gif.height);
    }
    const pic = decodeGif(fs.readFileSync(path.join(SITES, 'www.someschool.edu/someDept/pic.gif')));
    expect([pic.width, pic.height]).toEqual([64, 48]);
    expect(pic.palette[pic.indices[0]], 'top-left pixel is sky').toEqual([120, 180, 235]);
  });

  it('round-trips LZW past the 4096-code table and over many 255-byte sub-blocks', () => {
    const raster = noisyRaster(NOISE_PALETTE);
    const gif = decodeGif(encodeGif(raster, NOISE_PALETTE));
    const expected: number[] = [];
    for (let y = 0; y < raster.height; y++) for (let x = 0; x < raster.width; x++) expected.push(NOISE_PALETTE.findIndex((c) => c.join() === raster.getPixel(x, y).join()));
    expect(gif.indices).toEqual(expected);
    // 19,200 pixels of noise need far more than 4096 codes: the encoder must have cleared its table.
    const data = lzwEncode(expected, 4);
    const clears = countCodes(data, 4, 1 << 4);
    expect(clears).toBeGreaterThan(1);
    expect(gif.subBlocks.length).toBeGreaterThan(10);
    expect(gif.subBlocks.slice(0, -1).every((n) => n === GIF_SUB_BLOCK_MAX)).toBe(true);
    expect(gif.subBlocks.at(-1)).toBeLessThanOrEqual(GIF_SUB_BLOCK_MAX);
    // The smallest legal code size (2) holds for two colours too.
    const two: Rgb[] = [[0, 0, 0], [255, 255, 255]];
    const tiny = new Raster(3, 2, two[0]);
    tiny.setPixel(1, 0, two[1]);
    expect(decodeGif(encodeGif(tiny, two)).indices).toEqual([0, 1, 0, 0, 0, 0]);
    expect(() => encodeGif(tiny, [[0, 0, 0]])).toThrow(/not in the palette/);
  });
});

/** Counts occurrences of `code` in an LZW stream by decoding it with the same timing as lzwDecode. */
function countCodes(data: number[], minCodeSize: number, code: number): number {
  let count = 0;
  const clearCode = 1 << minCodeSize;
  let tableLength = clearCode + 2;
  let codeSize = minCodeSize + 1;
  let bitPosition = 0;
  let hadPrevious = false;
  for (;;) {
    let c = 0;
    for (let i = 0; i < codeSize; i++, bitPosition++) c |= ((data[bitPosition >> 3] >> (bitPosition & 7)) & 1) << i;
    if (c === code) count++;
    if (c === clearCode) {
      tableLength = clearCode + 2;
      codeSize = minCodeSize + 1;
      hadPrevious = false;
      continue;
    }
    if (c === clearCode + 1) return count;
    if (hadPrevious && tableLength < GIF_CODE_TABLE_SIZE) {
      tableLength++;
      if (tableLength === 1 << codeSize && codeSize < 12) codeSize++;
    }
    hadPrevious = true;
  }
}

// ---------------------------------------------------------------------------------------------
// In a real browser: every page of every host, every request answered from content/sites/.

const chromiumPath = requireTool('chromium');
const CHROMIUM_ARGS = [
  ...CHROMIUM_BASE_ARGS,
  // Belt and braces: even a request that escaped the routing below could not resolve a name.
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--proxy-server=http://127.0.0.1:9',
];

describe.skipIf(!chromiumPath)('the sites in chromium', () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  /** Answers a lab URL from the files, as the HTTP server will for static content. */
  async function serveFromContent(route: Route): Promise<void> {
    const url = new URL(route.request().url());
    requests.push(url.href);
    const h = hostByName.get(url.hostname);
    const answer = url.protocol === 'http:' && h ? answerFor(h, url.pathname) : { kind: 'missing' as const };
    if (answer.kind === 'file' || (answer.kind === 'upload' && answer.file)) {
      const file = answer.file!;
      await route.fulfill({ status: 200, contentType: mimeTypeOf(h!, file), body: fs.readFileSync(file) });
    } else if (answer.kind === 'redirect') {
      await route.fulfill({ status: 301, headers: { Location: answer.to } });
    } else {
      await route.fulfill({ status: 404, contentType: 'text/plain', body: `not served here: ${url.href}` });
    }
  }

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath!, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    await page.route('**/*', serveFromContent);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads every page with all its images decoded and asks for nothing off the lab', async () => {
    for (const h of manifest.hosts) {
      for (const file of pagesOf(h)) {
        const url = `http://${h.name}/${file}`;
        requests.length = 0;
        const response = await page.goto(url, { waitUntil: 'load' });
        expect(response?.status(), url).toBe(200);
        expect(response?.headers()['content-type'], url).toMatch(/^text\/html/);
        // Rendered as a page, not shown as text: the title came from the HTML.
        expect((await page.title()).length, url).toBeGreaterThan(4);
        const images = await page.$$eval('img', (imgs) => imgs.map((img) => ({ src: img.src, complete: img.complete, width: img.naturalWidth, height: img.naturalHeight })));
        for (const img of images) expect(img.width > 0 && img.height > 0, `${url}: ${img.src} decoded`).toBe(true);
        for (const r of requests) expect(hostNames, `${url} asked for ${r}`).toContain(new URL(r).hostname);
      }
    }
  }, 60_000);

  it('decodes the ten JPEGs of home.index to their own colours', async () => {
    await page.goto('http://www.someschool.edu/someDepartment/home.index', { waitUntil: 'load' });
    const samples = await page.$$eval('img', (imgs) =>
      imgs.map((img) => {
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const context = canvas.getContext('2d')!;
        context.drawImage(img, 0, 0);
        // (11, 35) lies in an 8x8 block of plain background, away from the border and the text.
        return { size: [img.naturalWidth, img.naturalHeight], pixel: [...context.getImageData(11, 35, 1, 1).data.slice(0, 3)] };
      }),
    );
    expect(samples).toHaveLength(10);
    samples.forEach((c, i) => {
      expect(c.size).toEqual([64, 48]);
      // JPEG is lossy: within a few levels of the colour it was made from.
      c.pixel.forEach((v, channel) => expect(Math.abs(v - IMAGE_COLOURS[i][channel]), `img${i + 1} channel ${channel}`).toBeLessThanOrEqual(8));
    });
  });

  it('decodes GIFs that clear the LZW table, and JPEGs at the quality extremes, as chromium sees them', async () => {
    const raster = noisyRaster(NOISE_PALETTE);
    const gif = Buffer.from(encodeGif(raster, NOISE_PALETTE)).toString('base64');
    const plain = new Raster(24, 16, [30, 120, 200]);
    const low = Buffer.from(encodeJpeg(plain, 1)).toString('base64');
    const high = Buffer.from(encodeJpeg(plain, 100)).toString('base64');
    await page.goto('http://www.someschool.edu/', { waitUntil: 'load' });
    const decoded = await page.evaluate(async (sources) => {
      return Promise.all(
        sources.map(async (src) => {
          const img = new Image();
          img.src = src;
          await img.decode();
          const canvas = document.createElement('canvas');
          canvas.width = img.naturalWidth;
          canvas.height = img.naturalHeight;
          const context = canvas.getContext('2d')!;
          context.drawImage(img, 0, 0);
          return { width: img.naturalWidth, height: img.naturalHeight, rgba: [...context.getImageData(0, 0, img.naturalWidth, img.naturalHeight).data] };
        }),
      );
    }, [`data:image/gif;base64,${gif}`, `data:image/jpeg;base64,${low}`, `data:image/jpeg;base64,${high}`]);
    const [noise, lowJpeg, highJpeg] = decoded;
    expect([noise.width, noise.height]).toEqual([160, 120]);
    let mismatches = 0;
    for (let y = 0; y < raster.height; y++) {
      for (let x = 0; x < raster.width; x++) {
        const i = (y * raster.width + x) * 4;
        if (noise.rgba.slice(i, i + 3).join() !== raster.getPixel(x, y).join()) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    for (const jpeg of [lowJpeg, highJpeg]) {
      expect([jpeg.width, jpeg.height]).toEqual([24, 16]);
      [30, 120, 200].forEach((v, channel) => expect(Math.abs(jpeg.rgba[channel] - v)).toBeLessThanOrEqual(jpeg === highJpeg ? 3 : 40));
    }
  });
});
