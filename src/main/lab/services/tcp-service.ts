// The socket adapter for any TCP engine: listen, tap each accepted socket, feed the engine, write
// what it says, close when it says. Everything protocol-specific lives in the engine.

import net from 'node:net';
import type { ServiceInfo, ServiceState } from '../../../shared/lab-api';
import type { EngineOutput, TcpServerEngine } from '../../../protocols/core/engine';
import { tapTcpSocket } from '../capture/tap';
import type { LabService, ServiceContext } from './service-base';
import { baseInfo, clientEndpoint, describeListenError, serverEndpoint, serviceId } from './service-base';

export class TcpService implements LabService {
  readonly id: string;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private state: ServiceState = 'stopped';
  private error: string | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly createEngine: () => TcpServerEngine,
    private readonly description: string,
  ) {
    this.id = serviceId(ctx.binding);
  }

  info(): ServiceInfo {
    return baseInfo(this.ctx, this.id, this.state, this.sockets.size, this.description, this.error);
  }

  private setState(state: ServiceState, error?: string): void {
    this.state = state;
    this.error = error;
    this.ctx.changed();
  }

  start(): Promise<void> {
    if (this.state === 'listening' || this.state === 'starting') return Promise.resolve();
    this.setState('starting');
    const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        this.server = null;
        this.setState('failed', describeListenError(this.ctx, this.ctx.binding.labPort, err));
        resolve();
      });
      server.listen({ host: this.ctx.bindAddress, port: this.ctx.binding.labPort, exclusive: true }, () => {
        server.removeAllListeners('error');
        server.on('error', () => {}); // after listening, errors surface on the sockets
        this.setState('listening');
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
    this.setState('stopped');
  }

  private accept(socket: net.Socket): void {
    const local = serverEndpoint(this.ctx, socket.localAddress ?? this.ctx.bindAddress, socket.localPort ?? this.ctx.binding.labPort);
    const remote = clientEndpoint(this.ctx, socket.remoteAddress ?? '127.0.0.1', socket.remotePort ?? 0);
    tapTcpSocket(socket, this.ctx.sink, { side: 'server', protocol: this.ctx.binding.service.protocol, serviceId: this.id, client: remote, server: local });
    this.sockets.add(socket);
    this.ctx.changed();
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.ctx.changed();
    });
    socket.on('error', () => {}); // the tap records it; the close handler cleans up

    const engine = this.createEngine();
    const apply = (out: EngineOutput): void => {
      if (socket.destroyed) return;
      for (const bytes of out.send) {
        // Respect backpressure: a client that sends faster than it reads is paused, not buffered forever.
        if (!socket.write(bytes)) {
          socket.pause();
          socket.once('drain', () => socket.resume());
        }
      }
      if (out.close) socket.end();
    };
    socket.on('data', (chunk: Buffer) => apply(engine.receive(chunk, this.ctx.now())));
    socket.on('end', () => apply(engine.peerEnded(this.ctx.now())));
    apply(engine.connected(this.ctx.now()));
  }
}
