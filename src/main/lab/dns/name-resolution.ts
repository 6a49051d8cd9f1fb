// How the terminal turns a typed host name into an address: as a real host would, with an A query
// to the local resolver (dns.poly.edu), a real exchange the capture and the resolution view show.
// Only when DNS gives no address (no such name, the resolver stopped) does the lab's host list
// answer instead, and the lookup says why. Addresses, localhost and text that is no domain name
// are not looked up at all. The connector (raw-connector.ts) turns the address into a connection.
//
//   stub        the lab's DNS client (dig, nslookup), when the lab runs DNS
//   controls    the local resolver's cache and mode (`resolver`), when the lab runs DNS
//   lookUp      a typed name -> the lookup record the terminal prints, or null when DNS is skipped

import type { Transport } from '../../../shared/capture';
import type { DnsLookup, ResolverMode, ResolverState } from '../../../shared/dns';
import type { ServiceState } from '../../../shared/lab-api';
import { displayName, parseIPv6, type ZoneManifest } from '../../../protocols/dns';
import type { NameLookup, ResolverControls } from '../terminal/types';
import type { AddressMap } from '../world/address-map';
import { isIPv4 } from '../world/world';
import { type AddressLookup, checkDomainName, createStubResolver, type StubResolver } from './stub-resolver';
import type { UnreceivedQueryCapture } from './unreceived-query';

/** What name resolution needs of the lab's DnsRuntime. */
export interface LabDns {
  readonly manifest: ZoneManifest;
  readonly lookups: { list(): DnsLookup[] };
  resolverState(): ResolverState;
  setMode(mode: ResolverMode): ResolverState;
  flush(name: string | null): ResolverState;
}

export interface NameResolutionDeps {
  /** The current world's map; a getter, because a reset loads a new world under open terminals. */
  map: () => AddressMap;
  /**
   * The lab's DNS (a getter, like `map`: a reset loads a new DnsRuntime): its manifest names the
   * local resolver, and the resolver's lookups tell an answer from its cache. While it gives null
   * (a world without zones) names come from the world's host list alone.
   */
  dns: () => LabDns | null;
  /** The state of the DNS service a world host runs right now, as the Servers pane shows it; undefined when unknown. */
  dnsServiceState(hostName: string, transport: Transport): ServiceState | undefined;
  /** Where a query to a stopped server is recorded from the asking side (unreceived-query.ts). */
  capture?: UnreceivedQueryCapture;
}

export interface NameResolution {
  /** The lab's DNS client, when the lab runs DNS. */
  readonly stub: StubResolver | undefined;
  /** The local resolver's cache and mode, when the lab runs DNS. */
  readonly controls: ResolverControls | undefined;
  /**
   * How the local resolver (or, failing it, the world's host list) resolved `host`; null when DNS
   * is skipped: the lab runs no DNS, or `host` is an address, localhost or no domain name.
   */
  lookUp(host: string): Promise<NameLookup | null>;
}

/** Addresses, loopback names and text that is no domain name are not looked up in DNS. */
export function skipsDns(host: string): boolean {
  const text = host.trim().replace(/^\[(.*)\]$/, '$1');
  return text.toLowerCase() === 'localhost' || isIPv4(text) || parseIPv6(text) !== null || !checkDomainName(text).ok;
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

export function createNameResolution(deps: NameResolutionDeps): NameResolution {
  const requireDns = (): LabDns => {
    const dns = deps.dns();
    if (!dns) throw new Error('this lab world has no DNS (no zones/zones.yaml in its data folder)');
    return dns;
  };
  const stub = createStubResolver({
    map: deps.map,
    manifest: () => requireDns().manifest,
    resolverLookups: () => requireDns().lookups.list(),
    serviceState: deps.dnsServiceState,
    ...(deps.capture ? { capture: deps.capture } : {}),
  });
  // Through requireDns at each call, like the stub: a reset loads a new DnsRuntime under open terminals.
  const controls: ResolverControls = {
    state: () => requireDns().resolverState(),
    setMode: (mode) => requireDns().setMode(mode),
    flush: (name) => requireDns().flush(name),
  };

  /** An A query to the local resolver; the world's host list when it gives no address. */
  const askResolver = async (dns: LabDns, host: string): Promise<NameLookup> => {
    const server = dns.manifest.resolver.name;
    const fromWorld = (problem: string, rttMs?: number): NameLookup => {
      const known = deps.map().hostByName(host);
      return { name: host, server, aliases: [], source: 'world', problem, ...(known ? { address: known.address } : {}), ...(rttMs !== undefined ? { rttMs } : {}) };
    };
    const found = stub.localResolver();
    if (!found.ok) return fromWorld(found.error);
    // A stopped resolver would only make the student wait for the timeout: say so at once.
    const state = deps.dnsServiceState(found.server.name, 'udp');
    if (state !== undefined && state !== 'listening') return fromWorld(`${server} is ${state === 'failed' ? 'not running (it could not start)' : state}`);
    const r = await stub.lookupAddress(host, { server: found.server });
    if (!r.ok) return fromWorld(lookupProblem(r, server), r.rttMs);
    const map = deps.map();
    const address = r.addresses.find((a) => map.hostByAddress(a) !== undefined) ?? r.addresses[0]!;
    const aliases = r.aliases.length > 0 ? [...r.aliases.slice(1), r.canonicalName].map(displayName) : [];
    return { name: host, server, aliases, address, addressCount: r.addresses.length, source: r.fromResolverCache ? 'cache' : 'dns', rttMs: r.rttMs };
  };

  return {
    get stub() {
      return deps.dns() ? stub : undefined;
    },
    get controls() {
      return deps.dns() ? controls : undefined;
    },
    async lookUp(host) {
      const dns = deps.dns();
      if (!dns || skipsDns(host)) return null;
      return askResolver(dns, host.trim());
    },
  };
}
