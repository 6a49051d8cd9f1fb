import { describe, expect, it } from 'vitest';
import {
  HTTP_MAX_BODY,
  HTTP_MAX_CHUNK_LINE,
  HTTP_MAX_HEADER_COUNT,
  HTTP_MAX_HEADER_SECTION,
  HTTP_MAX_REQUEST_LINE,
  HTTP_MAX_STATUS_LINE,
  RequestParser,
  ResponseParser,
  type ParsedRequest,
  type RequestParserEvent,
  type ResponseParserEvent,
} from '../../../../src/protocols/http';
import { COURSE_POST, COURSE_REQUEST, byteByByte, bytes, latin1, text, twoWaySplits } from './helpers';

function parseAll(input: string | Uint8Array, chunks?: (b: Uint8Array) => Uint8Array[], end = false): RequestParserEvent[] {
  const data = typeof input === 'string' ? latin1(input) : input;
  const p = new RequestParser();
  const out: RequestParserEvent[] = [];
  for (const c of chunks ? chunks(data) : [data]) out.push(...p.push(c));
  if (end) out.push(...p.end());
  return out;
}

function requests(events: RequestParserEvent[]): ParsedRequest[] {
  return events.flatMap((e) => (e.type === 'request' ? [e.request] : []));
}

function problem(input: string | Uint8Array, end = false) {
  const events = parseAll(input, undefined, end);
  const err = events.find((e) => e.type === 'error');
  return err?.type === 'error' ? err.problem : undefined;
}

const withHost = (line: string, extra = '') => `${line}\r\nHost: gaia.cs.umass.edu\r\n${extra}\r\n`;

describe('request parser: the course examples', () => {
  it('reads the example GET with every header, in order, with offsets', () => {
    const [req] = requests(parseAll(COURSE_REQUEST));
    expect(req.method).toBe('GET');
    expect(req.target).toBe('/index.html');
    expect(req.version).toBe('HTTP/1.1');
    expect(req.headers.map((h) => h.name)).toEqual(['Host', 'User-Agent', 'Accept', 'Accept-Language', 'Accept-Encoding', 'Accept-Charset', 'Keep-Alive', 'Connection']);
    expect(req.headers[0]).toMatchObject({ value: 'www-net.cs.umass.edu', offset: 26, length: 28, valueOffset: 32, terminator: 'CRLF' });
    expect(text(req.head)).toBe(COURSE_REQUEST);
    expect(req.wireLength).toBe(COURSE_REQUEST.length);
    expect(req.body.length).toBe(0);
    expect(req.framing).toBe('none');
    expect(req.notes).toEqual([]);
  });

  it('reads the POST form example with its 23-byte body', () => {
    const [req] = requests(parseAll(COURSE_POST));
    expect(req.version).toBe('HTTP/1.0');
    expect(req.framing).toBe('length');
    expect(text(req.body)).toBe('var1=value1&var2=value2');
  });

  it('answers a typed "GET /" as an HTTP/0.9 simple request and reads nothing after it', () => {
    const events = parseAll('GET /\r\n\r\nmore');
    expect(events.map((e) => e.type)).toEqual(['head', 'request']);
    const [req] = requests(events);
    expect(req).toMatchObject({ method: 'GET', target: '/', version: 'HTTP/0.9', versionText: null, simple: true });
    expect(req.notes.map((n) => n.code)).toEqual(['simple-request']);
  });

  it('gives identical events fed whole, byte by byte, and split anywhere', () => {
    const input = latin1(`${COURSE_REQUEST}${COURSE_POST}POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\nabc\r\n0\r\nT: 1\r\n\r\nGET / HTTP/3.0\r\n`);
    const whole = parseAll(input);
    expect(whole.map((e) => e.type)).toEqual(['head', 'request', 'head', 'request', 'head', 'request', 'error']);
    expect(parseAll(input, byteByByte)).toEqual(whole);
    for (const split of twoWaySplits(input)) expect(parseAll(input, () => split)).toEqual(whole);
  });
});

describe('request parser: what it accepts and notes', () => {
  it('accepts bare LF line ends and notes each one', () => {
    const [req] = requests(parseAll('GET / HTTP/1.1\nHost: a\n\n'));
    expect(req.headers[0].terminator).toBe('LF');
    expect(req.notes.filter((n) => n.code === 'bare-lf').map((n) => n.offset)).toEqual([14, 22, 23]);
  });

  it('skips empty lines before the request line and notes them', () => {
    const [req] = requests(parseAll(`\r\n\n${withHost('GET / HTTP/1.1')}`));
    expect(req.notes[0]).toMatchObject({ code: 'leading-empty-line' });
    expect(text(req.head).startsWith('GET /')).toBe(true);
  });

  it('serves HTTP/1.2 as HTTP/1.1 with a note', () => {
    const [req] = requests(parseAll(withHost('GET / HTTP/1.2')));
    expect(req.version).toBe('HTTP/1.1');
    expect(req.notes.map((n) => n.code)).toContain('newer-minor-version');
  });

  it('accepts a Content-Length repeated with the same value, with a note', () => {
    const [req] = requests(parseAll(withHost('POST / HTTP/1.1', 'Content-Length: 3\r\nContent-Length: 3\r\n') + 'abc'));
    expect(text(req.body)).toBe('abc');
    expect(req.notes.map((n) => n.code)).toContain('repeated-content-length');
  });

  it('reads the absolute form a proxy receives, OPTIONS *, and trims header white space', () => {
    const [a, b] = requests(parseAll(`${withHost('GET http://gaia.cs.umass.edu/x?y=1 HTTP/1.1')}${withHost('OPTIONS * HTTP/1.1', 'X:  \t spaced \t \r\n')}`));
    expect(a.targetForm).toBe('absolute');
    expect(b.targetForm).toBe('asterisk');
    expect(b.headers[1].value).toBe('spaced');
  });

  it('decodes a chunked body with extensions and trailers, recording every chunk', () => {
    const input = withHost('POST /u HTTP/1.1', 'Transfer-Encoding: chunked\r\n') + '1a;name=v\r\nabcdefghijklmnopqrstuvwxyz\r\n5\r\nhello\r\n0\r\nX-Sum: 7\r\n\r\n';
    const [req] = requests(parseAll(input));
    expect(text(req.body)).toBe('abcdefghijklmnopqrstuvwxyzhello');
    expect(req.chunks.map((c) => [c.size, c.last])).toEqual([
      [26, false],
      [5, false],
      [0, true],
    ]);
    expect(req.chunks[0].extensions).toEqual([{ name: 'name', value: 'v', offset: 2, length: 7 }]);
    expect(req.trailers).toMatchObject([{ name: 'X-Sum', value: '7' }]);
    expect(req.wireLength).toBe(input.length);
    expect(req.notes.map((n) => n.code)).toEqual(['chunk-extension', 'trailer-fields']);
  });

  it('accepts HTTP/1.0 without Host, and a 1.1 POST without a body', () => {
    expect(requests(parseAll('GET / HTTP/1.0\r\n\r\n'))).toHaveLength(1);
    expect(requests(parseAll(withHost('POST / HTTP/1.1')))[0].body.length).toBe(0);
  });
});

describe('request parser: every error, with its status and explanation', () => {
  const cases: Array<[string, string, number, string, RegExp]> = [
    ['no target', 'GET\r\n', 400, 'bad-request-line', /has a method but no target/],
    ['bad method', 'G@T / HTTP/1.1\r\n', 400, 'bad-method', /method 'G@T'/],
    ['two spaces', 'GET  / HTTP/1.1\r\n', 400, 'bad-request-line', /more than one space/],
    ['leading white space', ' GET / HTTP/1.1\r\n', 400, 'bad-request-line', /starts with white space/],
    ['space in target', 'GET /a b HTTP/1.1\r\n', 400, 'bad-target', /%20/],
    ['relative target', 'GET index.html HTTP/1.1\r\n', 400, 'bad-target', /must start with "\/"/],
    ['non-ASCII target', 'GET /caf\xe9 HTTP/1.1\r\n', 400, 'bad-target', /percent-encoded/],
    ['HTTP/0.9 with a method other than GET', 'POST /x\r\n', 400, 'simple-request-not-get', /only GET/],
    ['lowercase version', 'GET / http/1.1\r\n', 400, 'bad-version', /capitals/],
    ['not a version', 'GET / HTTP1.1\r\n', 400, 'bad-version', /not an HTTP version/],
    ['HTTP/3.0', 'GET / HTTP/3.0\r\n', 505, 'unsupported-version', /HTTP\/3\.0/],
    ['HTTP/2.0', 'GET / HTTP/2.0\r\n', 505, 'unsupported-version', /HTTP\/2\.0/],
    ['HTTP/2', 'GET / HTTP/2\r\n', 505, 'unsupported-version', /HTTP\/2/],
    ['HTTP/0.9 written out', 'GET / HTTP/0.9\r\n', 505, 'unsupported-version', /no version at all/],
    ['header without colon', 'GET / HTTP/1.1\r\nFoo bar\r\n\r\n', 400, 'no-colon', /the header line 'Foo bar' has no colon/],
    ['space before colon', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n', 400, 'space-before-colon', /white space before its colon/],
    ['empty name', 'GET / HTTP/1.1\r\n: a\r\n\r\n', 400, 'bad-field-name', /no name/],
    ['bad name', 'GET / HTTP/1.1\r\nX(y): a\r\n\r\n', 400, 'bad-field-name', /characters a name may not have/],
    ['obs-fold', 'GET / HTTP/1.1\r\nHost: a\r\nX: one\r\n two\r\n\r\n', 400, 'obs-fold', /line folding/],
    ['white space before the first header', 'GET / HTTP/1.1\r\n Host: a\r\n\r\n', 400, 'space-before-first-header', /first header line/],
    ['bare CR in a value', 'GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n', 400, 'bad-field-value', /carriage return/],
    ['NUL in a value', 'GET / HTTP/1.1\r\nHost: a\x00b\r\n\r\n', 400, 'bad-field-value', /NUL/],
    ['HTTP/1.1 without Host', 'GET / HTTP/1.1\r\nUser-Agent: x\r\n\r\n', 400, 'missing-host', /Host header/],
    ['two Host headers', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400, 'duplicate-host', /2 Host headers/],
    ['invalid Host', 'GET / HTTP/1.1\r\nHost: a b/c\r\n\r\n', 400, 'bad-host', /not a host name/],
    ['invalid Content-Length', withHost('POST / HTTP/1.1', 'Content-Length: 12a\r\n'), 400, 'bad-content-length', /not a whole number/],
    ['negative Content-Length', withHost('POST / HTTP/1.1', 'Content-Length: -1\r\n'), 400, 'bad-content-length', /not a whole number/],
    ['conflicting Content-Length', withHost('POST / HTTP/1.1', 'Content-Length: 3\r\nContent-Length: 4\r\n'), 400, 'conflicting-content-length', /3, 4/],
    ['Content-Length and chunked', withHost('POST / HTTP/1.1', 'Content-Length: 3\r\nTransfer-Encoding: chunked\r\n'), 400, 'content-length-and-chunked', /both Transfer-Encoding and Content-Length/],
    ['chunked not last', withHost('POST / HTTP/1.1', 'Transfer-Encoding: chunked, gzip\r\n'), 400, 'chunked-not-final', /must be chunked/],
    ['gzip coding', withHost('POST / HTTP/1.1', 'Transfer-Encoding: gzip, chunked\r\n'), 501, 'unsupported-transfer-coding', /only the chunked/],
    ['Transfer-Encoding in HTTP/1.0', 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n', 400, 'transfer-encoding-in-http10', /HTTP\/1\.0/],
    ['HTTP/1.0 POST without length', 'POST / HTTP/1.0\r\n\r\n', 411, 'length-required', /Content-Length/],
    ['bad chunk size', withHost('POST / HTTP/1.1', 'Transfer-Encoding: chunked\r\n') + 'xyz\r\n', 400, 'bad-chunk-size', /hexadecimal size/],
    ['junk after the chunk size', withHost('POST / HTTP/1.1', 'Transfer-Encoding: chunked\r\n') + '5 junk\r\n', 400, 'bad-chunk-size', /extension/],
    ['chunk longer than its size', withHost('POST / HTTP/1.1', 'Transfer-Encoding: chunked\r\n') + '3\r\nabcdef\r\n', 400, 'bad-chunk-end', /not followed by CR LF/],
  ];
  for (const [name, input, status, code, message] of cases) {
    it(`${name} -> ${status}`, () => {
      const p = problem(input);
      expect(p, `no problem for ${JSON.stringify(input)}`).toBeDefined();
      expect(p).toMatchObject({ status, code });
      expect(p?.message).toMatch(message);
    });
  }

  it('stops at the first error and ignores everything after it', () => {
    const p = new RequestParser();
    expect(p.push(latin1('GET / HTTP/3.0\r\n')).map((e) => e.type)).toEqual(['error']);
    expect(p.phase).toBe('failed');
    expect(p.push(latin1(withHost('GET / HTTP/1.1')))).toEqual([]);
  });

  it('reports where a bad header line is in the message', () => {
    expect(problem('GET / HTTP/1.1\r\nHost: a\r\nFoo bar\r\n\r\n')).toMatchObject({ offset: 25 });
  });

  it('reports a request cut off by the end of the connection, but not an idle end', () => {
    expect(problem('GET / HTTP/1.1\r\nHost: a\r\n', true)).toMatchObject({ code: 'incomplete-message', status: 400 });
    expect(problem(withHost('POST / HTTP/1.1', 'Content-Length: 5\r\n') + 'ab', true)).toMatchObject({ code: 'incomplete-message' });
    expect(parseAll(withHost('GET / HTTP/1.1'), undefined, true).map((e) => e.type)).toEqual(['head', 'request']);
  });
});

describe('request parser: every limit, crossed by one', () => {
  it(`request line of ${HTTP_MAX_REQUEST_LINE} bytes is read; one more is 414`, () => {
    const line = (n: number) => `GET /${'a'.repeat(n - 'GET / HTTP/1.1'.length)} HTTP/1.1`;
    expect(line(HTTP_MAX_REQUEST_LINE)).toHaveLength(HTTP_MAX_REQUEST_LINE);
    expect(requests(parseAll(withHost(line(HTTP_MAX_REQUEST_LINE))))).toHaveLength(1);
    expect(problem(withHost(line(HTTP_MAX_REQUEST_LINE + 1)))).toMatchObject({ status: 414, code: 'request-line-too-long' });
    // Without a line end in sight, the 414 comes as soon as the limit is passed.
    expect(problem(`GET /${'a'.repeat(HTTP_MAX_REQUEST_LINE)}`)).toMatchObject({ status: 414 });
    expect(problem(`GET /${'a'.repeat(HTTP_MAX_REQUEST_LINE - 5)}`)).toBeUndefined();
  });

  it(`header section of ${HTTP_MAX_HEADER_SECTION} bytes is read; one more is 431`, () => {
    const section = (n: number) => {
      const host = 'Host: a\r\n';
      const pad = n - host.length - 'X: \r\n'.length;
      return `${host}X: ${'v'.repeat(pad)}\r\n`;
    };
    expect(section(HTTP_MAX_HEADER_SECTION)).toHaveLength(HTTP_MAX_HEADER_SECTION);
    expect(requests(parseAll(`GET / HTTP/1.1\r\n${section(HTTP_MAX_HEADER_SECTION)}\r\n`))).toHaveLength(1);
    expect(problem(`GET / HTTP/1.1\r\n${section(HTTP_MAX_HEADER_SECTION + 1)}\r\n`)).toMatchObject({ status: 431, code: 'header-section-too-large' });
  });

  it('gives the same 431 however the oversized header section arrives', () => {
    const input = latin1(`GET / HTTP/1.1\r\nX: ${'v'.repeat(HTTP_MAX_HEADER_SECTION)}\r\n\r\n`);
    const whole = parseAll(input);
    expect(parseAll(input, (b) => [b.subarray(0, 20), b.subarray(20, 5000), b.subarray(5000)])).toEqual(whole);
    expect(parseAll(input, byteByByte)).toEqual(whole);
  });

  it(`${HTTP_MAX_HEADER_COUNT} header fields are read; one more is 431`, () => {
    const fields = (n: number) => ['Host: a', ...Array.from({ length: n - 1 }, (_, i) => `X-${i}: ${i}`)].join('\r\n');
    expect(requests(parseAll(`GET / HTTP/1.1\r\n${fields(HTTP_MAX_HEADER_COUNT)}\r\n\r\n`))).toHaveLength(1);
    expect(problem(`GET / HTTP/1.1\r\n${fields(HTTP_MAX_HEADER_COUNT + 1)}\r\n\r\n`)).toMatchObject({ status: 431, code: 'too-many-headers' });
  });

  it(`a body of ${HTTP_MAX_BODY} bytes is read; Content-Length one more is 413 before any body arrives`, () => {
    const head = (n: number) => latin1(withHost('PUT /f HTTP/1.1', `Content-Length: ${n}\r\n`));
    const p = new RequestParser();
    expect(p.push(head(HTTP_MAX_BODY)).map((e) => e.type)).toEqual(['head']);
    const events = p.push(new Uint8Array(HTTP_MAX_BODY));
    expect(events.map((e) => e.type)).toEqual(['request']);
    expect(problem(head(HTTP_MAX_BODY + 1))).toMatchObject({ status: 413, code: 'body-too-large' });
  });

  it('a chunked body growing past the body limit is 413 at the chunk that crosses it', () => {
    const limits = { maxBody: 10 };
    const p = new RequestParser({ limits });
    const head = withHost('POST / HTTP/1.1', 'Transfer-Encoding: chunked\r\n');
    expect(p.push(latin1(`${head}5\r\nabcde\r\n5\r\nfghij\r\n0\r\n\r\n`)).map((e) => e.type)).toEqual(['head', 'request']);
    const q = new RequestParser({ limits });
    const events = q.push(latin1(`${head}5\r\nabcde\r\n6\r\nfghijk\r\n`));
    expect(events.at(-1)).toMatchObject({ type: 'error', problem: { status: 413 } });
  });

  it(`a chunk-size line of ${HTTP_MAX_CHUNK_LINE} bytes is read; one more is 400`, () => {
    const head = withHost('POST / HTTP/1.1', 'Transfer-Encoding: chunked\r\n');
    const sizeLine = (n: number) => `1;x=${'a'.repeat(n - 4)}`;
    expect(sizeLine(HTTP_MAX_CHUNK_LINE)).toHaveLength(HTTP_MAX_CHUNK_LINE);
    expect(requests(parseAll(`${head}${sizeLine(HTTP_MAX_CHUNK_LINE)}\r\nz\r\n0\r\n\r\n`))).toHaveLength(1);
    expect(problem(`${head}${sizeLine(HTTP_MAX_CHUNK_LINE + 1)}\r\nz\r\n0\r\n\r\n`)).toMatchObject({ status: 400, code: 'chunk-line-too-long' });
  });

  it('takes smaller limits from its options', () => {
    const p = new RequestParser({ limits: { maxRequestLine: 10 } });
    expect(p.push(latin1('GET /abcdefgh HTTP/1.1\r\n'))).toMatchObject([{ type: 'error', problem: { status: 414 } }]);
  });
});

function parseResponses(input: string, methods: string[] = [], chunks?: (b: Uint8Array) => Uint8Array[], options: { simple?: boolean } = {}): ResponseParserEvent[] {
  const p = new ResponseParser();
  for (const m of methods) p.expect(m, options);
  const out: ResponseParserEvent[] = [];
  const data = latin1(input);
  for (const c of chunks ? chunks(data) : [data]) out.push(...p.push(c));
  out.push(...p.end());
  return out;
}

describe('response parser', () => {
  const COURSE_RESPONSE =
    'HTTP/1.1 200 OK\r\nDate: Sun, 26 Sep 2010 20:09:20 GMT\r\nServer: Apache/2.0.52 (CentOS)\r\nLast-Modified: Tue, 30 Oct 2007 17:00:02 GMT\r\n' +
    'ETag: "17dc6-a5c-bf716880"\r\nAccept-Ranges: bytes\r\nContent-Length: 14\r\nKeep-Alive: timeout=10, max=100\r\nConnection: Keep-Alive\r\n' +
    'Content-Type: text/html; charset=ISO-8859-1\r\n\r\ndata data data';

  it('reads the course example response: status line, headers, body by Content-Length', () => {
    const events = parseResponses(COURSE_RESPONSE);
    expect(events.map((e) => e.type)).toEqual(['head', 'response']);
    const r = events[1].type === 'response' ? events[1].response : null;
    expect(r).toMatchObject({ version: 'HTTP/1.1', status: 200, reason: 'OK', framing: 'length', requestMethod: 'GET' });
    expect(r?.headers).toHaveLength(9);
    expect(text(r!.body)).toBe('data data data');
  });

  it('gives no body to a HEAD response, a 204 and a 304, whatever Content-Length says', () => {
    const events = parseResponses('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n', ['HEAD', 'GET', 'GET']);
    const responses = events.flatMap((e) => (e.type === 'response' ? [e.response] : []));
    expect(responses.map((r) => [r.status, r.requestMethod, r.body.length])).toEqual([
      [200, 'HEAD', 0],
      [204, 'GET', 0],
      [304, 'GET', 0],
    ]);
  });

  it('passes 1xx responses as interim and keeps waiting for the final one', () => {
    const p = new ResponseParser();
    p.expect('POST');
    const events = p.push(latin1('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok'));
    expect(events.map((e) => e.type)).toEqual(['head', 'interim', 'head', 'response']);
    expect(p.awaiting).toBe(0);
  });

  it('reads a chunked body and a body that runs until the close', () => {
    const events = parseResponses('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\n\r\nHTTP/1.0 200 OK\r\n\r\nuntil the end');
    const responses = events.flatMap((e) => (e.type === 'response' ? [e.response] : []));
    expect(responses.map((r) => [r.framing, text(r.body)])).toEqual([
      ['chunked', 'Wiki'],
      ['close', 'until the end'],
    ]);
  });

  it('reads a response with Transfer-Encoding not ending in chunked until the close', () => {
    const events = parseResponses('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nabcdef');
    expect(events.at(-1)).toMatchObject({ type: 'response', response: { framing: 'close' } });
  });

  it('reads an HTTP/0.9 answer as the bare body until the close', () => {
    const events = parseResponses('<html>hi</html>', ['GET'], undefined, { simple: true });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'response', response: { simple: true, version: 'HTTP/0.9', framing: 'close' } });
  });

  it('stops after 101 Switching Protocols', () => {
    const events = parseResponses('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello');
    expect(events.map((e) => e.type)).toEqual(['head', 'response']);
  });

  it('reports a status line it cannot read, a bad Content-Length and a cut body', () => {
    expect(parseResponses('HTTP/1.1 OK\r\n\r\n')[0]).toMatchObject({ type: 'error', problem: { code: 'bad-status-line', status: 502 } });
    expect(parseResponses('<html>')[0]).toMatchObject({ type: 'error', problem: { code: 'bad-status-line' } });
    expect(parseResponses('HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n')[0]).toMatchObject({ type: 'error', problem: { code: 'bad-content-length' } });
    expect(parseResponses('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc').at(-1)).toMatchObject({ type: 'error', problem: { code: 'incomplete-message' } });
  });

  it(`a status line of ${HTTP_MAX_STATUS_LINE} bytes is read; one more is refused`, () => {
    const line = (n: number) => `HTTP/1.1 200 ${'x'.repeat(n - 13)}`;
    expect(parseResponses(`${line(HTTP_MAX_STATUS_LINE)}\r\nContent-Length: 0\r\n\r\n`).at(-1)).toMatchObject({ type: 'response' });
    expect(parseResponses(`${line(HTTP_MAX_STATUS_LINE + 1)}\r\n\r\n`)[0]).toMatchObject({ type: 'error', problem: { code: 'status-line-too-long' } });
  });

  it('gives identical events fed whole and byte by byte', () => {
    const input = `${COURSE_RESPONSE}HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n\r\nrest`;
    expect(parseResponses(input, [], byteByByte)).toEqual(parseResponses(input));
  });

  it('never parses bytes given as UTF-8 text differently from the same bytes', () => {
    const events = parseResponses('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    expect(events.at(-1)).toMatchObject({ type: 'response' });
    expect(bytes('ok')).toEqual(latin1('ok'));
  });
});

describe('response parser: not HTTP at all', () => {
  it('says so once, as soon as the first bytes cannot start a status line', () => {
    const p = new ResponseParser();
    expect(p.push(latin1('HT'))).toEqual([]);
    const events = p.push(latin1('ML>\r\n<p>hello</p>\r\n'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', problem: { code: 'bad-status-line' } });
    expect(p.phase).toBe('failed');
  });
});
