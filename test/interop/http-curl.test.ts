// curl against the lab's web servers and its web cache, for what test/integration/http/
// real-clients.test.ts does not already cover: every method on one persistent connection (curl's
// --next keeps it), curl's own conditional GETs (-z with a file's time or a date, --etag-save and
// --etag-compare), and the proxy: -x to cache.poly.edu with a miss, a hit and connection reuse in
// -v, HTTP/1.0 through it, a host outside the world, and two cookie jars behind the same cache.
// Skips with a printed reason without curl, and fails under CI.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../support/tools';
import { startLab, useLabs } from '../integration/http/helpers';
import { HTTP_MAX_REQUESTS_PER_CONNECTION } from '../../src/protocols/http';

useLabs();

const run = promisify(execFile);
const curlPath = requireTool('curl');

/** How long one curl run may take; everything is on loopback. */
const CURL_MAX_SECONDS = 10;

/**
 * The environment without proxy settings: curl honours http_proxy and NO_PROXY from it, which
 * could send a test's request elsewhere or make it skip the -x it was given.
 */
function envWithoutProxies(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(https?|all|no)_proxy$/i.test(name)) delete env[name];
  return env;
}

async function curl(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(curlPath!, ['--silent', '--show-error', '--max-time', String(CURL_MAX_SECONDS), ...args], { encoding: 'utf8', env: envWithoutProxies(), maxBuffer: 16 * 1024 * 1024 });
}

/** `-w` output per transfer: status code and how many new connections the transfer opened. */
const STATUS_AND_CONNECTS = '%{http_code} %{num_connects}\\n';

const FILE2 = '/wireshark-labs/HTTP-wireshark-file2.html';
const FILE3 = '/wireshark-labs/HTTP-wireshark-file3.html';

describe.skipIf(!curlPath)('curl, beyond the basics', () => {
  it('sends GET, HEAD, POST, PUT, OPTIONS, DELETE and an unknown method on one persistent connection', async () => {
    const t = await startLab();
    const base = `http://127.0.0.1:${t.port('www.somesite.com')}`;
    const local = path.join(t.dir, 'methods.txt');
    fs.writeFileSync(local, 'sent by curl -T\n');
    const upload = `${base}/uploads/methods.txt`;
    const transfers: Array<{ method: string; args: string[] }> = [
      { method: 'GET', args: [`${base}/`] },
      { method: 'HEAD', args: ['-I', `${base}/`] },
      { method: 'POST', args: ['-d', 'var1=value1', '-d', 'var2=value2', `${base}/page1exec`] },
      { method: 'PUT', args: ['-T', local, upload] },
      { method: 'OPTIONS', args: ['-X', 'OPTIONS', upload] },
      { method: 'DELETE', args: ['-X', 'DELETE', upload] },
      { method: 'BREW', args: ['-X', 'BREW', `${base}/`] },
    ];
    // --next starts a new set of options for the next URL but keeps curl's connection pool.
    const args = transfers.flatMap((x, i) => [...(i > 0 ? ['--next'] : []), '-v', '-o', '/dev/null', '-w', STATUS_AND_CONNECTS, ...x.args]);
    const { stdout, stderr } = await curl(...args);

    expect(stdout.trim().split('\n')).toEqual(['200 1', '200 0', '200 0', '201 0', '204 0', '204 0', '501 0']);
    expect(stderr.match(/^> [A-Z]+ \S+ HTTP\/1\.1\r?$/gm)!.map((l) => l.split(' ')[1])).toEqual(transfers.map((x) => x.method));
    expect(stderr.match(/Re-using existing connection/g)).toHaveLength(transfers.length - 1);
    // One connection, its request budget counting down: max=999 after the first answer, then 998...
    expect(stderr.match(/^< Keep-Alive: timeout=5, max=(\d+)\r?$/gm)!.map((l) => Number(/max=(\d+)/.exec(l)![1]))).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => HTTP_MAX_REQUESTS_PER_CONNECTION - n));
    expect(stderr).toMatch(/^< Allow: GET, HEAD, PUT, DELETE, OPTIONS\r?$/m);
    // curl may ask before uploading (Expect: 100-continue); the server then says go ahead first.
    if (/^> Expect: 100-continue\r?$/m.test(stderr)) expect(stderr).toMatch(/^< HTTP\/1\.1 100 Continue\r?$/m);
    // PUT wrote into the uploads folder of the data folder, and DELETE removed it again.
    const uploads = path.join(t.dir, 'sites-data', 'www.somesite.com', 'uploads');
    expect(fs.readdirSync(uploads)).toEqual(['README.txt']);
  });

  it("makes the conditional GETs curl knows: -z with a saved file's time or a date, and --etag-save / --etag-compare", async () => {
    const t = await startLab();
    const url = `http://127.0.0.1:${t.port('gaia.cs.umass.edu')}${FILE2}`;
    const copy = path.join(t.dir, 'file2.html');
    const etags = path.join(t.dir, 'etag.txt');

    // -R keeps the server's Last-Modified as the file's time; -z FILE sends it as If-Modified-Since.
    const fetched = await curl('-R', '-o', copy, '--etag-save', etags, '-w', '%{http_code}', url);
    expect(fetched.stdout).toBe('200');
    expect(fs.readFileSync(copy, 'utf8')).toContain('</html>');
    const sinceFile = await curl('-v', '-z', copy, '-o', '/dev/null', '-w', '%{http_code} %{size_download}', url);
    expect(sinceFile.stderr).toContain(`> If-Modified-Since: ${fs.statSync(copy).mtime.toUTCString()}`);
    expect(sinceFile.stdout).toBe('304 0');

    const older = await curl('-z', 'Sat, 01 Jan 2000 00:00:00 GMT', '-o', '/dev/null', '-w', '%{http_code}', url);
    expect(older.stdout).toBe('200');

    // --etag-save kept the ETag; --etag-compare sends it as If-None-Match.
    const etag = fs.readFileSync(etags, 'utf8').trim();
    expect(etag).toMatch(/^"[^"]+"$/);
    const same = await curl('-v', '--etag-compare', etags, '-o', '/dev/null', '-w', '%{http_code} %{size_download}', url);
    expect(same.stderr).toContain(`> If-None-Match: ${etag}`);
    expect(same.stdout).toBe('304 0');
  });

  it('goes through cache.poly.edu with -x: absolute URL, a miss then a hit on one reused connection, Via and Age', async () => {
    const t = await startLab();
    const proxy = `127.0.0.1:${(await t.lab.api.getWebCache()).proxy.port}`;
    const url = `http://gaia.cs.umass.edu${FILE3}`;
    const { stdout, stderr } = await curl('-v', '-x', proxy, '-o', '/dev/null', '-o', '/dev/null', '-w', STATUS_AND_CONNECTS, url, url);

    expect(stdout.trim().split('\n')).toEqual(['200 1', '200 0']);
    // To a proxy the request line carries the whole URL (RFC 9112 §3.2.2, absolute-form).
    expect(stderr.match(/^> GET \S+ HTTP\/1\.1\r?$/gm)!.map((l) => l.trimEnd())).toEqual([`> GET ${url} HTTP/1.1`, `> GET ${url} HTTP/1.1`]);
    expect(stderr).toMatch(/Re-using existing connection #0 with proxy 127\.0\.0\.1/);
    expect(stderr.match(/^< X-Cache: (\w+)\r?$/gm)!.map((l) => l.trim().split(' ')[2])).toEqual(['MISS', 'HIT']);
    expect(stderr.match(/^< Via: 1\.1 cache\.poly\.edu:3128 \(Protolab-cache\/1\.0\)\r?$/gm)).toHaveLength(2);
    expect(stderr).toMatch(/^< Age: \d+\r?$/m);
    const stats = (await t.lab.api.getWebCache()).stats;
    expect(stats).toMatchObject({ requests: 2, hits: 1, misses: 1, originConnections: 1 });
  });

  it('through the proxy, HTTP/1.0 gets Connection: close, and a host outside the world gets the offline page', async () => {
    const t = await startLab();
    const proxy = `127.0.0.1:${(await t.lab.api.getWebCache()).proxy.port}`;
    const old = await curl('-v', '--http1.0', '-x', proxy, 'http://www-net.cs.umass.edu/index.html');
    expect(old.stderr).toMatch(/^> GET http:\/\/www-net\.cs\.umass\.edu\/index\.html HTTP\/1\.0\r?$/m);
    expect(old.stderr).toMatch(/^< Connection: close\r?$/m);
    expect(old.stderr).toMatch(/Closing connection/);
    expect(old.stdout).toContain('www-net');

    const outside = await curl('-x', proxy, '-w', '\n%{http_code}', 'http://www.example.org/');
    expect(outside.stdout.trim().split('\n').at(-1)).toBe('502');
    expect(outside.stdout).toContain('The lab is offline');
    expect((await t.lab.api.getWebCache()).stats.originConnections).toBe(1);
  });

  it('keeps two cookie jars apart behind one cache: each student sees their own cart, and no cart is stored', async () => {
    const t = await startLab();
    const proxy = `127.0.0.1:${(await t.lab.api.getWebCache()).proxy.port}`;
    const shop = 'http://www.amazon.com';
    const jars = { alice: path.join(t.dir, 'alice.txt'), bob: path.join(t.dir, 'bob.txt') };
    const items = { alice: 'router', bob: 'mug' };
    for (const who of ['alice', 'bob'] as const) {
      const added = await curl('-x', proxy, '-c', jars[who], '-b', jars[who], '-d', `item=${items[who]}`, '-o', '/dev/null', '-w', '%{http_code}', `${shop}/cart/add`);
      expect(added.stdout).toBe('303');
    }
    const alice = await curl('-x', proxy, '-i', '-b', jars.alice, `${shop}/cart`);
    const bob = await curl('-x', proxy, '-i', '-b', jars.bob, `${shop}/cart`);
    expect(alice.stdout).toContain('<td>Home Wi-Fi router</td><td>1</td>');
    expect(alice.stdout).not.toContain('Mug printed with the TCP header');
    expect(bob.stdout).toContain('<td>Mug printed with the TCP header</td><td>1</td>');
    expect(bob.stdout).not.toContain('Home Wi-Fi router</td>');
    for (const r of [alice, bob]) {
      expect(r.stdout).toMatch(/^Cache-Control: no-store\r?$/m);
      expect(r.stdout).toMatch(/^X-Cache: MISS\r?$/m);
    }
    const cookie = (jar: string) => /session-id\t([0-9a-f]+)/.exec(fs.readFileSync(jar, 'utf8'))![1];
    expect(cookie(jars.alice)).not.toBe(cookie(jars.bob));
    expect((await t.lab.api.getWebCache()).usage.entries).toBe(0);
  });
});
