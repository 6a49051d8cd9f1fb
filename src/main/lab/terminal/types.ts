// What the terminal shell needs from the lab: a way to open captured raw connections and to look
// up world names. The lab core implements these; the shell never touches node:net itself, so every
// connection it makes goes through the capture tap.

import type { ServiceState } from '../../../shared/lab-api';

export type { ServiceState };

export interface ResolvedTarget {
  /** What the student typed, e.g. `gaia.cs.umass.edu`. */
  host: string;
  /** World address shown to the student, e.g. 128.119.245.12. */
  virtualAddress: string;
  /** Port the student typed, e.g. 7. */
  virtualPort: number;
  /** Where the lab really connects: 127.0.0.1 and the mapped port, e.g. 10007. */
  address: string;
  port: number;
  /** Canonical world host name when known. */
  hostname?: string;
  /** Service listening there in the world, when known (e.g. `echo`). */
  protocol?: string;
  /**
   * That service's port in the world (7 for echo), set with `protocol`. It differs from
   * `virtualPort` when the student typed the real loopback port (`open 127.0.0.1 10007`).
   */
  servicePort?: number;
}

/** One service of a world host, as `hosts` lists it. */
export interface ServiceListing {
  protocol: string;
  /** The port in the world, e.g. 7. */
  port: number;
  transport: string;
  /** Where it really listens on loopback, e.g. 10007. */
  realPort: number;
  /** Whether it runs right now; absent when the connector cannot tell. */
  state?: ServiceState;
}

export interface HostListing {
  name: string;
  address: string;
  aliases: string[];
  services: ServiceListing[];
}

/** The student's own machine in the world (the world file's `client`), e.g. cis.poly.edu. */
export interface LocalHost {
  name: string;
  address: string;
}

export interface RawConnection {
  readonly target: ResolvedTarget;
  write(bytes: Uint8Array): void;
  /** Half-close: send FIN. */
  end(): void;
  /** Abort the connection. */
  destroy(): void;
  onData(listener: (bytes: Uint8Array) => void): void;
  /** The connection closed; `byPeer` is true when the other side closed first. */
  onClose(listener: (info: { byPeer: boolean; error?: string }) => void): void;
}

export interface RawConnector {
  /** Maps a world name, world address or loopback address plus port to a real target. */
  resolve(host: string, port: number): Promise<ResolvedTarget>;
  connect(target: ResolvedTarget): Promise<RawConnection>;
  /** For `hosts`: each world host with its address and services (virtual port -> protocol). */
  listHosts(): HostListing[];
  /** Who the student is in the world: the host their connections come from. */
  localHost(): LocalHost;
  /**
   * State of the TCP service that world host `host` (its canonical name) runs on world port `port`,
   * or undefined when it runs none there. Lets the shell tell "stopped" from "no such service".
   */
  serviceState(host: string, port: number): ServiceState | undefined;
}

export interface TerminalSessionOptions {
  cols: number;
  rows: number;
  /** Where the shell writes terminal output (may contain ANSI sequences). */
  write(data: string): void;
  connector: RawConnector;
}

/**
 * How `resolve` and `connect` reject, so the shell can word its messages as telnet does: `resolve`
 * with `code: 'ENOTFOUND'` when the name or address is not in the lab world (the code dns.lookup
 * uses), `connect` with the socket error's own code (`ECONNREFUSED` when nothing listens there).
 */
export interface RawConnectorError extends Error {
  code?: string;
}
