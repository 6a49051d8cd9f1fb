// The local name server of the course (dns.poly.edu, port 10053): hosts send it their questions
// with RD set and it finds the answers, from its cache or by asking the hierarchy (resolve.ts),
// iteratively or in the recursive scheme as the lab is switched. It offers recursion only to
// clients on this machine (an open resolver answers anyone and can be abused, RFC 5358). A query
// without RD is answered from the cache alone, as BIND does.

import {
  DNS_CLASS_IN,
  DNS_EDNS_SERVER_PAYLOAD,
  type DnsMessage,
  type DnsQuestion,
  type DnsRecord,
  RCODE,
  RR_TYPE,
  type Resolution,
  Resolver,
  checkQuery,
  groupRRsets,
  nameKey,
  replySkeleton,
  rotateRecords,
  parentName,
  decodeMessage,
  ednsOf,
  fitResponse,
  formatRdata,
  makeOpt,
  rcodeName,
  responseSizeLimit,
  typeName,
} from '../../../protocols/dns';
import type { DnsPeer } from '../../../shared/dns';
import type { DnsRuntime } from './dns-runtime';
import type { DnsHandler, DnsQueryMeta } from './dns-service';
import { formatErrorWire } from './name-server';
import { RESOLVER_MAX_IN_FLIGHT } from './resolver-limits';
import { stepMessageOf } from './step-message';

/** What follows the rcode in the step of the resolver's answer: the records, or that a NOERROR reply has none (NODATA, RFC 2308 §2.2). */
function clientReplyDetail(reply: DnsMessage): string {
  if (reply.answers.length > 0) return `: ${reply.answers.map((r) => `${typeName(r.type)} ${formatRdata(r.data)}`).join(', ')}`;
  return reply.flags.rcode === RCODE.NOERROR ? ': no record of that type (NODATA)' : '';
}

function emptyReply(query: DnsMessage, rcode: number): DnsMessage {
  return replySkeleton(query, { ra: true, rcode });
}

/** Why a query cannot be resolved at all, as the full RCODE to answer with; null when it can. */
function refusal(query: DnsMessage, meta: DnsQueryMeta): number | null {
  const checked = checkQuery(query);
  if (checked) return checked.rcode;
  // Recursion only for this machine (RFC 5358): the lab never runs an open resolver.
  if (!meta.loopback) return RCODE.REFUSED;
  return null;
}

/** The TTL the root hints are handed out with, as in the root hints file (named.root: 3600000 s). */
export const ROOT_HINTS_TTL = 3_600_000;

/**
 * Turns each RRset of several records round by `rotation` places, as the lab's authoritative
 * servers do (and Unbound's rrset-roundrobin): otherwise a cached RRset would come back in one
 * order until its TTL ran out, and the course's load distribution would stop at the resolver.
 */
function roundRobin(records: readonly DnsRecord[], rotation: number): DnsRecord[] {
  // One record per name and type (the usual answer): nothing to turn.
  if (records.length < 2 || records.every((r, i) => i === 0 || r.type !== records[i - 1].type || r.name !== records[i - 1].name)) return [...records];
  return groupRRsets(records).flatMap((set) => rotateRecords(set, rotation));
}

/**
 * A query without RD the cache cannot answer: the NS records of the closest enclosing zone the
 * cache knows, with their addresses, so the client can go on from there (BIND's "upward
 * referral"); the root hints when it knows none.
 */
function upwardReferral(runtime: DnsRuntime, name: string): Pick<DnsMessage, 'authorities' | 'additionals'> {
  const now = runtime.now();
  for (let n: string | null = nameKey(name); n !== null; n = parentName(n)) {
    const ns = runtime.cache.lookup(n, RR_TYPE.NS, now, false, true);
    if (ns?.kind !== 'positive') continue;
    const additionals = ns.records.flatMap((r) => {
      if (r.data.kind !== 'NS') return [];
      const a = runtime.cache.lookup(r.data.host, RR_TYPE.A, now, false, true);
      return a?.kind === 'positive' ? a.records : [];
    });
    return { authorities: ns.records, additionals };
  }
  const roots = runtime.rootServers();
  return {
    authorities: roots.map((s) => ({ name: '.', type: RR_TYPE.NS, class: DNS_CLASS_IN, ttl: ROOT_HINTS_TTL, data: { kind: 'NS' as const, host: `${s.name}.` } })),
    additionals: roots.map((s) => ({ name: `${s.name}.`, type: RR_TYPE.A, class: DNS_CLASS_IN, ttl: ROOT_HINTS_TTL, data: { kind: 'A' as const, address: s.address } })),
  };
}

export function createResolverHandler(runtime: DnsRuntime): DnsHandler {
  // The runtime's manifest is fixed for its life (a reset builds a new runtime and new handlers).
  const resolver: DnsPeer = runtime.peerOf(runtime.manifest.resolver.name);
  let rotation = 0;
  const inFlight = new Map<string, Promise<Resolution>>();
  return async (bytes, meta) => {
    const decoded = decodeMessage(bytes, { transport: meta.transport });
    if (!decoded.ok) return formatErrorWire(bytes);
    const query = decoded.message;
    if (query.flags.qr) return null; // never answer a response: two servers could loop
    const edns = ednsOf(query);
    let reply: DnsMessage;
    const refused = refusal(query, meta);
    if (refused !== null) {
      reply = emptyReply(query, refused & 0xf);
      if (edns) reply.additionals.push(makeOpt(DNS_EDNS_SERVER_PAYLOAD, { extendedRcode: refused >> 4 }));
      return fitResponse(reply, responseSizeLimit(query, meta.transport), false).wire;
    }
    const question: DnsQuestion = query.questions[0];
    const client: DnsPeer = meta.peer?.who ?? { name: meta.client.hostname ?? meta.client.virtualAddress, address: meta.client.virtualAddress, role: 'client' };
    const lookupId = runtime.lookups.start(`${question.name} ${typeName(question.type)}`, client, runtime.resolverMode);
    runtime.lookups.step(lookupId, { kind: 'query', from: client, to: resolver, transport: meta.transport, summary: `${typeName(question.type)} ${question.name}${query.flags.rd ? '' : ' (no recursion: from the cache only)'}`, connectionId: meta.connectionId, message: stepMessageOf(query) });

    reply = emptyReply(query, RCODE.NOERROR);
    let fromCache: boolean;
    if (query.flags.rd) {
      // Identical questions already being resolved are not asked again: the second client waits
      // for the first one's answer (RFC 5452 §5: one outstanding query per question).
      const key = `${runtime.resolverMode}|${nameKey(question.name)}|${question.type}`;
      let pending = inFlight.get(key);
      const joined = pending !== undefined;
      if (joined) {
        runtime.lookups.step(lookupId, { kind: 'cache-hit', from: resolver, to: resolver, transport: meta.transport, summary: `the same question is being resolved for another client already: this one waits for that answer` });
      } else if (inFlight.size < RESOLVER_MAX_IN_FLIGHT) {
        pending = new Resolver({
          cache: runtime.cache,
          rootServers: runtime.rootServers(),
          now: runtime.now,
          clock: () => performance.now(),
          mode: runtime.resolverMode,
          ask: (server, q, options) => runtime.ask(resolver, server, q, { recursionDesired: options.recursionDesired, lookupId }),
          note: (n) => {
            const summary = n.kind === 'cache-hit' ? `cache: ${n.summary}` : `cache: the servers of ${n.zone} are known (${n.servers.join(', ')}), so the walk starts there`;
            runtime.lookups.step(lookupId, { kind: 'cache-hit', from: resolver, to: resolver, transport: meta.transport, summary });
          },
        })
          .resolve(question)
          .finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      const resolution: Resolution = pending
        ? await pending
        : { rcode: RCODE.SERVFAIL, answers: [], authorities: [], fromCache: false, upstreamQueries: 0, reason: `${RESOLVER_MAX_IN_FLIGHT} questions are being resolved already` };
      if (!pending) runtime.lookups.step(lookupId, { kind: 'timeout', from: resolver, to: resolver, transport: meta.transport, summary: `too busy: ${resolution.reason}, so this one gets SERVFAIL` });
      reply.flags.rcode = resolution.rcode;
      reply.answers = resolution.answers;
      reply.authorities = resolution.authorities;
      fromCache = resolution.fromCache && !joined;
    } else {
      const hit = runtime.cache.lookup(question.name, question.type, runtime.now());
      if (hit?.kind === 'positive') reply.answers = hit.records;
      else if (hit) {
        reply.flags.rcode = hit.kind === 'nxdomain' ? RCODE.NXDOMAIN : RCODE.NOERROR;
        reply.authorities = hit.soa;
      } else {
        Object.assign(reply, upwardReferral(runtime, question.name));
      }
      fromCache = true;
      runtime.lookups.step(lookupId, {
        kind: 'cache-hit',
        from: resolver,
        to: resolver,
        transport: meta.transport,
        summary: hit ? `cache: ${question.name} ${typeName(question.type)}, ${hit.ttlLeft} s left` : `not in the cache, and RD is clear: a referral to the closest servers it knows (${reply.authorities[0]?.name ?? '.'})`,
      });
    }
    reply.answers = roundRobin(reply.answers, rotation++);
    if (edns) reply.additionals.push(makeOpt(DNS_EDNS_SERVER_PAYLOAD));
    const fitted = fitResponse(reply, responseSizeLimit(query, meta.transport), false);
    const truncated = fitted.fit === 'truncated';
    runtime.countClientQuery(fromCache && reply.flags.rcode !== RCODE.SERVFAIL);
    // The step tells what the client got: a reply cut to fit UDP carries no records (TC set), only the word to ask again over TCP.
    const sent = fitted.response;
    runtime.lookups.step(lookupId, {
      kind: 'response',
      from: resolver,
      to: client,
      transport: meta.transport,
      summary: `${rcodeName(sent.flags.rcode)}${truncated ? ': truncated (TC), no records: the answer is too long for UDP, ask again over TCP' : clientReplyDetail(sent)}`,
      connectionId: meta.connectionId,
      message: stepMessageOf(sent),
    });
    runtime.lookups.finish(lookupId, {
      rcode: rcodeName(reply.flags.rcode),
      // What the client got: none of the records, when they did not fit.
      answers: sent.answers.map((r) => `${r.name} ${r.ttl} ${typeName(r.type)} ${formatRdata(r.data)}`),
      fromCache,
      ...(truncated ? { truncated } : {}),
    });
    return fitted.wire;
  };
}
