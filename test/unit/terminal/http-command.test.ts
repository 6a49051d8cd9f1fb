import { afterEach, describe, expect, test, vi } from 'vitest';
import type { ParsedResponse } from '../../../src/protocols/http/parser';
import { parseHttpArgs, parseHttpUrl, PROXY_DEFAULT_PORT, type HttpInvocation } from '../../../src/main/lab/terminal/commands/http-args';
import { HTTP_CLOSE_GRACE_MS, HTTP_FIRST_BYTES_SHOWN, HTTP_MAX_KEPT_BODY, HTTP_RESPONSE_TIMEOUT_MS } from '../../../src/main/lab/terminal/commands/http-connection';
import { CookieJar } from '../../../src/main/lab/terminal/commands/http-cookies';
import { buildRequest, connectionAfter, describeKeepAlive, HTTP_USER_AGENT } from '../../../src/main/lab/terminal/commands/http-request';
import { BODY_PREVIEW_LINE_CHARS, BODY_PREVIEW_LINES, CHUNKS_LISTED, formatCount, headLines, TEXT_SNIFF_BYTES } from '../../../src/main/lab/terminal/commands/http-show';
import { createHttpCommand, httpCommand, type HttpCommandOptions } from '../../../src/main/lab/terminal/commands/http';
import { builtinCommands } from '../../../src/main/lab/terminal/commands/index';
import { TerminalSession } from '../../../src/main/lab/terminal/session';
import { UsageError, type ShellCommand, type ShellContext } from '../../../src/main/lab/terminal/shell-command';
import { tokenize } from '../../../src/main/lab/terminal/tokenize';
import type { HostListing, RawConnection, ResolvedTarget } from '../../../src/main/lab/terminal/types';
import { FakeConnection, FakeConnector, FAKE_WORLD } from './support/fake-connector';
import { Screen } from './support/screen';

// --- a scripted lab world ------------------------------------------------------------------------

const WORLD: HostListing[] = [
  ...FAKE_WORLD,
  {
    name: 'www.someschool.edu',
    address: '128.119.40.19',
    aliases: [],
    services: [{ protocol: 'http', port: 80, transport: 'tcp', realPort: 10081 }],
  },
  {
    name: 'cache.poly.edu',
    address: '128.238.2.10',
    aliases: [],
    services: [{ protocol: 'http-proxy', port: 3128, transport: 'tcp', realPort: 13128 }],
  },
];

const NBSP = '\u00a0';
const decoder = new TextDecoder();

/** Answers each request the command writes; `index` counts requests over all connections. */
type Responder = (request: string, connection: FakeConnection, index: number) => void;

class ScriptedConnector extends FakeConnector {
  readonly requests: string[] = [];

  constructor(private readonly respond: Responder = () => {}) {
    super(WORLD);
  }

  override async connect(target: ResolvedTarget): Promise<RawConnection> {
    const connection = (await super.connect(target)) as FakeConnection;
    const write = connection.write.bind(connection);
    connection.write = (bytes: Uint8Array) => {
      write(bytes);
      const text = decoder.decode(bytes);
      const index = this.requests.push(text) - 1;
      // The server answers after the command has finished writing, as a real one would.
      queueMicrotask(() => this.respond(text, connection, index));
    };
    return connection;
  }
}

/** A response with Content-Length unless the headers say how the body is framed. */
function reply(body: string | Uint8Array = 'hello\n', headers: Array<[string, string]> = [], status = '200 OK', version = 'HTTP/1.1'): Uint8Array {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const framed = headers.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n));
  const all = framed ? headers : [...headers, ['Content-Length', String(bytes.length)] as [string, string]];
  const head = new TextEncoder().encode(`${version} ${status}\r\n${all.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`);
  const out = new Uint8Array(head.length + bytes.length);
  out.set(head);
  out.set(bytes, head.length);
  return out;
}

const TEXT: Array<[string, string]> = [['Content-Type', 'text/plain']];
const keepAlive: Responder = (_req, c) => c.receive(reply('hello\n', TEXT));

function strip(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[\d+m/g, '');
}

interface Ran {
  /** Output with the dim markers' colour codes removed. */
  out: string;
  raw: string;
  connector: ScriptedConnector;
}

function contextFor(connector: ScriptedConnector, output: string[], signal: AbortSignal): ShellContext {
  return {
    connector,
    signal,
    columns: 200,
    commands: [],
    write: (text) => output.push(text),
    println: (text = '') => output.push(`${text}\n`),
    clearScreen: () => {},
    enterConnected: () => false,
  };
}

function argsOf(line: string): string[] {
  const parsed = tokenize(line);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.tokens;
}

async function run(line: string, respond: Responder = keepAlive, options: HttpCommandOptions = {}): Promise<Ran> {
  const connector = new ScriptedConnector(respond);
  const output: string[] = [];
  await createHttpCommand({ closeGraceMs: 5, ...options }).run(argsOf(line), contextFor(connector, output, new AbortController().signal));
  const raw = output.join('');
  return { out: strip(raw), raw, connector };
}

/** Lets the fake connector's promises and the responders' microtasks run (fake timers too). */
async function flush(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

function invocation(line: string): HttpInvocation {
  return parseHttpArgs(argsOf(line));
}

afterEach(() => {
  vi.useRealTimers();
});

// --- arguments ------------------------------------------------------------------------------------

describe('URLs', () => {
  test('the deck writes them without a scheme: host, port 80, path', () => {
    expect(parseHttpUrl('www.someschool.edu/someDept/pic.gif')).toEqual({ text: 'www.someschool.edu/someDept/pic.gif', host: 'www.someschool.edu', port: 80, path: '/someDept/pic.gif' });
  });

  test('http:// with a port, a query, and a fragment that is never sent', () => {
    expect(parseHttpUrl('HTTP://Gaia.CS.umass.edu:8080/a/b.html?x=1&y=2#part')).toMatchObject({ host: 'gaia.cs.umass.edu', port: 8080, path: '/a/b.html?x=1&y=2' });
  });

  test('a bare host asks for /, a bare query gets its slash', () => {
    expect(parseHttpUrl('gaia.cs.umass.edu').path).toBe('/');
    expect(parseHttpUrl('www.somesite.com?var1=a').path).toBe('/?var1=a');
  });

  test('characters a request target may not hold are percent-encoded; escapes already written stay', () => {
    expect(parseHttpUrl('host/a b/é.html?q=x y&z=%41').path).toBe('/a%20b/%C3%A9.html?q=x%20y&z=%41');
  });

  test('user:password@ before the host is kept for Basic authentication', () => {
    expect(parseHttpUrl('http://alice:wonder%20land@gaia.cs.umass.edu/secret')).toMatchObject({ host: 'gaia.cs.umass.edu', userinfo: 'alice:wonder land' });
  });

  test('an IPv6 literal keeps its brackets', () => {
    expect(parseHttpUrl('http://[::1]:10080/')).toMatchObject({ host: '[::1]', port: 10080 });
  });

  test.each([
    ['https://gaia.cs.umass.edu/', /plain HTTP \(no TLS\)/],
    ['ftp://gaia.cs.umass.edu/', /only http:\/\/ URLs/],
    ['http:///path', /no host name/],
    ['gaia.cs.umass.edu:0/', /out of range/],
    ['gaia.cs.umass.edu:65536/', /out of range/],
    ['gaia.cs.umass.edu:http/', /not a port number/],
    ['bad_host!/x', /no host name/],
  ])('%s is refused: %s', (url, message) => {
    expect(() => parseHttpUrl(url)).toThrow(UsageError);
    expect(() => parseHttpUrl(url)).toThrow(message);
  });
});

describe('options', () => {
  test('none: GET over HTTP/1.1, a preview of the body', () => {
    const inv = invocation('gaia.cs.umass.edu/');
    expect(inv).toMatchObject({ head: false, version: 'HTTP/1.1', pipeline: false, cookieJar: false, fullBody: false, headers: [], cookies: [] });
    expect(inv.method).toBeUndefined();
    expect(inv.connection).toBeUndefined();
  });

  test('-X in all three spellings', () => {
    expect(invocation('-X PUT h/').method).toBe('PUT');
    expect(invocation('-XDELETE h/').method).toBe('DELETE');
    expect(invocation('--request=OPTIONS h/').method).toBe('OPTIONS');
    expect(() => invocation('-X "GET /" h/')).toThrow(/not a method name/);
  });

  test('-H adds, replaces (Name: value), drops (Name:) or empties (Name;)', () => {
    expect(invocation("-H 'Accept: text/html' -H 'User-Agent:' -H 'X-Empty;' h/").headers).toEqual([
      { name: 'Accept', value: 'text/html' },
      { name: 'User-Agent', value: '', remove: true },
      { name: 'X-Empty', value: '' },
    ]);
    expect(() => invocation("-H 'no colon' h/")).toThrow(/needs 'Name: value'/);
    expect(() => invocation("-H 'Bad Name: x' h/")).toThrow(/not a header name/);
    expect(() => parseHttpArgs(['-H', 'X-A: 1\r\nX-B: 2', 'h/'])).toThrow(/may not hold CR, LF or NUL/);
  });

  test('-d pieces are joined with & as curl joins them', () => {
    expect(invocation('-d var1=a -d var2=b h/').data).toBe('var1=a&var2=b');
  });

  test('-0, --http1.1, --keep-alive, --close, -I, --pipeline, -c, -i and --body', () => {
    expect(invocation('-0 h/').version).toBe('HTTP/1.0');
    expect(invocation('--http1.0 --http1.1 h/').version).toBe('HTTP/1.1');
    expect(invocation('--keep-alive h/').connection).toBe('keep-alive');
    expect(invocation('--close h/').connection).toBe('close');
    expect(invocation('-I h/').head).toBe(true);
    expect(invocation('--head h/').head).toBe(true);
    expect(invocation('--pipeline h/').pipeline).toBe(true);
    expect(invocation('-c h/').cookieJar).toBe(true);
    expect(invocation('-i h/').fullBody).toBe(true);
    expect(invocation('--body h/').fullBody).toBe(true);
  });

  test('-x takes HOST:PORT, with or without http://; the port defaults to the web cache port', () => {
    expect(invocation('-x cache.poly.edu:3128 h/').proxy).toEqual({ host: 'cache.poly.edu', port: 3128 });
    expect(invocation('--proxy http://cache.poly.edu/ h/').proxy).toEqual({ host: 'cache.poly.edu', port: PROXY_DEFAULT_PORT });
    expect(() => invocation('-x socks5://cache.poly.edu:1080 h/')).toThrow(/HTTP proxy as HOST:PORT/);
  });

  test('-b takes NAME=VALUE; -u takes USER:PASSWORD', () => {
    expect(invocation("-b 'a=1' -b 'b=2; c=3' h/").cookies).toEqual(['a=1', 'b=2; c=3']);
    expect(() => invocation('-b justaname h/')).toThrow(/NAME=VALUE/);
    expect(invocation('-u alice:secret h/').user).toBe('alice:secret');
    expect(() => invocation('-u alice h/')).toThrow(/USER:PASSWORD/);
  });

  test('--help needs no URL', () => {
    expect(invocation('--help').help).toBe(true);
    expect(invocation('-h').help).toBe(true);
  });

  test('-- ends the options: what follows is a URL even when it starts with -', () => {
    const inv = invocation('-- -I');
    expect(inv.head).toBe(false);
    expect(inv.urls.map((u) => u.host)).toEqual(['-i']);
  });

  test.each([
    ['-z h/', /unknown option '-z' — 'http --help' lists the options/],
    ['--frobnicate h/', /unknown option '--frobnicate'/],
    ['h/ -X', /-X needs a value/],
    ['--close=yes h/', /--close takes no value/],
    ['--keep-alive --close h/', /contradict/],
    ['-I -d x=1 h/', /cannot go with -d/],
    ['-I -X POST h/', /-I asks for HEAD and -X for POST/],
    ['-X GET', /needs a URL/],
    ['', /needs a URL/],
  ])('%j is a usage error: %s', (line, message) => {
    expect(() => invocation(line)).toThrow(UsageError);
    expect(() => invocation(line)).toThrow(message);
  });
});

// --- the request ----------------------------------------------------------------------------------

function requestText(line: string, cookie?: string): string {
  const inv = invocation(line);
  return decoder.decode(buildRequest(inv, inv.urls[0]!, cookie).bytes);
}

describe('building the request', () => {
  test('HTTP/1.1 GET: request line, Host, User-Agent, Accept, the empty line, nothing else', () => {
    expect(requestText('www.someschool.edu/someDept/pic.gif')).toBe(
      `GET /someDept/pic.gif HTTP/1.1\r\nHost: www.someschool.edu\r\nUser-Agent: ${HTTP_USER_AGENT}\r\nAccept: */*\r\n\r\n`,
    );
  });

  test('Host carries the port only when it is not 80', () => {
    expect(requestText('gaia.cs.umass.edu:8080/x')).toContain('\r\nHost: gaia.cs.umass.edu:8080\r\n');
    expect(requestText('http://gaia.cs.umass.edu:80/x')).toContain('\r\nHost: gaia.cs.umass.edu\r\n');
  });

  test('-0 writes HTTP/1.0; --keep-alive and --close add the Connection header', () => {
    expect(requestText('-0 gaia.cs.umass.edu/')).toMatch(/^GET \/ HTTP\/1\.0\r\n/);
    expect(requestText('-0 gaia.cs.umass.edu/')).not.toContain('Connection');
    expect(requestText('-0 --keep-alive gaia.cs.umass.edu/')).toContain('\r\nConnection: keep-alive\r\n');
    expect(requestText('--close gaia.cs.umass.edu/')).toContain('\r\nConnection: close\r\n');
  });

  test('-d: POST with a form Content-Type and the Content-Length of the body, which follows the empty line', () => {
    const text = requestText('-d var1=a -d var2=b www.somesite.com/page1exec');
    expect(text).toMatch(/^POST \/page1exec HTTP\/1\.1\r\n/);
    expect(text).toContain('\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 13\r\n\r\nvar1=a&var2=b');
    expect(text.endsWith('\r\n\r\nvar1=a&var2=b')).toBe(true);
  });

  test('-d counts bytes, not characters, in Content-Length', () => {
    expect(requestText('-d name=é h/')).toContain('Content-Length: 7\r\n');
  });

  test('-X wins over -d, and -H replaces a header where it stands or drops it', () => {
    const text = requestText("-X PUT -d hello -H 'Content-Type: text/plain' -H 'User-Agent:' -H 'X-Lab: 1' h/up.txt");
    expect(text).toMatch(/^PUT \/up\.txt HTTP\/1\.1\r\nHost: h\r\nAccept: \*\/\*\r\nContent-Type: text\/plain\r\nContent-Length: 5\r\nX-Lab: 1\r\n\r\nhello$/);
  });

  test('-I sends HEAD', () => {
    expect(requestText('-I gaia.cs.umass.edu/')).toMatch(/^HEAD \/ HTTP\/1\.1\r\n/);
  });

  test('through a proxy (-x) the request line carries the absolute URL, and Host stays', () => {
    expect(requestText('-x cache.poly.edu:3128 www.someschool.edu:8080/someDept/pic.gif?x=1')).toMatch(
      /^GET http:\/\/www\.someschool\.edu:8080\/someDept\/pic\.gif\?x=1 HTTP\/1\.1\r\nHost: www\.someschool\.edu:8080\r\n/,
    );
  });

  test('cookies from -b and from the jar share one Cookie header', () => {
    expect(requestText("-b 'a=1' -b 'b=2' h/", 'session=xyz')).toContain('\r\nCookie: a=1; b=2; session=xyz\r\n');
    expect(requestText('h/', 'session=xyz')).toContain('\r\nCookie: session=xyz\r\n');
  });

  test('-u, or user:password in the URL, sends Basic credentials (RFC 7617 §2 example)', () => {
    expect(requestText("-u 'Aladdin:open sesame' h/")).toContain('\r\nAuthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n');
    expect(requestText('http://Aladdin:open%20sesame@h/')).toContain('\r\nAuthorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n');
  });
});

describe('does the connection stay open after the response?', () => {
  function verdict(line: string, head: string, options: Partial<ParsedResponse> = {}) {
    const inv = invocation(line);
    const request = buildRequest(inv, inv.urls[0]!, undefined);
    const [statusLine, ...fields] = head.split('\n');
    const [versionText, status] = statusLine!.split(' ');
    const headers = fields.map((f) => ({ name: f.split(':')[0]!, value: f.slice(f.indexOf(':') + 1).trim(), offset: 0, length: 0, valueOffset: 0, terminator: 'CRLF' as const }));
    const response = { version: versionText, versionText, status: Number(status), reason: 'OK', headers, framing: 'length', simple: false, body: new Uint8Array(0), chunks: [], trailers: [], notes: [], head: new Uint8Array(0), wireLength: 0, requestMethod: 'GET', ...options } as ParsedResponse;
    return connectionAfter(request, response);
  }

  test.each([
    ['h/', 'HTTP/1.1 200', true, /HTTP\/1\.1 connections are persistent/],
    ['h/', 'HTTP/1.1 200\nConnection: close', false, /the server said Connection: close/],
    ['--close h/', 'HTTP/1.1 200', false, /the request said Connection: close/],
    ['-0 h/', 'HTTP/1.1 200', false, /HTTP\/1\.0 request without Connection: keep-alive/],
    ['-0 --keep-alive h/', 'HTTP/1.1 200\nConnection: keep-alive', true, /asked for Connection: keep-alive and the server agreed/],
    ['-0 --keep-alive h/', 'HTTP/1.0 200\nConnection: keep-alive', true, /HTTP\/1\.0 response said Connection: keep-alive/],
    ['-0 --keep-alive h/', 'HTTP/1.0 200', false, /HTTP\/1\.0 response without Connection: keep-alive/],
    ['h/', 'HTTP/1.1 200\nConnection: Keep-Alive, CLOSE', false, /the server said Connection: close/],
  ])('%s answered by %j: keep %s', (line, head, keep, reason) => {
    const v = verdict(line, head);
    expect(v.keep).toBe(keep);
    expect(v.reason).toMatch(reason);
  });

  test('a body ended by the close ends the connection', () => {
    expect(verdict('h/', 'HTTP/1.1 200', { framing: 'close' })).toMatchObject({ keep: false, reason: expect.stringMatching(/only closing the connection could mark its end/) });
  });

  test("the server's Keep-Alive parameters are put in words", () => {
    expect(verdict('h/', 'HTTP/1.1 200\nKeep-Alive: timeout=5, max=99').keepAlive).toBe('Keep-Alive: the server allows 99 more requests on it and closes it after 5 s idle');
    expect(describeKeepAlive('max=1')).toBe('Keep-Alive: the server allows 1 more request on it');
    expect(describeKeepAlive('115')).toBeUndefined();
  });
});

// --- the command against a scripted server ------------------------------------------------------

describe('one URL', () => {
  test('shows the new connection, the request with its line ends, the response, timing, and closes', async () => {
    const { out, raw, connector } = await run('www.someschool.edu/someDept/home.index', (_r, c) =>
      c.receive(reply('<html>\r\n<p>hi</p>\r\n</html>\r\n', [['Content-Type', 'text/html'], ['Keep-Alive', 'timeout=5, max=100'], ['Connection', 'keep-alive']])),
    );
    expect(out).toContain('* new TCP connection to www.someschool.edu (128.119.40.19) port 80 (lab: 127.0.0.1:10081): connected in ');
    expect(out).toContain(`> GET /someDept/home.index HTTP/1.1\\r\\n\n> Host: www.someschool.edu\\r\\n\n> User-Agent: ${HTTP_USER_AGENT}\\r\\n\n> Accept: */*\\r\\n\n> \\r\\n\n`);
    expect(out).toContain('< HTTP/1.1 200 OK\\r\\n\n< Content-Type: text/html\\r\\n\n');
    expect(out).toContain('< \\r\\n\n<html>\n<p>hi</p>\n</html>\n');
    expect(out).toMatch(/\* 200 OK: 28 bytes of body, as Content-Length said; first byte after [\d.]+ ms, complete after [\d.]+ ms\n/);
    expect(out).toContain('* the connection stays open: HTTP/1.1 connections are persistent unless one side says Connection: close.\n* Keep-Alive: the server allows 100 more requests on it and closes it after 5 s idle.\n');
    expect(out).toContain('* no more URLs: closing it (FIN)');
    // The line-end markers are dim, so they read as annotations rather than text.
    expect(raw).toContain('\x1b[2m\\r\\n\x1b[22m');
    expect(connector.connections).toHaveLength(1);
    expect(connector.last.ended).toBe(true);
  });

  test('the connection is dropped when the server does not close after the FIN within the grace time', async () => {
    vi.useFakeTimers();
    const connector = new ScriptedConnector(keepAlive);
    const done = httpCommand.run(['gaia.cs.umass.edu/'], contextFor(connector, [], new AbortController().signal));
    await flush();
    await done;
    expect(connector.last.ended).toBe(true);
    await vi.advanceTimersByTimeAsync(HTTP_CLOSE_GRACE_MS - 1);
    expect(connector.last.destroyed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(connector.last.destroyed).toBe(true);
  });

  test('a bare LF in the response shows as \\n and is noted', async () => {
    const { out } = await run('gaia.cs.umass.edu/', (_r, c) => c.receive('HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\nok'));
    expect(out).toContain('< HTTP/1.1 200 OK\\n\n< Content-Length: 2\\r\\n\n');
    expect(out).toContain('* note: line ends in a bare LF instead of CR LF (accepted)');
  });

  test('a POST body is shown after the empty line, with its length', async () => {
    const { out, connector } = await run('-d var1=a&var2=b gaia.cs.umass.edu/page1exec');
    expect(out).toContain('> Content-Length: 13\\r\\n\n> \\r\\n\n> var1=a&var2=b\n* 13 bytes of body, no line end after it: Content-Length tells the server where it stops\n');
    expect(connector.requests[0]).toMatch(/\r\n\r\nvar1=a&var2=b$/);
  });

  test('an interim 100 Continue is shown before the final response', async () => {
    const { out } = await run('-d x=1 gaia.cs.umass.edu/', (_r, c) => {
      c.receive('HTTP/1.1 100 Continue\r\n\r\n');
      c.receive(reply('done\n', TEXT, '201 Created'));
    });
    expect(out).toMatch(/< HTTP\/1\.1 100 Continue\\r\\n\n< \\r\\n\n\* interim response 100 Continue: the final response follows\n< HTTP\/1\.1 201 Created/);
  });
});

describe('persistent and non-persistent connections over several URLs', () => {
  test('HTTP/1.1 and a server that keeps it open: the second request reuses the connection', async () => {
    const { out, connector } = await run('gaia.cs.umass.edu/a.html gaia.cs.umass.edu/b.html');
    expect(connector.connections).toHaveLength(1);
    expect(connector.requests.map((r) => r.split('\r\n')[0])).toEqual(['GET /a.html HTTP/1.1', 'GET /b.html HTTP/1.1']);
    expect(out).toContain('* next: gaia.cs.umass.edu/b.html, on this same connection');
    expect(out).toContain('* reusing the open connection to gaia.cs.umass.edu (128.119.245.12) port 80 (request 2 on it)');
    expect(out.match(/new TCP connection/g)).toHaveLength(1);
  });

  test('Connection: close from the server: a new TCP connection for the next URL', async () => {
    const { out, connector } = await run('gaia.cs.umass.edu/a gaia.cs.umass.edu/b', (_r, c) => {
      c.receive(reply('x', [['Connection', 'close']]));
      c.closeByPeer();
    });
    expect(connector.connections).toHaveLength(2);
    expect(out).toContain('* the connection closes: the server said Connection: close. The server has closed it.');
    expect(out).toContain('* next: gaia.cs.umass.edu/b, on a new TCP connection');
    expect(out.match(/new TCP connection to gaia/g)).toHaveLength(2);
    expect(out).not.toContain('reusing');
  });

  test('--close: each request says Connection: close, so each URL gets its own connection', async () => {
    const { out, connector } = await run('--close gaia.cs.umass.edu/a gaia.cs.umass.edu/b');
    expect(connector.connections).toHaveLength(2);
    expect(connector.requests.every((r) => r.includes('\r\nConnection: close\r\n'))).toBe(true);
    expect(out).toContain('* the connection closes: the request said Connection: close.');
    expect(connector.connections.every((c) => c.ended)).toBe(true);
  });

  test('-0: non-persistent HTTP/1.0, one connection per object', async () => {
    const { out, connector } = await run('-0 gaia.cs.umass.edu/a gaia.cs.umass.edu/b', (_r, c) => c.receive(reply('x', TEXT, '200 OK', 'HTTP/1.0')));
    expect(connector.connections).toHaveLength(2);
    expect(out.match(/\* the connection closes: an HTTP\/1\.0 request without Connection: keep-alive asks for a non-persistent connection\./g)).toHaveLength(2);
  });

  test('-0 --keep-alive against a server that agrees: one connection', async () => {
    const { out, connector } = await run('-0 --keep-alive gaia.cs.umass.edu/a gaia.cs.umass.edu/b', (_r, c) => c.receive(reply('x', [['Connection', 'keep-alive']], '200 OK', 'HTTP/1.0')));
    expect(connector.connections).toHaveLength(1);
    expect(connector.requests.every((r) => r.startsWith('GET /') && r.includes(' HTTP/1.0\r\n') && r.includes('\r\nConnection: keep-alive\r\n'))).toBe(true);
    expect(out).toContain('reusing the open connection');
  });

  test('URLs on different servers: the open connection is closed and a new one opened', async () => {
    const { out, connector } = await run('gaia.cs.umass.edu/ www.someschool.edu/');
    expect(connector.connections.map((c) => c.target.hostname)).toEqual(['gaia.cs.umass.edu', 'www.someschool.edu']);
    expect(connector.connections[0]!.ended).toBe(true);
    expect(out).toContain('* next: www.someschool.edu/ is on another server, so this connection is closed (FIN) and a new one opened');
  });

  test('a server that closes a connection the rules would keep: noticed, and a new one opened', async () => {
    const { out, connector } = await run('gaia.cs.umass.edu/a gaia.cs.umass.edu/b', (_r, c, i) => {
      c.receive(reply('x', TEXT));
      if (i === 0) c.closeByPeer();
    });
    expect(connector.connections).toHaveLength(2);
    expect(out).toContain('* the connection could stay open (HTTP/1.1 connections are persistent unless one side says Connection: close), but the server has closed it.\n* next: gaia.cs.umass.edu/b, on a new TCP connection\n');
  });

  test('a kept connection the server closes just as the request goes out: the request is sent again on a new one', async () => {
    const { out, connector } = await run('gaia.cs.umass.edu/a gaia.cs.umass.edu/b', (_r, c, i) => {
      if (i === 1) c.closeByPeer();
      else c.receive(reply('x', TEXT));
    });
    expect(connector.connections).toHaveLength(2);
    expect(connector.requests.map((r) => r.split('\r\n')[0])).toEqual(['GET /a HTTP/1.1', 'GET /b HTTP/1.1', 'GET /b HTTP/1.1']);
    expect(out).toContain('its keep-alive time ran out): sending it again on a new connection');
    expect(out).toMatch(/\* 200 OK: 1 byte of body[^\n]*\n[^]*\* 200 OK: 1 byte of body/);
  });

  test('a POST on a kept connection the server closes unanswered is not sent again: it may have been acted on', async () => {
    const { out, connector } = await run('gaia.cs.umass.edu/a -X POST -d item=mug gaia.cs.umass.edu/cart/add', (_r, c, i) => {
      if (i === 1) c.closeByPeer();
      else c.receive(reply('x', TEXT));
    });
    expect(connector.requests.map((r) => r.split('\r\n')[0])).toEqual(['POST /a HTTP/1.1', 'POST /cart/add HTTP/1.1']);
    expect(connector.connections).toHaveLength(1);
    expect(out).toContain('a POST is not sent again on its own, as the server may already have acted on it (RFC 9112 §9.3.1)');
    expect(out).not.toContain('sending it again on a new connection');
  });
});

describe('pipelining', () => {
  test('--pipeline writes every request before any response arrives, then reads them in order', async () => {
    let writtenBeforeFirstAnswer = 0;
    const { out, connector } = await run('--pipeline gaia.cs.umass.edu/1 gaia.cs.umass.edu/2 gaia.cs.umass.edu/3', (_r, c, i) => {
      if (i === 0) writtenBeforeFirstAnswer = c.written.length;
      // All three answers in one segment, as a fast server sends them.
      if (i === 2) c.receive(new Uint8Array([...reply('one\n', TEXT), ...reply('two\n', TEXT), ...reply('three\n', TEXT)]));
    });
    expect(writtenBeforeFirstAnswer).toBe(3);
    expect(connector.connections).toHaveLength(1);
    expect(out).toContain('* pipelining: sending all 3 requests before reading any response');
    const order = ['response 1 of 3, to GET gaia.cs.umass.edu/1', 'one', 'response 2 of 3', 'two', 'response 3 of 3', 'three', 'no more URLs'];
    const positions = order.map((text) => out.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  test('a server that closes after the first response leaves the later requests unanswered', async () => {
    const { out } = await run('--pipeline gaia.cs.umass.edu/1 gaia.cs.umass.edu/2 gaia.cs.umass.edu/3', (_r, c, i) => {
      if (i === 0) {
        c.receive(reply('one\n', [['Connection', 'close']]));
        c.closeByPeer();
      }
    });
    expect(out).toContain('* the connection closes: the server said Connection: close.');
    expect(out).toContain('* 2 requests sent after it never got an answer: gaia.cs.umass.edu/2, gaia.cs.umass.edu/3');
  });

  test('every URL must be on one server (or go through one proxy)', async () => {
    await expect(run('--pipeline gaia.cs.umass.edu/ www.someschool.edu/')).rejects.toThrow(/every URL must be on one server/);
    const { connector } = await run('--pipeline -x cache.poly.edu gaia.cs.umass.edu/ www.someschool.edu/', (_r, c, i) => {
      if (i === 1) c.receive(new Uint8Array([...reply('a'), ...reply('b')]));
    });
    expect(connector.connections).toHaveLength(1);
  });
});

describe('bodies', () => {
  test('chunked: de-chunked for display, with the chunk sizes', async () => {
    const { out } = await run('gaia.cs.umass.edu/', (_r, c) => c.receive('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n'));
    expect(out).toContain('< \\r\\n\nhello world\n');
    // One empty line ends the head; the one after the last chunk is the body's.
    expect(out).not.toContain('< \\r\\n\n< \\r\\n');
    expect(out).toContain('* 200 OK: 11 bytes of body in chunked transfer coding: 2 chunks (5 + 6 bytes) and the empty last chunk');
    expect(out).toContain('the connection stays open');
  });

  test(`chunk sizes are listed up to ${CHUNKS_LISTED}, the rest counted`, async () => {
    const chunks = (n: number) => 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' + '1\r\nx\r\n'.repeat(n) + '0\r\n\r\n';
    const listed = await run('gaia.cs.umass.edu/', (_r, c) => c.receive(chunks(CHUNKS_LISTED)));
    expect(listed.out).toContain(`${CHUNKS_LISTED} chunks (${Array(CHUNKS_LISTED).fill('1').join(' + ')} bytes)`);
    const more = await run('gaia.cs.umass.edu/', (_r, c) => c.receive(chunks(CHUNKS_LISTED + 1)));
    expect(more.out).toContain(`${CHUNKS_LISTED + 1} chunks (${Array(CHUNKS_LISTED).fill('1').join(' + ')} and 1 more bytes)`);
  });

  test('HEAD: the parser expects no body, so the next response on the connection is read right', async () => {
    const { out, connector } = await run('-I gaia.cs.umass.edu/a gaia.cs.umass.edu/b', (_r, c) => c.receive(reply('', [['Content-Type', 'text/html'], ['Content-Length', '1234']])));
    expect(connector.connections).toHaveLength(1);
    expect(out).toContain('* 200 OK: no body: the answer to HEAD never has one (Content-Length 1234 is what GET would get)');
    expect(out.match(/\* 200 OK: no body/g)).toHaveLength(2);
  });

  test('304 Not Modified has no body', async () => {
    const { out } = await run("-H 'If-Modified-Since: Wed, 09 Sep 2015 23:46:37 GMT' gaia.cs.umass.edu/", (_r, c) => c.receive('HTTP/1.1 304 Not Modified\r\nETag: "abc"\r\n\r\n'));
    expect(out).toContain('* 304 Not Modified: no body: 304 Not Modified says the copy the client has is still good');
  });

  test('a body with neither length nor chunks runs until the server closes', async () => {
    const { out } = await run('gaia.cs.umass.edu/', (_r, c) => {
      c.receive('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it\n');
      c.closeByPeer();
    });
    expect(out).toContain('all of it\n');
    expect(out).toContain('* 200 OK: 10 bytes of body, ended by the server closing the connection');
    expect(out).toContain('* the connection closes: the body had neither Content-Length nor chunked coding');
  });

  test('binary bodies are summarised, not printed', async () => {
    const gif = new Uint8Array(3127).fill(0x80);
    gif.set([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x1b]);
    const { out, raw } = await run('www.someschool.edu/someDept/pic.gif', (_r, c) => c.receive(reply(gif, [['Content-Type', 'image/gif']])));
    expect(out).toContain(`* [3${NBSP}127 bytes of image/gif not shown]`);
    expect(out).not.toContain('GIF89a');
    expect(raw).not.toContain('\x1b[A');
    // -i does not change that: binary is never written to the terminal.
    const full = await run('-i www.someschool.edu/someDept/pic.gif', (_r, c) => c.receive(reply(gif, [['Content-Type', 'image/gif']])));
    expect(full.out).toContain(`[3${NBSP}127 bytes of image/gif not shown]`);
  });

  test('without Content-Type, text is recognised by its bytes', async () => {
    const text = await run('gaia.cs.umass.edu/', (_r, c) => c.receive(reply('plain words\n')));
    expect(text.out).toContain('plain words\n');
    const binary = await run('gaia.cs.umass.edu/', (_r, c) => c.receive(reply(new Uint8Array([1, 0, 2, 3]))));
    expect(binary.out).toContain('[4 bytes of data with no Content-Type not shown]');
  });

  test(`a body without Content-Type is judged by its first ${TEXT_SNIFF_BYTES} bytes`, async () => {
    const withNulAt = (at: number) => {
      const body = new Uint8Array(TEXT_SNIFF_BYTES + 10).fill(0x61);
      body[at] = 0;
      return body;
    };
    const inside = await run('gaia.cs.umass.edu/', (_r, c) => c.receive(reply(withNulAt(TEXT_SNIFF_BYTES - 1))));
    expect(inside.out).toContain(`bytes of data with no Content-Type not shown]`);
    const past = await run('gaia.cs.umass.edu/', (_r, c) => c.receive(reply(withNulAt(TEXT_SNIFF_BYTES))));
    expect(past.out).toContain(`${'a'.repeat(BODY_PREVIEW_LINE_CHARS)}…`);
  });

  test('control characters in a text body show in caret notation, never reaching the terminal', async () => {
    const { raw } = await run('gaia.cs.umass.edu/', (_r, c) => c.receive(reply('evil \x1b[2J\x07 text\n', TEXT)));
    expect(raw).toContain('evil ^[[2J^G text');
    expect(raw).not.toContain('\x1b[2J');
  });

  test('a latin1 page is decoded by its charset', async () => {
    const { out } = await run('gaia.cs.umass.edu/', (_r, c) => c.receive(reply(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]), [['Content-Type', 'text/html; charset=ISO-8859-1']])));
    expect(out).toContain('café\n');
  });

  test(`the preview shows ${BODY_PREVIEW_LINES} lines; one more is cut and counted; -i shows all`, async () => {
    const page = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const fits = await run('gaia.cs.umass.edu/', (_r, c) => c.receive(reply(page(BODY_PREVIEW_LINES), TEXT)));
    expect(fits.out).toContain(`line ${BODY_PREVIEW_LINES}\n`);
    expect(fits.out).not.toContain('more line');
    const over = await run('gaia.cs.umass.edu/', (_r, c) => c.receive(reply(page(BODY_PREVIEW_LINES + 1), TEXT)));
    expect(over.out).toContain(`line ${BODY_PREVIEW_LINES}\n`);
    expect(over.out).not.toContain(`line ${BODY_PREVIEW_LINES + 1}\n`);
    expect(over.out).toMatch(/\* … 1 more line of the [\d\u00a0]+ bytes body not shown \(-i shows the whole body\)/);
    const all = await run('-i gaia.cs.umass.edu/', (_r, c) => c.receive(reply(page(BODY_PREVIEW_LINES + 1), TEXT)));
    expect(all.out).toContain(`line ${BODY_PREVIEW_LINES + 1}\n`);
  });

  test(`a preview line longer than ${BODY_PREVIEW_LINE_CHARS} characters is cut`, async () => {
    const fits = await run('gaia.cs.umass.edu/', (_r, c) => c.receive(reply('a'.repeat(BODY_PREVIEW_LINE_CHARS) + '\n', TEXT)));
    expect(fits.out).toContain('a'.repeat(BODY_PREVIEW_LINE_CHARS) + '\n');
    const over = await run('gaia.cs.umass.edu/', (_r, c) => c.receive(reply('a'.repeat(BODY_PREVIEW_LINE_CHARS + 1) + '\n', TEXT)));
    expect(over.out).toContain('a'.repeat(BODY_PREVIEW_LINE_CHARS) + '… (1 more characters)\n');
  });

  test(`a body past ${HTTP_MAX_KEPT_BODY} bytes is read through and counted, not stored; the connection stays usable`, async () => {
    const at = await run('gaia.cs.umass.edu/big', (_r, c) => c.receive(reply(new Uint8Array(HTTP_MAX_KEPT_BODY), [['Content-Type', 'application/octet-stream']])));
    expect(at.out).not.toContain('were kept');
    const over = await run('gaia.cs.umass.edu/big gaia.cs.umass.edu/small', (_r, c, i) => {
      if (i === 0) c.receive(reply(new Uint8Array(HTTP_MAX_KEPT_BODY + 1), [['Content-Type', 'application/octet-stream']]));
      else c.receive(reply('small\n', TEXT));
    });
    expect(over.out).toContain(`* the body is ${formatCount(HTTP_MAX_KEPT_BODY + 1)} bytes: the first ${formatCount(HTTP_MAX_KEPT_BODY)} bytes were kept, the rest read and counted but not stored`);
    expect(over.out).toContain(`${formatCount(HTTP_MAX_KEPT_BODY + 1)} bytes of body, as Content-Length said`);
    expect(over.out).toContain('small\n');
    expect(over.connector.connections).toHaveLength(1);
  });
});

describe('proxy', () => {
  test('-x: one connection to the cache carries requests for several origin servers in absolute form', async () => {
    const { out, connector } = await run('-x cache.poly.edu:3128 www.someschool.edu/someDept/pic.gif gaia.cs.umass.edu/');
    expect(connector.connections).toHaveLength(1);
    expect(connector.last.target).toMatchObject({ hostname: 'cache.poly.edu', port: 13128 });
    expect(connector.requests.map((r) => r.split('\r\n').slice(0, 2).join(' | '))).toEqual([
      'GET http://www.someschool.edu/someDept/pic.gif HTTP/1.1 | Host: www.someschool.edu',
      'GET http://gaia.cs.umass.edu/ HTTP/1.1 | Host: gaia.cs.umass.edu',
    ]);
    expect(out).toContain('* new TCP connection to the proxy cache.poly.edu (128.238.2.10) port 3128 (lab: 127.0.0.1:13128)');
    expect(out).toContain('* reusing the open connection to the proxy cache.poly.edu');
  });

  test('an unknown proxy is an unknown host', async () => {
    const { out, connector } = await run('-x nocache.example:3128 gaia.cs.umass.edu/');
    expect(out).toContain("http: unknown host 'nocache.example'");
    expect(connector.connections).toHaveLength(0);
  });
});

describe('cookies', () => {
  const shop: Responder = (request, c) => {
    const cookie = /\r\nCookie: ([^\r]*)\r\n/.exec(request)?.[1];
    c.receive(reply(`cookie was ${cookie ?? 'none'}\n`, cookie ? TEXT : [...TEXT, ['Set-Cookie', 'cart=1678; Path=/']]));
  };

  test('-c: a cookie set by one response goes back with the next request', async () => {
    const { out, connector } = await run('-c www.someschool.edu/shop www.someschool.edu/shop/cart', shop);
    expect(connector.requests[1]).toContain('\r\nCookie: cart=1678\r\n');
    expect(out).toContain('* remembered cookie cart=1678 for www.someschool.edu, paths under /');
    expect(out).toContain('cookie was cart=1678');
  });

  test('without -c nothing is remembered', async () => {
    const { connector } = await run('www.someschool.edu/shop www.someschool.edu/shop', shop);
    expect(connector.requests[1]).not.toContain('Cookie:');
  });

  test('the jar follows RFC 6265 for domain, path, expiry and Secure', () => {
    const jar = new CookieJar();
    const now = Date.UTC(2026, 0, 1);
    expect(jar.store(['a=1', 'b=2; Path=/docs', 'c=3; Domain=umass.edu; Path=/', 'd=4; Domain=example.com', 'e=5; Secure', 'f=6; Max-Age=0', 'novalue'], 'gaia.cs.umass.edu', '/x/page.html', now)).toEqual([
      'remembered cookie a=1 for gaia.cs.umass.edu, paths under /x',
      'remembered cookie b=2 for gaia.cs.umass.edu, paths under /docs',
      'remembered cookie c=3 for umass.edu and its subdomains, paths under /',
      'ignored cookie d: Domain=example.com does not cover gaia.cs.umass.edu',
      'remembered cookie e=5 for gaia.cs.umass.edu, paths under /x (Secure: never sent over plain HTTP)',
      'cookie f arrived already expired',
      'ignored a Set-Cookie without a name=value pair',
    ]);
    expect(jar.header('gaia.cs.umass.edu', '/x/other', now)).toBe('a=1; c=3');
    expect(jar.header('gaia.cs.umass.edu', '/docs/y', now)).toBe('b=2; c=3');
    expect(jar.header('www.cs.umass.edu', '/x', now)).toBe('c=3');
    expect(jar.header('www.someschool.edu', '/', now)).toBeUndefined();
    jar.store(['c=3; Domain=umass.edu; Path=/; Max-Age=0'], 'gaia.cs.umass.edu', '/', now);
    expect(jar.header('www.cs.umass.edu', '/x', now)).toBeUndefined();
    jar.store(['t=1; Max-Age=10'], 'h', '/', now);
    expect(jar.header('h', '/', now + 9_999)).toBe('t=1');
    expect(jar.header('h', '/', now + 10_000)).toBeUndefined();
  });
});

describe('when things go wrong', () => {
  test('an unknown host is reported, and the next URL is still fetched', async () => {
    const { out, connector } = await run('www.nowhere.example/ gaia.cs.umass.edu/');
    expect(out).toContain("http: unknown host 'www.nowhere.example' — 'hosts' lists the lab's hosts");
    expect(connector.connections).toHaveLength(1);
    expect(out).toContain('* 200 OK');
  });

  test('a refused connection says why, in the terms of the lab world', async () => {
    const connector = new ScriptedConnector();
    connector.refusedPorts.add(10080);
    connector.states.set('gaia.cs.umass.edu/80', 'stopped');
    const output: string[] = [];
    await httpCommand.run(['gaia.cs.umass.edu/'], contextFor(connector, output, new AbortController().signal));
    expect(output.join('')).toContain('http: cannot connect to gaia.cs.umass.edu (128.119.245.12) port 80: connection refused\n(the http service of gaia.cs.umass.edu is stopped; start it in the Servers pane)\n');
  });

  test('another connect failure and a resolver failure are reported with their messages', async () => {
    const timedOut = await run('127.0.0.1:10999/');
    expect(timedOut.out).toContain('http: cannot connect to 127.0.0.1 port 10999: connect ETIMEDOUT 127.0.0.1:10999');
    const unresolved = await run('resolver.fails/');
    expect(unresolved.out).toContain("http: cannot resolve 'resolver.fails': the world file is not loaded");
  });

  test('an answer that is not HTTP: the parser says what is wrong and the first bytes are shown', async () => {
    const { out, connector } = await run('gaia.cs.umass.edu:7/ gaia.cs.umass.edu/', (request, c, i) => {
      if (i === 0) c.receive(request); // an echo server sends the request back
      else c.receive(reply());
    });
    expect(out).toContain('* the answer is not a valid HTTP response: the answer does not start with "HTTP/"');
    expect(out).toContain('* what the server sent first:\n< GET / HTTP/1.1\\r\\n\n');
    expect(connector.connections[0]!.destroyed).toBe(true);
    expect(out).toContain('* next: gaia.cs.umass.edu/, on a new connection');
    expect(connector.connections).toHaveLength(2);
  });

  test(`of an answer that is not HTTP, the first ${HTTP_FIRST_BYTES_SHOWN} bytes are shown`, async () => {
    const { out } = await run('gaia.cs.umass.edu/', (_r, c) => c.receive('x'.repeat(HTTP_FIRST_BYTES_SHOWN + 1)));
    expect(out).toContain(`\n< ${'x'.repeat(HTTP_FIRST_BYTES_SHOWN)}\n`);
  });

  test('a malformed head names the problem and its RFC', async () => {
    const { out } = await run('gaia.cs.umass.edu/', (_r, c) => c.receive('HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n'));
    expect(out).toContain("* the answer is not a valid HTTP response: Content-Length 'ten' is not a whole number of bytes (RFC 9110 §8.6)\n");
  });

  test('the server closes without answering', async () => {
    const { out } = await run('gaia.cs.umass.edu/', (_r, c) => c.closeByPeer());
    expect(out).toContain('* the server closed the connection without answering');
  });

  test('the server closes in the middle of the body', async () => {
    const { out } = await run('gaia.cs.umass.edu/', (_r, c) => {
      c.receive('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part');
      c.closeByPeer('read ECONNRESET');
    });
    expect(out).toMatch(/\* the server closed the connection before the response was complete \(read ECONNRESET\): 49 bytes of it came, a 200 OK response\n\* the connection ended in the middle of the response/);
  });

  test(`no byte for ${HTTP_RESPONSE_TIMEOUT_MS} ms: the command gives up on the connection`, async () => {
    vi.useFakeTimers();
    const connector = new ScriptedConnector(() => {});
    const output: string[] = [];
    let finished = false;
    const done = createHttpCommand({ now: () => Date.now() })
      .run(['gaia.cs.umass.edu/'], contextFor(connector, output, new AbortController().signal))
      ?.then(() => (finished = true));
    await flush();
    await vi.advanceTimersByTimeAsync(HTTP_RESPONSE_TIMEOUT_MS - 1);
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(output.join('')).toContain(`* no byte for ${HTTP_RESPONSE_TIMEOUT_MS / 1000} s and nothing came: giving up on this connection`);
    expect(connector.last.destroyed).toBe(true);
  });

  test('bytes that keep coming restart the response timeout', async () => {
    vi.useFakeTimers();
    const connector = new ScriptedConnector((_r, c) => c.receive('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n'));
    const output: string[] = [];
    let finished = false;
    const done = createHttpCommand({ now: () => Date.now() })
      .run(['gaia.cs.umass.edu/'], contextFor(connector, output, new AbortController().signal))
      ?.then(() => (finished = true));
    await flush();
    await vi.advanceTimersByTimeAsync(HTTP_RESPONSE_TIMEOUT_MS - 1);
    connector.last.receive('o');
    await vi.advanceTimersByTimeAsync(HTTP_RESPONSE_TIMEOUT_MS - 1);
    expect(finished).toBe(false);
    connector.last.receive('k');
    await done;
    expect(output.join('')).toContain('* 200 OK: 2 bytes of body');
  });
});

// --- in the terminal ------------------------------------------------------------------------------

describe('in the terminal session', () => {
  function session(connector: FakeConnector, commands: ShellCommand[] = builtinCommands()) {
    const screen = new Screen(120, 40);
    const writes: string[] = [];
    const s = new TerminalSession({ cols: 120, rows: 40, connector, write: (d) => { writes.push(d); screen.write(d); } }, commands);
    return { s, screen, writes, dispose: () => { s.dispose(); screen.dispose(); } };
  }

  test('help lists http, and http --help explains the options and the line-end markers', async () => {
    const t = session(new ScriptedConnector());
    t.s.input('help\rhttp --help\r');
    await flush();
    const text = await t.screen.text();
    expect(text).toContain("  http URL...     fetch web pages, showing every byte sent and received (see 'http --help')");
    expect(text).toContain("  -x HOST[:PORT]     send the requests to a proxy (a web cache), e.g. -x cache.poly.edu:3128");
    expect(text).toContain('\\r\\n at the end of a line is its carriage return and line feed');
    t.dispose();
  });

  test('a usage error prints the message and the usage', async () => {
    const t = session(new ScriptedConnector());
    t.s.input('http -q gaia.cs.umass.edu/\r');
    await flush();
    expect(await t.screen.text()).toContain("http: unknown option '-q' — 'http --help' lists the options\nusage: http URL...");
    t.dispose();
  });

  test('a whole exchange renders on the real terminal with its markers', async () => {
    const t = session(new ScriptedConnector(keepAlive));
    t.s.input('http gaia.cs.umass.edu/\r');
    await flush();
    await new Promise((r) => setTimeout(r, 20));
    const rows = (await t.screen.text()).split('\n');
    expect(rows).toContain('> GET / HTTP/1.1\\r\\n');
    expect(rows).toContain('< HTTP/1.1 200 OK\\r\\n');
    expect(rows).toContain('hello');
    expect(rows.at(-1)).toBe('protolab>');
    t.dispose();
  });

  test('Ctrl-C while waiting for the response closes the connection and gives the prompt back', async () => {
    const connector = new ScriptedConnector(() => {});
    const t = session(connector);
    t.s.input('http gaia.cs.umass.edu/\r');
    await flush();
    expect(connector.connections).toHaveLength(1);
    t.s.input('\x03');
    await flush();
    expect(connector.last.destroyed).toBe(true);
    const rows = (await t.screen.text()).split('\n');
    expect(rows.slice(-2)).toEqual(['^C', 'protolab>']);
    // A late answer is not shown.
    const before = t.writes.length;
    connector.last.receive(reply());
    await flush();
    expect(t.writes.length).toBe(before);
    t.dispose();
  });

  test('Ctrl-C while connecting leaves no connection open', async () => {
    const connector = new ScriptedConnector(() => {});
    connector.holdConnects = true;
    const t = session(connector);
    t.s.input('http gaia.cs.umass.edu/\r');
    await flush();
    t.s.input('\x03');
    connector.releaseConnects();
    await flush();
    expect(connector.connections).toHaveLength(1);
    expect(connector.last.destroyed).toBe(true);
    expect(connector.requests).toHaveLength(0);
    t.dispose();
  });
});

describe('head lines', () => {
  test('keep how each line ended, and a last line without an end', () => {
    expect(headLines(new TextEncoder().encode('A\r\nB\nC'))).toEqual([
      { text: 'A', ending: '\r\n' },
      { text: 'B', ending: '\n' },
      { text: 'C', ending: '' },
    ]);
  });
});
