// The lab's raw TCP client, behind the terminal's `open`: resolves world names and addresses to
// loopback, connects, and taps the socket. A connection to one of the lab's own services is
// already captured by that service's server-side tap, so the client side is not tapped again:
// each loopback connection appears once, as Wireshark on the loopback interface would show it.

import net from 'node:net';
import type { Endpoint, Transport } from '../../shared/capture';
import type { ServiceInfo } from '../../shared/lab-api';
import { tapTcpSocket } from './capture/tap';
import type { CaptureSink } from './capture/tap';
import type { RawConnection, RawConnector, RawConnectorError, ResolvedTarget } from './terminal/types';
import type { AddressMap } from './world/address-map';

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
}

export function createRawConnector(deps: RawConnectorDeps): RawConnector {
  const { sink } = deps;
  const infoOf = (hostname: string, transport: Transport, port: number): ServiceInfo | undefined =>
    deps.serviceInfos().find((s) => s.hostname === hostname && s.transport === transport && s.wellKnownPort === port);
  return {
    async resolve(host, port) {
      const r = deps.map().resolve(host, port, 'tcp');
      if ('error' in r) {
        const err: RawConnectorError = new Error(r.error);
        // The shell words an unknown name like telnet does; a bad port keeps its own message.
        if (/unknown host|no host/.test(r.error)) err.code = 'ENOTFOUND';
        throw err;
      }
      const target: ResolvedTarget = { host, virtualAddress: r.virtualAddress, virtualPort: r.host ? port : r.port, address: r.address, port: r.port };
      if (r.host) target.hostname = r.host.name;
      if (r.service) {
        target.protocol = r.service.protocol;
        target.servicePort = r.service.port;
      }
      return target;
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
