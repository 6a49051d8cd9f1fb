// The terminal's `http` command against a real HTTP server (node:http) on 127.0.0.1, through a
// minimal RawConnector made here on node:net: persistent connections reused across URLs, one
// connection per URL with --close or HTTP/1.0, pipelining, chunked bodies, and the FIN at the end.
// Then the same command in a real Lab, against the lab's own web server and web cache.

import http from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { Lab } from '../../../src/main/lab/lab';
import { TerminalSession } from '../../../src/main/lab/terminal/session';
import type { RawConnection, RawConnector, ResolvedTarget } from '../../../src/main/lab/terminal/types';
import { startTestLab, type TestLab } from '../../support/test-lab';

const LOOPBACK = '127.0.0.1';

function wrap(socket: net.Socket, target: ResolvedTarget): RawConnection {
  let closedHere = false;
  let peerEnded = false;
  let error: string | undefined;
  socket.on('end', () => (peerEnded = true));
  socket.on('error', (err) => (error = err.message));
  return {
    target,
    write: (bytes) => void socket.write(bytes),
    end: () => void socket.end(),
    destroy: () => {
      closedHere = true;
      socket.destroy();
    },
    onData: (listener) => void socket.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk))),
    onClose: (listener) => void socket.on('close', () => listener(error ? { byPeer: peerEnded && !closedHere, error } : { byPeer: peerEnded && !closedHere })),
  };
}

/** Knows only the loopback address: tests never leave 127.0.0.1. */
const loopbackConnector: RawConnector = {
  async resolve(host, port) {
    if (host !== LOOPBACK) throw Object.assign(new Error(`not a test host: ${host}`), { code: 'ENOTFOUND' });
    return { host, virtualAddress: LOOPBACK, virtualPort: port, address: LOOPBACK, port };
  },
  connect(target) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: target.address, port: target.port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(wrap(socket, target));
      });
    });
  },
  listHosts: () => [],
  localHost: () => ({ name: 'cis.poly.edu', address: '128.238.2.93' }),
  serviceState: () => undefined,
};

interface SeenRequest {
  method: string;
  url: string;
  httpVersion: string;
  connection: string | undefined;
  /** Which TCP connection (numbered from 1) carried it. */
  socket: number;
}

let server: http.Server;
let port: number;
let connections = 0;
let closedConnections = 0;
const seen: SeenRequest[] = [];
const socketIds = new WeakMap<net.Socket, number>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', httpVersion: req.httpVersion, connection: req.headers.connection, socket: socketIds.get(req.socket) ?? 0 });
    if (req.url === '/chunked') {
      // No Content-Length: Node's server sends the body in chunks.
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('first part, ');
      setTimeout(() => res.end('second part\n'), 5);
      return;
    }
    const body = `page ${req.url}\n`;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.on('connection', (socket: net.Socket) => {
    socketIds.set(socket, ++connections);
    socket.on('close', () => closedConnections++);
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let session: TerminalSession | undefined;
afterEach(() => session?.dispose());

/** Runs one command line and returns what the terminal showed once the prompt is back. */
async function http_(line: string): Promise<{ out: string; requests: SeenRequest[]; newConnections: number }> {
  const connectionsBefore = connections;
  const requestsBefore = seen.length;
  let out = '';
  session = new TerminalSession({ cols: 200, rows: 50, connector: loopbackConnector, write: (d) => (out += d) });
  const start = out.length;
  session.input(`${line}\r`);
  await vi.waitFor(() => expect(out.slice(start)).toMatch(/\r\nprotolab> $/), { timeout: 5000 });
  // eslint-disable-next-line no-control-regex
  const text = out.slice(start).replace(/\x1b\[\d+m/g, '').replace(/\r\n/g, '\n');
  return { out: text, requests: seen.slice(requestsBefore), newConnections: connections - connectionsBefore };
}

describe('http against a real HTTP/1.1 server on loopback', () => {
  test('two URLs on one server share one persistent connection', async () => {
    const { out, requests, newConnections } = await http_(`http ${LOOPBACK}:${port}/a.html http://${LOOPBACK}:${port}/b.html`);
    expect(newConnections).toBe(1);
    expect(requests.map((r) => r.url)).toEqual(['/a.html', '/b.html']);
    expect(requests[0]!.socket).toBe(requests[1]!.socket);
    expect(out).toContain(`> GET /a.html HTTP/1.1\\r\\n\n> Host: ${LOOPBACK}:${port}\\r\\n\n`);
    expect(out).toContain('page /a.html\n');
    expect(out).toContain('page /b.html\n');
    expect(out).toMatch(/< Connection: keep-alive\\r\\n/i);
    expect(out).toContain('* the connection stays open: HTTP/1.1 connections are persistent');
    expect(out).toContain(`* reusing the open connection to ${LOOPBACK} port ${port} (request 2 on it)`);
    expect(out).toContain('* no more URLs: closing it (FIN)');
  });

  test('the FIN at the end makes the server close its side', async () => {
    const closedBefore = closedConnections;
    await http_(`http ${LOOPBACK}:${port}/fin`);
    await vi.waitFor(() => expect(closedConnections).toBe(closedBefore + 1), { timeout: 3000 });
  });

  test('--close: the server closes after each response, so each URL opens its own connection', async () => {
    const { out, requests, newConnections } = await http_(`http --close ${LOOPBACK}:${port}/1 ${LOOPBACK}:${port}/2`);
    expect(newConnections).toBe(2);
    expect(requests.map((r) => r.connection)).toEqual(['close', 'close']);
    expect(requests[0]!.socket).not.toBe(requests[1]!.socket);
    expect(out).toMatch(/< Connection: close\\r\\n/i);
    expect(out).toContain('* the connection closes: the server said Connection: close.');
    expect(out.match(/\* new TCP connection to /g)).toHaveLength(2);
  });

  test('-0: HTTP/1.0 without keep-alive is non-persistent; with --keep-alive the connection is reused', async () => {
    const plain = await http_(`http -0 ${LOOPBACK}:${port}/1 ${LOOPBACK}:${port}/2`);
    expect(plain.requests.map((r) => r.httpVersion)).toEqual(['1.0', '1.0']);
    expect(plain.newConnections).toBe(2);
    const kept = await http_(`http -0 --keep-alive ${LOOPBACK}:${port}/1 ${LOOPBACK}:${port}/2`);
    expect(kept.newConnections).toBe(1);
    expect(kept.out).toContain('reusing the open connection');
  });

  test('--pipeline: both requests arrive on one connection and the answers come back in order', async () => {
    const { out, requests, newConnections } = await http_(`http --pipeline ${LOOPBACK}:${port}/p1 ${LOOPBACK}:${port}/p2`);
    expect(newConnections).toBe(1);
    expect(requests.map((r) => r.url)).toEqual(['/p1', '/p2']);
    expect(out.indexOf('page /p1')).toBeLessThan(out.indexOf('page /p2'));
    expect(out).toContain('* pipelining: sending all 2 requests before reading any response');
  });

  test('a chunked response is read to its last chunk and the connection stays usable', async () => {
    const { out, newConnections } = await http_(`http ${LOOPBACK}:${port}/chunked ${LOOPBACK}:${port}/after`);
    expect(newConnections).toBe(1);
    // The head ends with one empty line; the one after the last chunk belongs to the body.
    expect(out).toContain('< Transfer-Encoding: chunked\\r\\n\n< \\r\\n\nfirst part, second part\n');
    expect(out).toContain('first part, second part\n');
    expect(out).toMatch(/\* 200 OK: 24 bytes of body in chunked transfer coding: 2 chunks \(12 \+ 12 bytes\)/);
    expect(out).toContain('page /after\n');
  });

  test('HEAD gets the head only, and the next response on the connection is still read right', async () => {
    const { out, newConnections } = await http_(`http -I ${LOOPBACK}:${port}/h1 ${LOOPBACK}:${port}/h2`);
    expect(newConnections).toBe(1);
    expect(out.match(/\* 200 OK: no body: the answer to HEAD never has one \(Content-Length 9 is what GET would get\)/g)).toHaveLength(2);
  });

  test('a port where nothing listens: refused, said plainly', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, LOOPBACK, resolve));
    const unused = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { out } = await http_(`http ${LOOPBACK}:${unused}/`);
    expect(out).toContain(`http: cannot connect to ${LOOPBACK} port ${unused}: connection refused`);
  });
});

describe('http in a real Lab, against its own web servers', () => {
  let testLab: TestLab;
  let lab: Lab;
  let offset: number;
  let screen = '';

  beforeAll(async () => {
    testLab = await startTestLab();
    ({ lab, offset } = testLab);
    lab.api.on('terminal', ({ data }) => (screen += data));
  });

  afterAll(() => testLab.stop());

  /** Types a line in a new terminal and returns what it showed until the prompt came back. */
  async function typed(line: string): Promise<string> {
    const { terminalId } = await lab.api.openTerminal({ cols: 200, rows: 50 });
    screen = '';
    await lab.api.terminalInput(terminalId, `${line}\r`);
    await vi.waitFor(() => expect(screen).toMatch(/\r\nprotolab> $/), { timeout: 10_000 });
    await lab.api.closeTerminal(terminalId);
    // eslint-disable-next-line no-control-regex
    return screen.replace(/\x1b\[\d+m/g, '').replace(/\r\n/g, '\n');
  }

  test("the course's first HTTP lab file, from gaia.cs.umass.edu by its world name", async () => {
    const out = await typed('http gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html');
    expect(out).toContain(`* new TCP connection to gaia.cs.umass.edu (128.119.245.12) port 80 (lab: 127.0.0.1:${offset + 80})`);
    expect(out).toContain('> GET /wireshark-labs/HTTP-wireshark-file1.html HTTP/1.1\\r\\n\n> Host: gaia.cs.umass.edu\\r\\n\n');
    expect(out).toMatch(/< HTTP\/1\.1 200 OK\\r\\n\n/);
    expect(out).toContain('<p>Well done: this is the first and smallest file of the HTTP lab.');
    expect(out).toMatch(/\* 200 OK: [\d\u00a0]+ bytes of body, as Content-Length said/);
    expect(out).toContain('* no more URLs: closing it (FIN)');
  });

  test('two files on one persistent connection, then the same through the web cache with -x', async () => {
    const direct = await typed('http gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file2.html');
    expect(direct.match(/\* new TCP connection to /g)).toHaveLength(1);
    expect(direct).toContain('* reusing the open connection to gaia.cs.umass.edu (128.119.245.12) port 80 (request 2 on it)');
    const cached = await typed('http -x cache.poly.edu:3128 gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html');
    expect(cached).toContain('* new TCP connection to the proxy cache.poly.edu (128.238.2.10) port 3128');
    expect(cached).toContain('> GET http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html HTTP/1.1\\r\\n');
    expect(cached).toContain('<p>Well done: this is the first and smallest file of the HTTP lab.');
  });
});
