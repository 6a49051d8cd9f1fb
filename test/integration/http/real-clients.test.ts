// The lab's web servers with real clients: curl (keep-alive reuse in -v, HTTP/1.0, a conditional
// GET, cookies, PUT and DELETE) and Python's http.client. They skip with a printed reason where the
// tool is missing, and fail under CI.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../support/tools';
import { startLab, useLabs } from './helpers';
import { HTTP_MAX_REQUESTS_PER_CONNECTION } from '../../../src/protocols/http';

useLabs();

const run = promisify(execFile);
const curlPath = requireTool('curl');
const pythonPath = requireTool('python3');

/** curl against loopback only: any proxy from the environment is ignored. */
async function curl(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(curlPath!, ['--silent', '--show-error', '--noproxy', '*', '--max-time', '10', ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

const FILE1 = '/wireshark-labs/HTTP-wireshark-file1.html';
const FILE2 = '/wireshark-labs/HTTP-wireshark-file2.html';

describe.skipIf(!curlPath)('curl', () => {
  it('reuses one keep-alive connection for two URLs (-v says so), and HTTP/1.0 gets Connection: close', async () => {
    const t = await startLab();
    const base = `http://127.0.0.1:${t.port('gaia.cs.umass.edu')}`;
    const two = await curl('-v', '-o', '/dev/null', '-o', '/dev/null', `${base}${FILE1}`, `${base}${FILE2}`);
    expect(two.stderr).toMatch(/Re-using existing connection/);
    expect(two.stderr).toContain(`< Keep-Alive: timeout=5, max=${HTTP_MAX_REQUESTS_PER_CONNECTION - 1}`);
    expect(two.stderr).toContain(`< Keep-Alive: timeout=5, max=${HTTP_MAX_REQUESTS_PER_CONNECTION - 2}`);

    const old = await curl('-v', '--http1.0', `${base}${FILE1}`);
    expect(old.stderr).toContain(`> GET ${FILE1} HTTP/1.0`);
    expect(old.stderr).toContain('< Connection: close');
    expect(old.stdout).toContain('first and smallest file');
  });

  it('reaches a virtual host by its own port and by Host on the default port', async () => {
    const t = await startLab();
    const own = await curl(`http://127.0.0.1:${t.port('www.someschool.edu')}/someDepartment/home.index`);
    const byHost = await curl('-H', 'Host: www.someschool.edu', `http://127.0.0.1:${t.port('gaia.cs.umass.edu')}/someDepartment/home.index`);
    expect(own.stdout).toContain('img10.jpg');
    expect(byHost.stdout).toBe(own.stdout);
  });

  it('gets 304 for a conditional GET with the ETag it was given', async () => {
    const t = await startLab();
    const url = `http://127.0.0.1:${t.port('gaia.cs.umass.edu')}${FILE2}`;
    const head = await curl('-I', url);
    const etag = /^ETag: (.+?)\r?$/m.exec(head.stdout)![1];
    const again = await curl('-o', '/dev/null', '-w', '%{http_code} %{size_download}', '-H', `If-None-Match: ${etag}`, url);
    expect(again.stdout).toBe('304 0');
    const stale = await curl('-o', '/dev/null', '-w', '%{http_code}', '-H', 'If-None-Match: "stale"', url);
    expect(stale.stdout).toBe('200');
  });

  it('keeps a cart with a cookie jar (-c/-b)', async () => {
    const t = await startLab();
    const jar = path.join(t.dir, 'cookies.txt');
    const base = `http://127.0.0.1:${t.port('www.amazon.com')}`;
    await curl('-c', jar, '-b', jar, '-o', '/dev/null', `${base}/cart`);
    expect(fs.readFileSync(jar, 'utf8')).toMatch(/session-id\t[0-9a-f]{16}/);
    const added = await curl('-c', jar, '-b', jar, '-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', '-d', 'item=router', `${base}/cart/add`);
    expect(added.stdout).toBe(`303 ${base}/cart`);
    const cart = await curl('-b', jar, `${base}/cart`);
    expect(cart.stdout).toContain('<td>Home Wi-Fi router</td><td>1</td>');
  });

  it('uploads with -T (PUT), reads it back, and removes it with -X DELETE', async () => {
    const t = await startLab();
    const base = `http://127.0.0.1:${t.port('www.somesite.com')}`;
    const local = path.join(t.dir, 'report.txt');
    fs.writeFileSync(local, 'uploaded by curl\n');
    const created = await curl('-o', '/dev/null', '-w', '%{http_code}', '-T', local, `${base}/uploads/`);
    expect(created.stdout).toBe('201');
    expect((await curl(`${base}/uploads/report.txt`)).stdout).toBe('uploaded by curl\n');
    const replaced = await curl('-o', '/dev/null', '-w', '%{http_code}', '-T', local, `${base}/uploads/report.txt`);
    expect(replaced.stdout).toBe('204');
    const deleted = await curl('-o', '/dev/null', '-w', '%{http_code}', '-X', 'DELETE', `${base}/uploads/report.txt`);
    expect(deleted.stdout).toBe('204');
    const gone = await curl('-o', '/dev/null', '-w', '%{http_code}', `${base}/uploads/report.txt`);
    expect(gone.stdout).toBe('404');
  });

  it('sends Basic credentials with -u', async () => {
    const t = await startLab();
    const url = `http://127.0.0.1:${t.port('gaia.cs.umass.edu')}/wireshark-labs/protected_pages/HTTP-wireshark-file5.html`;
    expect((await curl('-o', '/dev/null', '-w', '%{http_code}', url)).stdout).toBe('401');
    expect((await curl('-o', '/dev/null', '-w', '%{http_code}', '-u', 'wireshark-students:network', url)).stdout).toBe('200');
  });
});

describe.skipIf(!pythonPath)("Python's http.client", () => {
  it('GETs a page and POSTs a form', async () => {
    const t = await startLab();
    const script = `
import http.client, sys
c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=10)
c.request('GET', '/index.html', headers={'Host': 'www-net.cs.umass.edu'})
r = c.getresponse()
body = r.read().decode()
print(r.status, r.getheader('Content-Type'), 'www-net' in body)
c.request('POST', '/page1exec', body='var1=value1&var2=value2', headers={'Host': 'www.somesite.com', 'Content-Type': 'application/x-www-form-urlencoded'})
r = c.getresponse()
body = r.read().decode()
print(r.status, 'value2' in body, r.getheader('Connection'))
c.close()
`;
    const { stdout } = await run(pythonPath!, ['-c', script, String(t.port('gaia.cs.umass.edu'))], { encoding: 'utf8' });
    expect(stdout.trim().split('\n')).toEqual(['200 text/html; charset=utf-8 True', '200 True keep-alive']);
  });
});
