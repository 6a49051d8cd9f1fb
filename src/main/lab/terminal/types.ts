// What the terminal shell needs from the lab: a way to open captured raw connections and to look
// up world names. The lab core implements these; the shell never touches node:net itself, so every
// connection it makes goes through the capture tap.

import type { ResolverMode, ResolverState } from '../../../shared/dns';
import type { ServiceState } from '../../../shared/lab-api';
import type { StubResolverApi } from '../dns/stub-resolver';

export type { ServiceState, StubResolverApi };

/**
 * The local name server's cache and scheme, as the DNS panel has them (LabApi getResolver,
 * setResolverMode, flushResolverCache): for the `resolver` command. Each call returns the state
 * after it.
 */
export interface ResolverControls {
  state(): ResolverState;
  setMode(mode: ResolverMode): ResolverState;
  /** Forgets every entry of owner name `name` (all its types), or the whole cache for null. */
  flush(name: string | null): ResolverState;
}

/**
 * How `resolve` turned a typed name into an address, so the shell can show it before it connects:
 * the lab resolver's answer, or the lab's host list when DNS gave no address.
 */
export interface NameLookup {
  /** The name as typed, e.g. `gaia.cs.umass.edu`. */
  name: string;
  /** The name server asked, e.g. `dns.poly.edu`. */
  server: string;
  /** Where CNAME records led, in order (the last is the canonical name); empty without aliases. */
  aliases: string[];
  /** The address used; absent when neither DNS nor the lab's host list gave one. */
  address?: string;
  /** How many addresses DNS gave (the first one a lab host has is used). */
  addressCount?: number;
  /**
   * `dns`: the resolver answered (and may have asked other servers); `cache`: it answered from its
   * cache alone; `world`: DNS gave no address and the lab's host list did.
   */
  source: 'dns' | 'cache' | 'world';
  /** Time of the DNS exchange(s), when one was made. */
  rttMs?: number;
  /** Why DNS gave no address, e.g. `dns.poly.edu knows no such name (NXDOMAIN)`. */
  problem?: string;
}

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
  /** How the typed name was looked up, when it was a name (addresses and localhost skip DNS). */
  lookup?: NameLookup;
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
  /** The lab's DNS client (dig, nslookup), when the lab runs DNS. */
  readonly dns?: StubResolverApi;
  /** The local name server's cache and mode (`resolver`), when the lab runs DNS. */
  readonly resolver?: ResolverControls;
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
 * uses), or `code: 'EHOSTUNREACH'` when DNS gave an address no lab host has; `connect` with the
 * socket error's own code (`ECONNREFUSED` when nothing listens there).
 */
export interface RawConnectorError extends Error {
  code?: string;
  /** The DNS lookup made before the failure (e.g. the name exists in DNS but no lab host has its address). */
  lookup?: NameLookup;
}
