// UDP has no connections, but the capture and the packet list group datagrams by the pair of
// endpoints that exchange them, the way Wireshark's "conversations" do. A flow opens at its first
// datagram and closes when the service stops or when too many flows are live.

import type { Endpoint } from '../../../shared/capture';
import type { CaptureSink } from './tap';

/** Live UDP flows per service before the oldest is closed; bounds memory under a port scan. */
export const MAX_UDP_FLOWS = 4_096;

export interface UdpFlowMeta {
  protocol: string;
  serviceId?: string;
  server: Endpoint;
  clientEndpoint(address: string, port: number): Endpoint;
}

export class UdpFlowTable {
  private readonly flows = new Map<string, number>();
  /** When each flow last carried a datagram from its client (performance.now() ms). */
  private readonly lastActive = new Map<string, number>();

  constructor(
    private readonly sink: CaptureSink,
    private readonly meta: UdpFlowMeta,
    private readonly maxFlows = MAX_UDP_FLOWS,
  ) {}

  get size(): number {
    return this.flows.size;
  }

  /** Records a datagram from a client; returns the flow id to use for the replies. */
  inbound(address: string, port: number, bytes: Uint8Array): number {
    const key = `${address}|${port}`;
    let id = this.flows.get(key);
    if (id === undefined) {
      const conn = this.sink.open({ transport: 'udp', protocol: this.meta.protocol, serviceId: this.meta.serviceId, side: 'server', client: this.meta.clientEndpoint(address, port), server: this.meta.server });
      id = conn.id;
      this.flows.set(key, id);
      if (this.flows.size > this.maxFlows) {
        const [oldestKey, oldestId] = this.flows.entries().next().value as [string, number];
        this.flows.delete(oldestKey);
        this.lastActive.delete(oldestKey);
        this.sink.close(oldestId, 'server');
      }
    }
    this.lastActive.set(key, performance.now());
    this.sink.datagram(id, 'c2s', bytes);
    return id;
  }

  outbound(flowId: number, bytes: Uint8Array): void {
    this.sink.datagram(flowId, 's2c', bytes);
  }

  /** Ends one flow (its client socket is gone); returns whether there was one. */
  close(address: string, port: number): boolean {
    const key = `${address}|${port}`;
    const id = this.flows.get(key);
    if (id === undefined) return false;
    this.flows.delete(key);
    this.lastActive.delete(key);
    this.sink.close(id, 'client');
    return true;
  }

  /** Ends the flows whose client has sent nothing for `idleMs`; returns how many. */
  closeIdle(idleMs: number, now = performance.now()): number {
    let n = 0;
    for (const [key, at] of [...this.lastActive]) {
      if (now - at < idleMs) continue;
      const id = this.flows.get(key);
      this.flows.delete(key);
      this.lastActive.delete(key);
      if (id !== undefined) {
        this.sink.close(id, 'server');
        n++;
      }
    }
    return n;
  }

  closeAll(): void {
    for (const id of this.flows.values()) this.sink.close(id, 'server');
    this.flows.clear();
    this.lastActive.clear();
  }
}
