// An in-memory RawConnector: a small lab world, connections whose traffic the test drives by hand.

import type { HostListing, LocalHost, RawConnection, RawConnector, ResolvedTarget, ServiceState } from '../../../../src/main/lab/terminal/types';

type WorldHost = HostListing;

export const FAKE_CLIENT: LocalHost = { name: 'cis.poly.edu', address: '128.238.2.93' };

export const FAKE_WORLD: WorldHost[] = [
  {
    name: 'gaia.cs.umass.edu',
    address: '128.119.245.12',
    aliases: [],
    services: [
      { protocol: 'echo', port: 7, transport: 'tcp', realPort: 10007 },
      { protocol: 'http', port: 80, transport: 'tcp', realPort: 10080 },
    ],
  },
  {
    name: 'dns.umass.edu',
    address: '128.119.40.186',
    aliases: ['ns1.umass.edu'],
    services: [{ protocol: 'dns', port: 53, transport: 'udp', realPort: 10053 }],
  },
];

function failure(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

export class FakeConnection implements RawConnection {
  readonly written: Uint8Array[] = [];
  ended = false;
  destroyed = false;
  private readonly dataListeners: Array<(bytes: Uint8Array) => void> = [];
  private readonly closeListeners: Array<(info: { byPeer: boolean; error?: string }) => void> = [];

  constructor(readonly target: ResolvedTarget) {}

  write(bytes: Uint8Array): void {
    if (this.ended || this.destroyed) throw new Error('write after end');
    this.written.push(bytes);
  }

  end(): void {
    this.ended = true;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.closeListeners.forEach((l) => l({ byPeer: false }));
  }

  onData(listener: (bytes: Uint8Array) => void): void {
    this.dataListeners.push(listener);
  }

  onClose(listener: (info: { byPeer: boolean; error?: string }) => void): void {
    this.closeListeners.push(listener);
  }

  /** Everything the terminal sent, decoded. */
  get sentText(): string {
    return this.written.map((b) => new TextDecoder().decode(b)).join('');
  }

  /** The server sends these bytes. */
  receive(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    this.dataListeners.forEach((l) => l(bytes));
  }

  closeByPeer(error?: string): void {
    this.closeListeners.forEach((l) => l(error ? { byPeer: true, error } : { byPeer: true }));
  }
}

export class FakeConnector implements RawConnector {
  readonly connections: FakeConnection[] = [];
  /** Real ports where nothing listens. */
  readonly refusedPorts = new Set<number>();
  /** Service states by `host/port` (world name and world TCP port); a service not listed is listening. */
  readonly states = new Map<string, ServiceState>();
  /** When set, connect waits for the test to call `releaseConnect`. */
  holdConnects = false;
  private held: Array<() => void> = [];

  constructor(private readonly world: WorldHost[] = FAKE_WORLD) {}

  async resolve(host: string, port: number): Promise<ResolvedTarget> {
    if (host === '127.0.0.1' || host === 'localhost') {
      // A real port of one of the lab's services is that service, as in the lab's address map.
      for (const entry of this.world) {
        const service = entry.services.find((s) => s.realPort === port && s.transport === 'tcp');
        if (service) {
          return { host, hostname: entry.name, virtualAddress: entry.address, virtualPort: port, address: '127.0.0.1', port, protocol: service.protocol, servicePort: service.port };
        }
      }
      return { host, virtualAddress: '127.0.0.1', virtualPort: port, address: '127.0.0.1', port };
    }
    if (host === 'resolver.fails') throw new Error('the world file is not loaded');
    const entry = this.world.find((h) => h.name === host || h.address === host || h.aliases.includes(host));
    if (!entry) throw failure(`no lab host named '${host}'`, 'ENOTFOUND');
    const service = entry.services.find((s) => s.port === port && s.transport === 'tcp');
    return {
      host,
      hostname: entry.name,
      virtualAddress: entry.address,
      virtualPort: port,
      address: '127.0.0.1',
      port: service?.realPort ?? 20000 + port,
      ...(service ? { protocol: service.protocol, servicePort: service.port } : {}),
    };
  }

  async connect(target: ResolvedTarget): Promise<RawConnection> {
    if (this.holdConnects) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.refusedPorts.has(target.port)) throw failure(`connect ECONNREFUSED ${target.address}:${target.port}`, 'ECONNREFUSED');
    if (target.port === 10999) throw failure('connect ETIMEDOUT 127.0.0.1:10999', 'ETIMEDOUT');
    const connection = new FakeConnection(target);
    this.connections.push(connection);
    return connection;
  }

  releaseConnects(): void {
    const held = this.held;
    this.held = [];
    held.forEach((resolve) => resolve());
  }

  listHosts(): WorldHost[] {
    return this.world.map((host) => ({
      ...host,
      services: host.services.map((s) => {
        const state = s.transport === 'tcp' ? this.states.get(`${host.name}/${s.port}`) : undefined;
        return state ? { ...s, state } : s;
      }),
    }));
  }

  localHost(): LocalHost {
    return FAKE_CLIENT;
  }

  serviceState(host: string, port: number): ServiceState | undefined {
    const entry = this.world.find((h) => h.name === host);
    if (!entry?.services.some((s) => s.port === port && s.transport === 'tcp')) return undefined;
    return this.states.get(`${host}/${port}`) ?? 'listening';
  }

  get last(): FakeConnection {
    const connection = this.connections.at(-1);
    if (!connection) throw new Error('no connection was made');
    return connection;
  }
}
