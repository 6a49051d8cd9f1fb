// Small text formatters the panes share. Pure, so the unit tests cover them in Node.

import type { Endpoint, MessageSummary } from '../../shared/capture';

/** Capture time in seconds with millisecond precision, as the packet list's Time column shows it. */
export function formatSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  return (ms / 1000).toFixed(3);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** A byte count for people: `512 B`, `1.5 KiB`, `12.0 MiB`. */
export function formatByteCount(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/**
 * The pairing marker of the Pair column: a request points to its answer (or to none, when its
 * connection ended first), a response back to its request.
 */
export function pairingMarker(message: Pick<MessageSummary, 'answeredBy' | 'responseTo' | 'noReply'>): string {
  if (message.responseTo !== undefined) return `← #${message.responseTo}`;
  if (message.answeredBy !== undefined) return `→ #${message.answeredBy}`;
  if (message.noReply) return NO_REPLY_MARKER;
  return '';
}

/** A request that never got its response: as short as `→ #1`, so the column fits it. */
export const NO_REPLY_MARKER = '→ ✕';

/** `gaia.cs.umass.edu (128.119.245.12):7`, or the bare address when the end has no world name. */
export function formatWorldEndpoint(ep: Endpoint): string {
  const host = ep.hostname ? `${ep.hostname} (${ep.virtualAddress})` : ep.virtualAddress;
  return `${host}:${ep.virtualPort}`;
}

/** Where the socket really is: `127.0.0.1:10007`, with IPv6 addresses in brackets. */
export function formatRealEndpoint(ep: Pick<Endpoint, 'address' | 'port'>): string {
  return formatHostPort(ep.address, ep.port);
}

export function formatHostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function directionLabel(dir: 'c2s' | 's2c'): string {
  return dir === 'c2s' ? 'client → server' : 'server → client';
}
