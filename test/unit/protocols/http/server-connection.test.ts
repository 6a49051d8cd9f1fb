import { describe, expect, it } from 'vitest';
import { walkFields } from '../../../../src/protocols/core/field';
import { reachableStates } from '../../../../src/protocols/core/state-machine';
import {
  HTTP_BODY_TIMEOUT_MS,
  HTTP_HEADER_TIMEOUT_MS,
  HTTP_KEEP_ALIVE_TIMEOUT_MS,
  HTTP_MAX_PIPELINED_REQUESTS,
  HTTP_MAX_REQUESTS_PER_CONNECTION,
  HTTP_TRANSITIONS,
  HttpFramer,
  HttpServerConnection,
  ResponseParser,
  dissectHttp,
  statusResponse,
  formatHttpDate,
  type HttpRequest,
  type ParsedResponse,
  type ServerEvent,
} from '../../../../src/protocols/http';
import { COURSE_REQUEST, byteByByte, latin1, text } from './helpers';
import { kept } from '../../../support/framed';

const T0 = Date.UTC(2010, 8, 26, 20, 9, 20); // the Date of the course's example response

function requestsOf(events: ServerEvent[]): HttpRequest[] {
  return events.flatMap((e) => (e.type === 'request' ? [e.request] : []));
}

/** Parses what the server wrote, as a client would. */
function responsesIn(bytes: Uint8Array, methods: string[] = []): ParsedResponse[] {
  const p = new ResponseParser();
  for (const m of methods) p.expect(m);
  return [...p.push(bytes), ...p.end()].flatMap((e) => (e.type === 'response' ? [e.response] : []));
}

function header(r: ParsedResponse, name: string): string | undefined {
  return r.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

const PAGE = {
  status: 200,
  headers: [
    ['Last-Modified', 'Tue, 30 Oct 2007 17:00:02 GMT'],
    ['ETag', '"17dc6-a5c-bf716880"'],
    ['Accept-Ranges', 'bytes'],
    ['Content-Type', 'text/html; charset=ISO-8859-1'],
  ] as Array<[string, string]>,
  body: '<html>data data data</html>',
};

describe('HTTP server connection: one request, one response', () => {
  it('hands over the course request and answers like the course example response', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [req] = requestsOf(c.receive(latin1(COURSE_REQUEST), T0));
    expect(req).toMatchObject({ index: 1, method: 'GET', target: '/index.html', keepAlive: true, startedAt: T0, receivedAt: T0 });
    expect(req.parsedTarget.path).toBe('/index.html');
    expect(c.state).toBe('awaiting-response');
    const out = c.respond(req, PAGE, T0);
    expect(out.close).toBe(false);
    expect(c.state).toBe('idle');
    const [res] = responsesIn(out.bytes);
    expect(res.headers.map((h) => h.name)).toEqual(['Date', 'Server', 'Last-Modified', 'ETag', 'Accept-Ranges', 'Content-Length', 'Keep-Alive', 'Connection', 'Content-Type']);
    expect(header(res, 'Date')).toBe('Sun, 26 Sep 2010 20:09:20 GMT');
    expect(header(res, 'Content-Length')).toBe(String(PAGE.body.length));
    expect(header(res, 'Keep-Alive')).toBe(`timeout=${HTTP_KEEP_ALIVE_TIMEOUT_MS / 1000}, max=${HTTP_MAX_REQUESTS_PER_CONNECTION - 1}`);
    expect(header(res, 'Connection')).toBe('keep-alive');
    expect(text(res.body)).toBe(PAGE.body);
    expect(text(out.bytes).startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
  });

  it('answers a typed "GET /" (HTTP/0.9) with the bare page and closes', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [req] = requestsOf(c.receive(latin1('GET /\r\n'), T0));
    expect(req.simple).toBe(true);
    const out = c.respond(req, PAGE, T0);
    expect(text(out.bytes)).toBe(PAGE.body);
    expect(out.close).toBe(true);
    expect(c.state).toBe('closed');
  });

  it('leaves out the body for HEAD but keeps the length GET would get', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [req] = requestsOf(c.receive(latin1('HEAD / HTTP/1.1\r\nHost: a\r\n\r\n'), T0));
    const out = c.respond(req, PAGE, T0);
    const [res] = responsesIn(out.bytes, ['HEAD']);
    expect(header(res, 'Content-Length')).toBe(String(PAGE.body.length));
    expect(text(out.bytes).endsWith('\r\n\r\n')).toBe(true);
  });

  it('never sends a body with 204 or 304, nor a Content-Length with 204', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [a] = requestsOf(c.receive(latin1('GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n'), T0));
    const first = c.respond(a, { status: 304, headers: [['ETag', '"x"']], body: 'must not appear' }, T0);
    expect(text(first.bytes)).not.toContain('must not appear');
    expect(text(first.bytes)).not.toContain('Content-Length');
    const [b] = requestsOf(first.events);
    expect(b.target).toBe('/b');
    const second = c.respond(b, { status: 204, body: 'nope' }, T0);
    expect(text(second.bytes)).toMatch(/^HTTP\/1\.1 204 No Content\r\n/);
    expect(text(second.bytes)).not.toContain('nope');
    expect(text(second.bytes)).not.toContain('Content-Length');
  });

  it('keeps the response\'s own Date and Server (a proxy forwards the origin\'s)', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [req] = requestsOf(c.receive(latin1('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), T0));
    const out = c.respond(req, { status: 200, headers: [['Date', formatHttpDate(0)], ['Server', 'origin/1'], ['Content-Length', '999'], ['Connection', 'close, x']], body: 'ok' }, T0 + 5000);
    const [res] = responsesIn(out.bytes);
    expect(header(res, 'Date')).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(header(res, 'Server')).toBe('origin/1');
    expect(header(res, 'Content-Length')).toBe('2');
    expect(out.close).toBe(true);
  });

  it('answers a response it cannot send as given with a 500 and says why', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [req] = requestsOf(c.receive(latin1('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), T0));
    const out = c.respond(req, { status: 200, headers: [['X-Evil', 'a\r\nSet-Cookie: injected=1']] }, T0);
    expect(out.problem).toMatch(/CR, LF or NUL/);
    expect(text(out.bytes)).toMatch(/^HTTP\/1\.1 500 /);
    expect(text(out.bytes)).not.toContain('injected');
  });

  it('refuses to answer a request that is not the one waiting', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [a, b] = requestsOf([...c.receive(latin1('GET /a HTTP/1.1\r\nHost: a\r\n\r\n'), T0)]);
    expect(b).toBeUndefined();
    const wrong = { ...a, index: 7 };
    const out = c.respond(wrong, PAGE, T0);
    expect(out.bytes.length).toBe(0);
    expect(out.problem).toMatch(/#7 was answered, but #1 is the one waiting/);
  });
});

describe('HTTP server connection: persistence', () => {
  const cases: Array<[string, string, boolean]> = [
    ['HTTP/1.0 closes by default', 'GET / HTTP/1.0\r\n\r\n', true],
    ['HTTP/1.0 with Connection: keep-alive stays open', 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n', false],
    ['HTTP/1.1 stays open by default', 'GET / HTTP/1.1\r\nHost: a\r\n\r\n', false],
    ['HTTP/1.1 with Connection: close closes', 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', true],
    ['Connection tokens are case-insensitive and listed', 'GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE\r\n\r\n', true],
  ];
  for (const [name, input, closes] of cases) {
    it(name, () => {
      const c = new HttpServerConnection({ now: T0 });
      const [req] = requestsOf(c.receive(latin1(input), T0));
      const out = c.respond(req, PAGE, T0);
      expect(out.close).toBe(closes);
      const [res] = responsesIn(out.bytes);
      expect(header(res, 'Connection')).toBe(closes ? 'close' : 'keep-alive');
      expect(header(res, 'Keep-Alive') !== undefined).toBe(!closes);
      expect(c.state).toBe(closes ? 'closed' : 'idle');
    });
  }

  it('closes when the response itself asks to', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [req] = requestsOf(c.receive(latin1('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), T0));
    expect(c.respond(req, { ...PAGE, close: true }, T0).close).toBe(true);
  });

  it(`closes after ${HTTP_MAX_REQUESTS_PER_CONNECTION} requests, counting max= down`, () => {
    const c = new HttpServerConnection({ now: T0 });
    let last;
    for (let i = 1; i <= HTTP_MAX_REQUESTS_PER_CONNECTION; i++) {
      const [req] = requestsOf(c.receive(latin1('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), T0));
      last = c.respond(req, PAGE, T0);
      const [res] = responsesIn(last.bytes);
      if (i === 2) expect(header(res, 'Keep-Alive')).toBe(`timeout=5, max=${HTTP_MAX_REQUESTS_PER_CONNECTION - 2}`);
      if (i < HTTP_MAX_REQUESTS_PER_CONNECTION) expect(last.close).toBe(false);
    }
    expect(last?.close).toBe(true);
    expect(text(last!.bytes)).toContain('Connection: close');
  });
});

describe('HTTP server connection: pipelining', () => {
  const three = 'GET /1 HTTP/1.1\r\nHost: a\r\n\r\nHEAD /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n';

  it('hands over one request at a time and answers in order', () => {
    const c = new HttpServerConnection({ now: T0 });
    const first = requestsOf(c.receive(latin1(three), T0));
    expect(first.map((r) => r.target)).toEqual(['/1']);
    expect(c.heldRequests).toBe(2);
    const r1 = c.respond(first[0], { status: 200, body: 'one' }, T0);
    const second = requestsOf(r1.events);
    expect(second.map((r) => r.target)).toEqual(['/2']);
    const r2 = c.respond(second[0], { status: 200, body: 'two' }, T0);
    const third = requestsOf(r2.events);
    expect(third.map((r) => [r.target, r.index])).toEqual([['/3', 3]]);
    const r3 = c.respond(third[0], { status: 200, body: 'three' }, T0);
    expect(r3.events).toEqual([]);
    const all = responsesIn(new Uint8Array([...r1.bytes, ...r2.bytes, ...r3.bytes]), ['GET', 'HEAD', 'GET']);
    expect(all.map((r) => text(r.body))).toEqual(['one', '', 'three']);
  });

  it('sends the 400 for a malformed pipelined request only after the answers before it', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [first] = requestsOf(c.receive(latin1('GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nBroken line\r\n\r\n'), T0));
    const out = c.respond(first, { status: 200, body: 'one' }, T0);
    expect(out.close).toBe(true);
    const s = text(out.bytes);
    expect(s.indexOf('200 OK')).toBeLessThan(s.indexOf('400 Bad Request'));
    expect(s).toContain('has no colon');
    expect(c.state).toBe('closed');
  });

  it(`holds at most ${HTTP_MAX_PIPELINED_REQUESTS} requests and asks the adapter to pause reading`, () => {
    const c = new HttpServerConnection({ now: T0 });
    const many = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n'.repeat(HTTP_MAX_PIPELINED_REQUESTS + 3);
    let [current] = requestsOf(c.receive(latin1(many), T0));
    expect(c.heldRequests).toBe(HTTP_MAX_PIPELINED_REQUESTS + 2);
    expect(c.readPaused).toBe(true);
    // More input while paused is kept, not parsed, and comes out in order later.
    c.receive(latin1('GET /late HTTP/1.1\r\nHost: a\r\n\r\n'), T0);
    const targets: string[] = [];
    for (let i = 0; i < HTTP_MAX_PIPELINED_REQUESTS + 4; i++) {
      targets.push(current.target);
      const out = c.respond(current, { status: 200 }, T0);
      [current] = requestsOf(out.events);
      if (!current) break;
    }
    expect(targets.at(-1)).toBe('/late');
    expect(targets).toHaveLength(HTTP_MAX_PIPELINED_REQUESTS + 4);
  });
});

describe('HTTP server connection: protocol errors', () => {
  it('answers 505 for HTTP/3.0 with an explanation, and closes', () => {
    const c = new HttpServerConnection({ now: T0 });
    const events = c.receive(latin1('GET / HTTP/3.0\r\n'), T0);
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e.type).toBe('error');
    if (e.type !== 'error') return;
    expect(e.close).toBe(true);
    const [res] = responsesIn(e.bytes);
    expect(res.status).toBe(505);
    expect(header(res, 'Connection')).toBe('close');
    expect(text(res.body)).toContain('HTTP/3.0');
    expect(text(res.body)).toContain('QUIC');
    expect(c.state).toBe('closed');
    expect(c.receive(latin1('GET / HTTP/1.1\r\n'), T0)).toEqual([]);
  });

  it('answers 400 for HTTP/1.1 without Host, saying why', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [e] = c.receive(latin1('GET / HTTP/1.1\r\n\r\n'), T0);
    expect(e.type === 'error' && text(e.bytes)).toMatch(/^HTTP\/1\.1 400 Bad Request[\s\S]*Host header/);
  });

  it('escapes what the client sent when it appears in the error page', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [e] = c.receive(latin1('GET / HTTP/1.1\r\n<script>alert(1)</script>\r\n\r\n'), T0);
    expect(e.type === 'error' && text(e.bytes)).not.toContain('<script>');
  });

  it('sends 100 Continue when a client waits for it before its body, and not when the body is already here', () => {
    const c = new HttpServerConnection({ now: T0 });
    const head = 'POST /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n';
    const first = c.receive(latin1(head), T0);
    expect(first.map((e) => e.type)).toEqual(['continue']);
    expect(first[0].type === 'continue' && text(first[0].bytes)).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    const [req] = requestsOf(c.receive(latin1('hello'), T0));
    expect(text(req.body)).toBe('hello');
    const d = new HttpServerConnection({ now: T0 });
    expect(d.receive(latin1(`${head}hello`), T0).map((e) => e.type)).toEqual(['request']);
  });

  it('answers 413 at once when Content-Length is too large, instead of 100 Continue', () => {
    const c = new HttpServerConnection({ now: T0, limits: { maxBody: 4 } });
    const [e] = c.receive(latin1('POST /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n'), T0);
    expect(e.type === 'error' && e.problem.status).toBe(413);
  });

  it('parses a request fed byte by byte the same as whole', () => {
    const c = new HttpServerConnection({ now: T0 });
    const events = byteByByte(latin1(COURSE_REQUEST)).flatMap((b) => c.receive(b, T0));
    expect(requestsOf(events)).toHaveLength(1);
    expect(c.state).toBe('awaiting-response');
  });
});

describe('HTTP server connection: timeouts and the client going away', () => {
  it(`answers 408 to a client that has not finished its headers after ${HTTP_HEADER_TIMEOUT_MS / 1000} s`, () => {
    const c = new HttpServerConnection({ now: T0 });
    c.receive(latin1('GET / HTTP/1.1\r\n'), T0 + 1000);
    expect(c.state).toBe('reading-head');
    expect(c.deadline).toBe(T0 + 1000 + HTTP_HEADER_TIMEOUT_MS);
    // Dribbling header lines does not extend the deadline (a slowloris defence).
    c.receive(latin1('X-A: 1\r\n'), T0 + 5000);
    expect(c.tick(T0 + 1000 + HTTP_HEADER_TIMEOUT_MS - 1)).toEqual({ close: false });
    const t = c.tick(T0 + 1000 + HTTP_HEADER_TIMEOUT_MS);
    expect(t.close).toBe(true);
    expect(text(t.bytes!)).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(c.state).toBe('closed');
  });

  it(`closes a keep-alive connection idle for ${HTTP_KEEP_ALIVE_TIMEOUT_MS / 1000} s without writing anything`, () => {
    const c = new HttpServerConnection({ now: T0 });
    const [req] = requestsOf(c.receive(latin1('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), T0));
    c.respond(req, PAGE, T0 + 100);
    expect(c.deadline).toBe(T0 + 100 + HTTP_KEEP_ALIVE_TIMEOUT_MS);
    expect(c.tick(T0 + 100 + HTTP_KEEP_ALIVE_TIMEOUT_MS - 1).close).toBe(false);
    const t = c.tick(T0 + 100 + HTTP_KEEP_ALIVE_TIMEOUT_MS);
    expect(t).toMatchObject({ close: true });
    expect(t.bytes).toBeUndefined();
  });

  it('gives a new connection the header timeout before its first byte, then silently closes', () => {
    const c = new HttpServerConnection({ now: T0 });
    expect(c.deadline).toBe(T0 + HTTP_HEADER_TIMEOUT_MS);
    expect(c.tick(T0 + HTTP_HEADER_TIMEOUT_MS)).toMatchObject({ close: true });
  });

  it('has no deadline while the application prepares a response', () => {
    const c = new HttpServerConnection({ now: T0 });
    c.receive(latin1('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), T0);
    expect(c.deadline).toBeNull();
    expect(c.tick(T0 + 10 * HTTP_BODY_TIMEOUT_MS)).toEqual({ close: false });
  });

  it(`answers 408 when a body stalls for ${HTTP_BODY_TIMEOUT_MS / 1000} s`, () => {
    const c = new HttpServerConnection({ now: T0 });
    c.receive(latin1('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc'), T0);
    expect(c.state).toBe('reading-body');
    c.receive(latin1('de'), T0 + 1000);
    expect(c.tick(T0 + 1000 + HTTP_BODY_TIMEOUT_MS - 1).close).toBe(false);
    const t = c.tick(T0 + 1000 + HTTP_BODY_TIMEOUT_MS);
    expect(text(t.bytes!)).toMatch(/408/);
  });

  it('starts the header clock of a held request only once the one before it is answered', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [req] = requestsOf(c.receive(latin1('GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\n'), T0));
    c.respond(req, PAGE, T0 + 30_000);
    expect(c.state).toBe('reading-head');
    expect(c.deadline).toBe(T0 + 30_000 + HTTP_HEADER_TIMEOUT_MS);
  });

  it('closes at once when the client leaves an idle connection', () => {
    const c = new HttpServerConnection({ now: T0 });
    expect(c.peerEnded(T0)).toEqual([{ type: 'close', reason: 'the client closed the connection' }]);
    expect(c.state).toBe('closed');
  });

  it('answers 400 when the client leaves in the middle of a request', () => {
    const c = new HttpServerConnection({ now: T0 });
    c.receive(latin1('GET / HTTP/1.1\r\nHost: a\r\n'), T0);
    const [e] = c.peerEnded(T0);
    expect(e).toMatchObject({ type: 'error', close: true, problem: { code: 'incomplete-message' } });
  });

  it('still answers the requests it has when the client half-closes, then closes', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [a] = requestsOf(c.receive(latin1('GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n'), T0));
    expect(c.peerEnded(T0)).toEqual([]);
    expect(c.state).toBe('draining');
    const r1 = c.respond(a, PAGE, T0);
    expect(r1.close).toBe(false);
    const [b] = requestsOf(r1.events);
    const r2 = c.respond(b, PAGE, T0);
    expect(r2.close).toBe(true);
    expect(text(r2.bytes)).toContain('Connection: close');
    expect(c.state).toBe('closed');
  });

  it('makes only moves the state table allows', () => {
    const c = new HttpServerConnection({ now: T0 });
    const [req] = requestsOf(c.receive(latin1('GET / HTTP/1.1\r\nHost: a\r\n\r\nPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nab'), T0));
    c.respond(req, PAGE, T0);
    expect(c.state).toBe('reading-body');
    c.receive(latin1('c'), T0);
    expect(c.faults).toEqual([]);
    expect(reachableStates(HTTP_TRANSITIONS, 'idle')).toEqual(new Set(Object.keys(HTTP_TRANSITIONS)));
  });
});

describe('what the server writes, seen by the capture', () => {
  it('frames and dissects every response the engine writes without a single warning', () => {
    const c = new HttpServerConnection({ now: T0 });
    const framer = new HttpFramer();
    const input = 'GET / HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET /old HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\nIf-None-Match: "v"\r\n\r\nDELETE / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\n\r\n';
    const framed = kept(framer.push('c2s', latin1(input), 0));
    const answers = [PAGE, PAGE, statusResponse(301, { location: 'http://a/new' }), { status: 304, headers: [['ETag', '"v"']] as Array<[string, string]> }, statusResponse(405, { allow: ['GET', 'HEAD'] })];
    let [req] = requestsOf(c.receive(latin1(input), T0));
    const written: Uint8Array[] = [];
    for (const answer of answers) {
      const out = c.respond(req, answer, T0);
      written.push(out.bytes);
      [req] = requestsOf(out.events);
    }
    expect(c.state).toBe('closed'); // the last request lacked Host: its 400 went out after the 405
    for (const b of written) framed.push(...kept(framer.push('s2c', b, 1)));
    expect(framed.filter((m) => m.dir === 's2c').map((m) => m.summary)).toEqual([
      'HTTP/1.1 200 OK (text/html)',
      'HTTP/1.1 200 OK',
      'HTTP/1.1 301 Moved Permanently (text/html)',
      'HTTP/1.1 304 Not Modified',
      'HTTP/1.1 405 Method Not Allowed (text/html)',
      'HTTP/1.1 400 Bad Request (text/html)',
    ]);
    const requests = framed.filter((m) => m.dir === 'c2s');
    for (const [i, m] of framed.filter((x) => x.dir === 's2c').entries()) {
      const nodes = dissectHttp(m.bytes, { dir: 's2c', role: 'response', transport: 'tcp', pairedWith: { id: i + 1, t: 0, bytes: requests[i].bytes } });
      const warnings = [...walkFields(nodes)].filter(([n]) => n.expert && n.expert.severity !== 'note').map(([n]) => n.expert?.message);
      expect(warnings, m.summary).toEqual([]);
    }
  });
});

describe('HTTP server connection: the holding limits, crossed by one', () => {
  const request = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';

  it('pauses reading exactly when the held requests reach the limit', () => {
    const limit = 3;
    const c = new HttpServerConnection({ now: T0, limits: { maxPipelinedRequests: limit } });
    c.receive(latin1(request.repeat(limit)), T0); // one answered, limit - 1 held
    expect([c.heldRequests, c.readPaused]).toEqual([limit - 1, false]);
    c.receive(latin1(request), T0);
    expect([c.heldRequests, c.readPaused]).toEqual([limit, true]);
  });

  it('cuts off a client that sends more than the held-bytes limit while paused', () => {
    const held = 10;
    const c = new HttpServerConnection({ now: T0, limits: { maxPipelinedRequests: 1, maxHeldBytes: held } });
    c.receive(latin1(request.repeat(2)), T0);
    expect(c.readPaused).toBe(true);
    expect(c.receive(latin1('x'.repeat(held)), T0)).toEqual([]);
    const [e] = c.receive(latin1('x'), T0);
    expect(e).toMatchObject({ type: 'close' });
    expect(c.state).toBe('closed');
  });
});
