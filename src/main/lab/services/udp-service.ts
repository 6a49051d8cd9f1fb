// The socket adapter for any UDP engine: each datagram in goes to the engine, each datagram it
// returns goes back to the sender; both are recorded in the sender's flow.

import dgram from 'node:dgram';
import type { UdpServerEngine } from '../../../protocols/core/engine';
import { UdpFlowTable } from '../capture/udp-flows';
import { ListeningService } from './listening-service';
import type { ServiceContext } from './service-base';
import { clientEndpoint, serverEndpoint } from './service-base';

export class UdpService extends ListeningService {
  private socket: dgram.Socket | null = null;
  private flows: UdpFlowTable | null = null;

  constructor(
    ctx: ServiceContext,
    private readonly engine: UdpServerEngine,
    private readonly text: string,
  ) {
    super(ctx);
  }

  protected connectionCount(): number {
    return this.flows?.size ?? 0;
  }

  protected description(): string {
    return this.text;
  }

  protected async open(): Promise<void> {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    const flows = new UdpFlowTable(this.ctx.sink, {
      protocol: this.ctx.binding.service.protocol,
      serviceId: this.id,
      server: serverEndpoint(this.ctx, this.ctx.bindAddress, this.ctx.binding.labPort),
      clientEndpoint: (address, port) => clientEndpoint(this.ctx, address, port),
    });
    if (!(await this.bindOn(socket))) return;
    socket.on('message', (msg, rinfo) => this.receive(socket, flows, msg, rinfo));
    this.socket = socket;
    this.flows = flows;
    this.setState('listening');
  }

  private receive(socket: dgram.Socket, flows: UdpFlowTable, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const before = flows.size;
    const flowId = flows.inbound(rinfo.address, rinfo.port, msg);
    if (flows.size !== before) this.ctx.changed();
    let out;
    try {
      out = this.engine.receive(msg, this.ctx.now());
    } catch (err) {
      // An engine bug drops this datagram only; the service keeps answering others.
      console.error(`protolab: ${this.id} failed on a datagram: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    for (const reply of out.send) {
      flows.outbound(flowId, reply);
      socket.send(reply, rinfo.port, rinfo.address);
    }
  }

  protected async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    this.flows?.closeAll();
    this.flows = null;
    if (socket) await new Promise<void>((r) => socket.close(() => r()));
  }
}
