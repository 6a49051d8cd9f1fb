// The lab's raw TCP client, behind the terminal's `open`: resolves world names and addresses to
// loopback, connects, and taps the socket. A connection to one of the lab's own services is
// already captured by that service's server-side tap, so the client side is not tapped again:
// each loopback connection appears once, as Wireshark on the loopback interface would show it.
//
// A typed name is looked up as a real host would: an A query to the local resolver (dns.poly.edu),
// a real exchange the capture and the resolution view show. Only when DNS gives no address (no such
// name, the resolver stopped) does the lab's host list answer instead, and the lookup says so.

import net from 'node:net';
import type { Endpoint, Transport } from '../../shared/capture';
import type { DnsLookup, ResolverMode, ResolverState } from '../../shared/dns';
import type { ServiceInfo } from '../../shared/lab-api';
import { DNS_PORT, parseIPv6, type ZoneManifest } from '../../protocols/dns';
import { tapTcpSocket } from './capture/tap';
import type { CaptureSink } from './capture/tap';
import { type AddressLookup, checkDomainName, createStubResolver, type StubResolver } from './dns/stub-resolver';
import type { NameLookup, RawConnection, RawConnector, RawConnectorError, ResolvedTarget, ResolverControls } from './terminal/types';
import type { AddressMap } from './world/address-map';
import { isIPv4, MAX_PORT } from './world/world';

/** How long a connect may take before the terminal gives up (a loopback connect is instant). */
export const CONNECT_TIMEOUT_MS = 5_000;

export interface RawConnectorDeps {
  /** The current world's map; a getter, because a reset loads a new world under open terminals. */
  map: () => AddressMap;
  sink: CaptureSink;
  /** True when a lab service is listening on that real TCP port right now. */
  isLabListener(port: number): boolean;
  /** The lab's services as the Servers pane shows them, with their current state. */
  serviceInfos(): ServiceInfo[];
  /**
   * The lab's DNS (a getter, like `map`): its manifest names the local resolver, and the resolver's
   * lookups tell an answer from its cache. Without it (or while it gives null: a world without
   * zones) names come from the world's host list alone.
   */
  dns?: () => ConnectorDns | null;
}

/** What the connector needs of the lab's DnsRuntime. */
export interface ConnectorDns {
  readonly manifest: ZoneManifest;
  readonly lookups: { list(): DnsLookup[] };
  resolverState(): ResolverState;
  setMode(mode: ResolverMode): ResolverState;
  flush(name: string | null): ResolverState;
}

function connectorError(message: string, code: string | undefined, lookup?: NameLookup): RawConnectorError {
  const err: RawConnectorError = new Error(message);
  if (code) err.code = code;
  if (lookup) err.lookup = lookup;
  return err;
}

/** Addresses, loopback names and text that is no domain name are not looked up in DNS. */
function skipsDns(host: string): boolean {
  const text = host.trim().replace(/^\[(.*)\]$/, '$1');
  return text.toLowerCase() === 'localhost' || isIPv4(text) || parseIPv6(text) !== null || !checkDomainName(text).ok;
}

function withoutDot(name: string): string {
  return name === '.' ? name : name.replace(/\.$/, '');
}

/** Why DNS gave no address, in a few words for the lookup line. */
function lookupProblem(r: Extract<AddressLookup, { ok: false }>, server: string): string {
  switch (r.kind) {
    case 'nxdomain':
      return `${server} knows no such name (NXDOMAIN)`;
    case 'nodata':
      return `${server} has no address (A) record for it`;
    case 'server-error':
      return `${server} answered ${r.rcode ?? 'with an error'}`;
    case 'no-reply':
      return r.serverState === 'stopped' ? `${server} is stopped` : r.reason;
    case 'cname-loop':
    case 'invalid-name':
      return r.reason;
  }
}

export function createRawConnector(deps: RawConnectorDeps): RawConnector {
  const { sink } = deps;
  const infoOf = (hostname: string, transport: Transport, port: number): ServiceInfo | undefined =>
    deps.serviceInfos().find((s) => s.hostname === hostname && s.transport === transport && s.wellKnownPort === port);
  const currentDns = (): ConnectorDns | null => deps.dns?.() ?? null;
  const requireDns = (): ConnectorDns => {
    const dns = currentDns();
    if (!dns) throw new Error('this lab world has no DNS (no zones/zones.yaml in its data folder)');
    return dns;
  };
  const stub: StubResolver = createStubResolver({
    map: deps.map,
    manifest: () => requireDns().manifest,
    resolverLookups: () => requireDns().lookups.list(),
    serviceState: (hostname, transport) => infoOf(hostname, transport, DNS_PORT)?.state,
  });
  // Through requireDns at each call, like the stub: a reset loads a new DnsRuntime under open terminals.
  const resolverControls: ResolverControls = {
    state: () => requireDns().resolverState(),
    setMode: (mode) => requireDns().setMode(mode),
    flush: (name) => requireDns().flush(name),
  };

  /** `host`:`port` through the world's map: a world name, a world address or a loopback address. */
  const mapTarget = (host: string, port: number, shownHost = host, lookup?: NameLookup): ResolvedTarget => {
    const r = deps.map().resolve(host, port, 'tcp');
    if ('error' in r) {
      if (lookup?.address !== undefined && lookup.source !== 'world') {
        throw connectorError(`${shownHost} is ${lookup.address} in DNS, but no host of the lab world has that address, so nothing answers there ('hosts' lists the lab's hosts)`, 'EHOSTUNREACH', lookup);
      }
      // The shell words an unknown name like telnet does; a bad port keeps its own message.
      throw connectorError(r.error, /unknown host|no host/.test(r.error) ? 'ENOTFOUND' : undefined, lookup);
    }
    const target: ResolvedTarget = { host: shownHost, virtualAddress: r.virtualAddress, virtualPort: r.host ? port : r.port, address: r.address, port: r.port };
    if (r.host) target.hostname = r.host.name;
    if (r.service) {
      target.protocol = r.service.protocol;
      target.servicePort = r.service.port;
    }
    if (lookup) target.lookup = lookup;
    return target;
  };

  /** An A query to the local resolver; the world's host list when it gives no address. */
  const lookUp = async (resolver: StubResolver, dns: ConnectorDns, host: string): Promise<NameLookup> => {
    const manifest = dns.manifest;
    const server = manifest.resolver.name;
    const fromWorld = (problem: string, rttMs?: number): NameLookup => {
      const known = deps.map().hostByName(host);
      return { name: host, server, aliases: [], source: 'world', problem, ...(known ? { address: known.address } : {}), ...(rttMs !== undefined ? { rttMs } : {}) };
    };
    const found = resolver.localResolver();
    if (!found.ok) return fromWorld(found.error);
    // A stopped resolver would only make the student wait for the timeout: say so at once.
    const state = infoOf(found.server.name, 'udp', DNS_PORT)?.state;
    if (state !== undefined && state !== 'listening') return fromWorld(`${server} is ${state === 'failed' ? 'not running (it could not start)' : state}`);
    const r = await resolver.lookupAddress(host, { server: found.server });
    if (!r.ok) return fromWorld(lookupProblem(r, server), r.rttMs);
    const map = deps.map();
    const address = r.addresses.find((a) => map.hostByAddress(a) !== undefined) ?? r.addresses[0]!;
    const aliases = r.aliases.length > 0 ? [...r.aliases.slice(1), r.canonicalName].map(withoutDot) : [];
    return { name: host, server, aliases, address, addressCount: r.addresses.length, source: r.fromResolverCache ? 'cache' : 'dns', rttMs: r.rttMs };
  };

  return {
    get dns() {
      return currentDns() ? stub : undefined;
    },

    get resolver() {
      return currentDns() ? resolverControls : undefined;
    },

    async resolve(host, port) {
      const portOk = Number.isInteger(port) && port >= 1 && port <= MAX_PORT;
      const dns = currentDns();
      if (!dns || !portOk || skipsDns(host)) return mapTarget(host, port);
      const lookup = await lookUp(stub, dns, host.trim());
      if (lookup.address === undefined) throw connectorError(`unknown host '${host}'`, 'ENOTFOUND', lookup);
      const client = deps.map().world.client;
      // The student's own machine is in DNS too, but runs no lab server.
      if (lookup.address === client.address) throw connectorError(`${host} is ${client.address}: your own machine`, 'ENOTFOUND', lookup);
      return mapTarget(lookup.address, port, host, lookup);
    },

    connect(target) {
      return new Promise((resolve, reject) => {
        const socket = net.connect({ host: target.address, port: target.port, allowHalfOpen: true });
        socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error(`no answer from ${target.address}:${target.port} within ${CONNECT_TIMEOUT_MS / 1000} s`)));
        socket.once('error', reject);
        socket.once('connect', () => {
          socket.setTimeout(0);
          socket.off('error', reject);
          socket.on('error', () => {}); // reported through onClose
          if (!deps.isLabListener(target.port)) {
            const client: Endpoint = { address: socket.localAddress ?? '127.0.0.1', port: socket.localPort ?? 0, virtualAddress: deps.map().world.client.address, virtualPort: socket.localPort ?? 0, hostname: deps.map().world.client.name };
            const server: Endpoint = { address: target.address, port: target.port, virtualAddress: target.virtualAddress, virtualPort: target.virtualPort };
            if (target.hostname) server.hostname = target.hostname;
            tapTcpSocket(socket, sink, { side: 'client', protocol: target.protocol ?? 'raw', client, server });
          }
          resolve(wrapSocket(socket, target));
        });
      });
    },

    listHosts() {
      return deps.map().world.hosts.map((h) => ({
        name: h.name,
        address: h.address,
        aliases: h.aliases,
        services: h.services.map((s) => {
          const state = infoOf(h.name, s.transport, s.port)?.state;
          return { protocol: s.protocol, port: s.port, transport: s.transport, realPort: deps.map().labPortOf(s), ...(state ? { state } : {}) };
        }),
      }));
    },

    localHost() {
      return { name: deps.map().world.client.name, address: deps.map().world.client.address };
    },

    serviceState(host, port) {
      const worldHost = deps.map().hostByName(host);
      if (!worldHost?.services.some((s) => s.transport === 'tcp' && s.port === port)) return undefined;
      // A world service the lab has no server for cannot be running.
      return infoOf(worldHost.name, 'tcp', port)?.state ?? 'stopped';
    },
  };
}

function wrapSocket(socket: net.Socket, target: ResolvedTarget): RawConnection {
  let peerEnded = false;
  let lastError: string | undefined;
  socket.on('end', () => {
    peerEnded = true;
    // We are a telnet-like client: when the server closes, we close too.
    socket.end();
  });
  socket.on('error', (err) => {
    lastError = err.message;
  });
  return {
    target,
    write: (bytes) => {
      if (!socket.destroyed && !socket.writableEnded) socket.write(bytes);
    },
    end: () => socket.end(),
    destroy: () => socket.destroy(),
    onData: (listener) => socket.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk))),
    onClose: (listener) => socket.once('close', () => listener(lastError ? { byPeer: peerEnded, error: lastError } : { byPeer: peerEnded })),
  };
}
