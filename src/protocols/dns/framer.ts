// DNS framing for the capture. Over UDP one datagram is one message (RFC 1035 §4.2.1). Over TCP
// each message is preceded by a 2-octet length, and one connection may carry several queries and
// their answers, possibly out of order (RFC 1035 §4.2.2, RFC 7766 §6.2.1). A framed TCP message
// keeps its length prefix, so the capture holds every byte and the breakdown can show the prefix.
//
// The role comes from the QR bit rather than the direction: on a recursive resolver's own
// connections the resolver is the client, and on any connection a message says itself whether it
// is a query or a response.

import type { Direction, MessageRole } from '../../shared/capture';
import { assertNever } from '../core/assert-never';
import { concatBytes, copyBytes } from '../core/bytes';
import type { FramedMessage, FramerContext, StreamFramer } from '../core/framing';
import { DNS_HEADER_LENGTH, DNS_TCP_LENGTH_PREFIX } from './limits';
import { summarizeDnsMessage } from './summary';

const DIRECTION_ROLES: Readonly<Record<Direction, MessageRole>> = { c2s: 'request', s2c: 'response' };

/** Query or response by the QR bit (RFC 1035 §4.1.1); by direction while the header is incomplete. */
export function dnsRole(message: Uint8Array, dir: Direction): MessageRole {
  if (message.length < DNS_HEADER_LENGTH) return DIRECTION_ROLES[dir];
  return (message[2] & 0x80) !== 0 ? 'response' : 'request';
}

export class DnsDatagramFramer implements StreamFramer {
  push(dir: Direction, bytes: Uint8Array, t: number): FramedMessage[] {
    const copy = copyBytes(bytes);
    return [{ dir, role: dnsRole(copy, dir), t, bytes: copy, summary: summarizeDnsMessage(copy, 'udp') }];
  }

  end(_dir: Direction): FramedMessage[] {
    return [];
  }
}

interface Lane {
  parts: Uint8Array[];
  buffered: number;
  /** Octets of the message being gathered, prefix included; null until the prefix is complete. */
  expected: number | null;
  /** Time of the first buffered byte. */
  since: number;
}

/** Summary of a TCP message: the DNS message after the prefix, or what is wrong with the prefix. */
function tcpSummary(bytes: Uint8Array, partial: boolean): string {
  if (bytes.length < DNS_TCP_LENGTH_PREFIX) return `DNS over TCP: ${bytes.length} octet of a 2-octet length prefix, then the connection ended`;
  const announced = (bytes[0] << 8) | bytes[1];
  const body = bytes.subarray(DNS_TCP_LENGTH_PREFIX);
  if (partial) return `DNS over TCP: the length prefix announces ${announced} octets, ${body.length} arrived before the connection ended`;
  if (announced === 0) return 'DNS over TCP: a length prefix of 0 (an empty message)';
  return summarizeDnsMessage(body, 'tcp');
}

export class DnsTcpFramer implements StreamFramer {
  private readonly lanes: Record<Direction, Lane> = {
    c2s: { parts: [], buffered: 0, expected: null, since: 0 },
    s2c: { parts: [], buffered: 0, expected: null, since: 0 },
  };

  push(dir: Direction, bytes: Uint8Array, t: number): FramedMessage[] {
    const lane = this.lanes[dir];
    const out: FramedMessage[] = [];
    let rest = bytes;
    const take = (n: number) => {
      if (n <= 0) return;
      lane.parts.push(copyBytes(rest.subarray(0, n)));
      lane.buffered += n;
      rest = rest.subarray(n);
    };
    while (rest.length > 0) {
      if (lane.buffered === 0) lane.since = t;
      if (lane.expected === null) {
        // The prefix itself may arrive split over two chunks.
        take(Math.min(DNS_TCP_LENGTH_PREFIX - lane.buffered, rest.length));
        if (lane.buffered < DNS_TCP_LENGTH_PREFIX) break;
        const prefix = concatBytes(lane.parts);
        lane.parts = [prefix];
        lane.expected = DNS_TCP_LENGTH_PREFIX + ((prefix[0] << 8) | prefix[1]);
      }
      take(Math.min(lane.expected - lane.buffered, rest.length));
      if (lane.buffered < lane.expected) break;
      const message = concatBytes(lane.parts);
      this.reset(lane);
      out.push({ dir, role: dnsRole(message.subarray(DNS_TCP_LENGTH_PREFIX), dir), t: lane.since, bytes: message, summary: tcpSummary(message, false) });
    }
    return out;
  }

  end(dir: Direction): FramedMessage[] {
    const lane = this.lanes[dir];
    if (lane.buffered === 0) return [];
    const bytes = concatBytes(lane.parts);
    this.reset(lane);
    return [{ dir, role: dnsRole(bytes.subarray(DNS_TCP_LENGTH_PREFIX), dir), t: lane.since, bytes, summary: tcpSummary(bytes, true), partial: true }];
  }

  private reset(lane: Lane): void {
    lane.parts = [];
    lane.buffered = 0;
    lane.expected = null;
  }
}

export function createDnsFramer(ctx: FramerContext): StreamFramer {
  switch (ctx.transport) {
    case 'udp':
      return new DnsDatagramFramer();
    case 'tcp':
      return new DnsTcpFramer();
    default:
      return assertNever(ctx.transport, 'transport');
  }
}
