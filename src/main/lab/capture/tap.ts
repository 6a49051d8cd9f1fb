// The tap: wraps a socket the lab owns so that every byte read and written, and how the connection
// ended, reaches the capture (DESIGN.md §5). It sits on the socket itself, server side and client
// side alike, so no adapter can forget to record something it sends. When the capture falls behind
// it stops reading the socket until the capture has caught up: slower, never lossy.

import type net from 'node:net';
import type { ConnectionInfo, Direction, Endpoint, TapSide } from '../../../shared/capture';

/** What the tap reports to; the CaptureHub implements it. */
export interface CaptureSink {
  open(info: Omit<ConnectionInfo, 'id' | 'openedAt' | 'state'>): ConnectionInfo;
  data(connId: number, dir: Direction, bytes: Uint8Array): void;
  datagram(connId: number, dir: Direction, bytes: Uint8Array): void;
  close(connId: number, by: 'client' | 'server'): void;
  reset(connId: number, by: 'client' | 'server', reason?: string): void;
  /**
   * Calls `listener(true)` when the capture has more queued than it may and sockets should stop
   * reading, `listener(false)` when they may read again. Returns the way to stop listening.
   */
  watchCongestion?(listener: (congested: boolean) => void): () => void;
}

export interface TcpTapOptions {
  side: TapSide;
  protocol: string;
  serviceId?: string;
  client: Endpoint;
  server: Endpoint;
}

type WriteArgs = [chunk: unknown, encoding?: unknown, cb?: unknown];

function chunkBytes(chunk: unknown, encoding: unknown): Uint8Array | null {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return null;
}

/**
 * Taps a connected TCP socket. Returns the connection record. Reads are seen through a 'data'
 * listener added first; writes through `write`/`end`, which are wrapped on this socket only.
 */
export function tapTcpSocket(socket: net.Socket, sink: CaptureSink, options: TcpTapOptions): ConnectionInfo {
  const conn = sink.open({ transport: 'tcp', protocol: options.protocol, serviceId: options.serviceId, side: options.side, client: options.client, server: options.server });
  const local = options.side; // the lab's end of this socket
  const remote = local === 'server' ? 'client' : 'server';
  const inbound: Direction = local === 'server' ? 'c2s' : 's2c';
  const outbound: Direction = local === 'server' ? 's2c' : 'c2s';

  let finished = false;
  let firstToEnd: 'client' | 'server' | undefined;
  let lastError: string | undefined;
  let destroyedLocally = false;

  socket.prependListener('data', (chunk: Buffer) => {
    if (!finished) sink.data(conn.id, inbound, chunk);
  });
  socket.on('end', () => {
    firstToEnd ??= remote;
  });
  socket.on('error', (err: NodeJS.ErrnoException) => {
    lastError = err.code ? `${err.code}: ${err.message}` : err.message;
  });

  const originalWrite = socket.write;
  socket.write = function tappedWrite(this: net.Socket, ...args: WriteArgs) {
    const bytes = chunkBytes(args[0], args[1]);
    if (bytes && bytes.length > 0 && !finished && !this.writableEnded) sink.data(conn.id, outbound, bytes);
    return (originalWrite as (...a: WriteArgs) => boolean).apply(this, args);
  } as typeof socket.write;

  const originalEnd = socket.end;
  socket.end = function tappedEnd(this: net.Socket, ...args: WriteArgs) {
    if (!this.writableEnded && !finished) {
      const bytes = typeof args[0] === 'function' ? null : chunkBytes(args[0], args[1]);
      if (bytes && bytes.length > 0) sink.data(conn.id, outbound, bytes);
      firstToEnd ??= local;
    }
    return (originalEnd as (...a: WriteArgs) => net.Socket).apply(this, args);
  } as typeof socket.end;

  // The capture's hold on reading is kept apart from the socket owner's own pause()/resume() (a
  // service pausing a client that does not read its replies): reading goes on only when neither
  // wants it stopped.
  let captureHold = false;
  let ownerPaused = false;
  const originalPause = socket.pause;
  const originalResume = socket.resume;
  socket.pause = function tappedPause(this: net.Socket) {
    ownerPaused = true;
    return originalPause.call(this);
  } as typeof socket.pause;
  socket.resume = function tappedResume(this: net.Socket) {
    ownerPaused = false;
    return captureHold ? this : originalResume.call(this);
  } as typeof socket.resume;
  const unwatch = sink.watchCongestion?.((congested) => {
    if (congested === captureHold || socket.destroyed) return;
    captureHold = congested;
    if (congested) originalPause.call(socket);
    else if (!ownerPaused) originalResume.call(socket);
  });

  const originalDestroy = socket.destroy;
  socket.destroy = function tappedDestroy(this: net.Socket, error?: Error) {
    // Node itself destroys the socket with a system error (ECONNRESET, EPIPE) when the peer resets
    // it; only a destroy without an errno is the lab's own doing.
    if (!this.destroyed && !(error as NodeJS.ErrnoException | undefined)?.code) destroyedLocally = true;
    return originalDestroy.call(this, error);
  } as typeof socket.destroy;

  socket.once('close', (hadError: boolean) => {
    unwatch?.();
    if (finished) return;
    finished = true;
    // A socket closed with both FINs exchanged is an orderly close; one torn down by an error or by
    // destroy() before the other side's FIN arrived ended with a reset (RFC 793 §3.4).
    const orderly = !hadError && socket.readableEnded && socket.writableFinished;
    if (orderly) sink.close(conn.id, firstToEnd ?? remote);
    else sink.reset(conn.id, hadError && !destroyedLocally ? remote : local, lastError ?? (destroyedLocally ? 'aborted by the lab' : 'closed without an orderly shutdown'));
  });
  return conn;
}
