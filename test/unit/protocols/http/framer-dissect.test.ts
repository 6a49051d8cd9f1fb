import { describe, expect, it } from 'vitest';
import type { Direction } from '../../../../src/shared/capture';
import { walkFields, type FieldNode } from '../../../../src/protocols/core/field';
import { previewText } from '../../../../src/protocols/core/summary';
import type { FramedMessage } from '../../../../src/protocols/core/framing';
import { getProtocol } from '../../../../src/protocols/registry';
import {
  HTTP_CAPTURE_MAX_CHUNK_LINE,
  HTTP_CAPTURE_MAX_HEAD,
  HTTP_CAPTURE_MAX_PENDING_REQUESTS,
  HTTP_SUMMARY_MAX_CHARS,
  HttpFramer,
  dissectHttp,
  explainHttp,
  httpProtocol,
} from '../../../../src/protocols/http';
import { USUAL_REQUEST_LINE, USUAL_STATUS_LINE } from '../../../../src/protocols/http/framer';
import { parseRequestLine, parseStatusLine } from '../../../../src/protocols/http/syntax';
import type { DissectContext } from '../../../../src/protocols/registry-types';
import { COURSE_POST, COURSE_REQUEST, byteByByte, latin1, text } from './helpers';
import { kept } from '../../../support/framed';

type Step = [Direction, string, number?];

function frameSteps(steps: Step[], endDirs: Direction[] = ['c2s', 's2c'], split = false): FramedMessage[] {
  const f = new HttpFramer();
  const out: FramedMessage[] = [];
  for (const [dir, data, t] of steps) {
    const bytes = latin1(data);
    for (const chunk of split ? byteByByte(bytes) : [bytes]) out.push(...kept(f.push(dir, chunk, t ?? 0)));
  }
  for (const d of endDirs) out.push(...kept(f.end(d)));
  return out;
}

const shape = (ms: FramedMessage[]) => ms.map((m) => ({ dir: m.dir, role: m.role, text: text(m.bytes), summary: m.summary, partial: m.partial === true, t: m.t }));

describe('HTTP framer', () => {
  it('is the framer the registry gives for http', () => {
    expect(getProtocol('http')).toBe(httpProtocol);
    expect(httpProtocol.createFramer({ transport: 'tcp' })).toBeInstanceOf(HttpFramer);
    expect(httpProtocol.createFramer({ transport: 'udp' }).push('c2s', latin1('x'), 0)).toHaveLength(1);
  });

  it('cuts requests and responses as whole messages with Wireshark-like summaries', () => {
    const ms = frameSteps([
      ['c2s', COURSE_REQUEST + COURSE_POST],
      ['s2c', 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\nContent-Length: 4\r\n\r\nabcdHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n'],
    ]);
    expect(ms.map((m) => [m.dir, m.role, m.summary])).toEqual([
      ['c2s', 'request', 'GET /index.html HTTP/1.1'],
      ['c2s', 'request', 'POST /path/page1exec HTTP/1.0 (application/x-www-form-urlencoded)'],
      ['s2c', 'response', 'HTTP/1.1 200 OK (text/html)'],
      ['s2c', 'response', 'HTTP/1.1 201 Created'],
    ]);
    expect(text(ms[1].bytes)).toBe(COURSE_POST);
  });

  it('knows a response to HEAD has no body, because it saw the request first', () => {
    const ms = frameSteps([
      ['c2s', 'HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n'],
      ['s2c', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'],
    ]);
    expect(ms.filter((m) => m.dir === 's2c').map((m) => m.bytes.length)).toEqual([38, 43]);
  });

  it('frames HTTP/0.9: the simple request, then the bare page until the close', () => {
    const ms = frameSteps([
      ['c2s', 'GET /\r\n'],
      ['s2c', '<html>page</html>'],
    ]);
    expect(shape(ms).map((m) => [m.role, m.summary, m.partial])).toEqual([
      ['request', 'GET / (HTTP/0.9 simple request)', false],
      ['response', 'HTTP/0.9 response: "<html>page</html>" (17 bytes)', false],
    ]);
  });

  it('marks 1xx as interim (not the answer), and everything after 101 as not HTTP', () => {
    const ms = frameSteps([
      ['c2s', 'POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhiGET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'],
      ['s2c', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x02hi'],
      ['c2s', '\x81\x82abcd'],
    ]);
    expect(ms.map((m) => [m.dir, m.role])).toEqual([
      ['c2s', 'request'],
      ['c2s', 'request'],
      ['s2c', 'other'],
      ['s2c', 'response'],
      ['s2c', 'response'],
      ['c2s', 'other'],
      ['s2c', 'other'],
    ]);
  });

  it('gives the same messages fed whole or byte by byte, and keeps every byte', () => {
    const steps: Step[] = [
      ['c2s', `${COURSE_REQUEST}POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX: 1\r\n\r\nGET / HTTP/1.1\r\n`],
      ['s2c', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\nHTTP/1.0 200 OK\r\n\r\nrest'],
    ];
    const whole = frameSteps(steps);
    expect(shape(frameSteps(steps, undefined, true))).toEqual(shape(whole));
    expect(whole.filter((m) => m.dir === 'c2s').map((m) => text(m.bytes)).join('')).toBe(steps[0][1]);
    expect(whole.filter((m) => m.dir === 's2c').map((m) => text(m.bytes)).join('')).toBe(steps[1][1]);
    expect(whole.find((m) => m.partial)?.summary).toBe('GET / HTTP/1.1 (incomplete)');
  });

  it('dates each message by its first byte', () => {
    const ms = frameSteps([
      ['c2s', 'GET / HT', 10],
      ['c2s', 'TP/1.1\r\nHost: a\r\n\r\nGET /2', 20],
      ['c2s', ' HTTP/1.1\r\nHost: a\r\n\r\n', 30],
    ]);
    expect(ms.map((m) => m.t)).toEqual([10, 20]);
  });

  it(`cuts a head with no blank line at ${HTTP_CAPTURE_MAX_HEAD} bytes`, () => {
    const ms = frameSteps([['c2s', `GET / HTTP/1.1\r\nX: ${'a'.repeat(HTTP_CAPTURE_MAX_HEAD)}`]], []);
    expect(ms).toHaveLength(1);
    expect(ms[0].bytes.length).toBe(HTTP_CAPTURE_MAX_HEAD);
    expect(ms[0].summary).toMatch(/head cut/);
    expect(frameSteps([['c2s', `GET / HTTP/1.1\r\nX: ${'a'.repeat(HTTP_CAPTURE_MAX_HEAD - 30)}`]], [])).toHaveLength(0);
  });

  it('ends a chunked body that stops making sense instead of waiting forever', () => {
    const ms = frameSteps([['c2s', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']], []);
    expect(ms[0].summary).toMatch(/malformed chunked body/);
    const long = frameSteps([['c2s', `POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${'1'.repeat(HTTP_CAPTURE_MAX_CHUNK_LINE + 1)}`]], []);
    expect(long).toHaveLength(1);
  });

  it('calls server bytes that are not a response "other", and a cut message partial', () => {
    const ms = frameSteps([['s2c', 'HTTP/1.1 304 Not Modified\r\n\r\nstray body'], ['c2s', 'GET / HTTP/1.1\r\nHo']]);
    expect(ms.map((m) => [m.role, m.partial === true])).toEqual([
      ['response', false],
      ['request', true],
      ['other', false],
    ]);
  });
});

const ctx = (dir: Direction, extra: Partial<DissectContext> = {}): DissectContext => ({ dir, role: dir === 'c2s' ? 'request' : 'response', transport: 'tcp', ...extra });

function experts(nodes: FieldNode[]): string[] {
  return [...walkFields(nodes)].flatMap(([n]) => (n.expert ? [`${n.id}:${n.expert.severity}:${n.expert.message}`] : []));
}

function find(nodes: FieldNode[], id: string): FieldNode | undefined {
  return [...walkFields(nodes)].find(([n]) => n.id === id)?.[0];
}

describe('HTTP dissector', () => {
  it('splits the target into path and decoded query parameters', () => {
    const nodes = dissectHttp(latin1('GET /path/page1exec?var1=value1&var2=a+b%21 HTTP/1.0\r\n\r\n'), ctx('c2s'));
    const params = [...walkFields(nodes)].filter(([n]) => n.id === 'http.request.query.param').map(([n]) => [n.display, n.offset, n.length]);
    expect(params).toEqual([
      ['Parameter: var1 = value1', 20, 11],
      ['Parameter: var2 = a b!', 32, 11],
    ]);
  });

  it('gives every header its own field, with its meaning and RFC section in the field table', () => {
    const nodes = dissectHttp(latin1(COURSE_REQUEST), ctx('c2s'));
    const host = find(nodes, 'http.header.host');
    expect(host).toMatchObject({ offset: 26, length: 28, value: 'www-net.cs.umass.edu' });
    expect(httpProtocol.fields['http.header.host']).toMatchObject({ name: 'Host', rfc: 'RFC 9110 §7.2' });
    expect(httpProtocol.fields['http.header.host'].blurb).toMatch(/virtual hosts/);
  });

  it('flags a bare LF, a missing Host, Content-Length with chunked, obs-fold and a line without a colon', () => {
    const all = experts(dissectHttp(latin1('POST / HTTP/1.1\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nX: a\r\n b\r\nNo colon\r\n\r\n0\r\n\r\n'), ctx('c2s')));
    expect(all).toEqual([
      'http.request.line:error:HTTP/1.1 request without a Host header (a server answers 400)',
      'http.line_end:note:bare LF line ending (the protocol expects CR LF)',
      expect.stringMatching(/^http\.header\.transfer_encoding:error:both Content-Length and Transfer-Encoding/),
      expect.stringMatching(/^http\.header\.invalid:error:obsolete line folding/),
      expect.stringMatching(/^http\.header\.invalid:error:the header line 'No colon' has no colon/),
    ]);
  });

  it('flags a 304 or a HEAD response with a body, and explains an empty HEAD body', () => {
    expect(experts(dissectHttp(latin1('HTTP/1.1 304 Not Modified\r\n\r\nbody'), ctx('s2c')))).toContain('http.body:error:a 304 response must not have a body (RFC 9110 §6.4.1)');
    const head = ctx('s2c', { pairedWith: { id: 1, t: 0, bytes: latin1('HEAD / HTTP/1.1\r\n\r\n') } });
    expect(experts(dissectHttp(latin1('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'), head))).toEqual([
      'http.header.content_length:note:no body: the answer to a HEAD request; Content-Length is the size a GET would get',
    ]);
    expect(experts(dissectHttp(latin1('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'), head))).toContain('http.body:error:a response to HEAD must not have a body (RFC 9110 §6.4.1)');
  });

  it('flags a body that does not match Content-Length', () => {
    expect(experts(dissectHttp(latin1('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhello'), ctx('s2c')))).toContain('http.body.length:error:Content-Length says 3 bytes but 5 follow');
    expect(experts(dissectHttp(latin1('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhello'), ctx('s2c', { partial: true })))).toContain('http.body.length:warn:only 5 of the 9 bytes arrived before the connection ended');
  });

  it('shows the chunk framing byte by byte and the form fields inside a chunked body', () => {
    const nodes = dissectHttp(latin1('POST / HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n4\r\na=1&\r\n3\r\nb=2\r\n0\r\n\r\n'), ctx('c2s'));
    const chunks = [...walkFields(nodes)].filter(([n]) => n.id === 'http.chunk').map(([n]) => [n.offset, n.length, n.value]);
    expect(chunks).toEqual([
      [105, 9, 4],
      [114, 8, 3],
    ]);
    const fields = [...walkFields(nodes)].filter(([n]) => n.id === 'http.form.field').map(([n]) => [n.display, n.generated]);
    expect(fields).toEqual([
      ['Form field: a = 1', true],
      ['Form field: b = 2', true],
    ]);
  });

  it('says which request a response answers and how long it took', () => {
    const nodes = dissectHttp(latin1('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), ctx('s2c', { t: 1250, pairedWith: { id: 12, t: 1247 } }));
    expect(find(nodes, 'http.response_to')).toMatchObject({ value: 12, display: 'Response to request #12', generated: true });
    expect(find(nodes, 'http.time_since_request')).toMatchObject({ value: 3, display: 'Time since request: 3.000 ms' });
    expect(find(dissectHttp(latin1(COURSE_REQUEST), ctx('c2s', { pairedWith: { id: 13, t: 0 } })), 'http.response_in')?.display).toBe('Response in #13');
  });

  it('says what the caching headers of a response allow', () => {
    const nodes = dissectHttp(latin1('HTTP/1.1 200 OK\r\nDate: Sun, 26 Sep 2010 20:09:20 GMT\r\nCache-Control: public, max-age=3600\r\nETag: "x"\r\nContent-Length: 0\r\n\r\n'), ctx('s2c'));
    expect(find(nodes, 'http.caching')?.display).toBe('Caching: storable, fresh for 3600 s');
    expect(find(nodes, 'http.cache_control.directive')?.display).toMatch(/^public: any cache may store it/);
    expect(find(nodes, 'http.caching.validators')?.display).toMatch(/ETag/);
  });

  it('decodes Basic credentials to show they are not secret', () => {
    const nodes = dissectHttp(latin1('GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Basic YWxpY2U6d29uZGVybGFuZA==\r\n\r\n'), ctx('c2s'));
    expect(find(nodes, 'http.authorization.decoded')?.display).toBe('Decoded: user "alice", password "wonderland"');
  });

  it('shows bytes from the server that are not a response as data, and an HTTP/0.9 answer as such', () => {
    expect(dissectHttp(latin1('<html>'), ctx('s2c'))[0]).toMatchObject({ id: 'http.data', expert: { severity: 'warn' } });
    const simple = dissectHttp(latin1('<html>'), ctx('s2c', { pairedWith: { id: 1, t: 0, bytes: latin1('GET /\r\n') } }));
    expect(simple[0]).toMatchObject({ id: 'http.data', display: 'HTTP/0.9 response: 6 bytes', expert: { severity: 'note' } });
  });

  it('never throws, and keeps every node inside the message, whatever the bytes', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pieces = ['GET ', 'HTTP/1.1', 'HTTP/', ' 200 ', '\r\n', '\n', ':', 'Host: a', 'Content-Length: 5', 'Transfer-Encoding: chunked', '0\r\n', 'ff;x', ' ', '\x00', '\xff', 'Cookie: a=1;', 'Set-Cookie: b', 'Content-Type: multipart/form-data; boundary=b', '--b\r\n', 'Authorization: Basic !!', 'Date: x', '%', '?q=%zz&', '/'];
    for (let i = 0; i < 1000; i++) {
      let s = '';
      const n = Math.floor(rand() * 20);
      for (let k = 0; k < n; k++) s += pieces[Math.floor(rand() * pieces.length)];
      const bytes = latin1(s);
      for (const dir of ['c2s', 's2c'] as const) {
        const nodes = dissectHttp(bytes, ctx(dir, { partial: rand() < 0.3 }));
        for (const [node] of walkFields(nodes)) {
          expect(node.offset, s).toBeGreaterThanOrEqual(0);
          expect(node.offset + node.length, s).toBeLessThanOrEqual(bytes.length);
          expect(node.id in httpProtocol.fields, node.id).toBe(true);
        }
        expect(() => explainHttp(bytes, ctx(dir))).not.toThrow();
      }
    }
  });
});

describe('HTTP explanations', () => {
  it('explains a request in plain words', () => {
    const e = explainHttp(latin1(COURSE_REQUEST), ctx('c2s'));
    expect(e.title).toBe('HTTP request: GET /index.html');
    expect(e.text).toMatch(/www-net\.cs\.umass\.edu/);
    expect(e.text).toMatch(/persistent/);
    expect(explainHttp(latin1('GET /\r\n'), ctx('c2s')).title).toBe('HTTP/0.9 request: GET /');
    expect(explainHttp(latin1('GET / HTTP/3.0\r\n\r\n'), ctx('c2s')).text).toMatch(/505/);
  });

  it('explains a response by its status, its connection and its cache', () => {
    const e = explainHttp(latin1('HTTP/1.1 304 Not Modified\r\nX-Cache: HIT\r\nConnection: close\r\n\r\n'), ctx('s2c'));
    expect(e.title).toBe('HTTP response: 304 Not Modified');
    expect(e.text).toMatch(/conditional GET/);
    expect(e.text).toMatch(/closes the connection/);
    expect(e.text).toMatch(/HIT/);
    expect(e.rfc).toBe('RFC 9110 §15.4.5');
  });
});

describe('HTTP framer on arbitrary input', () => {
  it('never throws, loses no byte, and frames the same however the bytes were split', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pieces = ['GET / HTTP/1.1\r\n', 'HEAD / HTTP/1.1\r\n', 'HTTP/1.1 200 OK\r\n', 'HTTP/1.1 100 Continue\r\n', 'HTTP/1.1 304 Not Modified\r\n', 'Content-Length: 3\r\n', 'Transfer-Encoding: chunked\r\n', '\r\n', '3\r\nabc\r\n', '0\r\n', 'zz\r\n', 'GET /\r\n', 'x', '\n', 'HTTP/'];
    for (let i = 0; i < 300; i++) {
      const steps: Step[] = [];
      const n = 1 + Math.floor(rand() * 12);
      for (let k = 0; k < n; k++) steps.push([rand() < 0.5 ? 'c2s' : 's2c', pieces[Math.floor(rand() * pieces.length)]]);
      const whole = frameSteps(steps);
      expect(shape(frameSteps(steps, undefined, true))).toEqual(shape(whole));
      for (const dir of ['c2s', 's2c'] as const) {
        const sent = steps.filter(([d]) => d === dir).map(([, s]) => s).join('');
        expect(whole.filter((m) => m.dir === dir).map((m) => text(m.bytes)).join('')).toBe(sent);
      }
    }
  });
});

describe('HTTP framer start lines', () => {
  it("takes the usual lines by its shortcut only where the full parse gives the same method or status", () => {
    const requests = ['GET /index.html HTTP/1.1', 'HEAD / HTTP/1.0', 'CONNECT /x HTTP/1.1', 'OPTIONS * HTTP/1.1', 'GET /a b HTTP/1.1', 'GET /caf\xe9 HTTP/1.1', 'GET /x HTTP/1.2', 'GET /x HTTP/2.0', 'GET /x', 'G@T /x HTTP/1.1', 'GET  /x HTTP/1.1', 'GET http://a/ HTTP/1.1', 'GET /x\tHTTP/1.1'];
    const usual = requests.filter((line) => USUAL_REQUEST_LINE.test(line));
    expect(usual).toEqual(['GET /index.html HTTP/1.1', 'HEAD / HTTP/1.0', 'CONNECT /x HTTP/1.1']);
    for (const line of usual) {
      const parsed = parseRequestLine(line);
      // CONNECT with a path is no valid request line; the framer then takes the first word, as here.
      const method = parsed.ok ? parsed.value.method : line.split(' ')[0];
      expect(method).toBe(line.slice(0, line.indexOf(' ')));
      expect(parsed.ok && parsed.value.simple).toBe(false);
    }
    const statuses = ['HTTP/1.1 200 OK', 'HTTP/1.0 404', 'HTTP/1.1 599 Odd \x85 reason', 'HTTP/1.1 600 Beyond', 'HTTP/1.1 099 Low', 'HTTP/1.2 200 OK', 'HTTP/1.1 200\tOK', 'HTTP/1.1 20 OK', 'http/1.1 200 OK'];
    const usualStatus = statuses.filter((line) => USUAL_STATUS_LINE.test(line));
    expect(usualStatus).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.0 404', 'HTTP/1.1 599 Odd \x85 reason']);
    for (const line of usualStatus) {
      const parsed = parseStatusLine(line);
      expect(parsed.ok && parsed.value.status).toBe(Number(line.slice(9, 12)));
    }
    // The framer still pairs by method through the shortcut: a HEAD's response has no body.
    const framed = frameSteps([
      ['c2s', 'HEAD /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['s2c', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'],
    ]);
    expect(framed.filter((m) => m.dir === 's2c').map((m) => m.bytes.length)).toEqual([38, 43]);
  });
});

describe('HTTP framer limits', () => {
  it(`shows up to ${HTTP_SUMMARY_MAX_CHARS} characters of a start line in the summary`, () => {
    const target = (n: number) => `/${'a'.repeat(n - 'GET / HTTP/1.1'.length)}`;
    const fits = `GET ${target(HTTP_SUMMARY_MAX_CHARS)} HTTP/1.1`;
    expect(fits).toHaveLength(HTTP_SUMMARY_MAX_CHARS);
    expect(frameSteps([['c2s', `${fits}\r\n\r\n`]])[0].summary).toBe(fits);
    const over = `GET ${target(HTTP_SUMMARY_MAX_CHARS + 1)} HTTP/1.1`;
    expect(frameSteps([['c2s', `${over}\r\n\r\n`]])[0].summary).toBe(`${over.slice(0, HTTP_SUMMARY_MAX_CHARS)}…`);
    // Only printable ASCII is shown as it is; a control character or a byte past ASCII is escaped.
    expect(frameSteps([['c2s', 'GET /a\tb\x01 HTTP/1.1\r\n\r\n']])[0].summary).toBe('GET /a\\tb\\x01 HTTP/1.1');
    expect(frameSteps([['c2s', 'GET /caf\xe9 HTTP/1.1\r\n\r\n']])[0].summary).toBe(previewText(latin1('GET /caf\xe9 HTTP/1.1'), HTTP_SUMMARY_MAX_CHARS));
  });

  it('remembers a bounded number of unanswered requests, forgetting the oldest', () => {
    const answer = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    // At the limit the HEAD is still remembered: its response has no body, so "ok" starts the next message.
    const kept = frameSteps([['c2s', 'HEAD / HTTP/1.1\r\n\r\n' + 'GET / HTTP/1.1\r\n\r\n'.repeat(HTTP_CAPTURE_MAX_PENDING_REQUESTS - 1)], ['s2c', answer]]);
    expect(kept.filter((m) => m.dir === 's2c').map((m) => m.bytes.length)).toEqual([answer.length - 2, 2]);
    // One more and the HEAD is forgotten: the response is read as a GET's, body included.
    const dropped = frameSteps([['c2s', 'HEAD / HTTP/1.1\r\n\r\n' + 'GET / HTTP/1.1\r\n\r\n'.repeat(HTTP_CAPTURE_MAX_PENDING_REQUESTS)], ['s2c', answer]]);
    expect(dropped.filter((m) => m.dir === 's2c').map((m) => m.bytes.length)).toEqual([answer.length]);
  });
});
