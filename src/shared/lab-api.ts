// LabApi: the one contract between the lab core and every face. The renderer talks only to this;
// the Electron preload exposes it over IPC and the web face over a WebSocket. Types only.

import type { CaptureBatch, CaptureStats, ConnectionInfo, MessageDetail, MessageSummary, Transport } from './capture';
import type { DnsLookup, DnsRole, ResolverMode, ResolverState, ZoneFileInfo, ZoneSaveResult } from './dns';
import type { AccessLinkSettings, WebCacheState } from './web-cache';

export type ServiceState = 'stopped' | 'starting' | 'listening' | 'failed';

export interface ServiceInfo {
  /** Stable id: `<hostname>/<protocol>/<transport>`, e.g. `gaia.cs.umass.edu/echo/tcp`. */
  id: string;
  protocol: string;
  transport: Transport;
  hostname: string;
  /** Address of the host in the lab world, e.g. 128.119.245.12. */
  virtualAddress: string;
  /** The service's well-known port in the world, e.g. 7 for echo, 80 for HTTP. */
  wellKnownPort: number;
  /** Where it really listens: 127.0.0.1 unless binding elsewhere was explicitly asked for. */
  address: string;
  port: number;
  state: ServiceState;
  /** Why it is not listening, in a sentence that names the service and the port. */
  error?: string;
  /** Connections open right now (TCP) or peers seen (UDP). */
  connections: number;
  /** One line for the servers panel. */
  description: string;
}

export interface WorldHostInfo {
  name: string;
  address: string;
  aliases: string[];
  description?: string;
  /** For a DNS server of the world: its place in the hierarchy (the local name server is `resolver`). */
  dnsRole?: Exclude<DnsRole, 'client'>;
}

export interface LabSnapshot {
  dataDir: string;
  portOffset: number;
  services: ServiceInfo[];
  hosts: WorldHostInfo[];
  capture: CaptureStats;
}

export interface TerminalOpenOptions {
  cols: number;
  rows: number;
}

/** Events pushed from the core to a face. */
export interface LabEvents {
  services: ServiceInfo[];
  capture: CaptureBatch;
  terminal: { terminalId: string; data: string };
  terminalExit: { terminalId: string };
  /** The web cache's stats, entries or link settings changed (coalesced: a few per second at most). */
  webCache: WebCacheState;
  /** The local resolver's cache, mode or statistics changed (coalesced, like webCache). */
  resolver: ResolverState;
  /** A lookup at the local resolver started, gained a step, or finished (coalesced per lookup). */
  dnsLookup: DnsLookup;
  /** A zone file was saved and the servers reloaded it. */
  zones: ZoneFileInfo[];
}

export type LabEventName = keyof LabEvents;

/** Commands a face may call. Every method is async because it crosses a process or a socket. */
export interface LabCommands {
  getSnapshot(): Promise<LabSnapshot>;
  startService(id: string): Promise<ServiceInfo>;
  stopService(id: string): Promise<ServiceInfo>;
  /** Restore the data folder from content/ (stops and restarts services). */
  resetData(): Promise<LabSnapshot>;

  /** Messages with ids in [fromId, fromId + count), read back from the journal where needed. */
  listMessages(fromId: number, count: number): Promise<MessageSummary[]>;
  getMessage(id: number): Promise<MessageDetail | null>;
  listConnections(): Promise<ConnectionInfo[]>;

  openTerminal(options: TerminalOpenOptions): Promise<{ terminalId: string }>;
  terminalInput(terminalId: string, data: string): Promise<void>;
  terminalResize(terminalId: string, cols: number, rows: number): Promise<void>;
  closeTerminal(terminalId: string): Promise<void>;

  /** The web cache (caching proxy): where it listens, its stored entries, its statistics and the access link. */
  getWebCache(): Promise<WebCacheState>;
  /** Sets the simulated access link between the cache and the origin servers (bounds in web-cache.ts). */
  setAccessLink(settings: AccessLinkSettings): Promise<WebCacheState>;
  /** Empties the cache and zeroes its statistics; the link settings stay. */
  clearWebCache(): Promise<WebCacheState>;

  /** The local resolver (dns.poly.edu): its mode, its cache with TTLs counting down, its statistics. */
  getResolver(): Promise<ResolverState>;
  /** Switches between the iterative and the recursive scheme; the cache stays. */
  setResolverMode(mode: ResolverMode): Promise<ResolverState>;
  /** Empties the cache (every entry, or those of one owner name when `name` is given). */
  flushResolverCache(name: string | null): Promise<ResolverState>;
  /** The lookups the resolver made recently, oldest first (at most MAX_DNS_LOOKUPS). */
  listDnsLookups(): Promise<DnsLookup[]>;

  /** The zone files the name servers serve, with each one's problems. */
  listZones(): Promise<ZoneFileInfo[]>;
  /** The text of one zone file in the lab's data folder. */
  readZone(file: string): Promise<string>;
  /** Checks the text; without errors it is saved and every server answers from it at once. */
  saveZone(file: string, text: string): Promise<ZoneSaveResult>;
}

export type LabCommandName = keyof LabCommands;

export interface LabApi extends LabCommands {
  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void): () => void;
}

/** Wire frames shared by the WebSocket bridge and the Electron utility-process bridge. */
export type LabWireFrame =
  | { kind: 'call'; id: number; method: LabCommandName; args: unknown[] }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: string }
  | { kind: 'event'; name: LabEventName; payload: unknown };

/**
 * Every command the bridges accept, with how many arguments it takes, so a face can refuse
 * anything else before it reaches the core. The type makes the compiler list every LabCommands
 * method here, and no other name, with its true argument count.
 */
export const LAB_COMMAND_ARITY = {
  getSnapshot: 0,
  startService: 1,
  stopService: 1,
  resetData: 0,
  listMessages: 2,
  getMessage: 1,
  listConnections: 0,
  openTerminal: 1,
  terminalInput: 2,
  terminalResize: 3,
  closeTerminal: 1,
  getWebCache: 0,
  setAccessLink: 1,
  clearWebCache: 0,
  getResolver: 0,
  setResolverMode: 1,
  flushResolverCache: 1,
  listDnsLookups: 0,
  listZones: 0,
  readZone: 1,
  saveZone: 2,
} as const satisfies { [K in LabCommandName]: Parameters<LabCommands[K]>['length'] };

export const LAB_COMMAND_NAMES = Object.keys(LAB_COMMAND_ARITY) as readonly LabCommandName[];

export function isLabCommandName(name: unknown): name is LabCommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(LAB_COMMAND_ARITY, name);
}

/** Every event a core pushes; the type makes the compiler list each LabEvents key, and no other. */
const LAB_EVENTS = {
  services: true,
  capture: true,
  terminal: true,
  terminalExit: true,
  webCache: true,
  resolver: true,
  dnsLookup: true,
  zones: true,
} as const satisfies Record<LabEventName, true>;

export const LAB_EVENT_NAMES = Object.keys(LAB_EVENTS) as readonly LabEventName[];

export function isLabEventName(name: unknown): name is LabEventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(LAB_EVENTS, name);
}
