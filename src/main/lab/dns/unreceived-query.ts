// A DNS query over UDP to a lab name server that is not running reaches no lab socket, so no lab
// server records it: the lab records DNS where a lab server receives it, naming the lab client
// that sent it (dns-peers.ts). The asking side records such a query instead, as a UDP flow from
// the asking host: a student who stops a.edu-servers.net sees the resolver's query go out and
// nothing come back, as a capture on the resolver's machine would show (less the ICMP "port
// unreachable" that the lab does not make up). Over TCP a stopped server refuses the connection,
// and no DNS bytes cross: there is nothing of the query to record.

import { DNS_PORT } from '../../../protocols/dns';
import type { CaptureSink } from '../capture/tap';
import type { ClientDatagramTap, DnsTarget } from './dns-exchange';

export interface UnreceivedQueryCapture {
  sink: CaptureSink;
  /**
   * Whether a lab UDP service listens at this real port now. Decided by where the datagram goes,
   * not by the server's name: a referral may name a server by an alias of its host.
   */
  udpListening(labPort: number): boolean;
}

/**
 * What exchangeDns calls with its socket's local port (its `tapClient` option): a tap recording
 * the exchange from `asker`'s side when no lab UDP service listens at `target`'s port, else null
 * (the server records it). A service starting or stopping at that very moment may leave one
 * query recorded by both sides, or by neither.
 */
export function tapUnreceivedQuery(capture: UnreceivedQueryCapture, asker: { name: string; address: string }, target: DnsTarget): (localPort: number) => ClientDatagramTap | null {
  return (localPort) => {
    if (capture.udpListening(target.labPort)) return null;
    const { sink } = capture;
    const conn = sink.open({
      transport: 'udp',
      protocol: 'dns',
      side: 'client',
      client: { address: '127.0.0.1', port: localPort, virtualAddress: asker.address, virtualPort: localPort, hostname: asker.name },
      server: { address: target.labAddress, port: target.labPort, virtualAddress: target.address, virtualPort: DNS_PORT, hostname: target.name },
    });
    return {
      connectionId: conn.id,
      sent: (bytes) => sink.datagram(conn.id, 'c2s', bytes),
      received: (bytes) => sink.datagram(conn.id, 's2c', bytes),
      end: () => sink.close(conn.id, 'client'),
    };
  };
}
