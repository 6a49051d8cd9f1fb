// The lab's raw TCP client, behind the terminal's `open`: resolves world names and addresses to
// loopback, connects, and taps the socket. A connection to one of the lab's own services is
// already captured by that service's server-side tap, so the client side is not tapped again:
// each loopback connection appears once, as Wireshark on the loopback interface would show it.
//
// A typed name is looked up through the lab's DNS first (dns/name-resolution.ts); the address it
// gives is then mapped to where the lab really listens, like an address typed directly.

import net from 'node:net';
import type { Endpoint, Transport } from '../../shared/capture';
import type { ServiceInfo } from '../../shared/lab-api';
import { DNS_PORT } from '../../protocols/dns';
import { tapTcpSocket } from './capture/tap';
import type { CaptureSink } from './capture/tap';
import { createNameResolution, type LabDns } from './dns/name-resolution';
import type { NameLookup, RawConnection, RawConnector, RawConnectorError, ResolvedTarget } from './terminal/types';
import type { AddressMap } from './world/address-map';
import { MAX_PORT } from './world/world';

/** How long a connect may take before the terminal gives up (a loopback connect is instant). */
export const CONNECT_TIMEOUT_MS = 5_000;

export interface RawConnectorDeps {
  /** The current world's map; a getter, because a reset loads a new world under open terminals. */
  map: () => AddressMap;
  sink: CaptureSink;
  /** True when a lab service is listening on that real port (TCP unless told) right now. */
  isLabListener(port: number, transport?: Transport): boolean;
  /** The lab's services as the Servers pane shows them, with their current state. */
  serviceInfos(): ServiceInfo[];
  /** The lab's DNS, for names (see NameResolutionDeps.dns); without it names come from the world's host list alone. */
  dns?: () => LabDns | null;
}

function connectorError(message: string, code: string | undefined, lookup?: NameLookup): RawConnectorError {
  const err: RawConnectorError = new Error(message);
  if (code) err.code = code;
  if (lookup) err.lookup = lookup;
  return err;
}

export function createRawConnector(deps: RawConnectorDeps): RawConnector {
  const { sink } = deps;
  const infoOf = (hostname: string, transport: Transport, port: number): ServiceInfo | undefined =>
    deps.serviceInfos().find((s) => s.hostname === hostname && s.transport === transport && s.wellKnownPort === port);
  const names = createNameResolution({
    map: deps.map,
    dns: deps.dns ?? (() => null),
    dnsServiceState: (hostname, transport) => infoOf(hostname, transport, DNS_PORT)?.state,
    capture: { sink, udpListening: (port) => deps.isLabListener(port, 'udp') },
  });

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

  return {
    get dns() {
      return names.stub;
    },

    get resolver() {
      return names.controls;
    },

    async resolve(host, port) {
      // A bad port keeps its own message, before any DNS traffic.
      const portOk = Number.isInteger(port) && port >= 1 && port <= MAX_PORT;
      const lookup = portOk ? await names.lookUp(host) : null;
      if (!lookup) return mapTarget(host, port);
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
