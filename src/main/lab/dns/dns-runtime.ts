// Everything the lab's DNS servers share while they run: the zones each server answers from
// (reloaded when a student saves a zone file), the local resolver's cache, mode and statistics,
// the log of lookups for the resolution view, and the one way any of them asks another server a
// question (so every such exchange is a real datagram in the capture and a step in its lookup).

import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import {
  DNS_EDNS_SERVER_PAYLOAD,
  DNS_PORT,
  type AskOutcome,
  type DnsQuestion,
  type NameServerAddress,
  ResolverCache,
  ZoneSet,
  makeQuery,
  nameKey,
  summarizeDnsModel,
  zoneProblemInfo,
  rootServers as rootServersOf,
} from '../../../protocols/dns';
import type { DnsLookup, DnsPeer, DnsRole, ResolverMode, ResolverState, ResolverStats, ZoneFileInfo, ZoneSaveResult } from '../../../shared/dns';
import { MAX_RESOLVER_STATE_ENTRIES, MAX_ZONE_FILE_BYTES, RESOLVER_MODES } from '../../../shared/dns';
import type { LabClientRegistry } from '../services/lab-clients';
import type { AddressMap } from '../world/address-map';
import { DnsPeerRegistry } from './dns-peers';
import { type DnsExchangeResult, type DnsTarget, STOPPING_REASON, exchangeDns, isTruncatedUdpReply, randomQueryId } from './dns-exchange';
import { type DnsWorld, type LoadedZoneFile, hierarchyProblemsOf, loadZoneFile, zoneFileInfo, zonesDir } from './dns-world';
import { DnsLookupLog } from './lookup-log';
import { DNS_RUNTIME_MAX_EXCHANGES } from './resolver-limits';
import { stepMessageOf } from './step-message';
import { type UnreceivedQueryCapture, tapUnreceivedQuery } from './unreceived-query';

export interface DnsRuntimeOptions {
  world: DnsWorld;
  worldDir: string;
  map: AddressMap;
  labClients: LabClientRegistry;
  /** Where a query to a stopped server is recorded from the asking side; without it, it is not recorded. */
  capture?: UnreceivedQueryCapture;
  /** Wall clock, ms since the epoch (TTLs count down on it). */
  now: () => number;
  onResolver?(state: ResolverState): void;
  onLookup?(lookup: DnsLookup): void;
  onZones?(zones: ZoneFileInfo[]): void;
}

/** The resolver's state events, like the web cache's: a few a second at most (WEB_CACHE_EVENT_INTERVAL_MS). */
export const RESOLVER_EVENT_INTERVAL_MS = 250;

/**
 * How long the resolver waits for one server: 500 ms. The lab's servers answer on loopback in about
 * a millisecond; BIND starts near 800 ms on the Internet. Shorter than the client's wait
 * (DNS_QUERY_TIMEOUT_MS, 2 s) so a dead server costs the client a SERVFAIL, not a timeout.
 */
export const RESOLVER_UPSTREAM_TIMEOUT_MS = 500;

/**
 * In the recursive scheme each server passing the question on waits this much less than the one
 * that asked it, so a dead server deep in the chain is reported by the server next to it before
 * every server above gives up at once and blames the root.
 */
export const RELAY_TIMEOUT_STEP_MS = 100;
export const RELAY_MIN_TIMEOUT_MS = 100;

export function upstreamTimeoutMs(relayDepth: number): number {
  return Math.max(RELAY_MIN_TIMEOUT_MS, RESOLVER_UPSTREAM_TIMEOUT_MS - relayDepth * RELAY_TIMEOUT_STEP_MS);
}

export interface AskOptions {
  recursionDesired: boolean;
  lookupId?: number;
  transport?: 'udp' | 'tcp';
  /** A server passing the question on in the recursive scheme: how many did before it (dns-peers.ts). */
  relayDepth?: number;
  /** Overrides upstreamTimeoutMs(relayDepth) (tests). */
  timeoutMs?: number;
}

export class DnsRuntime {
  readonly peers = new DnsPeerRegistry();
  readonly cache = new ResolverCache();
  readonly lookups: DnsLookupLog;
  private mode: ResolverMode = 'iterative';
  private readonly stats: ResolverStats = { queries: 0, cacheHits: 0, upstreamQueries: 0, upstreamFailures: 0 };
  private files: LoadedZoneFile[];
  private hierarchyProblems: string[];
  private readonly zoneSets = new Map<string, ZoneSet>();
  private resolverEventPending = false;
  /** Aborted when the lab stops or reloads its world: every exchange under way ends at once. */
  private readonly stopping = new AbortController();
  private lastResolverEvent = Number.NEGATIVE_INFINITY;

  private readonly rootHints: NameServerAddress[];

  constructor(private readonly options: DnsRuntimeOptions) {
    setMaxListeners(DNS_RUNTIME_MAX_EXCHANGES, this.stopping.signal);
    this.rootHints = rootServersOf(options.world.manifest).map((s) => ({ name: s.name, address: s.address }));
    this.files = options.world.files;
    this.hierarchyProblems = options.world.hierarchyProblems;
    for (const s of options.world.manifest.servers) this.rebuildZoneSet(s.name);
    this.lookups = new DnsLookupLog(options.now, (l) => options.onLookup?.(l));
  }

  get manifest() {
    return this.options.world.manifest;
  }

  get now(): () => number {
    return this.options.now;
  }

  get resolverMode(): ResolverMode {
    return this.mode;
  }

  /** Problems between the zones and the manifest, for the zone editor and the log at start. */
  get hierarchy(): string[] {
    return [...this.hierarchyProblems];
  }

  private rebuildZoneSet(serverName: string): void {
    const zones = this.files.filter((f) => nameKey(f.server.name) === nameKey(serverName) && f.zone).map((f) => f.zone!);
    this.zoneSets.set(nameKey(serverName), new ZoneSet(zones));
  }

  /** The zones a server answers from right now (a saved zone file replaces its set at once). */
  zoneSetOf(serverName: string): ZoneSet {
    return this.zoneSets.get(nameKey(serverName)) ?? new ZoneSet([]);
  }

  isResolver(hostName: string): boolean {
    return nameKey(hostName) === nameKey(this.manifest.resolver.name);
  }

  /** A host as the resolution view shows it: its name, its address, its place in the hierarchy. */
  peerOf(nameOrAddress: string): DnsPeer {
    const key = nameKey(nameOrAddress);
    const { resolver, servers } = this.manifest;
    if (resolver.address === nameOrAddress || nameKey(resolver.name) === key) return { name: resolver.name, address: resolver.address, role: 'resolver' };
    const s = servers.find((x) => x.address === nameOrAddress || nameKey(x.name) === key);
    if (s) return { name: s.name, address: s.address, role: s.role };
    const client = this.options.map.world.client;
    if (client.address === nameOrAddress || nameKey(client.name) === key) return { name: client.name, address: client.address, role: 'client' };
    const host = this.options.map.hostByName(nameOrAddress.replace(/\.$/, '')) ?? this.options.map.hostByAddress(nameOrAddress);
    return { name: host?.name ?? nameOrAddress, address: host?.address ?? nameOrAddress, role: 'client' as DnsRole };
  }

  /** Where a world name server really listens (its UDP and TCP share the port). */
  targetOf(server: { name: string; address: string }): DnsTarget | null {
    const r = this.options.map.resolve(server.address, DNS_PORT, 'udp');
    if ('error' in r || !r.service) return null;
    return { name: server.name, address: server.address, labAddress: r.address, labPort: r.port };
  }

  /** The root hints: every server of the root zone, from the manifest (fixed for the runtime's life). */
  rootServers(): NameServerAddress[] {
    return this.rootHints;
  }

  /**
   * One query from a lab DNS host (the resolver, or a server passing a recursive query on) to a
   * server: a fresh random ID and socket, EDNS with the lab's payload size, TC answered over TCP;
   * the query and its reply become steps of the lookup. A UDP reply with TC set is a step of its
   * own, and so is the question asked again over TCP (RFC 1035 §4.2.1, RFC 7766 §5), each in its
   * capture connection: the student sees the retry as it crossed the wire.
   */
  async ask(from: DnsPeer, server: NameServerAddress, question: DnsQuestion, options: AskOptions): Promise<AskOutcome> {
    const to = this.peerOf(server.address);
    const target = this.targetOf(server);
    const query = makeQuery(randomQueryId(), question.name, question.type, { recursionDesired: options.recursionDesired, ednsPayload: DNS_EDNS_SERVER_PAYLOAD });
    // The statistics are the resolver's own: a server passing a question on (recursive scheme) is not the resolver asking.
    const stats = from.role === 'resolver' ? this.stats : { upstreamQueries: 0, upstreamFailures: 0 };
    if (!target) {
      stats.upstreamQueries++;
      stats.upstreamFailures++;
      return { ok: false, reason: `${server.name} (${server.address}) is not a name server of this lab` };
    }
    /** One query and its reply; the query's step gets the capture connection it is in. */
    const attempt = async (transport: 'udp' | 'tcp'): Promise<DnsExchangeResult> => {
      stats.upstreamQueries++; // each query sent counts, a retry over TCP too
      const step = this.lookups.step(options.lookupId, { kind: 'query', from, to, transport, summary: summarizeDnsModel(query), message: stepMessageOf(query) });
      // The server that receives the query records it, answered or not; a query to a stopped server is
      // recorded by the asking side (unreceived-query.ts). Either way exchangeDns says in which connection.
      const result = await exchangeDns(query, target, {
        transport,
        timeoutMs: options.timeoutMs ?? upstreamTimeoutMs(options.relayDepth ?? 0),
        from: { who: from, ...(options.lookupId !== undefined ? { lookupId: options.lookupId } : {}), ...(options.relayDepth !== undefined ? { relayDepth: options.relayDepth } : {}) },
        peers: this.peers,
        labClients: this.options.labClients,
        retryTruncatedOverTcp: false,
        onRejected: () => stats.upstreamFailures++,
        signal: this.stopping.signal,
        // The step is dated when the query leaves, not when the resolver decided to send it.
        onSent: () => this.lookups.retime(options.lookupId, step),
        ...(this.options.capture ? { tapClient: tapUnreceivedQuery(this.options.capture, from, target) } : {}),
      });
      if (step && result.connectionId !== undefined) step.connectionId = result.connectionId;
      return result;
    };
    // A reply with TC set says so itself, in its summary and outcome ("truncated (TC): retry over TCP").
    const logResponse = (result: Extract<DnsExchangeResult, { ok: true }>) =>
      this.lookups.step(options.lookupId, {
        kind: 'response',
        from: to,
        to: from,
        transport: result.transport,
        summary: summarizeDnsModel(result.response),
        ...(result.connectionId !== undefined ? { connectionId: result.connectionId } : {}),
        message: stepMessageOf(result.response),
      });
    let result = await attempt(options.transport ?? 'udp');
    if (isTruncatedUdpReply(result)) {
      logResponse(result);
      result = this.stopping.signal.aborted ? { ok: false, reason: STOPPING_REASON, transport: 'tcp', timedOut: false } : await attempt('tcp');
    }
    if (!result.ok) {
      stats.upstreamFailures++;
      this.lookups.step(options.lookupId, { kind: 'timeout', from: to, to: from, transport: result.transport, summary: result.reason });
      this.resolverChanged();
      return { ok: false, reason: result.reason };
    }
    logResponse(result);
    return { ok: true, response: result.response };
  }

  /** Ends every exchange under way (the lab is stopping or loading a new world); later ones fail at once. */
  stop(): void {
    this.stopping.abort();
  }

  countClientQuery(fromCache: boolean): void {
    this.stats.queries++;
    if (fromCache) this.stats.cacheHits++;
    this.resolverChanged();
  }

  resolverState(): ResolverState {
    const r = this.manifest.resolver;
    const target = this.targetOf(r);
    const view = this.cache.view(this.options.now(), MAX_RESOLVER_STATE_ENTRIES);
    return { name: r.name, address: r.address, port: target?.labPort ?? 0, mode: this.mode, entries: view.entries, truncated: view.truncated, stats: { ...this.stats } };
  }

  setMode(mode: unknown): ResolverState {
    if (typeof mode !== 'string' || !RESOLVER_MODES.includes(mode as ResolverMode)) throw new Error(`the resolver's mode is one of ${RESOLVER_MODES.join(', ')}, not ${JSON.stringify(mode)}`);
    this.mode = mode as ResolverMode;
    this.resolverChanged();
    return this.resolverState();
  }

  flush(name: unknown): ResolverState {
    if (name !== null && typeof name !== 'string') throw new Error('the name to flush must be text, or null for the whole cache');
    this.cache.flush(name === null || name.trim() === '' ? null : name.trim());
    this.resolverChanged();
    return this.resolverState();
  }

  /**
   * The resolver's state changed: one event per RESOLVER_EVENT_INTERVAL_MS at most, the first at
   * once. Building the state lists up to MAX_RESOLVER_STATE_ENTRIES entries, too much to do per query.
   */
  resolverChanged(): void {
    if (this.resolverEventPending || !this.options.onResolver) return;
    this.resolverEventPending = true;
    const wait = Math.max(0, this.lastResolverEvent + RESOLVER_EVENT_INTERVAL_MS - performance.now());
    const timer = setTimeout(() => {
      this.resolverEventPending = false;
      this.lastResolverEvent = performance.now();
      this.options.onResolver?.(this.resolverState());
    }, wait);
    timer.unref();
  }

  listZones(): ZoneFileInfo[] {
    return this.files.map(zoneFileInfo);
  }

  private zoneFile(file: unknown): LoadedZoneFile {
    if (typeof file !== 'string') throw new Error('the zone file name must be text');
    const f = this.files.find((x) => x.file === file);
    if (!f) throw new Error(`no zone file '${file}' in zones.yaml (known: ${this.files.map((x) => x.file).join(', ')})`);
    return f;
  }

  readZone(file: unknown): string {
    const f = this.zoneFile(file);
    return fs.readFileSync(path.join(zonesDir(this.options.worldDir), f.file), 'utf8');
  }

  /**
   * Checks the text as the server would load it. With errors nothing changes and the problems come
   * back with their lines; without, the file is replaced (writeReplacing) and its server answers
   * from it from the next query.
   */
  saveZone(file: unknown, text: unknown): ZoneSaveResult {
    const f = this.zoneFile(file);
    if (typeof text !== 'string') throw new Error('the zone text must be text');
    if (Buffer.byteLength(text) > MAX_ZONE_FILE_BYTES) {
      return { ok: false, problems: [{ severity: 'error', line: 1, column: 1, message: `the file is larger than ${MAX_ZONE_FILE_BYTES} bytes, the most the editor saves` }], hierarchyProblems: this.hierarchy };
    }
    const loaded = loadZoneFile(f.server, f.origin, f.file, text);
    if (!loaded.zone) return { ok: false, problems: loaded.problems.map(zoneProblemInfo), hierarchyProblems: this.hierarchy };
    const target = path.join(zonesDir(this.options.worldDir), f.file);
    writeReplacing(target, text);
    this.files = this.files.map((x) => (x === f ? loaded : x));
    this.rebuildZoneSet(f.server.name);
    this.hierarchyProblems = hierarchyProblemsOf(this.manifest, this.files);
    const zones = this.listZones();
    this.options.onZones?.(zones);
    return { ok: true, problems: loaded.problems.map(zoneProblemInfo), hierarchyProblems: this.hierarchy, zone: zoneFileInfo(loaded) };
  }
}

/**
 * Writes `text` to `file` through `file.saving` and a rename, so a crash leaves the old or the new
 * file, never half of one. When the write or the rename fails the `.saving` file is removed, and
 * the error names the file.
 */
function writeReplacing(file: string, text: string): void {
  const tmp = `${file}.saving`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (err) {
    removeLeftover(tmp);
    throw new Error(`could not save ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Removes a file that may not exist; a folder in its place (the lab writes none) is left alone. */
function removeLeftover(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Not a file: the error being reported is the one that matters.
  }
}
