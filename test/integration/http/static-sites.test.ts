// The lab's web servers on real sockets: virtual hosts chosen by Host (or by the port when there is
// none), static files with their validators, conditional GET, ranges, and every status the static
// side answers with, each with the fields its status requires.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HTTP_MAX_HEADER_COUNT, HTTP_MAX_HEADER_SECTION, HTTP_MAX_REQUESTS_PER_CONNECTION, HTTP_MAX_REQUEST_LINE, formatHttpDate } from '../../../src/protocols/http';
import { SITE_MAX_FILE_BYTES } from '../../../src/main/lab/http/sites/file-response';
import type { CaptureBatch, MessageSummary } from '../../../src/shared/capture';
import { bodyText, get, header, request, startLab, useLabs, RawConnection } from './helpers';

useLabs();

const FILE1 = '/wireshark-labs/HTTP-wireshark-file1.html';

describe('virtual hosts', () => {
  it('runs a web server for every world host with an http service, each listening on its own port', async () => {
    const { lab, offset } = await startLab();
    const http = lab.serviceInfos().filter((s) => s.protocol === 'http');
    expect(http.map((s) => [s.hostname, s.port, s.wellKnownPort, s.state])).toEqual([
      ['gaia.cs.umass.edu', offset + 80, 80, 'listening'],
      ['www.someschool.edu', offset + 1081, 80, 'listening'],
      ['www-net.cs.umass.edu', offset + 1082, 80, 'listening'],
      ['www.massey.ac.nz', offset + 1083, 80, 'listening'],
      ['www.somesite.com', offset + 1084, 80, 'listening'],
      ['www.amazon.com', offset + 1085, 80, 'listening'],
    ]);
    expect(http.find((s) => s.hostname === 'www.massey.ac.nz')).toMatchObject({ virtualAddress: '130.123.128.201' });
    expect(http.find((s) => s.hostname === 'www.amazon.com')!.description).toContain('cookie');
  });

  it('chooses the site by Host, case-insensitively, without port or trailing dot, on any port', async () => {
    const t = await startLab();
    const gaiaPort = t.port('gaia.cs.umass.edu');
    const school = await request(gaiaPort, get('WWW.SomeSchool.EDU.:80', '/someDepartment/home.index'));
    expect(school.response.status).toBe(200);
    expect(bodyText(school.response)).toContain('img10.jpg');
    expect(header(school.response, 'content-type')).toBe('text/html; charset=utf-8');
    // The world's address for a host names it too.
    const byAddress = await request(gaiaPort, get('130.123.128.201', '/'));
    expect(bodyText(byAddress.response)).toContain('massey');
    // An absolute-form target names the host and wins over Host (RFC 9112 §3.2.2).
    const absolute = await request(gaiaPort, get('gaia.cs.umass.edu', 'http://www-net.cs.umass.edu/index.html'));
    expect(absolute.response.status).toBe(200);
    expect(bodyText(absolute.response)).toContain('www-net');
  });

  it('without a known Host, serves the site of the host whose port was dialled', async () => {
    const t = await startLab();
    // curl sends Host: 127.0.0.1:PORT, which names no site.
    const school = await request(t.port('www.someschool.edu'), get(`127.0.0.1:${t.port('www.someschool.edu')}`, '/'));
    expect(bodyText(school.response)).toContain('someschool');
    // HTTP/1.0 may leave Host out.
    const massey = await request(t.port('www.massey.ac.nz'), 'GET / HTTP/1.0\r\n\r\n');
    expect(massey.response.status).toBe(200);
    expect(bodyText(massey.response)).toContain('massey');
    // An unknown name on gaia's port gets gaia.
    const unknown = await request(t.port('gaia.cs.umass.edu'), get('www.nowhere.example', FILE1));
    expect(unknown.response.status).toBe(200);
  });
});

describe('the capture', () => {
  it('records each request and its response as paired HTTP messages between the world addresses', async () => {
    const t = await startLab();
    const seen: MessageSummary[] = [];
    t.lab.api.on('capture', (b: CaptureBatch) => seen.push(...b.messages));
    await request(t.port('www.massey.ac.nz'), get('www.massey.ac.nz', '/'));
    const end = Date.now() + 5_000;
    while (seen.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const [req, res] = seen;
    expect(req).toMatchObject({ protocol: 'http', role: 'request', dir: 'c2s', destination: 'www.massey.ac.nz:80' });
    expect(req.summary).toContain('GET /');
    expect(res).toMatchObject({ protocol: 'http', role: 'response', dir: 's2c', responseTo: req.id });
    expect(res.summary).toContain('200');
  });
});

describe('static files', () => {
  it('answers like the course example response: Date, Server, Last-Modified, ETag, Accept-Ranges, Content-Length, Keep-Alive, Connection, Content-Type', async () => {
    const t = await startLab();
    const conn = await RawConnection.open(t.port('gaia.cs.umass.edu'));
    conn.send(`GET ${FILE1} HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n`, ['GET']);
    const r = await conn.response();
    conn.destroy();
    expect(r.status).toBe(200);
    expect(r.headers.map((h) => h.name)).toEqual(['Date', 'Server', 'Last-Modified', 'ETag', 'Accept-Ranges', 'Content-Length', 'Keep-Alive', 'Connection', 'Content-Type']);
    const file = path.join(t.dir, 'world', 'sites', 'gaia.cs.umass.edu', FILE1);
    const stat = fs.statSync(file);
    expect(header(r, 'last-modified')).toBe(formatHttpDate(stat.mtimeMs));
    expect(header(r, 'etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(header(r, 'content-length')).toBe(String(stat.size));
    expect(header(r, 'keep-alive')).toBe(`timeout=5, max=${HTTP_MAX_REQUESTS_PER_CONNECTION - 1}`);
    expect(Buffer.from(r.body).equals(fs.readFileSync(file))).toBe(true);
  });

  it('answers HEAD with the GET fields and no body, and OPTIONS with 204 and Allow', async () => {
    const t = await startLab();
    const port = t.port('gaia.cs.umass.edu');
    const head = await request(port, get('gaia.cs.umass.edu', FILE1, [], 'HEAD'), 'HEAD');
    expect(head.response.status).toBe(200);
    expect(head.response.body.length).toBe(0);
    expect(head.conn.received.toString('latin1').endsWith('\r\n\r\n')).toBe(true);
    const full = await request(port, get('gaia.cs.umass.edu', FILE1));
    expect(header(head.response, 'content-length')).toBe(header(full.response, 'content-length'));
    expect(header(head.response, 'etag')).toBe(header(full.response, 'etag'));
    const options = await request(port, get('gaia.cs.umass.edu', FILE1, [], 'OPTIONS'), 'OPTIONS');
    expect(options.response.status).toBe(204);
    expect(header(options.response, 'allow')).toBe('GET, HEAD, OPTIONS');
    const star = await request(port, 'OPTIONS * HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n', 'OPTIONS');
    expect(star.response.status).toBe(204);
    expect(header(star.response, 'allow')).toBe('GET, HEAD, POST, PUT, DELETE, OPTIONS');
  });

  it('serves a folder by its index names, and redirects a folder named without its "/"', async () => {
    const t = await startLab();
    const port = t.port('www.someschool.edu');
    const index = await request(port, get('www.someschool.edu', '/someDepartment/'));
    expect(index.response.status).toBe(200);
    expect(bodyText(index.response)).toContain('img1.jpg');
    const bare = await request(port, get('www.someschool.edu', '/someDepartment?x=1'));
    expect(bare.response.status).toBe(301);
    expect(header(bare.response, 'location')).toBe('/someDepartment/?x=1');
    const pic = await request(port, get('www.someschool.edu', '/someDept/pic.gif'));
    expect(header(pic.response, 'content-type')).toBe('image/gif');
    expect(Buffer.from(pic.response.body).subarray(0, 6).toString('latin1')).toBe('GIF89a');
  });

  it('answers a conditional GET with 304 and no body, by ETag and by date; If-None-Match wins over If-Modified-Since', async () => {
    const t = await startLab();
    const port = t.port('gaia.cs.umass.edu');
    const page = '/wireshark-labs/HTTP-wireshark-file2.html';
    const first = await request(port, get('gaia.cs.umass.edu', page));
    const etag = header(first.response, 'etag')!;
    const lastModified = header(first.response, 'last-modified')!;

    const byTag = await request(port, get('gaia.cs.umass.edu', page, [`If-None-Match: ${etag}`]));
    expect(byTag.response.status).toBe(304);
    expect(byTag.response.body.length).toBe(0);
    expect(header(byTag.response, 'etag')).toBe(etag);
    expect(byTag.conn.received.toString('latin1')).toMatch(/\r\n\r\n$/);

    const byDate = await request(port, get('gaia.cs.umass.edu', page, [`If-Modified-Since: ${lastModified}`]));
    expect(byDate.response.status).toBe(304);

    const older = await request(port, get('gaia.cs.umass.edu', page, ['If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT']));
    expect(older.response.status).toBe(200);

    // A tag that does not match sends the page even though the date alone would give 304.
    const wins = await request(port, get('gaia.cs.umass.edu', page, ['If-None-Match: "other"', `If-Modified-Since: ${lastModified}`]));
    expect(wins.response.status).toBe(200);
    expect(bodyText(wins.response)).toContain('<html');

    // After the file changes, its old ETag no longer matches.
    const file = path.join(t.dir, 'world', 'sites', 'gaia.cs.umass.edu', page);
    fs.appendFileSync(file, '\n<!-- changed -->\n');
    const changed = await request(port, get('gaia.cs.umass.edu', page, [`If-None-Match: ${etag}`]));
    expect(changed.response.status).toBe(200);
    expect(header(changed.response, 'etag')).not.toBe(etag);
  });

  it('serves one byte range with 206 and Content-Range, and 416 past the end', async () => {
    const t = await startLab();
    const port = t.port('gaia.cs.umass.edu');
    const page = '/wireshark-labs/HTTP-wireshark-file3.html';
    const whole = fs.readFileSync(path.join(t.dir, 'world', 'sites', 'gaia.cs.umass.edu', page));
    const part = await request(port, get('gaia.cs.umass.edu', page, ['Range: bytes=10-19']));
    expect(part.response.status).toBe(206);
    expect(header(part.response, 'content-range')).toBe(`bytes 10-19/${whole.length}`);
    expect(Buffer.from(part.response.body).equals(whole.subarray(10, 20))).toBe(true);
    const tail = await request(port, get('gaia.cs.umass.edu', page, ['Range: bytes=-5']));
    expect(Buffer.from(tail.response.body).equals(whole.subarray(whole.length - 5))).toBe(true);
    const past = await request(port, get('gaia.cs.umass.edu', page, [`Range: bytes=${whole.length}-`]));
    expect(past.response.status).toBe(416);
    expect(past.response.reason).toBe('Range Not Satisfiable');
    expect(header(past.response, 'content-range')).toBe(`bytes */${whole.length}`);
    // Several ranges: the whole file (a server may ignore Range).
    const several = await request(port, get('gaia.cs.umass.edu', page, ['Range: bytes=0-1,5-6']));
    expect(several.response.status).toBe(200);
    expect(several.response.body.length).toBe(whole.length);
  });

  it('redirects with 301 and Location', async () => {
    const t = await startLab();
    const r = await request(t.port('gaia.cs.umass.edu'), get('gaia.cs.umass.edu', '/old-page.html'));
    expect(r.response.status).toBe(301);
    expect(header(r.response, 'location')).toBe(FILE1);
    expect(bodyText(r.response)).toContain('moved for good');
  });

  it('answers 404 with a page naming the path, 405 with Allow for POST to a file, 501 for an unknown method', async () => {
    const t = await startLab();
    const port = t.port('gaia.cs.umass.edu');
    const missing = await request(port, get('gaia.cs.umass.edu', '/no-such-page.html'));
    expect(missing.response.status).toBe(404);
    expect(bodyText(missing.response)).toContain('/no-such-page.html');
    expect(missing.closed).toBe(true);

    const post = await request(port, `POST ${FILE1} HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc`);
    expect(post.response.status).toBe(405);
    expect(header(post.response, 'allow')).toBe('GET, HEAD, OPTIONS');
    const put = await request(port, `PUT ${FILE1} HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc`);
    expect(put.response.status).toBe(405);

    const brew = await request(port, get('gaia.cs.umass.edu', FILE1, [], 'BREW'));
    expect(brew.response.status).toBe(501);
    expect(bodyText(brew.response)).toContain('BREW');
  });

  it('keeps every path inside the site: "..", encoded slashes, NUL and bad escapes get 400 with the reason; links out read as 404', async () => {
    const t = await startLab();
    const port = t.port('gaia.cs.umass.edu');
    const cases: Array<[string, RegExp]> = [
      ['/../world.yaml', /climb out/],
      ['/%2e%2e/world.yaml', /climb out/],
      ['/wireshark-labs/..%2F..%2Fworld.yaml', /encoded "\/"/],
      ['/index.html%00.txt', /NUL/],
      ['/bad%zzescape', /two hex digits/],
      ['/a%5c..%5cworld.yaml', /encoded/],
    ];
    for (const [target, reason] of cases) {
      const r = await request(port, get('gaia.cs.umass.edu', target));
      expect(r.response.status, target).toBe(400);
      expect(bodyText(r.response), target).toMatch(reason);
    }
    // A link inside the site that points outside it is as good as missing.
    const root = path.join(t.dir, 'world', 'sites', 'gaia.cs.umass.edu');
    fs.symlinkSync(path.join(t.dir, 'world', 'world.yaml'), path.join(root, 'world-link.yaml'));
    fs.symlinkSync(path.join(root, 'wireshark-labs', 'HTTP-wireshark-file1.html'), path.join(root, 'inside-link.html'));
    expect((await request(port, get('gaia.cs.umass.edu', '/world-link.yaml'))).response.status).toBe(404);
    expect((await request(port, get('gaia.cs.umass.edu', '/inside-link.html'))).response.status).toBe(200);
  });

  it(`refuses a file over SITE_MAX_FILE_BYTES (${SITE_MAX_FILE_BYTES}) with 500 instead of reading it, and serves one at the limit`, async () => {
    const t = await startLab();
    const root = path.join(t.dir, 'world', 'sites', 'gaia.cs.umass.edu');
    // Sparse files: the size is real, the disk space is not used.
    fs.writeFileSync(path.join(root, 'huge.bin'), '');
    fs.truncateSync(path.join(root, 'huge.bin'), SITE_MAX_FILE_BYTES + 1);
    fs.writeFileSync(path.join(root, 'limit.bin'), '');
    fs.truncateSync(path.join(root, 'limit.bin'), SITE_MAX_FILE_BYTES);
    const port = t.port('gaia.cs.umass.edu');
    const huge = await request(port, get('gaia.cs.umass.edu', '/huge.bin'));
    expect(huge.response.status).toBe(500);
    expect(bodyText(huge.response)).toContain(String(SITE_MAX_FILE_BYTES));
    const limit = await request(port, get('gaia.cs.umass.edu', '/limit.bin', [], 'HEAD'), 'HEAD');
    expect(limit.response.status).toBe(200);
    expect(header(limit.response, 'content-length')).toBe(String(SITE_MAX_FILE_BYTES));
    expect(header(limit.response, 'content-type')).toBe('application/octet-stream');
  });
});

describe('errors the engine answers before any site sees the request', () => {
  it('400 for HTTP/1.1 without Host, saying so', async () => {
    const t = await startLab();
    const r = await request(t.port('gaia.cs.umass.edu'), 'GET / HTTP/1.1\r\n\r\n');
    expect(r.response.status).toBe(400);
    expect(bodyText(r.response)).toContain('Host');
    expect(r.closed).toBe(true);
  });

  it('505 for HTTP/3.0 in the request line', async () => {
    const t = await startLab();
    const r = await request(t.port('gaia.cs.umass.edu'), 'GET / HTTP/3.0\r\nHost: gaia.cs.umass.edu\r\n\r\n');
    expect(r.response.status).toBe(505);
    expect(bodyText(r.response)).toContain('HTTP/3.0');
  });

  it(`414 for a request line over ${HTTP_MAX_REQUEST_LINE} bytes, and an answer for one at the limit`, async () => {
    const t = await startLab();
    const port = t.port('gaia.cs.umass.edu');
    const fixed = 'GET  HTTP/1.1'.length;
    const atLimit = `/${'a'.repeat(HTTP_MAX_REQUEST_LINE - fixed - 1)}`;
    expect((await request(port, get('gaia.cs.umass.edu', atLimit))).response.status).toBe(404);
    const over = await request(port, get('gaia.cs.umass.edu', `${atLimit}a`));
    expect(over.response.status).toBe(414);
    expect(over.closed).toBe(true);
  });

  it(`431 for a header section over ${HTTP_MAX_HEADER_SECTION} bytes or over ${HTTP_MAX_HEADER_COUNT} fields`, async () => {
    const t = await startLab();
    const port = t.port('gaia.cs.umass.edu');
    const big = await request(port, get('gaia.cs.umass.edu', FILE1, [`X-Big: ${'b'.repeat(HTTP_MAX_HEADER_SECTION)}`]));
    expect(big.response.status).toBe(431);
    const many = Array.from({ length: HTTP_MAX_HEADER_COUNT }, (_, i) => `X-${i}: ${i}`);
    const tooMany = await request(port, get('gaia.cs.umass.edu', FILE1, many));
    expect(tooMany.response.status).toBe(431);
    const enough = await request(port, get('gaia.cs.umass.edu', FILE1, many.slice(2)));
    expect(enough.response.status).toBe(200);
  });

  it('413 for a body over the engine limit (a small limit injected), before the body is read', async () => {
    const t = await startLab({ httpLimits: { maxBody: 100 } });
    const r = await request(t.port('www.somesite.com'), `POST /page1exec HTTP/1.1\r\nHost: www.somesite.com\r\nContent-Type: text/plain\r\nContent-Length: 101\r\n\r\n`);
    expect(r.response.status).toBe(413);
    expect(r.closed).toBe(true);
    const ok = await request(t.port('www.somesite.com'), `POST /page1exec HTTP/1.1\r\nHost: www.somesite.com\r\nContent-Type: text/plain\r\nContent-Length: 100\r\nConnection: close\r\n\r\n${'x'.repeat(100)}`);
    expect(ok.response.status).toBe(200);
  });

  it('411 for an HTTP/1.0 POST without Content-Length', async () => {
    const t = await startLab();
    const r = await request(t.port('www.somesite.com'), 'POST /page1exec HTTP/1.0\r\nHost: www.somesite.com\r\n\r\n');
    expect(r.response.status).toBe(411);
  });

  it('400 for Content-Length together with chunked', async () => {
    const t = await startLab();
    const r = await request(t.port('www.somesite.com'), 'POST /page1exec HTTP/1.1\r\nHost: www.somesite.com\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
    expect(r.response.status).toBe(400);
    expect(bodyText(r.response)).toContain('Transfer-Encoding');
  });
});
