// A root, TLD or authoritative server of the lab: it answers from its zones (answerQuery, RFC 1034
// §4.3.2). In the course's recursive scheme, switched on at run time, a server that would refer
// the question to a child zone asks the child's server itself, with RD set, and passes the answer
// back: only for the lab's own DNS hosts (the resolver and the other servers), so the student's
// dig against a root server still sees the referral a real root gives.

import {
  DNS_EDNS_SERVER_PAYLOAD,
  type AuthorityResult,
  type DnsMessage,
  type ManifestServer,
  RCODE,
  RR_TYPE,
  answerQuery,
  decodeMessage,
  ednsOf,
  encodeMessage,
  fitResponse,
  formatErrorResponse,
  isOpt,
  makeOpt,
  replySkeleton,
  responseSizeLimit,
  sameName,
} from '../../../protocols/dns';
import type { DnsHandler, DnsQueryMeta } from './dns-service';
import type { DnsRuntime } from './dns-runtime';
import { RECURSIVE_MAX_RELAYS } from './resolver-limits';

/** FORMERR for an undecodable query (RFC 1035 §4.1.1); nothing for a cut header or a stray response. */
export function formatErrorWire(bytes: Uint8Array): Uint8Array | null {
  const reply = formatErrorResponse(bytes);
  return reply ? encodeMessage(reply) : null;
}

export function createNameServerHandler(runtime: DnsRuntime, server: ManifestServer): DnsHandler {
  let rotation = 0;
  return async (bytes, meta) => {
    const decoded = decodeMessage(bytes, { transport: meta.transport });
    if (!decoded.ok) return formatErrorWire(bytes);
    const query = decoded.message;
    const result = answerQuery(query, runtime.zoneSetOf(server.name), { transport: meta.transport, rotation: rotation++ });
    if (!result) return null;
    if (runtime.resolverMode === 'recursive' && query.flags.rd && result.outcome === 'referral' && meta.peer) {
      return relay(runtime, server, query, result, meta);
    }
    return result.wire;
  };
}

/** The recursive scheme: ask the servers of the child zone, then answer the asker with what came back (AA clear: this server is not the authority for it). */
async function relay(runtime: DnsRuntime, server: ManifestServer, query: DnsMessage, referral: AuthorityResult, meta: DnsQueryMeta): Promise<Uint8Array> {
  const self = runtime.peerOf(server.name);
  const hosts = referral.response.authorities.flatMap((r) => (r.type === RR_TYPE.NS && r.data.kind === 'NS' ? [r.data.host] : []));
  const servers = hosts.flatMap((host) => {
    const glue = referral.response.additionals.flatMap((r) => (r.data.kind === 'A' && sameName(r.name, host) ? [r.data.address] : []));
    // Without glue (a server named outside the child zone) the lab's own map gives its address,
    // where a real server would first look the name up.
    const address = glue[0] ?? runtime.peerOf(host.replace(/\.$/, '')).address;
    return [{ name: host.replace(/\.$/, ''), address }];
  });
  let answer: DnsMessage | null = null;
  const relayDepth = (meta.peer?.relayDepth ?? 0) + 1;
  for (const next of relayDepth > RECURSIVE_MAX_RELAYS ? [] : servers) {
    const outcome = await runtime.ask(self, next, query.questions[0], { recursionDesired: true, relayDepth, ...(meta.peer?.lookupId !== undefined ? { lookupId: meta.peer.lookupId } : {}) });
    if (outcome.ok) {
      answer = outcome.response;
      break;
    }
  }
  const edns = ednsOf(query);
  const reply: DnsMessage = {
    ...replySkeleton(query, { ra: true, rcode: answer ? answer.flags.rcode : RCODE.SERVFAIL }),
    answers: answer?.answers ?? [],
    authorities: answer?.authorities ?? [],
    additionals: [...(answer?.additionals.filter((r) => !isOpt(r)) ?? []), ...(edns ? [makeOpt(DNS_EDNS_SERVER_PAYLOAD)] : [])],
  };
  return fitResponse(reply, responseSizeLimit(query, meta.transport), false).wire;
}
