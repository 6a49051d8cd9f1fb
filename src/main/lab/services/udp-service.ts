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
  private starting: Promise<void> | null = null;

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
    this.starting ??= this.bind().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private bind(): Promise<void> {
    if (this.state === 'listening') return Promise.resolve();
    this.setState('starting');
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    const flows = new UdpFlowTable(this.ctx.sink, {
      protocol: this.ctx.binding.service.protocol,
      serviceId: this.id,
      server: serverEndpoint(this.ctx, this.ctx.bindAddress, this.ctx.binding.labPort),
      clientEndpoint: (address, port) => clientEndpoint(this.ctx, address, port),
    });
    return new Promise((resolve) => {
      const fail = (err: NodeJS.ErrnoException) => {
        socket.close();
        this.setState('failed', describeListenError(this.ctx, this.ctx.binding.labPort, err));
        resolve();
      };
      socket.once('error', fail);
      try {
        socket.bind({ address: this.ctx.bindAddress, port: this.ctx.binding.labPort, exclusive: true }, () => {
          socket.off('error', fail);
          socket.on('error', () => {}); // a send to a vanished peer must not take the service down
          socket.on('message', (msg, rinfo) => this.receive(socket, flows, msg, rinfo));
          this.socket = socket;
          this.flows = flows;
          this.setState('listening');
          resolve();
        });
      } catch (err) {
        fail(err as NodeJS.ErrnoException);
      }
    });
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

  async stop(): Promise<void> {
    await this.starting;
    const socket = this.socket;
    this.socket = null;
    this.flows?.closeAll();
    this.flows = null;
    if (socket) await new Promise<void>((r) => socket.close(() => r()));
    this.setState('stopped');
  }
}
