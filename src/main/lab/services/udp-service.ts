// The socket adapter for any UDP engine: each datagram in goes to the engine, each datagram it
// returns goes back to the sender; both are recorded in the sender's flow.

import dgram from 'node:dgram';
import type { ServiceInfo, ServiceState } from '../../../shared/lab-api';
import type { UdpServerEngine } from '../../../protocols/core/engine';
import { UdpFlowTable } from '../capture/udp-flows';
import type { LabService, ServiceContext } from './service-base';
import { baseInfo, clientEndpoint, describeListenError, serverEndpoint, serviceId } from './service-base';

export class UdpService implements LabService {
  readonly id: string;
  private socket: dgram.Socket | null = null;
  private flows: UdpFlowTable | null = null;
  private state: ServiceState = 'stopped';
  private error: string | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly engine: UdpServerEngine,
    private readonly description: string,
  ) {
    this.id = serviceId(ctx.binding);
  }

  info(): ServiceInfo {
    return baseInfo(this.ctx, this.id, this.state, this.flows?.size ?? 0, this.description, this.error);
  }

  private setState(state: ServiceState, error?: string): void {
    this.state = state;
    this.error = error;
    this.ctx.changed();
  }

  start(): Promise<void> {
    if (this.state === 'listening' || this.state === 'starting') return Promise.resolve();
    this.setState('starting');
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    const flows = new UdpFlowTable(this.ctx.sink, {
      protocol: this.ctx.binding.service.protocol,
      serviceId: this.id,
      server: serverEndpoint(this.ctx, this.ctx.bindAddress, this.ctx.binding.labPort),
      clientEndpoint: (address, port) => clientEndpoint(this.ctx, address, port),
    });
    return new Promise((resolve) => {
      socket.once('error', (err: NodeJS.ErrnoException) => {
        socket.close();
        this.setState('failed', describeListenError(this.ctx, this.ctx.binding.labPort, err));
        resolve();
      });
      socket.bind({ address: this.ctx.bindAddress, port: this.ctx.binding.labPort, exclusive: true }, () => {
        socket.removeAllListeners('error');
        socket.on('error', () => {}); // a send to a vanished peer must not take the service down
        socket.on('message', (msg, rinfo) => {
          const before = flows.size;
          const flowId = flows.inbound(rinfo.address, rinfo.port, msg);
          if (flows.size !== before) this.ctx.changed();
          const out = this.engine.receive(msg, this.ctx.now());
          for (const reply of out.send) {
            flows.outbound(flowId, reply);
            socket.send(reply, rinfo.port, rinfo.address);
          }
        });
        this.socket = socket;
        this.flows = flows;
        this.setState('listening');
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    this.flows?.closeAll();
    this.flows = null;
    if (socket) await new Promise<void>((r) => socket.close(() => r()));
    this.setState('stopped');
  }
}
