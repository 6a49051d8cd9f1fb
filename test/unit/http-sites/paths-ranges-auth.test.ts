// The small rules under the sites: confining a URL path to a folder, single byte ranges, Basic
// credentials (the last two pure, in src/protocols/http), and host names as the sites compare them.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SiteAuthRealm } from '../../../src/main/lab/http/sites/manifest';
import { decodeUrlPath, isWithin, locate } from '../../../src/main/lab/http/sites/url-path';
import { hasEmptyHost, hasUserinfo, hostFieldValue, HTTP_PORT, normalizeHostName } from '../../../src/protocols/http/authority';
import { checkBasicAuth, decodeBasicCredentials } from '../../../src/protocols/http/basic-auth';
import { decideRange } from '../../../src/protocols/http/byte-range';
import { IDEMPOTENT_METHODS, isIdempotent } from '../../../src/protocols/http/methods';

describe('decodeUrlPath', () => {
  it('decodes once and splits into segments', () => {
    expect(decodeUrlPath('/a%20b/c%C3%A9.html')).toEqual({ ok: true, path: '/a b/cé.html', segments: ['a b', 'cé.html'] });
    expect(decodeUrlPath('/')).toEqual({ ok: true, path: '/', segments: [''] });
    // Decoding twice would turn %252e%252e into "..": once leaves a harmless "%2e%2e" name.
    expect(decodeUrlPath('/%252e%252e/x')).toEqual({ ok: true, path: '/%2e%2e/x', segments: ['%2e%2e', 'x'] });
    // Repeated slashes name the same file, so they are merged before any prefix is compared.
    expect(decodeUrlPath('//a///b/')).toEqual({ ok: true, path: '/a/b/', segments: ['a', 'b', ''] });
  });

  it('refuses what could leave the folder or fool the file system, saying why', () => {
    const refused: Array<[string, RegExp]> = [
      ['/../x', /"\." or "\.\." segment/],
      ['/a/./b', /"\." or "\.\." segment/],
      ['/%2E%2E/x', /"\." or "\.\." segment/],
      ['/a%2fb', /encoded "\/"/],
      ['/a%5Cb', /encoded "\/" or "\\"/],
      ['/a\\b', /backslash/],
      ['/a%00b', /NUL/],
      ['/a%0d%0ab', /control character/],
      ['/a%zz', /two hex digits/],
      ['/a%C3', /not UTF-8|two hex digits/],
      ['relative', /does not start with "\/"/],
    ];
    for (const [raw, why] of refused) {
      const r = decodeUrlPath(raw);
      expect(r.ok, raw).toBe(false);
      if (!r.ok) expect(r.reason, raw).toMatch(why);
    }
  });
});

describe('locate', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-locate-'));
  const root = path.join(base, 'root');
  fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'sub', 'page.html'), 'x');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'secret');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'out.txt'));
  fs.symlinkSync(path.join(root, 'sub', 'page.html'), path.join(root, 'in.html'));
  fs.symlinkSync(base, path.join(root, 'up'));
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('finds files and folders inside, and treats links leading out as missing', async () => {
    const realRoot = fs.realpathSync(root);
    expect((await locate(realRoot, ['sub', 'page.html'])).kind).toBe('file');
    expect((await locate(realRoot, ['sub'])).kind).toBe('folder');
    expect((await locate(realRoot, ['in.html'])).kind).toBe('file');
    expect((await locate(realRoot, ['out.txt'])).kind).toBe('missing');
    expect((await locate(realRoot, ['up', 'secret.txt'])).kind).toBe('missing');
    expect((await locate(realRoot, ['nope'])).kind).toBe('missing');
    expect((await locate(realRoot, ['sub', 'page.html', 'deeper'])).kind).toBe('missing');
    expect((await locate(realRoot, ['x'.repeat(300)])).kind).toBe('missing');
    expect(isWithin('/a/b', '/a/b')).toBe(true);
    expect(isWithin('/a/b', '/a/bc')).toBe(false);
  });
});

describe('decideRange', () => {
  const v = { etag: '"10-abc"', lastModified: Date.UTC(2020, 0, 1) };
  const range = (value: string, extra: Array<[string, string]> = [], method = 'GET', size = 100) => decideRange(method, [{ name: 'Range', value }, ...extra.map(([name, val]) => ({ name, value: val }))], size, v);

  it('serves first-last, first- and -suffix', () => {
    expect(range('bytes=0-9')).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(range('bytes=90-')).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(range('bytes=95-500')).toEqual({ kind: 'partial', start: 95, end: 99 });
    expect(range('bytes=-10')).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(range('bytes=-500')).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(range('BYTES = 1 - 2')).toEqual({ kind: 'partial', start: 1, end: 2 });
  });

  it('answers 416 past the end, and ignores what it does not serve', () => {
    expect(range('bytes=100-')).toEqual({ kind: 'unsatisfiable' });
    expect(range('bytes=-0')).toEqual({ kind: 'unsatisfiable' });
    expect(range('bytes=0-', [], 'GET', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(range('bytes=0-1,5-6').kind).toBe('whole');
    expect(range('items=0-1').kind).toBe('whole');
    expect(range('bytes=5-1').kind).toBe('whole');
    expect(range('bytes=-').kind).toBe('whole');
    expect(range('bytes=0-1', [], 'HEAD').kind).toBe('whole');
    expect(decideRange('GET', [], 100, v)).toEqual({ kind: 'whole' });
  });

  it('applies If-Range only while the client copy is current', () => {
    expect(range('bytes=0-1', [['If-Range', '"10-abc"']]).kind).toBe('partial');
    expect(range('bytes=0-1', [['If-Range', '"old"']]).kind).toBe('whole');
    expect(range('bytes=0-1', [['If-Range', 'W/"10-abc"']]).kind).toBe('whole'); // weak tags never match strongly
    expect(range('bytes=0-1', [['If-Range', 'Wed, 01 Jan 2020 00:00:00 GMT']]).kind).toBe('partial');
    expect(range('bytes=0-1', [['If-Range', 'Thu, 02 Jan 2020 00:00:00 GMT']]).kind).toBe('whole');
  });
});

describe('checkBasicAuth', () => {
  const realm: SiteAuthRealm = { prefix: '/p/', scheme: 'Basic', realm: 'lab', users: [{ name: 'wireshark-students', password: 'net:work' }] };
  const auth = (value?: string) => checkBasicAuth(value === undefined ? [] : [{ name: 'Authorization', value }], realm);
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('accepts the right user and password (a colon in the password is fine), scheme name in any case', () => {
    expect(auth(`Basic ${b64('wireshark-students:net:work')}`)).toEqual({ ok: true, user: 'wireshark-students' });
    expect(auth(`bAsIc ${b64('wireshark-students:net:work')}`)).toEqual({ ok: true, user: 'wireshark-students' });
  });

  it('says what was wrong otherwise', () => {
    expect(auth()).toMatchObject({ ok: false, reason: expect.stringContaining('no Authorization header') });
    expect(auth(`Bearer abc`)).toMatchObject({ ok: false, reason: expect.stringContaining('Bearer scheme') });
    expect(auth('Basic')).toMatchObject({ ok: false, reason: expect.stringContaining('not base64') });
    expect(auth('Basic a=b=')).toMatchObject({ ok: false, reason: expect.stringContaining('not base64') });
    expect(auth(`Basic ${b64('nocolon')}`)).toMatchObject({ ok: false, reason: expect.stringContaining('no ":"') });
    expect(auth(`Basic ${Buffer.from([0xff, 0x3a, 0x41]).toString('base64')}`)).toMatchObject({ ok: false, reason: expect.stringContaining('not UTF-8') });
    expect(auth(`Basic ${b64('eve:net:work')}`)).toMatchObject({ ok: false, reason: expect.stringContaining('"eve", who is not a user') });
    expect(auth(`Basic ${b64('wireshark-students:network')}`)).toMatchObject({ ok: false, reason: expect.stringContaining('wrong password') });
  });
});

describe('decodeBasicCredentials', () => {
  it('decodes user and password with the shared base64 decoder, or says why not', () => {
    expect(decodeBasicCredentials('QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toEqual({ ok: true, user: 'Aladdin', password: 'open sesame' });
    expect(decodeBasicCredentials('dGVzdDoxMjPCow==')).toEqual({ ok: true, user: 'test', password: '123£' });
    expect(decodeBasicCredentials('not base64!')).toMatchObject({ ok: false, reason: expect.stringContaining('not base64') });
  });
});

describe('host names and the http authority', () => {
  it('lowercases and drops a trailing dot (the port is split off before)', () => {
    expect(normalizeHostName(' WWW.SomeSchool.EDU. ')).toBe('www.someschool.edu');
  });

  it('leaves the default port out of Host', () => {
    expect(HTTP_PORT).toBe(80);
    expect(hostFieldValue('gaia.cs.umass.edu', 80)).toBe('gaia.cs.umass.edu');
    expect(hostFieldValue('gaia.cs.umass.edu', 8080)).toBe('gaia.cs.umass.edu:8080');
  });

  it('finds userinfo and empty hosts in absolute URIs', () => {
    expect(hasUserinfo('http://gaia.cs.umass.edu@127.0.0.1:40080/')).toBe(true);
    expect(hasUserinfo('http://user:pw@gaia.cs.umass.edu/')).toBe(true);
    expect(hasUserinfo('http://gaia.cs.umass.edu/a@b')).toBe(false);
    expect(hasEmptyHost('http:///')).toBe(true);
    expect(hasEmptyHost('http://:80/')).toBe(true);
    expect(hasEmptyHost('http://user@/')).toBe(true);
    expect(hasEmptyHost('http://gaia.cs.umass.edu/')).toBe(false);
    expect(hasEmptyHost('/relative')).toBe(false);
  });
});

describe('idempotent methods (RFC 9110 §9.2.2)', () => {
  it('lists the methods a client may resend on its own, and not POST', () => {
    expect(IDEMPOTENT_METHODS).toEqual(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
    expect(isIdempotent('PUT')).toBe(true);
    expect(isIdempotent('POST')).toBe(false);
    expect(isIdempotent('PATCH')).toBe(false);
  });
});
