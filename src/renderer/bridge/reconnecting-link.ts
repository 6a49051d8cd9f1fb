// A text-frame link to the lab core that reconnects by itself: connecting -> open -> down ->
// (wait reconnectDelay) -> connecting ... The socket itself is injected, so the same code runs on
// the browser's WebSocket in the page and on the `ws` package in the unit tests.

import { reconnectDelay } from './backoff';
import type { BridgeStatus } from './bridge-types';

export interface LinkSocket {
  send(text: string): void;
  close(): void;
}

export interface LinkSocketHandlers {
  open(): void;
  message(text: string): void;
  /** The socket closed or could not connect; `code` is the WebSocket close code when known. */
  closed(code?: number): void;
}

export type LinkSocketFactory = (url: string, handlers: LinkSocketHandlers) => LinkSocket;

export interface LinkTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const defaultTimers: LinkTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export interface ReconnectingLinkOptions {
  url: string;
  createSocket: LinkSocketFactory;
  onMessage(text: string): void;
  /** Called when an open link drops (before the status listeners), e.g. to fail pending calls. */
  onDown?(reason: string): void;
  timers?: LinkTimers;
}

export interface ReconnectingLink {
  /** Sends a text frame; throws when the link is not open. */
  send(text: string): void;
  status(): BridgeStatus;
  onStatus(listener: (status: BridgeStatus) => void): () => void;
  /** Closes for good: no more reconnects. */
  close(): void;
}

export const NOT_CONNECTED = 'not connected to the lab core';

export function createReconnectingLink(options: ReconnectingLinkOptions): ReconnectingLink {
  const timers = options.timers ?? defaultTimers;
  const listeners = new Set<(s: BridgeStatus) => void>();
  let status: BridgeStatus = { state: 'connecting', epoch: 0 };
  let socket: LinkSocket | null = null;
  let attempt = 0;
  let retryTimer: unknown = null;
  let stopped = false;

  const setStatus = (next: BridgeStatus) => {
    status = next;
    for (const l of listeners) l(status);
  };

  const scheduleRetry = (reason: string) => {
    const delay = reconnectDelay(attempt++);
    setStatus({ state: 'down', epoch: status.epoch, reason, retryAt: timers.now() + delay });
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  };

  /** Identifies the current attempt, so events of an abandoned socket are ignored. */
  let activeAttempt: object | null = null;

  const connect = () => {
    if (stopped) return;
    setStatus({ state: 'connecting', epoch: status.epoch });
    const token = {};
    activeAttempt = token;
    let opened = false;
    let ended = false;
    const current = () => activeAttempt === token && !ended;
    try {
      const created = options.createSocket(options.url, {
        open() {
          if (!current()) return;
          opened = true;
          attempt = 0;
          setStatus({ state: 'open', epoch: status.epoch + 1 });
        },
        message(text) {
          if (current()) options.onMessage(text);
        },
        closed(code) {
          if (!current()) return;
          ended = true;
          socket = null;
          const reason = opened
            ? `the connection to the lab core at ${options.url} closed${code !== undefined ? ` (code ${code})` : ''}`
            : `cannot reach the lab core at ${options.url}`;
          if (opened) options.onDown?.(reason);
          if (!stopped) scheduleRetry(reason);
        },
      });
      if (current()) socket = created;
    } catch (err) {
      ended = true;
      socket = null;
      scheduleRetry(`cannot open a WebSocket to ${options.url}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  connect();

  return {
    send(text) {
      if (!socket || status.state !== 'open') throw new Error(NOT_CONNECTED);
      socket.send(text);
    },
    status: () => status,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (stopped) return;
      stopped = true;
      activeAttempt = null;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      const s = socket;
      socket = null;
      s?.close();
      if (status.state === 'open') options.onDown?.('the page closed its link to the lab core');
      setStatus({ state: 'down', epoch: status.epoch, reason: 'the link to the lab core was closed' });
    },
  };
}
