// The lab's own DNS client, what `host`, dig and a mail relay have at the bottom: it sends one
// question to one name server (the local resolver dns.poly.edu unless told otherwise) and reads the
// reply. It finds where a world name server really listens through the address map, and sends from
// a fresh socket with a random ID through exchangeDns. Its queries are the student's own: they
// come from the student's machine (cis.poly.edu) in the capture, so they are not registered as a
// lab peer (dns-peers.ts).
//
//   query(name, type, options)   one exchange, the reply as a DnsMessage
//   lookupAddress(name)          the A records, CNAMEs followed (what `open NAME PORT` needs)
//   lookupMailExchangers(domain) the MX records, lowest preference first, or the implicit MX (what a mail relay needs)

import {
  DNS_MAX_CNAME_CHAIN,
  DNS_PORT,
  type DnsMessage,
  type DnsQuestion,
  RCODE,
  RR_TYPE,
  encodeMessage,
  followCnames,
  makeQuery,
  nameKey,
  parseName,
  labelsToName,
  rcodeName,
  sameName,
  typeName,
  rootServers as rootServersOf,
} from '../../../protocols/dns';
import type { Transport } from '../../../shared/capture';
import type { DnsLookup, DnsRole } from '../../../shared/dns';
import type { ServiceState } from '../../../shared/lab-api';
import type { ZoneManifest } from '../../../protocols/dns';
import type { AddressMap } from '../world/address-map';
import { isIPv4 } from '../world/world';
import { DNS_QUERY_TIMEOUT_MS, exchangeDns, randomQueryId } from './dns-exchange';
import { DNS_PROTOCOL } from './dns-world';
import { type UnreceivedQueryCapture, tapUnreceivedQuery } from './unreceived-query';

/**
 * The UDP payload size the stub announces in its OPT record: 1232 octets, the size dig (BIND 9.16
 * and later) announces since DNS Flag Day 2020, so answers look as they do with the real dig.
 */
export const STUB_EDNS_PAYLOAD = 1232;

/** A name server the stub can ask: a world host running `dns`, and where it really listens. */
export interface DnsServerRef {
  /** World host name and address, e.g. dns.poly.edu, 128.238.29.22. */
  name: string;
  address: string;
  /** Its place in the course's picture. */
  role: Exclude<DnsRole, 'client'>;
  /** Where it really listens (UDP and TCP share the port), e.g. 127.0.0.1:10053. */
  labAddress: string;
  labPort: number;
}

export type ServerLookup = { ok: true; server: DnsServerRef } | { ok: false; error: string };

export interface StubQueryOptions {
  /** Default: the local resolver. */
  server?: DnsServerRef;
  /** Ask over TCP from the start (a UDP reply with TC set is asked again over TCP anyway). */
  tcp?: boolean;
  /** RD: ask the server to resolve the name for us (default true). */
  recursionDesired?: boolean;
  /** Send an OPT record (EDNS(0), RFC 6891); default true. Without it a reply is cut at 512 octets. */
  edns?: boolean;
  timeoutMs?: number;
}

interface QueryBase {
  server: DnsServerRef;
  question: DnsQuestion;
  /** The query as sent, and its size on the wire (without a TCP length prefix). */
  query: DnsMessage;
  querySize: number;
}

export type StubQueryResult =
  | (QueryBase & {
      ok: true;
      response: DnsMessage;
      responseSize: number;
      transport: 'udp' | 'tcp';
      rttMs: number;
      /** The UDP reply was truncated (TC), so the question was asked again over TCP. */
      truncatedFirst: boolean;
      /** Asking the local resolver: whether it answered from its cache alone (undefined when unknown). */
      fromResolverCache?: boolean;
    })
  | (QueryBase & {
      ok: false;
      transport: 'udp' | 'tcp';
      reason: string;
      /** No reply came before the timeout (rather than, say, a refused TCP connection). */
      timedOut: boolean;
      /** The server's DNS service is not running in the lab right now. */
      serverState?: ServiceState;
    });

/** Why a lookup found nothing: the name does not exist, it has no such records, the server failed, or no reply came. */
export type LookupFailureKind = 'invalid-name' | 'nxdomain' | 'nodata' | 'server-error' | 'no-reply' | 'cname-loop';

export type AddressLookup =
  | {
      ok: true;
      /** The name asked for, canonical (`gaia.cs.umass.edu.`). */
      name: string;
      /** Where the CNAME chain ended; the name itself when there is none. */
      canonicalName: string;
      /** Names that were aliases, in the order they were followed (empty without CNAMEs). */
      aliases: string[];
      /** IPv4 addresses of the canonical name, in the order the server gave them. */
      addresses: string[];
      server: DnsServerRef;
      /** Time of all the exchanges together. */
      rttMs: number;
      fromResolverCache?: boolean;
    }
  | { ok: false; name: string; server?: DnsServerRef; kind: LookupFailureKind; reason: string; rcode?: string; serverState?: ServiceState; rttMs?: number };

export interface MailExchanger {
  preference: number;
  exchange: string;
  /** No MX records: the domain's own address record stands in for one, preference 0 (RFC 5321 §5.1). */
  implicit?: boolean;
}

export type MailExchangerLookup =
  | { ok: true; name: string; exchangers: MailExchanger[]; server: DnsServerRef; rttMs: number }
  | { ok: false; name: string; server?: DnsServerRef; kind: LookupFailureKind; reason: string; rcode?: string; serverState?: ServiceState };

export interface StubResolverDeps {
  /** The current world's map; a getter, because a reset loads a new world. */
  map: () => AddressMap;
  /** The DNS part of the world (zones.yaml): the local resolver and the root servers. */
  manifest: () => ZoneManifest;
  /** The local resolver's lookups (lookup-log.ts), to tell an answer from its cache; optional. */
  resolverLookups?: () => readonly DnsLookup[];
  /** The state of the DNS service a world host runs, to say why no reply came; optional. */
  serviceState?: (hostName: string, transport: Transport) => ServiceState | undefined;
  /** Where a query to a stopped server is recorded, from this machine's side (unreceived-query.ts); optional. */
  capture?: UnreceivedQueryCapture;
  /** Default wait for a reply (DNS_QUERY_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** The public face of the stub: what the terminal and, later, the mail relay call. */
export interface StubResolverApi {
  /** The local resolver, the default server. */
  localResolver(): ServerLookup;
  /** The root servers the lab's zones.yaml names (the root hints of dig +trace). */
  rootServers(): DnsServerRef[];
  /**
   * A name server by world name or address (`dns.cs.umass.edu`, `128.119.240.1`), or a loopback
   * address with the lab port it listens on (`127.0.0.1`, 15308). `port` with a world name is the
   * port in the world, where only 53 has a name server.
   */
  findServer(nameOrAddress: string, port?: number): ServerLookup;
  query(name: string, type: number, options?: StubQueryOptions): Promise<StubQueryResult>;
  lookupAddress(name: string, options?: { server?: DnsServerRef; timeoutMs?: number }): Promise<AddressLookup>;
  lookupMailExchangers(domain: string, options?: { server?: DnsServerRef; timeoutMs?: number }): Promise<MailExchangerLookup>;
}

/** `gaia.cs.umass.edu` as the absolute name `gaia.cs.umass.edu.`, or why it is not a domain name. */
export function checkDomainName(text: string): { ok: true; name: string } | { ok: false; message: string } {
  const parsed = parseName(text.trim());
  if (!parsed.ok) return { ok: false, message: `'${text}' is not a domain name: ${parsed.message}` };
  return { ok: true, name: labelsToName(parsed.labels) };
}

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1)$/i;

export class StubResolver implements StubResolverApi {
  constructor(private readonly deps: StubResolverDeps) {}

  private roleOf(hostName: string): DnsServerRef['role'] {
    const manifest = this.deps.manifest();
    if (sameName(manifest.resolver.name, hostName)) return 'resolver';
    return manifest.servers.find((s) => sameName(s.name, hostName))?.role ?? 'authoritative';
  }

  localResolver(): ServerLookup {
    return this.findServer(this.deps.manifest().resolver.address);
  }

  rootServers(): DnsServerRef[] {
    return rootServersOf(this.deps.manifest()).flatMap((s) => {
      const found = this.findServer(s.address);
      return found.ok ? [found.server] : [];
    });
  }

  findServer(nameOrAddress: string, port?: number): ServerLookup {
    const text = nameOrAddress.trim().replace(/\.$/, '');
    const map = this.deps.map();
    if (LOOPBACK.test(text)) {
      const local = text.toLowerCase() === 'localhost' ? '127.0.0.1' : text;
      const resolverPort = this.labPortOf(this.deps.manifest().resolver.address);
      const hint = resolverPort ? ` (the local resolver is ${local} port ${resolverPort})` : '';
      if (port === undefined) return { ok: false, error: `which port of ${local}? Every lab name server listens on a port of its own${hint}` };
      const binding = map.bindingAtLabPort(port, 'udp');
      if (!binding || binding.service.protocol !== DNS_PROTOCOL) return { ok: false, error: `no lab name server listens on ${local} port ${port}${hint}` };
      // Every loopback address is this machine; the lab's servers listen on one of them.
      const labAddress = map.bindAddress === '0.0.0.0' ? '127.0.0.1' : map.bindAddress;
      return { ok: true, server: { name: binding.host.name, address: binding.host.address, role: this.roleOf(binding.host.name), labAddress, labPort: port } };
    }
    const worldPort = port ?? DNS_PORT;
    const r = map.resolve(text, worldPort, 'udp');
    if ('error' in r || !r.host) return { ok: false, error: isIPv4(text) ? `no host of the lab world has the address ${text}` : `'${nameOrAddress}' is not a host of the lab world` };
    if (!r.service || r.service.protocol !== DNS_PROTOCOL) {
      const where = worldPort === DNS_PORT ? '' : ` on port ${worldPort}`;
      return { ok: false, error: `${r.host.name} (${r.host.address}) runs no name server${where} in this lab` };
    }
    return { ok: true, server: { name: r.host.name, address: r.host.address, role: this.roleOf(r.host.name), labAddress: r.address, labPort: r.port } };
  }

  private labPortOf(address: string): number | undefined {
    const r = this.deps.map().resolve(address, DNS_PORT, 'udp');
    return 'error' in r || !r.service ? undefined : r.port;
  }

  async query(name: string, type: number, options: StubQueryOptions = {}): Promise<StubQueryResult> {
    const checked = checkDomainName(name);
    if (!checked.ok) throw new Error(checked.message);
    let server = options.server;
    if (!server) {
      const resolver = this.localResolver();
      if (!resolver.ok) throw new Error(`the local resolver cannot be reached: ${resolver.error}`);
      server = resolver.server;
    }
    const query = makeQuery(randomQueryId(), checked.name, type, { recursionDesired: options.recursionDesired ?? true, ...(options.edns === false ? {} : { ednsPayload: STUB_EDNS_PAYLOAD }) });
    const question = query.questions[0]!;
    const base: QueryBase = { server, question, query, querySize: encodeMessage(query).length };
    const transport = options.tcp ? 'tcp' : 'udp';
    const timeoutMs = options.timeoutMs ?? this.deps.timeoutMs ?? DNS_QUERY_TIMEOUT_MS;
    const isResolver = server.role === 'resolver';
    const lookupsBefore = isResolver ? this.lastLookupId() : undefined;
    const target = { name: server.name, address: server.address, labAddress: server.labAddress, labPort: server.labPort };
    // The student's own queries: the server records them as from this machine, and so does this side when the server is stopped.
    const capture = this.deps.capture;
    const result = await exchangeDns(query, target, { transport, timeoutMs, ...(capture ? { tapClient: tapUnreceivedQuery(capture, this.deps.map().world.client, target) } : {}) });
    if (!result.ok) {
      const state = this.deps.serviceState?.(server.name, result.transport);
      return { ...base, ok: false, transport: result.transport, reason: result.reason, timedOut: result.timedOut, ...(state !== undefined && state !== 'listening' ? { serverState: state } : {}) };
    }
    const fromCache = lookupsBefore === undefined ? undefined : this.answeredFromCache(question, lookupsBefore);
    return {
      ...base,
      ok: true,
      response: result.response,
      responseSize: result.bytes.length,
      transport: result.transport,
      rttMs: result.rttMs,
      truncatedFirst: result.truncatedFirst,
      ...(fromCache !== undefined ? { fromResolverCache: fromCache } : {}),
    };
  }

  private lastLookupId(): number | undefined {
    const lookups = this.deps.resolverLookups?.();
    if (!lookups) return undefined;
    return lookups.reduce((max, l) => Math.max(max, l.id), 0);
  }

  /**
   * The resolver's own record of this question: a lookup it started after `after`, for a query from
   * the student's machine, finished. The resolver logs every question it is asked (lookup-log.ts).
   * A UDP reply cut short (TC) and asked again over TCP makes two lookups, the second from the cache
   * the first filled: the exchange as a whole went to other servers if any of them did.
   */
  private answeredFromCache(question: DnsQuestion, after: number): boolean | undefined {
    const lookups = this.deps.resolverLookups?.();
    if (!lookups) return undefined;
    const client = this.deps.map().world.client.name;
    const wanted = `${nameKey(question.name)} ${typeName(question.type)}`;
    const matching = lookups.filter((l) => l.id > after && l.durationMs !== null && sameName(l.client.name, client) && questionKey(l.question) === wanted);
    if (matching.length === 0) return undefined;
    return matching.every((l) => l.fromCache);
  }

  async lookupAddress(name: string, options: { server?: DnsServerRef; timeoutMs?: number } = {}): Promise<AddressLookup> {
    const checked = checkDomainName(name);
    if (!checked.ok) return { ok: false, name, kind: 'invalid-name', reason: checked.message };
    const aliases: string[] = [];
    let current = checked.name;
    let rttMs = 0;
    const cacheAnswers: Array<boolean | undefined> = [];
    // Each round asks for the A records of the name the chain has reached; a resolver answers the
    // whole chain at once, an authoritative server only as far as its own zones go. The chain is
    // bounded as the lab's servers bound it inside a zone (DNS_MAX_CNAME_CHAIN): RFC 1034 §3.6.2
    // sets no number, only that loops be caught.
    for (;;) {
      const r = await this.query(current, RR_TYPE.A, { ...options, recursionDesired: true });
      if (!r.ok) return { ok: false, name: checked.name, server: r.server, kind: 'no-reply', reason: r.reason, ...(r.serverState ? { serverState: r.serverState } : {}) };
      rttMs += r.rttMs;
      cacheAnswers.push(r.fromResolverCache);
      const rcode = r.response.flags.rcode;
      if (rcode === RCODE.NXDOMAIN) return { ok: false, name: checked.name, server: r.server, kind: 'nxdomain', rcode: 'NXDOMAIN', reason: nxdomainReason(checked.name, current, r.server), rttMs };
      if (rcode !== RCODE.NOERROR) return { ok: false, name: checked.name, server: r.server, kind: 'server-error', rcode: rcodeName(rcode), reason: `${r.server.name} answered ${rcodeName(rcode)}`, rttMs };
      const answers = r.response.answers;
      const walk = followCnames(current, answers);
      const loopBack = (to: string): AddressLookup => ({ ok: false, name: checked.name, server: r.server, kind: 'cname-loop', reason: `the aliases of ${checked.name} loop back to ${to}`, rttMs });
      const tooLong: AddressLookup = { ok: false, name: checked.name, server: r.server, kind: 'cname-loop', reason: `more than ${DNS_MAX_CNAME_CHAIN} aliases in a row from ${checked.name}; gave up`, rttMs };
      // The aliases of this reply join those of the replies before: a loop may close, and the
      // limit be passed, across rounds too.
      for (const alias of walk.names.slice(0, walk.records.length)) {
        if (aliases.some((a) => sameName(a, alias))) return loopBack(alias);
        aliases.push(alias);
        if (aliases.length > DNS_MAX_CNAME_CHAIN) return tooLong;
      }
      if (walk.loop) return loopBack(walk.end);
      if (walk.cut) return tooLong;
      current = walk.end;
      const addresses = answers.flatMap((rr) => (rr.data.kind === 'A' && sameName(rr.name, current) ? [rr.data.address] : []));
      if (addresses.length > 0) {
        const fromCache = allFromCache(cacheAnswers);
        return { ok: true, name: checked.name, canonicalName: current, aliases, addresses, server: r.server, rttMs, ...(fromCache !== undefined ? { fromResolverCache: fromCache } : {}) };
      }
      // The reply ended at an alias whose target it did not resolve: ask for the target next.
      if (walk.records.length > 0) continue;
      return { ok: false, name: checked.name, server: r.server, kind: 'nodata', rcode: 'NOERROR', reason: `${current} has no address (A) record`, rttMs };
    }
  }

  async lookupMailExchangers(domain: string, options: { server?: DnsServerRef; timeoutMs?: number } = {}): Promise<MailExchangerLookup> {
    const checked = checkDomainName(domain);
    if (!checked.ok) return { ok: false, name: domain, kind: 'invalid-name', reason: checked.message };
    const r = await this.query(checked.name, RR_TYPE.MX, { ...options, recursionDesired: true });
    if (!r.ok) return { ok: false, name: checked.name, server: r.server, kind: 'no-reply', reason: r.reason, ...(r.serverState ? { serverState: r.serverState } : {}) };
    const rcode = r.response.flags.rcode;
    if (rcode === RCODE.NXDOMAIN) return { ok: false, name: checked.name, server: r.server, kind: 'nxdomain', rcode: 'NXDOMAIN', reason: nxdomainReason(checked.name, checked.name, r.server) };
    if (rcode !== RCODE.NOERROR) return { ok: false, name: checked.name, server: r.server, kind: 'server-error', rcode: rcodeName(rcode), reason: `${r.server.name} answered ${rcodeName(rcode)}` };
    // An alias is followed to the MX records of its canonical name (RFC 5321 §5.1).
    const owner = followCnames(checked.name, r.response.answers).end;
    const exchangers = r.response.answers
      .flatMap((rr) => (rr.data.kind === 'MX' && sameName(rr.name, owner) ? [{ preference: rr.data.preference, exchange: rr.data.exchange }] : []))
      // Lowest preference first (RFC 5321 §5.1); equal ones keep the server's order.
      .sort((a, b) => a.preference - b.preference);
    // A "null MX" (one MX record whose exchange is the root) says the domain takes no mail (RFC 7505 §3).
    if (exchangers.length === 1 && exchangers[0].exchange === '.') {
      return { ok: false, name: checked.name, server: r.server, kind: 'nodata', rcode: 'NOERROR', reason: `${owner} accepts no mail: its MX record names no mail server (a null MX, RFC 7505)` };
    }
    if (exchangers.length === 0) {
      // No MX records: the domain itself is the mail server if it has an address (RFC 5321 §5.1, the implicit MX).
      const address = await this.lookupAddress(owner, options);
      if (address.ok) return { ok: true, name: checked.name, exchangers: [{ preference: 0, exchange: owner, implicit: true }], server: r.server, rttMs: r.rttMs };
      return { ok: false, name: checked.name, server: r.server, kind: 'nodata', rcode: 'NOERROR', reason: `${owner} has no mail exchanger (MX) record, and no address to stand in for one` };
    }
    return { ok: true, name: checked.name, exchangers, server: r.server, rttMs: r.rttMs };
  }
}

/** Every exchange answered from the resolver's cache: true; one that was not: false; otherwise unknown. */
function allFromCache(answers: ReadonlyArray<boolean | undefined>): boolean | undefined {
  if (answers.includes(false)) return false;
  return answers.every((a) => a === true) ? true : undefined;
}

function nxdomainReason(asked: string, reached: string, server: DnsServerRef): string {
  return sameName(asked, reached) ? `${server.name} says ${asked} does not exist (NXDOMAIN)` : `${asked} is an alias of ${reached}, which ${server.name} says does not exist (NXDOMAIN)`;
}

/** `gaia.cs.umass.edu. A` (the lookup log's question) as a key: folded name and type. */
function questionKey(question: string): string {
  const space = question.lastIndexOf(' ');
  if (space < 0) return question;
  return `${nameKey(question.slice(0, space))} ${question.slice(space + 1)}`;
}

export function createStubResolver(deps: StubResolverDeps): StubResolver {
  return new StubResolver(deps);
}
