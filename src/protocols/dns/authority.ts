// The authoritative server's lookup (RFC 1034 §4.3.2), sans-IO: a decoded query and the zones a
// server holds in, the response message out. The main side's socket adapter sends `wire` (or
// encodes `response` itself).
//
//   1. Find the zone closest to QNAME among the server's zones; none: REFUSED (it is not this
//      server's business, and an authoritative server does no recursion).
//   2. Walk down from the zone's apex. Meeting a delegation (NS below the apex) on the way means
//      the data is in a child zone: a referral, with the child's NS records in the authority
//      section, their addresses (glue) in the additional section, and AA clear.
//   3. At QNAME itself: the RRset asked for, with AA set; or a CNAME, which goes in the answer and
//      the lookup starts again at its target while that stays in the zone; or nothing of that type
//      (NODATA: NOERROR, empty answer, the SOA in the authority section so the resolver can cache
//      the absence, RFC 2308 §2.2).
//   4. No such name at all: NXDOMAIN, with the SOA in the authority section (RFC 2308 §2.1).
// Then the additional section gets the addresses of the hosts named in NS and MX records, and the
// whole response is fitted to 512 octets (UDP without EDNS), the EDNS size, or 65535 (TCP).

import { type CnameRecord, followCnames, isCname } from './cname-chain';
import { encodeMessage } from './encode';
import { checkQuery } from './query-checks';
import { DNS_EDNS_MIN_PAYLOAD, DNS_EDNS_SERVER_PAYLOAD, DNS_MAX_CNAME_CHAIN, DNS_TCP_MAX, DNS_UDP_MAX } from './limits';
import { type DnsMessage, type DnsRecord, RCODE, RR_TYPE, ednsOf, isOpt, makeOpt } from './message';
import { isAtOrBelow, nameKey, parentName, sameName } from './names';
import type { RRset, Zone } from './zone';

/** The zones one server is authoritative for, found by name. */
export class ZoneSet {
  private readonly byOrigin = new Map<string, Zone>();

  /** Throws when two zones have the same origin: which one would answer is undefined. */
  constructor(zones: Iterable<Zone>) {
    for (const z of zones) {
      const key = nameKey(z.origin);
      const before = this.byOrigin.get(key);
      if (before) throw new RangeError(`two zones for ${z.origin}: ${before.file} and ${z.file}`);
      this.byOrigin.set(key, z);
    }
  }

  get zones(): Zone[] {
    return [...this.byOrigin.values()];
  }

  /** The zone whose apex is the closest ancestor of (or equal to) `name`; null when none holds it. */
  findZone(name: string): Zone | null {
    for (let n: string | null = nameKey(name); n !== null; n = parentName(n)) {
      const z = this.byOrigin.get(n);
      if (z) return z;
    }
    return null;
  }
}

export type AuthorityOutcome = 'answer' | 'referral' | 'nxdomain' | 'nodata' | 'refused' | 'notimp' | 'formerr' | 'badvers';

/** How the response was made to fit its transport. */
export type AuthorityFit = 'whole' | 'additional-dropped' | 'truncated';

export interface AuthorityResult {
  response: DnsMessage;
  outcome: AuthorityOutcome;
  /** The origin of the zone that answered; null when no zone did. */
  zone: string | null;
  /** For a referral: the child zone the client should ask next. */
  referral?: string;
  /** Canonical names followed through CNAME records, in order. */
  cnameChain: string[];
  /** A sentence for logs and the UI: why this answer. */
  reason: string;
  fit: AuthorityFit;
  /** Largest response allowed for this query and transport. */
  limit: number;
  /**
   * `response` in wire form, names compressed, no longer than `limit`: send these bytes. The fit
   * was measured on this encoding; dns-packet does not compress names, so its encoding of the
   * same model can be longer than `limit`.
   */
  wire: Uint8Array;
}

export interface AuthorityOptions {
  transport: 'udp' | 'tcp';
  /**
   * Turns RRsets of several records round by this many places (round-robin load distribution, as
   * BIND's rrset-order cyclic does); a server passes a counter it increments per query.
   */
  rotation?: number;
  /** Add the zone's NS records to the authority section of positive answers (default true). */
  includeNameServers?: boolean;
  /** The UDP payload size announced in this server's OPT record (default 1232). */
  ednsPayload?: number;
}

interface Draft {
  response: DnsMessage;
  outcome: AuthorityOutcome;
  zone: string | null;
  referral?: string;
  cnameChain: string[];
  reason: string;
}

/** The records of one RRset turned round by `rotation` places (round robin, RFC 1794). */
export function rotateRecords(records: DnsRecord[], rotation: number): DnsRecord[] {
  const n = records.length;
  if (n < 2 || rotation === 0) return records;
  const k = ((rotation % n) + n) % n;
  return [...records.slice(k), ...records.slice(0, k)];
}

function rotated(set: RRset, rotation: number): DnsRecord[] {
  return rotateRecords(set.records, rotation);
}

/** A reply to `query` with its ID, opcode, RD, CD and question, and empty sections (RFC 1035 §4.1.1). */
export function replySkeleton(query: DnsMessage, options: { ra: boolean; rcode: number }): DnsMessage {
  return {
    id: query.id,
    flags: { qr: true, opcode: query.flags.opcode, aa: false, tc: false, rd: query.flags.rd, ra: options.ra, z: false, ad: false, cd: query.flags.cd, rcode: options.rcode },
    questions: query.questions.map((q) => ({ ...q })),
    answers: [],
    authorities: [],
    additionals: [],
  };
}

/** What an authoritative server starts its answer from: no recursion available, NOERROR until found otherwise. */
function baseResponse(query: DnsMessage): DnsMessage {
  return replySkeleton(query, { ra: false, rcode: RCODE.NOERROR });
}

/** The SOA for a negative answer, with the negative-caching TTL (RFC 2308 §3). */
function negativeSoa(zone: Zone): DnsRecord {
  return { ...zone.soa, ttl: zone.negativeTtl };
}

/** Additional-section processing (RFC 1034 §4.3.2 step 6): the address RRsets the zone holds (as data or glue) for hosts named by NS and MX. */
function addAdditional(zone: Zone, response: DnsMessage, rotation: number): void {
  const setKey = (r: { name: string; type: number }) => `${nameKey(r.name)}|${r.type}`;
  const present = new Set([...response.answers, ...response.additionals].map(setKey));
  for (const r of [...response.answers, ...response.authorities]) {
    const host = r.data.kind === 'NS' ? r.data.host : r.data.kind === 'MX' ? r.data.exchange : null;
    if (host === null || !zone.contains(host)) continue;
    for (const t of [RR_TYPE.A, RR_TYPE.AAAA]) {
      const set = zone.rrset(host, t);
      if (!set || present.has(setKey(set))) continue;
      present.add(setKey(set));
      response.additionals.push(...rotated(set, rotation));
    }
  }
}

/**
 * The CNAME this zone's lookup follows at `name` (RFC 1034 §4.3.2 step 3a): none where the name
 * leaves the zone or its authoritative data (a cut), does not exist, or holds the type asked for.
 */
function aliasIn(zone: Zone, name: string, type: number): CnameRecord | undefined {
  if (!zone.contains(name) || zone.delegationFor(name) || !zone.nameExists(name) || zone.rrset(name, type)) return undefined;
  const alias = zone.rrset(name, RR_TYPE.CNAME)?.records[0];
  return alias && isCname(alias) ? alias : undefined;
}

function lookup(query: DnsMessage, zone: Zone, rotation: number, includeNameServers: boolean): Draft {
  const q = query.questions[0];
  const response = baseResponse(query);
  const walk = followCnames(q.name, (n) => aliasIn(zone, n, q.type), { type: q.type });
  // A chain cut at the limit still ends in the CNAME it was cut at, so the resolver can go on from its target.
  const over = walk.cut ? aliasIn(zone, walk.end, q.type) : undefined;
  const aliases = over ? [...walk.records, over] : walk.records;
  const chain = aliases.map((r) => r.data.target);
  const draft = (outcome: AuthorityOutcome, reason: string, extra: Partial<Draft> = {}): Draft => ({ response, outcome, zone: zone.origin, cnameChain: chain, reason, ...extra });

  if (aliases.length > 0) {
    response.flags.aa = true;
    response.answers.push(...aliases);
    const target = chain[chain.length - 1];
    if (!zone.contains(target)) {
      return draft('answer', `${walk.names[aliases.length - 1]} is an alias for ${target}, outside ${zone.origin}: the client looks the canonical name up itself`);
    }
    if (walk.loop || walk.cut) {
      return draft('answer', `the aliases from ${q.name} loop or run longer than ${DNS_MAX_CNAME_CHAIN}: the chain stops at ${target}`);
    }
  }

  const name = walk.end;
  const cut = zone.delegationFor(name);
  if (cut) {
    response.authorities.push(...rotated(cut.ns, rotation));
    // The glue below the cut, and any other address this zone holds for the servers (sibling glue, RFC 9471 §2.2).
    addAdditional(zone, response, rotation);
    if (chain.length === 0) {
      return draft('referral', `${q.name} is in ${cut.name}, which ${zone.origin} delegates: a referral to its name servers`, { referral: cut.name });
    }
    return draft('answer', `the alias leads to ${name}, which is in the delegated zone ${cut.name}: the CNAME with a referral for the rest`, { referral: cut.name });
  }
  if (!zone.nameExists(name)) {
    response.flags.aa = true;
    response.flags.rcode = RCODE.NXDOMAIN;
    response.authorities.push(negativeSoa(zone));
    return draft('nxdomain', `${name} does not exist in ${zone.origin}`);
  }
  response.flags.aa = true;
  if (q.type === RR_TYPE.ANY) {
    const sets = zone.rrsets(name);
    if (sets.length === 0) {
      response.authorities.push(negativeSoa(zone));
      return draft('nodata', `${name} exists in ${zone.origin} but has no records of its own`);
    }
    for (const s of sets) response.answers.push(...rotated(s, rotation));
  } else {
    const exact = zone.rrset(name, q.type);
    if (!exact) {
      response.authorities.push(negativeSoa(zone));
      return draft('nodata', `${name} exists in ${zone.origin} but has no ${q.type === RR_TYPE.AAAA ? 'IPv6 address' : 'record of the type asked for'}`);
    }
    response.answers.push(...rotated(exact, rotation));
  }

  const apexNs = zone.nameServers;
  const answeredNs = response.answers.some((r) => r.type === RR_TYPE.NS && sameName(r.name, zone.origin));
  if (includeNameServers && apexNs && !answeredNs) response.authorities.push(...rotated(apexNs, rotation));
  addAdditional(zone, response, rotation);
  const via = chain.length > 0 ? ` (through the alias${chain.length > 1 ? 'es' : ''} ${chain.join(', ')})` : '';
  return draft('answer', `authoritative data for ${q.name} in ${zone.origin}${via}`);
}

function refusal(query: DnsMessage, outcome: AuthorityOutcome, rcode: number, reason: string): Draft {
  const response = baseResponse(query);
  response.flags.rcode = rcode;
  return { response, outcome, zone: null, cnameChain: [], reason };
}

/** The largest response for this query: 512 on UDP, more when the client announced it with EDNS (RFC 6891 §6.2.5), 65535 on TCP. */
export function responseSizeLimit(query: DnsMessage, transport: 'udp' | 'tcp', serverPayload = DNS_EDNS_SERVER_PAYLOAD): number {
  if (transport === 'tcp') return DNS_TCP_MAX;
  const edns = ednsOf(query);
  if (!edns) return DNS_UDP_MAX;
  return Math.max(DNS_EDNS_MIN_PAYLOAD, Math.min(edns.udpPayloadSize, serverPayload));
}

/**
 * Fits a response into `limit` octets. Extra addresses are dropped first, unless they are the glue
 * of a referral, without which the referral is useless (RFC 9471 §3); when even that is not
 * enough, the sections are emptied and TC is set so the client asks again over TCP
 * (RFC 1035 §4.2.1, RFC 2181 §9).
 */
export function fitResponse(response: DnsMessage, limit: number, isReferral: boolean): { response: DnsMessage; wire: Uint8Array; fit: AuthorityFit } {
  let wire = encodeMessage(response);
  if (wire.length <= limit) return { response, wire, fit: 'whole' };
  const opt = response.additionals.filter(isOpt);
  if (!isReferral && response.additionals.length > opt.length) {
    const trimmed = { ...response, additionals: opt };
    wire = encodeMessage(trimmed);
    if (wire.length <= limit) return { response: trimmed, wire, fit: 'additional-dropped' };
  }
  const truncated: DnsMessage = { ...response, flags: { ...response.flags, tc: true }, answers: [], authorities: [], additionals: opt };
  return { response: truncated, wire: encodeMessage(truncated), fit: 'truncated' };
}

/**
 * Answers one query from the server's zones. Returns null for a message that must not be
 * answered at all: a response (QR set), since answering responses lets two servers loop.
 */
export function answerQuery(query: DnsMessage, zones: ZoneSet, options: AuthorityOptions): AuthorityResult | null {
  if (query.flags.qr) return null;
  const serverPayload = options.ednsPayload ?? DNS_EDNS_SERVER_PAYLOAD;
  const requestEdns = ednsOf(query);
  const q = query.questions[0];
  let draft: Draft;
  const refused = checkQuery(query);
  if (refused) {
    // BADVERS lives in the OPT record's extended bits; the header keeps the low 4 (NOERROR).
    draft = refusal(query, refused.outcome, refused.rcode & 0xf, refused.reason);
  } else {
    const zone = zones.findZone(q.name);
    draft = zone
      ? lookup(query, zone, options.rotation ?? 0, options.includeNameServers ?? true)
      : refusal(query, 'refused', RCODE.REFUSED, `${q.name} is in none of this server's zones, and it does no recursion`);
  }
  if (requestEdns) {
    const badvers = draft.outcome === 'badvers';
    draft.response.additionals.push(makeOpt(serverPayload, { extendedRcode: badvers ? RCODE.BADVERS >> 4 : 0 }));
  }
  const limit = responseSizeLimit(query, options.transport, serverPayload);
  const fitted = fitResponse(draft.response, limit, draft.outcome === 'referral');
  const result: AuthorityResult = {
    response: fitted.response,
    outcome: draft.outcome,
    zone: draft.zone,
    cnameChain: draft.cnameChain,
    reason: fitted.fit === 'truncated' ? `${draft.reason}; the response does not fit in ${limit} octets, so it is truncated (TC) for a retry over TCP` : draft.reason,
    fit: fitted.fit,
    limit,
    wire: fitted.wire,
  };
  if (draft.referral !== undefined) result.referral = draft.referral;
  return result;
}

/** Whether `name` is one this set of zones can answer for (used to tell REFUSED apart in the UI). */
export function isAuthoritativeFor(zones: ZoneSet, name: string): boolean {
  const z = zones.findZone(name);
  return z !== null && isAtOrBelow(name, z.origin) && z.delegationFor(name) === null;
}
