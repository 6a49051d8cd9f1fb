import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  lab = await Lab.start({ dataDir: path.join(dir, 'data'), contentDir: defaultContentDir(), portOffset: await freePortOffset() });
  face = await startWebFace({ lab, port: 0, rendererDir: ui });
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

function connect(origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${face.port}/api`, { origin });
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
    expect((snap.value as { services: unknown[] }).services).toHaveLength(5);
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

  it('refuses WebSockets from other origins', async () => {
    await expect(connect('http://attacker.example')).rejects.toThrow(/refused with 401/);
    await expect(connect('null')).rejects.toThrow(/refused/);
  });
});
