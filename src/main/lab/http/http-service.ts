// The socket adapter for HTTP, modelled on TcpService: listen on the world host's lab port, tap
// every accepted socket for the capture, and give each one an HttpSocketConnection. Unlike the
// line services, requests are answered by an async app (the web sites), which the service opens
// when it starts and lets go of when it stops.

import net from 'node:net';
import type { HttpLimits } from '../../../protocols/http/limits';
import { tapTcpSocket } from '../capture/tap';
import { ListeningService } from '../services/listening-service';
import type { ServiceContext } from '../services/service-base';
import { clientEndpoint, serverEndpoint } from '../services/service-base';
import type { HttpAppHandle } from './app';
import { HttpSocketConnection } from './http-connection';

export interface HttpServiceOptions {
  /** One line for the servers panel until the app gives a better one. */
  description: string;
  /** Opens the app on start; a rejection fails the service with its message. */
  openApp: () => Promise<HttpAppHandle>;
  /** Smaller limits for tests (the defaults are in src/protocols/http/limits.ts). */
  limits?: Partial<HttpLimits>;
  serverName?: string;
  /** What the capture dissects the connections as (default: the world service's protocol). */
  captureProtocol?: string;
  /** See HttpConnectionOptions.abortOnClientEnd (the web cache sets it; the web servers answer half-closed clients). */
  abortOnClientEnd?: boolean;
}

export class HttpService extends ListeningService {
  private server: net.Server | null = null;
  private handle: HttpAppHandle | null = null;
  private readonly connections = new Map<net.Socket, HttpSocketConnection>();

  constructor(
    ctx: ServiceContext,
    private readonly options: HttpServiceOptions,
  ) {
    super(ctx);
  }

  protected connectionCount(): number {
    return this.connections.size;
  }

  protected description(): string {
    return this.handle?.description ?? this.options.description;
  }

  protected async open(): Promise<void> {
    try {
      this.handle = await this.options.openApp();
    } catch (err) {
      this.setState('failed', `${this.ctx.binding.host.name} http: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    if (!(await this.listenOn(server))) {
      await this.releaseApp();
      return;
    }
    this.server = server;
    this.setState('listening');
  }

  protected async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const [socket, connection] of this.connections) {
      connection.dispose();
      socket.destroy();
    }
    if (server) await new Promise<void>((r) => server.close(() => r()));
    await this.releaseApp();
  }

  private async releaseApp(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.release();
  }

  private accept(socket: net.Socket): void {
    const app = this.handle?.app;
    if (!app) {
      socket.destroy();
      return;
    }
    const local = serverEndpoint(this.ctx, socket.localAddress ?? this.ctx.bindAddress, socket.localPort ?? this.ctx.binding.labPort);
    const remote = clientEndpoint(this.ctx, socket.remoteAddress ?? '127.0.0.1', socket.remotePort ?? 0);
    tapTcpSocket(socket, this.ctx.sink, { side: 'server', protocol: this.options.captureProtocol ?? this.ctx.binding.service.protocol, serviceId: this.id, client: remote, server: local });
    // As Node's http server does: a response written in two pieces (a 100 Continue, then the answer)
    // must not wait for the client's delayed ACK (Nagle's algorithm, RFC 896).
    socket.setNoDelay(true);
    socket.on('error', () => {}); // the tap records it; the close handler cleans up
    const connection = new HttpSocketConnection({
      socket,
      app,
      now: this.ctx.now,
      listener: { host: this.ctx.binding.host, service: this.ctx.binding.service, labPort: this.ctx.binding.labPort },
      ...(this.options.limits ? { limits: this.options.limits } : {}),
      ...(this.options.serverName ? { serverName: this.options.serverName } : {}),
      ...(this.options.abortOnClientEnd ? { abortOnClientEnd: true } : {}),
      log: (message) => console.error(`protolab: ${this.id}: ${message}`),
    });
    this.connections.set(socket, connection);
    this.ctx.changed();
    socket.once('close', () => {
      connection.dispose();
      this.connections.delete(socket);
      this.ctx.changed();
    });
  }
}
