import { describe, expect, it } from 'vitest';
import {
  HTTP_STATUS_TABLE,
  encodeChunked,
  escapeHtml,
  escapeHtmlText,
  etagFromBytes,
  etagFromStat,
  formatDuration,
  formatHttpDate,
  getListMembers,
  hasToken,
  methodCheck,
  parseEntityTag,
  parseEntityTagList,
  parseHttpDate,
  parseHttpDateDetailed,
  reasonPhrase,
  RequestParser,
  serializeRequest,
  serializeResponse,
  statusClass,
  statusForbidsBody,
  statusInfo,
  statusPage,
  statusResponse,
  strongMatch,
  toHeaderList,
  weakMatch,
  withoutHopByHop,
} from '../../../../src/protocols/http';
import { latin1, text } from './helpers';

describe('HTTP dates (RFC 9110 §5.6.7)', () => {
  const T = Date.UTC(1994, 10, 6, 8, 49, 37);

  it('writes IMF-fixdate and reads all three forms', () => {
    expect(formatHttpDate(T + 999)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(parseHttpDateDetailed('Sun, 06 Nov 1994 08:49:37 GMT')).toEqual({ ms: T, form: 'IMF-fixdate', weekdayMatches: true });
    expect(parseHttpDateDetailed('Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(2026, 0, 1))).toEqual({ ms: T, form: 'RFC 850', weekdayMatches: true });
    expect(parseHttpDateDetailed('Sun Nov  6 08:49:37 1994')).toEqual({ ms: T, form: 'asctime', weekdayMatches: true });
  });

  it('reads an RFC 850 year more than 50 years ahead as the past century', () => {
    expect(new Date(parseHttpDate('Thursday, 01-Jan-70 00:00:00 GMT', Date.UTC(2026, 0, 1)) as number).getUTCFullYear()).toBe(2070);
    expect(new Date(parseHttpDate('Friday, 01-Jan-99 00:00:00 GMT', Date.UTC(2026, 0, 1)) as number).getUTCFullYear()).toBe(1999);
  });

  it('refuses impossible dates and other text, and notices a wrong weekday', () => {
    expect(parseHttpDate('Mon, 31 Feb 2020 00:00:00 GMT')).toBeNull();
    expect(parseHttpDate('Sun, 06 Nov 1994 24:00:00 GMT')).toBeNull();
    expect(parseHttpDate('06 Nov 1994')).toBeNull();
    expect(parseHttpDate('sun, 06 nov 1994 08:49:37 gmt')).toBeNull();
    expect(parseHttpDateDetailed('Mon, 06 Nov 1994 08:49:37 GMT')?.weekdayMatches).toBe(false);
  });

  it('says durations the way explanations need them', () => {
    expect([formatDuration(5), formatDuration(60), formatDuration(125), formatDuration(3600), formatDuration(5400), formatDuration(86400), formatDuration(90000)]).toEqual([
      '5 s',
      '1 min',
      '2 min 5 s',
      '1 h',
      '1 h 30 min',
      '1 day',
      '1 day 1 h',
    ]);
  });
});

describe('entity tags (RFC 9110 §8.8.3)', () => {
  it('parses strong and weak tags and compares them both ways', () => {
    const strong = parseEntityTag('"17dc6-a5c-bf716880"')!;
    const weak = parseEntityTag('W/"17dc6-a5c-bf716880"')!;
    expect(weak).toEqual({ weak: true, opaque: '17dc6-a5c-bf716880' });
    expect(strongMatch(strong, strong)).toBe(true);
    expect(strongMatch(strong, weak)).toBe(false);
    expect(weakMatch(strong, weak)).toBe(true);
    expect(parseEntityTag('17dc6')).toBeNull();
    expect(parseEntityTag('"a"b"')).toBeNull();
  });

  it('parses If-None-Match lists, keeping commas inside tags', () => {
    expect(parseEntityTagList('*')).toEqual({ any: true });
    expect(parseEntityTagList('"a,b", W/"c" , junk')).toEqual({ any: false, tags: [{ weak: false, opaque: 'a,b' }, { weak: true, opaque: 'c' }], invalid: ['junk'] });
  });

  it('makes validators from file facts or from bytes', () => {
    expect(etagFromStat(0xa5c, 0xbf716880)).toBe('"a5c-bf716880"');
    expect(etagFromBytes(latin1('hello'))).toBe(etagFromBytes(latin1('hello')));
    expect(etagFromBytes(latin1('hello'))).not.toBe(etagFromBytes(latin1('hellp')));
  });
});

describe('status table', () => {
  const required = [200, 201, 204, 301, 304, 400, 401, 404, 405, 408, 411, 413, 414, 431, 501, 505];

  it('has every status the server sends, each with a phrase, an RFC section and an explanation', () => {
    for (const code of required) {
      const info = statusInfo(code);
      expect(info.reason, `${code}`).not.toMatch(/Unknown|Success|Error/);
      expect(info.rfc).toMatch(/^RFC \d+ §/);
      expect(info.explain({ target: '/x', method: 'GET' }).length).toBeGreaterThan(20);
    }
    expect(new Set(HTTP_STATUS_TABLE.map((s) => s.code)).size).toBe(HTTP_STATUS_TABLE.length);
  });

  it('classes codes by their first digit and names unknown ones by class', () => {
    expect([statusClass(100), statusClass(299), statusClass(404), statusClass(599), statusClass(600), statusClass(99)]).toEqual(['informational', 'successful', 'client error', 'server error', undefined, undefined]);
    expect(statusInfo(299).reason).toBe('Success');
    expect(reasonPhrase(431)).toBe('Request Header Fields Too Large');
    expect([statusForbidsBody(101), statusForbidsBody(204), statusForbidsBody(304), statusForbidsBody(200)]).toEqual([true, true, true, false]);
  });

  it('writes pages that say what happened, with everything inserted escaped', () => {
    const p = statusPage(404, { target: '/<b>x</b>', host: 'gaia.cs.umass.edu' });
    expect(p.contentType).toBe('text/html; charset=utf-8');
    expect(p.body).toContain('404 Not Found');
    expect(p.body).toContain('/&#60;b&#62;x&#60;/b&#62;');
    expect(p.body).not.toContain('<b>');
    expect(statusPage(400, { detail: "the header line 'Foo bar' has no colon" }, 'text').body).toContain("The header line 'Foo bar' has no colon.");
    expect(escapeHtml(`<&>"'`)).toBe('&#60;&#38;&#62;&#34;&#39;');
    // In element text only markup is escaped: quotes stay readable in a raw terminal.
    expect(escapeHtmlText(`<&>"'`)).toBe(`&#60;&#38;&#62;"'`);
    expect(statusPage(400, { detail: 'the header "Host: a" is missing' }).body).toContain('The header "Host: a" is missing.');
  });

  it('builds responses with the fields their status requires', () => {
    const moved = statusResponse(301, { location: 'http://gaia.cs.umass.edu/new.html', target: '/old.html' });
    expect(toHeaderList(moved.headers)).toContainEqual({ name: 'Location', value: 'http://gaia.cs.umass.edu/new.html' });
    expect(String(moved.body)).toContain('new.html');
    expect(toHeaderList(statusResponse(401, { realm: 'Lab "x"' }).headers)).toContainEqual({ name: 'WWW-Authenticate', value: 'Basic realm="Lab x", charset="UTF-8"' });
    expect(statusResponse(204).body).toBeUndefined();
    expect(methodCheck('PATCH', '/x', null)).toMatchObject({ status: 501 });
    const notAllowed = methodCheck('DELETE', '/index.html', ['GET', 'HEAD', 'OPTIONS']);
    expect(notAllowed).toMatchObject({ status: 405 });
    expect(toHeaderList(notAllowed?.headers)).toContainEqual({ name: 'Allow', value: 'GET, HEAD, OPTIONS' });
    expect(methodCheck('GET', '/', ['GET'])).toBeNull();
  });
});

describe('serialization', () => {
  it('writes requests and responses the parsers read back', () => {
    const req = serializeRequest({ method: 'POST', target: '/f', headers: [['Host', 'a'], ['Transfer-Encoding', 'chunked']], body: encodeChunked('hello world', 4, [['X-T', '1']]) });
    expect(text(req)).toBe('POST /f HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nhell\r\n4\r\no wo\r\n3\r\nrld\r\n0\r\nX-T: 1\r\n\r\n');
    const [, r] = new RequestParser().push(req);
    expect(r.type === 'request' && text(r.request.body)).toBe('hello world');
    expect(text(serializeRequest({ method: 'GET', target: '/', version: 'HTTP/0.9' }))).toBe('GET /\r\n');
    expect(text(serializeResponse({ status: 404, headers: [['Content-Length', '0']] }))).toBe('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
  });
});

describe('header lists', () => {
  it('finds list members and connection tokens across lines, case-insensitively', () => {
    const h = toHeaderList([['Connection', 'Keep-Alive, X-Hop'], ['connection', 'Upgrade'], ['X-Hop', '1'], ['Vary', 'a, "b,c"']]);
    expect(hasToken(h, 'CONNECTION', 'keep-alive')).toBe(true);
    expect(getListMembers(h, 'vary')).toEqual(['a', '"b,c"']);
    expect(withoutHopByHop(h).map((x) => x.name)).toEqual(['Vary']);
  });
});
