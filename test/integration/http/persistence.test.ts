// Non-persistent and persistent connections as the course teaches them, checked on the socket:
// who closes, when, after which response; pipelining; the timeouts that end slow and idle
// connections; and the hand-typed HTTP/0.9 request of the course's telnet example.

import { describe, expect, it } from 'vitest';
import { HTTP_MAX_REQUESTS_PER_CONNECTION } from '../../../src/protocols/http';
import { FOREIGN_CLOSE_MESSAGE } from '../../../src/main/lab/terminal/session';
import { bodyText, header, RawConnection, startLab, useLabs } from './helpers';

async function until(test: () => boolean, what: () => string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

useLabs();

const FILE1 = '/wireshark-labs/HTTP-wireshark-file1.html';
const FILE2 = '/wireshark-labs/HTTP-wireshark-file2.html';

function req(version: string, target: string, extra: string[] = []): string {
  return [`GET ${target} ${version}`, 'Host: gaia.cs.umass.edu', ...extra, '', ''].join('\r\n');
}

describe('persistence (RFC 9112 §9.3)', () => {
  const cases: Array<{ version: string; extra: string[]; keeps: boolean }> = [
    { version: 'HTTP/1.0', extra: [], keeps: false },
    { version: 'HTTP/1.0', extra: ['Connection: keep-alive'], keeps: true },
    { version: 'HTTP/1.1', extra: [], keeps: true },
    { version: 'HTTP/1.1', extra: ['Connection: close'], keeps: false },
    { version: 'HTTP/1.1', extra: ['Connection: Keep-Alive, CLOSE'], keeps: false },
  ];
  for (const c of cases) {
    it(`${c.version} ${c.extra.join(' ') || '(no Connection header)'}: the server ${c.keeps ? 'keeps the connection open' : 'closes after the response'}`, async () => {
      const t = await startLab();
      const conn = await RawConnection.open(t.port('gaia.cs.umass.edu'));
      conn.send(req(c.version, FILE1, c.extra), ['GET']);
      const r = await conn.response();
      expect(r.status).toBe(200);
      expect(header(r, 'connection')).toBe(c.keeps ? 'keep-alive' : 'close');
      expect(header(r, 'keep-alive') !== undefined).toBe(c.keeps);
      expect(await conn.closesWithin(400)).toBe(!c.keeps);
      if (c.keeps) {
        // The same connection serves the next request.
        conn.send(req(c.version, FILE2, c.extra), ['GET']);
        expect((await conn.response(1)).status).toBe(200);
      }
      conn.destroy();
    });
  }

  it('answers two pipelined requests sent in one write, in order, and counts down max=', async () => {
    const t = await startLab();
    const conn = await RawConnection.open(t.port('gaia.cs.umass.edu'));
    conn.send(req('HTTP/1.1', FILE2) + req('HTTP/1.1', FILE1, ['Connection: close']), ['GET', 'GET']);
    const first = await conn.response(0);
    const second = await conn.response(1);
    expect(bodyText(first)).toContain('file 2');
    expect(bodyText(second)).toContain('file 1');
    expect(header(first, 'keep-alive')).toBe(`timeout=5, max=${HTTP_MAX_REQUESTS_PER_CONNECTION - 1}`);
    expect(header(second, 'connection')).toBe('close');
    expect(await conn.closesWithin(1_000)).toBe(true);
  });

  it('answers a HEAD between two GETs on one connection without losing the framing', async () => {
    const t = await startLab();
    const conn = await RawConnection.open(t.port('gaia.cs.umass.edu'));
    conn.send(req('HTTP/1.1', FILE1) + req('HTTP/1.1', FILE1).replace('GET', 'HEAD') + req('HTTP/1.1', FILE2), ['GET', 'HEAD', 'GET']);
    expect((await conn.response(0)).body.length).toBeGreaterThan(0);
    expect((await conn.response(1)).body.length).toBe(0);
    expect(bodyText(await conn.response(2))).toContain('file 2');
    conn.destroy();
  });

  it('closes an idle keep-alive connection after the keep-alive timeout (a short one injected)', async () => {
    const t = await startLab({ httpLimits: { keepAliveTimeoutMs: 300 } });
    const conn = await RawConnection.open(t.port('gaia.cs.umass.edu'));
    conn.send(req('HTTP/1.1', FILE1), ['GET']);
    const r = await conn.response();
    expect(header(r, 'keep-alive')).toMatch(/^timeout=0, max=/);
    const started = Date.now();
    await conn.until(() => conn.ended, 'the idle close', 3_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(conn.count).toBe(1); // closed silently: no 408 for an idle connection
  });

  it('answers 408 and closes when the header section is dribbled in too slowly (a short header timeout injected)', async () => {
    const headerTimeoutMs = 600;
    const t = await startLab({ httpLimits: { headerTimeoutMs } });
    const conn = await RawConnection.open(t.port('gaia.cs.umass.edu'));
    const started = Date.now();
    conn.send('GET / HTTP/1.1\r\n', ['GET']);
    // One byte every 100 ms keeps the connection busy but never finishes the headers.
    const slow = 'Host: gaia.cs.umass.edu\r\nX-Slow: ';
    let i = 0;
    const drip = setInterval(() => {
      if (!conn.ended) conn.socket.write(slow[i++ % slow.length]);
    }, 100);
    try {
      const r = await conn.response(0, 5_000);
      expect(r.status).toBe(408);
      expect(bodyText(r)).toContain(`${headerTimeoutMs / 1000} s`);
      await conn.until(() => conn.ended, 'the close after 408', 3_000);
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(headerTimeoutMs - 50);
      expect(took).toBeLessThan(headerTimeoutMs + 1_500);
    } finally {
      clearInterval(drip);
    }
  });

  it('closes a connection that sends nothing at all within the header timeout', async () => {
    const t = await startLab({ httpLimits: { headerTimeoutMs: 300 } });
    const conn = await RawConnection.open(t.port('gaia.cs.umass.edu'));
    await conn.until(() => conn.ended, 'the close of a silent connection', 3_000);
    expect(conn.received.length).toBe(0);
  });

  it('answers the requests a client sent before closing its side, then closes', async () => {
    const t = await startLab();
    const conn = await RawConnection.open(t.port('gaia.cs.umass.edu'));
    conn.send(req('HTTP/1.1', FILE1) + req('HTTP/1.1', FILE2), ['GET', 'GET']);
    conn.end();
    expect((await conn.response(0)).status).toBe(200);
    const last = await conn.response(1);
    expect(header(last, 'connection')).toBe('close');
    await conn.done;
  });
});

describe("the course's telnet example: GET / typed by hand (HTTP/0.9)", () => {
  it("gets massey's page with no status line or headers, then the server closes", async () => {
    const t = await startLab();
    const conn = await RawConnection.open(t.port('www.massey.ac.nz'));
    // The terminal sends each line with CRLF; the second Enter follows the first.
    conn.socket.write('GET /\r\n');
    await conn.until(() => conn.ended, 'the close after the bare page', 3_000);
    const text = conn.received.toString('utf8');
    expect(text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(text).toContain('Kia ora');
    expect(text).not.toMatch(/^HTTP\/1\.[01] \d{3}/m); // no status line anywhere
    expect(text).not.toMatch(/^Content-Length:/im);
    conn.socket.write('\r\n'); // the second Enter lands on a closed connection; nothing breaks
  });

  it("works in the lab's own terminal: open www.massey.ac.nz 80, GET /, Enter twice", async () => {
    const t = await startLab();
    let screen = '';
    t.lab.api.on('terminal', ({ data }) => (screen += data));
    const { terminalId } = await t.lab.api.openTerminal({ cols: 100, rows: 30 });
    await t.lab.api.terminalInput(terminalId, 'open www.massey.ac.nz 80\r');
    await until(() => screen.includes('Connected to www.massey.ac.nz (130.123.128.201)'), () => `the connection, screen: ${screen}`);
    await t.lab.api.terminalInput(terminalId, 'GET /\r\r');
    await until(() => screen.includes(FOREIGN_CLOSE_MESSAGE), () => `the server's close, screen: ${screen}`);
    expect(screen).toContain('Kia ora');
    await t.lab.api.closeTerminal(terminalId);
  });

  it('accepts lines ending in LF alone', async () => {
    const t = await startLab();
    const conn = await RawConnection.open(t.port('www.massey.ac.nz'));
    conn.send('GET / HTTP/1.1\nHost: www.massey.ac.nz\nConnection: close\n\n', ['GET']);
    const r = await conn.response();
    expect(r.status).toBe(200);
    expect(bodyText(r)).toContain('Kia ora');
  });
});
