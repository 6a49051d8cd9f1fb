// The socket adapter for any TCP engine: listen, tap each accepted socket, feed the engine, write
// what it says, close when it says. Everything protocol-specific lives in the engine.

import net from 'node:net';
import type { EngineOutput, TcpServerEngine } from '../../../protocols/core/engine';
import { tapTcpSocket } from '../capture/tap';
import { ListeningService } from './listening-service';
import type { ServiceContext } from './service-base';
import { clientEndpoint, serverEndpoint } from './service-base';

export class TcpService extends ListeningService {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    ctx: ServiceContext,
    private readonly createEngine: () => TcpServerEngine,
    private readonly text: string,
  ) {
    super(ctx);
  }

  protected connectionCount(): number {
    return this.sockets.size;
  }

  protected description(): string {
    return this.text;
  }

  protected async open(): Promise<void> {
    const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    if (!(await this.listenOn(server))) return;
    this.server = server;
    this.setState('listening');
  }

  protected async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
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
