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
  private starting: Promise<void> | null = null;

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
    // One start at a time; stop() waits for it, so a stop during start never leaves a listener behind.
    this.starting ??= this.listen().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private listen(): Promise<void> {
    if (this.state === 'listening') return Promise.resolve();
    this.setState('starting');
    const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    return new Promise((resolve) => {
      const fail = (err: NodeJS.ErrnoException) => {
        this.setState('failed', describeListenError(this.ctx, this.ctx.binding.labPort, err));
        resolve();
      };
      server.once('error', fail);
      try {
        server.listen({ host: this.ctx.bindAddress, port: this.ctx.binding.labPort, exclusive: true }, () => {
          server.off('error', fail);
          server.on('error', () => {}); // after listening, errors surface on the sockets
          this.server = server;
          this.setState('listening');
          resolve();
        });
      } catch (err) {
        fail(err as NodeJS.ErrnoException);
      }
    });
  }

  async stop(): Promise<void> {
    await this.starting;
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
    let paused = false;
    const apply = (out: EngineOutput): void => {
      if (socket.destroyed) return;
      for (const bytes of out.send) {
        // Respect backpressure: a client that sends faster than it reads is paused, not buffered forever.
        if (!socket.write(bytes) && !paused) {
          paused = true;
          socket.pause();
          socket.once('drain', () => {
            paused = false;
            socket.resume();
          });
        }
      }
      if (out.close) socket.end();
    };
    // An engine bug must cost one connection, not the lab: the socket is reset with the reason.
    const guarded = (step: () => EngineOutput) => {
      try {
        apply(step());
      } catch (err) {
        socket.destroy(new Error(`${this.id} failed: ${err instanceof Error ? err.message : String(err)}`));
      }
    };
    socket.on('data', (chunk: Buffer) => guarded(() => engine.receive(chunk, this.ctx.now())));
    socket.on('end', () => guarded(() => engine.peerEnded(this.ctx.now())));
    guarded(() => engine.connected(this.ctx.now()));
  }
}
