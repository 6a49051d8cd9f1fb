// What the socket adapters (TCP, UDP, HTTP, DNS) share: their state for the servers panel, one
// start at a time (stop waits for it, so a stop during a start never leaves a listener behind), and
// binding the world host's lab port exclusively, with the sentence a student sees when it cannot.

import type dgram from 'node:dgram';
import type net from 'node:net';
import type { ServiceInfo, ServiceState } from '../../../shared/lab-api';
import type { LabService, ServiceContext } from './service-base';
import { baseInfo, describeListenError, serviceId } from './service-base';

export abstract class ListeningService implements LabService {
  readonly id: string;
  private state: ServiceState = 'stopped';
  private error: string | undefined;
  private starting: Promise<void> | null = null;

  constructor(protected readonly ctx: ServiceContext) {
    this.id = serviceId(ctx.binding);
  }

  /** Connections open now (TCP) or peers seen (UDP). */
  protected abstract connectionCount(): number;
  protected abstract description(): string;
  /** Opens the sockets (and whatever else the service needs); reports failure with setState('failed', ...). */
  protected abstract open(): Promise<void>;
  /** Closes everything open() opened. */
  protected abstract close(): Promise<void>;

  info(): ServiceInfo {
    return baseInfo(this.ctx, this.id, this.state, this.connectionCount(), this.description(), this.error);
  }

  protected setState(state: ServiceState, error?: string): void {
    this.state = state;
    this.error = error;
    this.ctx.changed();
  }

  start(): Promise<void> {
    this.starting ??= (this.state === 'listening' ? Promise.resolve() : (this.setState('starting'), this.open())).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    await this.starting;
    await this.close();
    this.setState('stopped');
  }

  /** Listens on the lab port; on failure the service is failed with the reason and this resolves false. */
  protected listenOn(server: net.Server): Promise<boolean> {
    return this.bindWith(server, (done) => server.listen({ host: this.ctx.bindAddress, port: this.ctx.binding.labPort, exclusive: true }, done));
  }

  /** Binds the lab port over UDP; on failure the socket is closed, the service failed, and this resolves false. */
  protected bindOn(socket: dgram.Socket): Promise<boolean> {
    return this.bindWith(socket, (done) => socket.bind({ address: this.ctx.bindAddress, port: this.ctx.binding.labPort, exclusive: true }, done), () => socket.close());
  }

  private bindWith(emitter: net.Server | dgram.Socket, bind: (done: () => void) => void, cleanUp?: () => void): Promise<boolean> {
    return new Promise((resolve) => {
      const fail = (err: NodeJS.ErrnoException) => {
        cleanUp?.();
        this.setState('failed', describeListenError(this.ctx, this.ctx.binding.labPort, err));
        resolve(false);
      };
      emitter.once('error', fail);
      try {
        bind(() => {
          emitter.off('error', fail);
          // Once bound, errors belong to single sockets or datagrams, never to the service.
          emitter.on('error', () => {});
          resolve(true);
        });
      } catch (err) {
        fail(err as NodeJS.ErrnoException);
      }
    });
  }
}
