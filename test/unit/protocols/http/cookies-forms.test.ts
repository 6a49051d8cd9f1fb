import { describe, expect, it } from 'vitest';
import {
  HTTP_FORM_MAX_FIELDS,
  HTTP_MULTIPART_MAX_PARTS,
  decodeUrlEncoded,
  encodeUrlEncoded,
  explainCookieAttribute,
  multipartBoundary,
  parseCookieHeader,
  parseMediaType,
  parseMultipart,
  parseRequestTarget,
  parseSetCookie,
  percentDecode,
  requestAuthority,
  serializeSetCookie,
} from '../../../../src/protocols/http';
import { latin1, text } from './helpers';

describe('Set-Cookie (RFC 6265)', () => {
  it('reads the pair and every attribute', () => {
    const c = parseSetCookie('cart=1678; Expires=Wed, 09 Jun 2027 10:18:14 GMT; Max-Age=3600; Domain=.umass.edu; Path=/shop; Secure; HttpOnly; SameSite=Strict');
    expect(c).toMatchObject({ name: 'cart', value: '1678', maxAge: 3600, domain: 'umass.edu', path: '/shop', secure: true, httpOnly: true, sameSite: 'Strict', problems: [] });
    expect(c?.expires).toBe(Date.UTC(2027, 5, 9, 10, 18, 14));
    expect(c?.attributes.map((a) => [a.name, a.offset])).toEqual([
      ['Expires', 11],
      ['Max-Age', 50],
      ['Domain', 64],
      ['Path', 83],
      ['Secure', 95],
      ['HttpOnly', 103],
      ['SameSite', 113],
    ]);
  });

  it('keeps going past bad attributes and says why each was ignored', () => {
    const c = parseSetCookie('id="a b"; Max-Age=soon; Path=relative; SameSite=Sometimes; Expires=never; Flavour=mint');
    expect(c?.value).toBe('a b');
    expect(c?.maxAge).toBeUndefined();
    expect(c?.problems).toHaveLength(4);
    expect(c?.attributes.at(-1)?.ignored).toMatch(/not an attribute/);
    expect(explainCookieAttribute(c!.attributes[0])).toMatch(/ignored/);
  });

  it('returns null without a name=value pair, and flags a bad name', () => {
    expect(parseSetCookie('justtext')).toBeNull();
    expect(parseSetCookie('a b=1')?.problems[0]).toMatch(/not a token/);
  });

  it('explains each attribute in a sentence', () => {
    const c = parseSetCookie('a=1; Max-Age=0; HttpOnly')!;
    expect(explainCookieAttribute(c.attributes[0])).toMatch(/deletes the cookie/);
    expect(explainCookieAttribute(c.attributes[1])).toMatch(/scripts/);
  });

  it('writes Set-Cookie, encoding what a cookie value cannot carry, refusing bad names and injections', () => {
    expect(serializeSetCookie({ name: 'id', value: '42', maxAge: 60, path: '/', httpOnly: true, sameSite: 'Lax', expires: Date.UTC(2027, 5, 9, 10, 18, 14) })).toEqual({
      ok: true,
      value: 'id=42; Expires=Wed, 09 Jun 2027 10:18:14 GMT; Max-Age=60; Path=/; HttpOnly; SameSite=Lax',
    });
    expect(serializeSetCookie({ name: 'n', value: 'a b;c' })).toEqual({ ok: true, value: 'n=a%20b%3Bc' });
    expect(serializeSetCookie({ name: 'a b', value: '1' }).ok).toBe(false);
    expect(serializeSetCookie({ name: 'a', value: '1', path: '/;\r\nX: y' }).ok).toBe(false);
    const round = serializeSetCookie({ name: 'id', value: '42', secure: true });
    expect(round.ok && parseSetCookie(round.value)).toMatchObject({ name: 'id', value: '42', secure: true });
  });
});

describe('Cookie (RFC 6265 §4.2)', () => {
  it('splits the pairs with their offsets', () => {
    expect(parseCookieHeader('session=abc123; theme=dark;  x="q"')).toEqual([
      { name: 'session', value: 'abc123', offset: 0, length: 14 },
      { name: 'theme', value: 'dark', offset: 16, length: 10 },
      { name: 'x', value: 'q', offset: 29, length: 5 },
    ]);
    expect(parseCookieHeader('')).toEqual([]);
  });
});

describe('application/x-www-form-urlencoded', () => {
  it('decodes the course form body with offsets', () => {
    expect(decodeUrlEncoded('var1=value1&var2=value2').fields).toEqual([
      { name: 'var1', value: 'value1', offset: 0, length: 11, nameLength: 4, hasEquals: true, badEscape: false },
      { name: 'var2', value: 'value2', offset: 12, length: 11, nameLength: 4, hasEquals: true, badEscape: false },
    ]);
  });

  it('decodes + as a space and %XX as UTF-8 bytes, and keeps a bad escape as it is', () => {
    const [a, b, c, d] = decodeUrlEncoded('q=hello+w%C3%B6rld&r=100%&flag&&=x').fields;
    expect([a.value, b.value, b.badEscape, c.hasEquals, d.name]).toEqual(['hello wörld', '100%', true, false, '']);
    expect(percentDecode('%E2%82%AC+', false)).toEqual({ text: '€+', ok: true });
    expect(percentDecode('%ff', true).text).toBe('\ufffd');
  });

  it(`decodes ${HTTP_FORM_MAX_FIELDS} fields and stops past that`, () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `f${i}=${i}`).join('&');
    expect(decodeUrlEncoded(body(HTTP_FORM_MAX_FIELDS))).toMatchObject({ truncated: false });
    const over = decodeUrlEncoded(body(HTTP_FORM_MAX_FIELDS + 1));
    expect(over.truncated).toBe(true);
    expect(over.fields).toHaveLength(HTTP_FORM_MAX_FIELDS);
  });

  it('encodes pairs so that decoding gives them back', () => {
    const pairs: Array<[string, string]> = [['name', 'Ann Lee'], ['note', 'a&b=c ü!']];
    const encoded = encodeUrlEncoded(pairs);
    expect(encoded).toBe('name=Ann+Lee&note=a%26b%3Dc+%C3%BC%21');
    expect(decodeUrlEncoded(encoded).fields.map((f) => [f.name, f.value])).toEqual(pairs);
  });
});

describe('multipart/form-data', () => {
  const boundary = '----protolab42';
  const body = latin1(
    `preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="comment"\r\n\r\nNice course!\r\n--${boundary}\r\n` +
      `Content-Disposition: form-data; name="file"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nline one\nline two\n\r\n--${boundary}--\r\nepilogue`,
  );

  it('finds the boundary in Content-Type', () => {
    expect(multipartBoundary(`multipart/form-data; boundary=${boundary}`)).toBe(boundary);
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('multipart/form-data')).toBeNull();
    expect(multipartBoundary(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeNull();
    expect(multipartBoundary('text/plain; boundary=x')).toBeNull();
  });

  it('splits parts with their headers, names, file names and data', () => {
    const mp = parseMultipart(body, boundary);
    expect(mp.complete).toBe(true);
    expect(mp.problems).toEqual([]);
    expect(mp.preamble).toEqual({ offset: 0, length: 10 });
    expect(mp.parts.map((p) => [p.name, p.filename, p.contentType, text(p.data)])).toEqual([
      ['comment', undefined, undefined, 'Nice course!'],
      ['file', 'notes.txt', 'text/plain', 'line one\nline two\n'],
    ]);
    expect(text(body.subarray(mp.parts[0].dataOffset, mp.parts[0].dataOffset + mp.parts[0].data.length))).toBe('Nice course!');
    expect(mp.delimiters.map((d) => d.close)).toEqual([false, false, true]);
    expect(text(body.subarray(mp.epilogue!.offset))).toBe('epilogue');
  });

  it('reports a body without a closing delimiter or without any delimiter', () => {
    expect(parseMultipart(latin1(`--${boundary}\r\n\r\ndata`), boundary)).toMatchObject({ complete: false, problems: [expect.stringMatching(/closing/)] });
    expect(parseMultipart(latin1('no parts here'), boundary)).toMatchObject({ parts: [], problems: [expect.stringMatching(/no "--/)] });
  });

  it(`reads ${HTTP_MULTIPART_MAX_PARTS} parts and stops past that`, () => {
    const many = (n: number) => latin1(`${Array.from({ length: n }, (_, i) => `--b\r\n\r\n${i}\r\n`).join('')}--b--\r\n`);
    expect(parseMultipart(many(HTTP_MULTIPART_MAX_PARTS), 'b')).toMatchObject({ truncated: false, complete: true });
    const over = parseMultipart(many(HTTP_MULTIPART_MAX_PARTS + 1), 'b');
    expect(over.truncated).toBe(true);
    expect(over.parts).toHaveLength(HTTP_MULTIPART_MAX_PARTS);
  });
});

describe('request targets and media types', () => {
  it('splits origin-form into path and decoded query parameters', () => {
    const t = parseRequestTarget('/path/page1exec?var1=value1&var2=a%20b', 'origin');
    expect(t).toMatchObject({ path: '/path/page1exec', query: 'var1=value1&var2=a%20b', queryOffset: 16 });
    expect(t.params.map((p) => [p.name, p.value, p.offset])).toEqual([
      ['var1', 'value1', 0],
      ['var2', 'a b', 12],
    ]);
    expect(parseRequestTarget('/a%20b', 'origin').decodedPath).toBe('/a b');
  });

  it('splits absolute-form for a proxy and finds the authority', () => {
    const t = parseRequestTarget('http://GAIA.cs.umass.edu:8080/x?y=1', 'absolute');
    expect(t).toMatchObject({ scheme: 'http', host: 'gaia.cs.umass.edu', port: 8080, path: '/x', pathOffset: 29 });
    expect(requestAuthority(t, 'other')).toEqual({ host: 'gaia.cs.umass.edu', port: 8080 });
    expect(parseRequestTarget('http://gaia.cs.umass.edu', 'absolute').path).toBe('/');
    expect(requestAuthority(parseRequestTarget('/', 'origin'), 'www-net.cs.umass.edu:10080')).toEqual({ host: 'www-net.cs.umass.edu', port: 10080 });
    expect(parseRequestTarget('gaia.cs.umass.edu:443', 'authority')).toMatchObject({ host: 'gaia.cs.umass.edu', port: 443 });
  });

  it('reads media types with parameters', () => {
    expect(parseMediaType('Text/HTML; charset="ISO-8859-1"')).toMatchObject({ essence: 'text/html', params: [{ name: 'charset', value: 'ISO-8859-1' }] });
    expect(parseMediaType('nonsense')).toBeNull();
  });
});
