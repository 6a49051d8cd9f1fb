// The socket adapter for HTTP, modelled on TcpService: listen on the world host's lab port, tap
// every accepted socket for the capture, and give each one an HttpSocketConnection. Unlike the
// line services, requests are answered by an async app (the web sites), which the service opens
// when it starts and lets go of when it stops.

import net from 'node:net';
import type { HttpLimits } from '../../../protocols/http/limits';
import type { ServiceInfo, ServiceState } from '../../../shared/lab-api';
import { tapTcpSocket } from '../capture/tap';
import type { LabService, ServiceContext } from '../services/service-base';
import { baseInfo, clientEndpoint, describeListenError, serverEndpoint, serviceId } from '../services/service-base';
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

export class HttpService implements LabService {
  readonly id: string;
  private server: net.Server | null = null;
  private handle: HttpAppHandle | null = null;
  private readonly connections = new Map<net.Socket, HttpSocketConnection>();
  private state: ServiceState = 'stopped';
  private error: string | undefined;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: HttpServiceOptions,
  ) {
    this.id = serviceId(ctx.binding);
  }

  info(): ServiceInfo {
    return baseInfo(this.ctx, this.id, this.state, this.connections.size, this.handle?.description ?? this.options.description, this.error);
  }

  private setState(state: ServiceState, error?: string): void {
    this.state = state;
    this.error = error;
    this.ctx.changed();
  }

  start(): Promise<void> {
    // One start at a time; stop() waits for it, so a stop during start never leaves a listener behind.
    this.starting ??= this.open().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async open(): Promise<void> {
    if (this.state === 'listening') return;
    this.setState('starting');
    try {
      this.handle = await this.options.openApp();
    } catch (err) {
      this.setState('failed', `${this.ctx.binding.host.name} http: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const listened = await this.listen();
    if (!listened) await this.releaseApp();
  }

  private listen(): Promise<boolean> {
    const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    return new Promise((resolve) => {
      const fail = (err: NodeJS.ErrnoException) => {
        this.setState('failed', describeListenError(this.ctx, this.ctx.binding.labPort, err));
        resolve(false);
      };
      server.once('error', fail);
      try {
        server.listen({ host: this.ctx.bindAddress, port: this.ctx.binding.labPort, exclusive: true }, () => {
          server.off('error', fail);
          server.on('error', () => {}); // after listening, errors surface on the sockets
          this.server = server;
          this.setState('listening');
          resolve(true);
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
    for (const [socket, connection] of this.connections) {
      connection.dispose();
      socket.destroy();
    }
    if (server) await new Promise<void>((r) => server.close(() => r()));
    await this.releaseApp();
    this.setState('stopped');
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
