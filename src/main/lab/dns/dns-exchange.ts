// One DNS query and its reply, over UDP or TCP, as every DNS client in the lab sends it (the
// resolver, a server passing a recursive query on, the terminal's dig and nslookup). Each query
// goes out from a fresh socket, so its source port is whatever the system picks at random, with
// an ID the caller drew at random; a reply is accepted only when it comes from the server and port
// the query went to and carries the same ID and question (RFC 5452 §9.1). Anything else is
// ignored and reported, and the query waits on until its timeout.

import dgram from 'node:dgram';
import net from 'node:net';
import { randomInt } from 'node:crypto';
import { DNS_TCP_LENGTH_PREFIX, type DnsMessage, decodeMessage, encodeMessage, sameName, withLengthPrefix } from '../../../protocols/dns';
import type { DnsPeerEntry, DnsPeerRegistry } from './dns-peers';
import type { LabClientRegistry } from '../services/lab-clients';

/**
 * How long a client waits for a reply: 2 s. The lab's servers are on loopback and answer in
 * microseconds, so a longer wait would only make a student stare at a stopped server (dig waits
 * 5 s by default; resolvers start near 1 s and back off).
 */
export const DNS_QUERY_TIMEOUT_MS = 2_000;

export interface DnsTarget {
  /** The server's host name and address in the world (for messages and the capture). */
  name: string;
  address: string;
  /** Where it really listens. */
  labAddress: string;
  labPort: number;
}

export interface DnsExchangeOptions {
  transport: 'udp' | 'tcp';
  timeoutMs?: number;
  /** The lab client sending it (resolver, server), registered so the server names it in the capture; absent for the student's own queries. */
  from?: DnsPeerEntry;
  peers?: DnsPeerRegistry;
  labClients?: LabClientRegistry;
  /** A UDP reply with TC set is asked again over TCP (RFC 1035 §4.2.1); default true. */
  retryTruncatedOverTcp?: boolean;
  /** A reply that failed the checks arrived (and was ignored). */
  onRejected?(reason: string): void;
  /** Ends the exchange at once (the lab is stopping): it fails without waiting for its timeout. */
  signal?: AbortSignal;
  /** The query has just been handed to the socket (after the UDP socket is bound, or the TCP connection made). */
  onSent?(): void;
  /**
   * Over UDP, with the socket's local port once it is bound: a tap that records the exchange from
   * the asking side, or null when a lab server will record it (unreceived-query.ts).
   */
  tapClient?(localPort: number): ClientDatagramTap | null;
}

/** The asking side's record of a UDP exchange: its capture flow, each datagram each way, and its end. */
export interface ClientDatagramTap {
  readonly connectionId: number;
  sent(bytes: Uint8Array): void;
  received(bytes: Uint8Array): void;
  end(): void;
}

export type DnsExchangeResult = (
  | { ok: true; response: DnsMessage; bytes: Uint8Array; transport: 'udp' | 'tcp'; rttMs: number; truncatedFirst: boolean }
  | {
      ok: false;
      reason: string;
      transport: 'udp' | 'tcp';
      /** The wait ran out (the timer fired); false when the exchange failed at once (refused, reset, closed). */
      timedOut: boolean;
    }
) & {
  /**
   * The capture connection the query is in: the receiving lab server's (when `from` is given), or
   * the asking side's (tapClient); absent when nothing recorded it.
   */
  connectionId?: number;
};

/** Why an exchange ended when the lab stopped under it. */
export const STOPPING_REASON = 'the lab is stopping';

/** Calls `stop` when `signal` aborts (soon, if it already has); returns what removes the listener again once the exchange is over. */
function abortWith(signal: AbortSignal | undefined, stop: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    queueMicrotask(stop);
    return () => {};
  }
  signal.addEventListener('abort', stop, { once: true });
  // One signal serves every exchange of a terminal or of the lab: a listener left behind by each
  // would pile up (Node warns past ten).
  return () => signal.removeEventListener('abort', stop);
}

function withConnection(result: DnsExchangeResult, connectionId: number | undefined): DnsExchangeResult {
  return connectionId === undefined ? result : { ...result, connectionId };
}

/** A fresh 16-bit query ID from a cryptographic source (RFC 5452 §9.2: IDs must be unpredictable). */
export function randomQueryId(): number {
  return randomInt(0, 0x10000);
}

/** Why `bytes` is not the reply to `query`, or null when it is. */
export function replyMismatch(query: DnsMessage, bytes: Uint8Array, transport: 'udp' | 'tcp'): { reason: string } | { message: DnsMessage } {
  const decoded = decodeMessage(bytes, { transport });
  if (!decoded.ok) return { reason: `an undecodable reply (${decoded.error.message})` };
  const m = decoded.message;
  if (!m.flags.qr) return { reason: 'a query, not a reply (QR is 0)' };
  if (m.id !== query.id) return { reason: `a reply with ID ${m.id}, not ${query.id}` };
  const q = query.questions[0];
  const r = m.questions[0];
  // A FORMERR or NOTIMP reply may carry no question (RFC 1035 §4.1.1 leaves it to the server).
  if (!r) return m.flags.rcode !== 0 ? { message: m } : { reason: 'a reply without the question' };
  if (q && (!sameName(q.name, r.name) || q.type !== r.type || q.class !== r.class)) return { reason: `a reply to another question (${r.name})` };
  return { message: m };
}

/** A reply over UDP with TC set: too long for the datagram, to be asked again over TCP (RFC 1035 §4.2.1). */
export function isTruncatedUdpReply(result: DnsExchangeResult): result is Extract<DnsExchangeResult, { ok: true }> {
  return result.ok && result.transport === 'udp' && result.response.flags.tc;
}

export async function exchangeDns(query: DnsMessage, target: DnsTarget, options: DnsExchangeOptions): Promise<DnsExchangeResult> {
  const first = options.transport === 'udp' ? await overUdp(query, target, options) : await overTcp(query, target, options);
  if (isTruncatedUdpReply(first) && (options.retryTruncatedOverTcp ?? true)) {
    const again = await overTcp(query, target, options);
    return again.ok ? { ...again, truncatedFirst: true } : again;
  }
  return first;
}

function overUdp(query: DnsMessage, target: DnsTarget, options: DnsExchangeOptions): Promise<DnsExchangeResult> {
  const wire = encodeMessage(query);
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    let ticket: { release(): void } | undefined;
    let tap: ClientDatagramTap | null = null;
    let done = false;
    const started = performance.now();
    const finish = (result: DnsExchangeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stopListening();
      socket.close();
      ticket?.release();
      tap?.end();
      resolve(withConnection(result, options.from?.connectionId ?? tap?.connectionId));
    };
    const timeoutMs = options.timeoutMs ?? DNS_QUERY_TIMEOUT_MS;
    const timer = setTimeout(() => finish({ ok: false, reason: `no reply from ${target.name} within ${timeoutMs} ms`, transport: 'udp', timedOut: true }), timeoutMs);
    const stopListening = abortWith(options.signal, () => finish({ ok: false, reason: STOPPING_REASON, transport: 'udp', timedOut: false }));
    socket.on('error', (err) => finish({ ok: false, reason: err.message, transport: 'udp', timedOut: false }));
    socket.on('message', (msg, rinfo) => {
      if (rinfo.port !== target.labPort || rinfo.address !== target.labAddress) {
        options.onRejected?.(`a datagram from ${rinfo.address}:${rinfo.port}, not from ${target.name}`);
        return;
      }
      tap?.received(msg);
      const check = replyMismatch(query, msg, 'udp');
      if ('reason' in check) {
        options.onRejected?.(check.reason);
        return;
      }
      finish({ ok: true, response: check.message, bytes: new Uint8Array(msg), transport: 'udp', rttMs: performance.now() - started, truncatedFirst: false });
    });
    socket.bind({ address: '127.0.0.1', port: 0 }, () => {
      if (done) return; // timed out or failed first: the socket is closed, and a ticket now would never be released
      const localPort = socket.address().port;
      if (options.from && options.peers) ticket = options.peers.register('udp', localPort, options.from);
      tap = options.tapClient?.(localPort) ?? null;
      // Recorded once it has left: a send that fails ends the exchange through 'error' instead.
      socket.send(wire, target.labPort, target.labAddress, (err) => {
        if (!err) tap?.sent(wire);
      });
      options.onSent?.();
    });
  });
}

function overTcp(query: DnsMessage, target: DnsTarget, options: DnsExchangeOptions): Promise<DnsExchangeResult> {
  const wire = withLengthPrefix(encodeMessage(query));
  return new Promise((resolve) => {
    const announce = options.from ? options.labClients?.expect(target.labPort, { name: options.from.who.name, address: options.from.who.address }) : undefined;
    let ticket: { release(): void } | undefined;
    let done = false;
    let buffered: Buffer = Buffer.alloc(0);
    const started = performance.now();
    const socket = net.connect({ host: target.labAddress, port: target.labPort });
    const finish = (result: DnsExchangeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stopListening();
      socket.end();
      socket.destroySoon?.();
      ticket?.release();
      if (!result.ok) announce?.cancel();
      resolve(withConnection(result, options.from?.connectionId));
    };
    const timeoutMs = options.timeoutMs ?? DNS_QUERY_TIMEOUT_MS;
    const timer = setTimeout(() => finish({ ok: false, reason: `no reply from ${target.name} over TCP within ${timeoutMs} ms`, transport: 'tcp', timedOut: true }), timeoutMs);
    const stopListening = abortWith(options.signal, () => finish({ ok: false, reason: STOPPING_REASON, transport: 'tcp', timedOut: false }));
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, reason: err.code === 'ECONNREFUSED' ? `${target.name} refused the TCP connection (is its server stopped?)` : err.message, transport: 'tcp', timedOut: false }));
    socket.on('close', () => finish({ ok: false, reason: `${target.name} closed the TCP connection without a reply`, transport: 'tcp', timedOut: false }));
    socket.on('connect', () => {
      if (done) return; // timed out first: a ticket now would never be released
      announce?.connected(socket.localPort ?? 0);
      if (options.from && options.peers) ticket = options.peers.register('tcp', socket.localPort ?? 0, options.from);
      socket.write(wire);
      options.onSent?.();
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= DNS_TCP_LENGTH_PREFIX) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < DNS_TCP_LENGTH_PREFIX + length) return;
        const message = buffered.subarray(DNS_TCP_LENGTH_PREFIX, DNS_TCP_LENGTH_PREFIX + length);
        buffered = buffered.subarray(DNS_TCP_LENGTH_PREFIX + length);
        const check = replyMismatch(query, message, 'tcp');
        if ('reason' in check) {
          options.onRejected?.(check.reason);
          continue;
        }
        finish({ ok: true, response: check.message, bytes: new Uint8Array(message), transport: 'tcp', rttMs: performance.now() - started, truncatedFirst: false });
        return;
      }
    });
  });
}
