import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { Lab, defaultContentDir } from '../../src/main/lab/lab';
import { startWebFace, type WebFace } from '../../src/main/web/server';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp';
import { freePortOffset } from '../support/ports';

let lab: Lab;
let face: WebFace;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-web-'));
  const ui = path.join(dir, 'ui');
  fs.mkdirSync(ui);
  fs.writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>lab</title>');
  fs.writeFileSync(path.join(ui, 'app.js'), 'console.log("lab");\n');
  // Files beside the UI folder, which no request may reach.
  fs.writeFileSync(path.join(dir, 'outside.txt'), 'not for the page\n');
  fs.mkdirSync(path.join(dir, 'secrets'));
  fs.writeFileSync(path.join(dir, 'secrets', 'world.yaml'), 'accounts: secret\n');
  lab = await Lab.start({ dataDir: path.join(dir, 'data'), contentDir: defaultContentDir(), portOffset: await freePortOffset() });
  face = await startWebFace({ lab, port: 0, rendererDir: ui });
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await face.close();
  await lab.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function get(pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: face.port, path: pathname, method, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(origin: string | undefined, options: { headers?: Record<string, string>; path?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${face.port}${options.path ?? '/api'}`, { origin, headers: options.headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, frame: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString());
      if (msg.kind === 'result') {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('the web face', () => {
  it('serves the UI to 127.0.0.1 with the CSP', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toContain('<title>lab</title>');
    expect((await get('/', { Host: `localhost:${face.port}` })).status).toBe(200);
  });

  it('refuses other Host names (DNS rebinding), other methods and paths outside the UI', async () => {
    expect((await get('/', { Host: 'attacker.example' })).status).toBe(403);
    expect((await get('/', {}, 'POST')).status).toBe(405);
    expect((await get('/../../package.json')).status).toBe(404);
    expect((await get('/%2e%2e/%2e%2e/package.json')).status).toBe(404);
  });

  it('bridges LabApi calls and events over the WebSocket', async () => {
    const ws = await connect(`http://127.0.0.1:${face.port}`);
    const snap = await call(ws, { kind: 'call', id: 1, method: 'getSnapshot', args: [] });
    expect(snap).toMatchObject({ kind: 'result', id: 1, ok: true });
    expect((snap.value as { services: unknown[] }).services).toHaveLength(lab.serviceInfos().length);
    const events: string[] = [];
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString());
      if (f.kind === 'event') events.push(f.name);
    });
    const opened = await call(ws, { kind: 'call', id: 2, method: 'openTerminal', args: [{ cols: 80, rows: 24 }] });
    await call(ws, { kind: 'call', id: 3, method: 'terminalInput', args: [(opened.value as { terminalId: string }).terminalId, 'help\r'] });
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toContain('terminal');
    ws.close();
  });

  it('answers malformed frames with an error and keeps the link', async () => {
    const ws = await connect(`http://localhost:${face.port}`);
    expect(await call(ws, 'not json')).toMatchObject({ ok: false, error: 'frames must be JSON' });
    expect(await call(ws, { kind: 'call', id: 5, method: 'constructor', args: [] })).toMatchObject({ id: 5, ok: false });
    expect(await call(ws, { kind: 'call', id: 6, method: 'getMessage', args: ['x'] })).toMatchObject({ id: 6, ok: false, error: 'message id must be a whole number' });
    expect(await call(ws, { kind: 'call', id: 7, method: 'getSnapshot', args: [] })).toMatchObject({ id: 7, ok: true });
    ws.close();
  });

  it('refuses WebSockets from other origins, to other host names, without an Origin, and off /api', async () => {
    const origin = `http://127.0.0.1:${face.port}`;
    await expect(connect('http://attacker.example')).rejects.toThrow(/refused with 403/);
    await expect(connect('null')).rejects.toThrow(/refused with 403/);
    await expect(connect(undefined)).rejects.toThrow(/refused with 403/);
    await expect(connect(origin, { headers: { Host: `attacker.example:${face.port}` } })).rejects.toThrow(/refused with 403/);
    await expect(connect(origin, { headers: { Host: 'attacker.example' } })).rejects.toThrow(/refused with 403/);
    await expect(connect(origin, { path: '/other' })).rejects.toThrow(/refused with 404/);
    const ws = await connect(origin, { path: '/api?x=1' });
    expect(await call(ws, { kind: 'call', id: 1, method: 'getSnapshot', args: [] })).toMatchObject({ ok: true });
    ws.close();
  });

  it('refuses encoded separators that would climb out of the UI folder', async () => {
    for (const attempt of [
      '/..%2foutside.txt',
      '/..%2fsecrets%2fworld.yaml',
      '/..%2fdata%2fworld%2fworld.yaml',
      '/%2e%2e%2foutside.txt',
      '/..%5coutside.txt',
      '/..%5csecrets%5cworld.yaml',
      '/%5c..%5coutside.txt',
      '/app.js%2f..%2f..%2foutside.txt',
    ]) {
      const res = await get(attempt);
      expect(res.status, attempt).toBe(404);
      expect(res.body, attempt).not.toContain('accounts: secret');
      expect(res.body, attempt).not.toContain('not for the page');
    }
    // What is inside is served, however its separators are spelled.
    expect((await get('/app.js')).body).toContain('console.log');
    expect((await get('/%2fapp.js')).status).toBe(200);
  });

  it('answers paths the file system refuses with 404, not a crash', async () => {
    expect((await get('/app.js%00.html')).status).toBe(404);
    expect((await get('/app.js/child')).status).toBe(404);
    expect((await get(`/${'a'.repeat(5000)}`)).status).toBe(404);
    expect((await get('/')).status).toBe(200);
  });

  it('cuts a response short when reading the file fails half way, and keeps serving', async () => {
    vi.spyOn(fs, 'createReadStream').mockImplementationOnce(
      () =>
        new Readable({
          read() {
            this.destroy(new Error('EIO: i/o error, read'));
          },
        }) as fs.ReadStream,
    );
    await expect(get('/app.js')).rejects.toThrow(/socket hang up|aborted|ECONNRESET/);
    expect((await get('/app.js')).body).toContain('console.log');
  });

  it('gives each page only its own terminals, and closes them when the page goes', async () => {
    const origin = `http://127.0.0.1:${face.port}`;
    const a = await connect(origin);
    const b = await connect(origin);
    const heardByB: string[] = [];
    b.on('message', (d) => {
      const f = JSON.parse(d.toString());
      if (f.kind === 'event' && f.name.startsWith('terminal')) heardByB.push(f.payload.terminalId);
    });
    const opened = await call(a, { kind: 'call', id: 1, method: 'openTerminal', args: [{ cols: 80, rows: 24 }] });
    const terminalId = (opened.value as { terminalId: string }).terminalId;
    const refused = `no terminal '${terminalId}' on this connection`;
    expect(await call(b, { kind: 'call', id: 1, method: 'terminalInput', args: [terminalId, 'help\r'] })).toMatchObject({ ok: false, error: refused });
    expect(await call(b, { kind: 'call', id: 2, method: 'terminalResize', args: [terminalId, 100, 30] })).toMatchObject({ ok: false, error: refused });
    expect(await call(b, { kind: 'call', id: 3, method: 'closeTerminal', args: [terminalId] })).toMatchObject({ ok: false, error: refused });
    expect(await call(a, { kind: 'call', id: 2, method: 'terminalInput', args: [terminalId, 'help\r'] })).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(heardByB).toEqual([]);

    // The terminal is alive until its page goes away, then the lab no longer knows it.
    await lab.api.terminalResize(terminalId, 90, 30);
    a.close();
    await vi.waitFor(() => expect(lab.api.terminalResize(terminalId, 90, 30)).rejects.toThrow(), { timeout: 5000 });
    b.close();
  });
});

describe('the web face on a port already in use', () => {
  it('explains and suggests --port instead of crashing', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      await expect(startWebFace({ lab, port, rendererDir: path.join(dir, 'ui') })).rejects.toThrow(
        `the UI's port 127.0.0.1:${port} is already in use; pick another with --port`,
      );
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
