// The web face: the renderer served over HTTP and the LabApi over a WebSocket at /api, on
// 127.0.0.1 only. Host and Origin are checked on every request so that a web page elsewhere (or a
// DNS-rebinding trick) cannot drive the lab through the student's browser.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Lab } from '../lab/lab';
import { serveLabApi } from '../lab/api/wire-server';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { ensureRendererBuilt } from './renderer-build';

/** The UI's default port: beside the lab's services (10000 + ...) but clear of them. */
export const DEFAULT_WEB_PORT = 18_080;

/** Largest frame a page may send: a paste into the terminal is the biggest legitimate one (64 KiB of text, JSON-escaped). */
export const MAX_WS_FRAME_BYTES = 1024 * 1024;

/** Frames queued to a slow page before it is disconnected rather than buffered without bound. */
export const MAX_WS_BUFFERED_BYTES = 16 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface WebFaceOptions {
  lab: Lab;
  port: number;
  host?: string;
  /** Where the built renderer is; built on demand when missing or out of date. */
  rendererDir?: string;
  log?: (line: string) => void;
}

export interface WebFace {
  url: string;
  port: number;
  close(): Promise<void>;
}

function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

function isLoopback(address: string | undefined): boolean {
  return !!address && (address.startsWith('127.') || address === '::1' || address === '::ffff:127.0.0.1');
}

function sendPlain(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(`${text}\n`);
}

function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendPlain(res, 405, 'Only GET and HEAD are served here.');
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    sendPlain(res, 400, 'Bad request path.');
    return;
  }
  const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = path.resolve(root, rel);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    sendPlain(res, 404, `No such file: ${pathname}`);
    return;
  }
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': fs.statSync(file).size,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': rel === 'index.html' ? 'no-cache' : 'max-age=3600',
  };
  if (rel.endsWith('.html')) {
    headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
    headers['X-Frame-Options'] = 'DENY';
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else fs.createReadStream(file).pipe(res);
}

export async function startWebFace(options: WebFaceOptions): Promise<WebFace> {
  const log = options.log ?? (() => {});
  const root = path.resolve(options.rendererDir ?? (await ensureRendererBuilt(log)));
  const host = options.host ?? '127.0.0.1';
  let port = options.port;

  const server = http.createServer((req, res) => {
    if (!isLoopback(req.socket.remoteAddress) || !allowedHosts(port).has(req.headers.host ?? '')) {
      sendPlain(res, 403, 'Protolab answers only http://127.0.0.1 and http://localhost on this machine.');
      return;
    }
    serveStatic(root, req, res);
  });

  const wss = new WebSocketServer({
    server,
    path: '/api',
    maxPayload: MAX_WS_FRAME_BYTES,
    verifyClient: ({ origin, req }: { origin: string; req: http.IncomingMessage }) => {
      const hosts = allowedHosts(port);
      return isLoopback(req.socket.remoteAddress) && hosts.has(req.headers.host ?? '') && [...hosts].some((h) => origin === `http://${h}`);
    },
  });

  wss.on('connection', (ws: WebSocket) => {
    const terminals = new Set<string>();
    const link = serveLabApi(
      options.lab.api,
      (frame) => {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > MAX_WS_BUFFERED_BYTES) {
          log('protolab: a page stopped reading its updates; disconnecting it');
          ws.terminate();
          return;
        }
        ws.send(JSON.stringify(frame));
      },
      { onTerminalOpened: (id) => terminals.add(id) },
    );
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        ws.send(JSON.stringify({ kind: 'result', id: -1, ok: false, error: 'frames must be JSON' }));
        return;
      }
      link.receive(frame);
    });
    ws.on('close', () => {
      link.close();
      // A page that goes away takes its terminals (and their connections) with it.
      for (const id of terminals) void options.lab.api.closeTerminal(id).catch(() => {});
    });
    ws.on('error', () => {});
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`the UI's port ${host}:${port} is already in use; pick another with --port`) : err),
    );
    server.listen({ host, port }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;

  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
