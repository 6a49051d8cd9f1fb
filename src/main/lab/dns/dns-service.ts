// The socket adapter of every DNS server in the lab (the root, TLD and authoritative servers and
// the local resolver), over UDP or TCP. It frames messages (one per datagram; a 2-octet length
// before each over TCP, RFC 1035 §4.2.2, several per connection, RFC 7766 §6.2.1), names the
// sender for the capture, and hands each query to the server's handler, which may take its time
// (the resolver asks other servers first). Replies over TCP go back in the order they are ready.

import dgram from 'node:dgram';
import net from 'node:net';
import type { Endpoint, Transport } from '../../../shared/capture';
import { DNS_HEADER_LENGTH, DNS_TCP_LENGTH_PREFIX, withLengthPrefix } from '../../../protocols/dns';
import { tapTcpSocket } from '../capture/tap';
import { UdpFlowTable } from '../capture/udp-flows';
import { ListeningService } from '../services/listening-service';
import type { ServiceContext } from '../services/service-base';
import { clientEndpoint, isLoopbackAddress, serverEndpoint } from '../services/service-base';
import type { DnsPeerEntry, DnsPeerRegistry } from './dns-peers';

/**
 * A TCP connection with no query in progress is closed after this long (RFC 7766 §6.2.3 asks for
 * an idle timeout "on the order of seconds"; BIND's default is 30 s, the lab's is 10 s). It also
 * ends a client that sent a length prefix and then nothing.
 */
export const DNS_TCP_IDLE_TIMEOUT_MS = 10_000;

/** Queries one TCP connection may have waiting for answers at once; more are read only as these finish (RFC 7766 §6.2.1.1 pipelining, bounded). */
export const DNS_TCP_MAX_PENDING = 16;

/**
 * A UDP "conversation" (one client address and port) with no query for this long ends in the
 * capture. Stub resolvers and dig use a fresh source port per query, so without an end every
 * query would stay an open flow forever; 30 s is Wireshark's and conntrack's order of magnitude
 * for UDP (nf_conntrack_udp_timeout is 30 s).
 */
export const DNS_UDP_FLOW_IDLE_MS = 30_000;

/** How often idle UDP flows are looked for: twice per idle period, at most once a second (a 30 s idle limit needs no finer look). */
export function udpSweepIntervalMs(idleMs: number): number {
  return Math.max(UDP_SWEEP_MIN_MS, Math.min(UDP_SWEEP_MAX_MS, idleMs / 2));
}
const UDP_SWEEP_MIN_MS = 10;
const UDP_SWEEP_MAX_MS = 1_000;

/** TCP connections a server holds at once (a bound on sockets, like BIND's tcp-clients default of 150). */
export const DNS_TCP_MAX_CONNECTIONS = 150;

export interface DnsQueryMeta {
  transport: Transport;
  /** The sender as the capture shows it. */
  client: Endpoint;
  /** The lab client that sent it (the resolver, another server, the terminal), when it registered. */
  peer?: DnsPeerEntry;
  /** The sender is on this machine (recursion is offered only to such clients). */
  loopback: boolean;
  /** The capture connection (UDP flow or TCP connection) the query is recorded in. */
  connectionId: number;
}

/** Answers one query: the reply's octets (without the TCP length prefix), or null to send nothing. */
export type DnsHandler = (bytes: Uint8Array, meta: DnsQueryMeta) => Promise<Uint8Array | null>;

export interface DnsServiceOptions {
  handler: DnsHandler;
  description: string;
  peers: DnsPeerRegistry;
  tcpIdleTimeoutMs?: number;
  udpFlowIdleMs?: number;
}

export class DnsService extends ListeningService {
  private udp: { socket: dgram.Socket; flows: UdpFlowTable; offRelease: () => void; sweep: NodeJS.Timeout } | null = null;
  private tcp: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    ctx: ServiceContext,
    private readonly options: DnsServiceOptions,
  ) {
    super(ctx);
  }

  protected connectionCount(): number {
    return this.ctx.binding.service.transport === 'udp' ? (this.udp?.flows.size ?? 0) : this.sockets.size;
  }

  protected description(): string {
    return this.options.description;
  }

  protected open(): Promise<void> {
    return this.ctx.binding.service.transport === 'udp' ? this.openUdp() : this.openTcp();
  }

  protected async close(): Promise<void> {
    const udp = this.udp;
    this.udp = null;
    if (udp) {
      clearInterval(udp.sweep);
      udp.offRelease();
      udp.flows.closeAll();
      await new Promise<void>((r) => udp.socket.close(() => r()));
    }
    const server = this.tcp;
    this.tcp = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /** The sender as the world shows it: a registered lab client is that host; anyone else on loopback is the student's machine. */
  private endpointOf(address: string, port: number, peer: DnsPeerEntry | undefined): Endpoint {
    if (peer && isLoopbackAddress(address)) return { address, port, virtualAddress: peer.who.address, virtualPort: port, hostname: peer.who.name };
    return clientEndpoint(this.ctx, address, port);
  }

  private async openUdp(): Promise<void> {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    // The sender of the datagram being recorded: the flow table asks for its endpoint while in inbound().
    let sender: DnsPeerEntry | undefined;
    const flows = new UdpFlowTable(this.ctx.sink, {
      protocol: this.ctx.binding.service.protocol,
      serviceId: this.id,
      server: serverEndpoint(this.ctx, this.ctx.bindAddress, this.ctx.binding.labPort),
      clientEndpoint: (address, port) => this.endpointOf(address, port, sender),
    });
    if (!(await this.bindOn(socket))) return;
    // A lab client's socket is gone: its flow ends in the capture too, so flows do not pile up.
    const offRelease = this.options.peers.onRelease((transport, port) => {
      if (transport !== 'udp') return;
      if (flows.close('127.0.0.1', port)) this.ctx.changed();
    });
    socket.on('message', (msg, rinfo) => {
      const peer = isLoopbackAddress(rinfo.address) ? this.options.peers.lookup('udp', rinfo.port) : undefined;
      sender = peer;
      const before = flows.size;
      const flowId = flows.inbound(rinfo.address, rinfo.port, msg);
      sender = undefined;
      if (flows.size !== before) this.ctx.changed();
      if (peer) peer.connectionId = flowId;
      const meta: DnsQueryMeta = { transport: 'udp', client: this.endpointOf(rinfo.address, rinfo.port, peer), loopback: isLoopbackAddress(rinfo.address), connectionId: flowId, ...(peer ? { peer } : {}) };
      this.answer(msg, meta).then((reply) => {
        if (!reply || this.udp?.socket !== socket) return;
        flows.outbound(flowId, reply);
        socket.send(reply, rinfo.port, rinfo.address);
      });
    });
    const idleMs = this.options.udpFlowIdleMs ?? DNS_UDP_FLOW_IDLE_MS;
    const sweep = setInterval(() => {
      if (flows.closeIdle(idleMs) > 0) this.ctx.changed();
    }, udpSweepIntervalMs(idleMs));
    sweep.unref();
    this.udp = { socket, flows, offRelease, sweep };
    this.setState('listening');
  }

  /** The handler's reply; a handler bug costs this one query, never the server. */
  private async answer(bytes: Uint8Array, meta: DnsQueryMeta): Promise<Uint8Array | null> {
    try {
      return await this.options.handler(bytes, meta);
    } catch (err) {
      console.error(`protolab: ${this.id} failed on a query: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  private async openTcp(): Promise<void> {
    // Half-open: a client may end its side right after its queries and still wait for the answers (accept() ends ours once they are sent).
    const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    server.maxConnections = DNS_TCP_MAX_CONNECTIONS;
    if (!(await this.listenOn(server))) return;
    this.tcp = server;
    this.setState('listening');
  }

  private accept(socket: net.Socket): void {
    const remoteAddress = socket.remoteAddress ?? '127.0.0.1';
    const remotePort = socket.remotePort ?? 0;
    // The TCP lab clients announce themselves before they connect (lab-clients.ts): the accept can come before their port is known.
    const client = clientEndpoint(this.ctx, remoteAddress, remotePort);
    const conn = tapTcpSocket(socket, this.ctx.sink, {
      side: 'server',
      protocol: this.ctx.binding.service.protocol,
      serviceId: this.id,
      client,
      server: serverEndpoint(this.ctx, socket.localAddress ?? this.ctx.bindAddress, socket.localPort ?? this.ctx.binding.labPort),
    });
    this.sockets.add(socket);
    this.ctx.changed();
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(idle);
      this.sockets.delete(socket);
      this.ctx.changed();
    });

    const idleMs = this.options.tcpIdleTimeoutMs ?? DNS_TCP_IDLE_TIMEOUT_MS;
    let buffered: Buffer = Buffer.alloc(0);
    let pending = 0;
    let clientEnded = false;
    // Closes a connection that sits idle, or that sent part of a message and then nothing; never one with a query still being answered.
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        if (pending > 0) return;
        // Our FIN went unanswered for a whole idle period: a client that never closes would hold its place for ever.
        if (socket.writableEnded) socket.destroy();
        else {
          socket.end();
          arm();
        }
      }, idleMs);
    };
    arm();

    // Replies the client has not read yet wait in the socket; while they do, no more queries are
    // read, or a client that only writes would make the server hold every answer in memory.
    const busy = () => pending >= DNS_TCP_MAX_PENDING || socket.writableNeedDrain;
    /** Messages read off this connection so far. */
    let taken = 0;
    const drain = () => {
      while (!busy() && buffered.length >= DNS_TCP_LENGTH_PREFIX) {
        const length = buffered.readUInt16BE(0);
        if (length < DNS_HEADER_LENGTH) {
          // Nothing shorter than a header is a DNS message; the stream cannot be trusted past it.
          socket.destroy();
          return;
        }
        if (buffered.length < DNS_TCP_LENGTH_PREFIX + length) break;
        const message = buffered.subarray(DNS_TCP_LENGTH_PREFIX, DNS_TCP_LENGTH_PREFIX + length);
        buffered = buffered.subarray(DNS_TCP_LENGTH_PREFIX + length);
        pending++;
        taken++;
        const peer = this.options.peers.lookup('tcp', remotePort);
        if (peer) peer.connectionId = conn.id;
        const meta: DnsQueryMeta = { transport: 'tcp', client, loopback: isLoopbackAddress(remoteAddress), connectionId: conn.id, ...(peer ? { peer } : {}) };
        void this.answer(new Uint8Array(message), meta).then((reply) => {
          pending--;
          if (reply && !socket.destroyed && socket.writable) socket.write(withLengthPrefix(reply));
          if (pending === 0) arm();
          drain();
          if (clientEnded && pending === 0) socket.end();
        });
      }
      if (busy()) socket.pause();
      else socket.resume();
    };
    socket.on('drain', drain);
    socket.on('data', (chunk: Buffer) => {
      // The clock restarts when a message begins or one was completed, not on every chunk: a client
      // dribbling one message a byte at a time still ends at the idle timeout after its first byte.
      const startsMessage = buffered.length === 0;
      const takenBefore = taken;
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      drain();
      // Once ours is closed, nothing the client sends keeps the connection.
      if (!socket.writableEnded && (startsMessage || taken !== takenBefore)) arm();
    });
    // The client sent all it will: close our side too once every query it sent is answered.
    socket.on('end', () => {
      clientEnded = true;
      if (pending === 0) socket.end();
    });
  }
}
