// The web face: the renderer served over HTTP and the LabApi over a WebSocket at /api, on
// 127.0.0.1 only. Host and Origin are checked on every request so that a web page elsewhere (or a
// DNS-rebinding trick) cannot drive the lab through the student's browser.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream';
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

/**
 * The UI's files are plain names under one folder. A backslash is a separator on Windows, so it is
 * read as one everywhere and the containment check below sees the same path on every system.
 */
function requestedFile(root: string, pathname: string): { rel: string; file: string } | null {
  if (pathname.includes('\0')) return null; // fs throws on a NUL in a path
  const rel = pathname === '/' ? 'index.html' : pathname.replace(/\\/g, '/').replace(/^\/+/, '');
  const file = path.resolve(root, rel);
  // The URL parser folds /../ and %2e%2e, but not %2f or %5c: those reach us as separators.
  if (!file.startsWith(root + path.sep)) return null;
  return { rel, file };
}

function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse, log: (line: string) => void): void {
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
  const target = requestedFile(root, pathname);
  let stat: fs.Stats | undefined;
  try {
    stat = target ? fs.statSync(target.file, { throwIfNoEntry: false }) : undefined;
  } catch (err) {
    // A file below a file (ENOTDIR) or a name too long for the file system is simply not there.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTDIR' && code !== 'ENAMETOOLONG') {
      log(`protolab: cannot read ${target?.file}: ${(err as Error).message}`);
      sendPlain(res, 500, `Cannot read ${pathname}.`);
      return;
    }
  }
  if (!target || !stat?.isFile()) {
    sendPlain(res, 404, `No such file: ${pathname}`);
    return;
  }
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': MIME[path.extname(target.file)] ?? 'application/octet-stream',
    'Content-Length': stat.size,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': target.rel === 'index.html' ? 'no-cache' : 'max-age=3600',
  };
  if (target.rel.endsWith('.html')) {
    headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
    headers['X-Frame-Options'] = 'DENY';
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // The status line is already out, so a read that fails half way can only cut the response short.
  pipeline(fs.createReadStream(target.file), res, (err) => {
    if (err && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') log(`protolab: sending ${pathname} failed: ${err.message}`);
  });
}

/** The page's WebSocket: only from this machine, to one of our own host names, from our own page. */
function isAllowedUpgrade(req: http.IncomingMessage, port: number): boolean {
  const hosts = allowedHosts(port);
  const origin = req.headers.origin;
  return isLoopback(req.socket.remoteAddress) && hosts.has(req.headers.host ?? '') && origin !== undefined && [...hosts].some((h) => origin === `http://${h}`);
}

function refuseUpgrade(socket: Duplex, status: 403 | 404, text: string): void {
  socket.on('error', () => {});
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
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
    serveStatic(root, req, res, log);
  });

  // noServer: attached to the http server, ws would re-emit the server's errors (a port already in
  // use) on itself, where nothing listens, and crash the process instead of explaining.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_FRAME_BYTES });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      pathname = '';
    }
    if (pathname !== '/api') {
      refuseUpgrade(socket, 404, 'The lab answers WebSockets only at /api.');
      return;
    }
    if (!isAllowedUpgrade(req, port)) {
      refuseUpgrade(socket, 403, 'Protolab accepts WebSockets only from its own page on http://127.0.0.1 or http://localhost.');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    // The link owns the terminals this page opens: closing it closes them.
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
      { log },
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
    ws.on('close', () => link.close());
    ws.on('error', () => {});
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`the UI's port ${host}:${port} is already in use; pick another with --port`) : err),
    );
    server.listen({ host, port }, () => resolve());
  });
  server.on('error', (err) => log(`protolab: the UI server reported: ${err.message}`));
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
