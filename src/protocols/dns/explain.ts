// What a DNS message means, in plain words, for the details pane; and the notes on each header
// flag, record type and response code that the UI shows on demand.

import type { DnsRole } from '../../shared/dns';
import type { Explanation } from '../core/explain';
import { byteCount } from '../core/summary';
import type { DissectContext, MessagePeer } from '../registry-types';
import { type DnsDecodeResult, decodeMessage } from './decode';
import { DNS_TCP_LENGTH_PREFIX, DNS_UDP_MAX } from './limits';
import { type DnsMessage, type DnsRecord, RR_TYPE, className, ednsOf, fullRcode, opcodeInfo, rcodeInfo, rcodeName, typeInfo, typeName } from './message';
import { describeDuration, formatRdata } from './presentation';
import { responseKind } from './response-kind';

export type DnsFlagName = 'qr' | 'opcode' | 'aa' | 'tc' | 'rd' | 'ra' | 'z' | 'ad' | 'cd' | 'rcode';

/** Each header flag: its name, what it says, and the RFC. */
export const DNS_FLAG_DOCS: Readonly<Record<DnsFlagName, { name: string; text: string; rfc: string }>> = {
  qr: { name: 'QR (query/response)', text: '0 in a query, 1 in a response. Both use the same message format.', rfc: 'RFC 1035 §4.1.1' },
  opcode: { name: 'Opcode', text: 'The kind of query; 0 (QUERY) is the standard lookup and the only one resolvers send.', rfc: 'RFC 1035 §4.1.1' },
  aa: { name: 'AA (authoritative answer)', text: 'The responding server owns the zone of the name: the answer is from the source, not from a cache.', rfc: 'RFC 1035 §4.1.1' },
  tc: { name: 'TC (truncated)', text: 'The response did not fit in the UDP message (512 octets without EDNS). The client repeats the query over TCP, where messages can be up to 65535 octets.', rfc: 'RFC 1035 §4.2.1' },
  rd: { name: 'RD (recursion desired)', text: 'Set by a client that wants the server to resolve the name completely on its behalf (a recursive query). A host sets it when it asks its local name server; the local name server clears it when it walks the hierarchy itself (iterative queries).', rfc: 'RFC 1034 §4.3.1' },
  ra: { name: 'RA (recursion available)', text: 'Set by a server that offers recursion. Local name servers do; root, TLD and authoritative servers do not, to keep their load down.', rfc: 'RFC 1034 §4.3.1' },
  z: { name: 'Z', text: 'Reserved; must be zero.', rfc: 'RFC 1035 §4.1.1' },
  ad: { name: 'AD (authentic data)', text: 'A validating resolver checked the DNSSEC signatures of the answer.', rfc: 'RFC 4035 §3.2.3' },
  cd: { name: 'CD (checking disabled)', text: 'The client will check DNSSEC itself; the resolver should pass the data on even if it could not validate it.', rfc: 'RFC 4035 §3.2.2' },
  rcode: { name: 'RCODE', text: 'The outcome: NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP or REFUSED.', rfc: 'RFC 1035 §4.1.1' },
};

export function explainFlag(flag: DnsFlagName): Explanation {
  const d = DNS_FLAG_DOCS[flag];
  return { title: d.name, text: d.text, rfc: d.rfc };
}

export function explainRecordType(type: number): Explanation {
  const info = typeInfo(type);
  if (!info) return { title: typeName(type), text: 'A record type the lab has no notes for; its data is shown as octets (RFC 3597).', rfc: 'RFC 3597 §5' };
  return { title: `${info.name} (type ${info.code})`, text: `${info.meaning}${info.obsolete ? ' (obsolete)' : ''}`, rfc: info.rfc };
}

export function explainRcode(rcode: number): Explanation {
  const info = rcodeInfo(rcode);
  if (!info) return { title: `RCODE ${rcode}`, text: 'A response code that is not assigned.', rfc: 'RFC 6895 §2.3' };
  return { title: `${info.name} (${info.code})`, text: info.meaning, rfc: info.rfc };
}

/** Each place in the course's picture of DNS, as the breakdown names it. */
export const DNS_ROLE_PHRASES: Readonly<Record<DnsRole, string>> = {
  client: 'a DNS client',
  resolver: 'the local name server',
  root: 'a root server',
  tld: 'a top-level domain (TLD) server',
  authoritative: 'an authoritative server',
};

/** `a.root-servers.net (198.41.0.4), a root server`; the place is left out when the lab does not know it. */
export function describePeer(peer: MessagePeer): string {
  const who = peer.name ? `${peer.name} (${peer.address})` : peer.address;
  const place = peer.studentMachine ? 'the student\'s machine' : peer.role ? DNS_ROLE_PHRASES[peer.role] : null;
  return place ? `${who}, ${place}` : who;
}

/**
 * The resolver whose cache the records of this response come from: a response sent by the local
 * name server carries each TTL as the time left in its cache (RFC 2308 §5 and §6), not the zone's.
 */
export function cacheHolderOf(message: DnsMessage | null, ctx: DissectContext): MessagePeer | null {
  return message?.flags.qr && ctx.sender?.role === 'resolver' ? ctx.sender : null;
}

/** `dns.poly.edu's cache`, or `the resolver's cache` when the world has no name for it. */
export function cacheName(holder: MessagePeer): string {
  return `${holder.name ?? 'the resolver'}'s cache`;
}

/** "the IPv4 address (A) of gaia.cs.umass.edu." */
function asking(type: number, name: string): string {
  switch (type) {
    case RR_TYPE.A:
      return `the IPv4 address (A) of ${name}`;
    case RR_TYPE.AAAA:
      return `the IPv6 address (AAAA) of ${name}`;
    case RR_TYPE.MX:
      return `the mail servers (MX) of ${name}`;
    case RR_TYPE.NS:
      return `the name servers (NS) of ${name}`;
    case RR_TYPE.CNAME:
      return `the alias record (CNAME) of ${name}`;
    case RR_TYPE.PTR:
      return name.toLowerCase().endsWith('.in-addr.arpa.') ? `the host name (PTR) of the address ${name.split('.').slice(0, 4).reverse().join('.')} (a reverse lookup)` : `the PTR record of ${name}`;
    case RR_TYPE.SOA:
      return `the start of authority (SOA) of the zone ${name}`;
    case RR_TYPE.TXT:
      return `the text records (TXT) of ${name}`;
    case RR_TYPE.ANY:
      return `every record (ANY) of ${name}`;
    default:
      return `the ${typeName(type)} records of ${name}`;
  }
}

function recordSentence(r: DnsRecord, cache: MessagePeer | null): string {
  const ttl = cache ? `${describeDuration(r.ttl)} left in ${cacheName(cache)}` : `${describeDuration(r.ttl)} in caches`;
  switch (r.data.kind) {
    case 'A':
    case 'AAAA':
      return `${r.name} has the address ${r.data.address} (${ttl})`;
    case 'CNAME':
      return `${r.name} is an alias: its canonical name is ${r.data.target} (${ttl})`;
    case 'MX':
      return `mail for ${r.name} goes to ${r.data.exchange}, preference ${r.data.preference} (${ttl})`;
    case 'NS':
      return `${r.data.host} is a name server for ${r.name} (${ttl})`;
    case 'PTR':
      return `${r.name} points to ${r.data.host} (${ttl})`;
    default:
      return `${r.name} ${typeName(r.type)} ${formatRdata(r.data)} (${ttl})`;
  }
}

function explainQuery(m: DnsMessage, size: number, transport: string): Explanation {
  const q = m.questions[0];
  if (!q) return { title: `DNS ${opcodeInfo(m.flags.opcode)?.name ?? 'message'} without a question`, text: 'This query asks nothing: a standard query carries exactly one question. A server answers FORMERR.', rfc: 'RFC 9619 §4' };
  // An absolute name already ends in its dot, which then ends the sentence too.
  const asked = `The client asks for ${asking(q.type, q.name)}${q.class !== 1 ? ` in class ${className(q.class)}` : ''}`;
  const parts = [asked.endsWith('.') ? asked : `${asked}.`];
  parts.push(
    m.flags.rd
      ? 'RD is set: it wants the server to find the final answer on its behalf (a recursive query), which is how a host asks its local name server.'
      : 'RD is clear: an iterative query. The server answers from its own data or refers the client to servers further down the hierarchy; this is how a local name server asks root, TLD and authoritative servers.',
  );
  parts.push(`The response will carry the same ID, 0x${m.id.toString(16).padStart(4, '0')}, so the client can match it to this query.`);
  const edns = ednsOf(m);
  parts.push(edns ? `With EDNS the client says it can take UDP responses of up to ${edns.udpPayloadSize} octets.` : transport === 'udp' ? `Without EDNS the response over UDP may be at most ${DNS_UDP_MAX} octets.` : '');
  return { title: `DNS query: ${typeName(q.type)} ${q.name}`, text: `${parts.filter(Boolean).join(' ')} (${byteCount(size)})`, rfc: 'RFC 1035 §4.1' };
}

/** How long a negative answer may be cached: the SOA's TTL or its MINIMUM field, whichever is less (RFC 2308 §5). */
function negativeTtl(soa: DnsRecord): number {
  return soa.data.kind === 'SOA' ? Math.min(soa.ttl, soa.data.minimum) : soa.ttl;
}

function explainResponse(m: DnsMessage, cache: MessagePeer | null): Explanation {
  const q = m.questions[0];
  const what = q ? `${typeName(q.type)} ${q.name}` : 'no question';
  const k = responseKind(m);
  const ra = m.flags.ra ? ' The server offers recursion (RA): it is a resolver, such as a local name server.' : '';
  switch (k.kind) {
    case 'answer': {
      const shown = m.answers.slice(0, 4).map((r) => recordSentence(r, cache));
      const more = m.answers.length > 4 ? ` and ${m.answers.length - 4} more records` : '';
      const source = k.authoritative
        ? 'The answer is authoritative (AA): the server holds the zone for this name.'
        : cache
          ? `The answer is not authoritative (AA clear): the local name server learned it from the hierarchy and holds it in its cache. Each TTL is the time left there, counted down from what the zone set, so whoever asked keeps the records no longer than the zone allows.`
          : 'The answer is not authoritative (AA clear): it comes from a server that learned it from others, typically from its cache.';
      const several = q && m.answers.filter((r) => r.type === q.type).length > 1 ? ' Several addresses for one name spread clients over replicated servers (load distribution).' : '';
      return { title: `DNS response: ${what}`, text: `${source} ${shown.join('; ')}${more}.${several}${ra}`, rfc: 'RFC 1034 §4.3.2' };
    }
    case 'referral': {
      const glue = m.additionals.filter((r) => r.type === RR_TYPE.A || r.type === RR_TYPE.AAAA).map((r) => `${r.name} ${formatRdata(r.data)}`);
      return {
        title: `DNS referral: ${k.zone}`,
        text: `The server does not have the answer, but it knows who is responsible: ${k.zone} is delegated to ${k.servers.join(', ')} (the NS records in the authority section).${glue.length > 0 ? ` Their addresses come along in the additional section (glue): ${glue.join(', ')}.` : ' No addresses came with them, so the resolver must look those names up first.'} The resolver sends its query there next: one step of an iterated query.`,
        rfc: 'RFC 1034 §4.3.2',
      };
    }
    case 'nxdomain': {
      const soa = m.authorities.find((r) => r.type === RR_TYPE.SOA);
      const remembered = !soa
        ? ''
        : cache
          ? ` The SOA of ${soa.name} in the authority section says ${cacheName(cache)} remembers this "no" for another ${describeDuration(negativeTtl(soa))} (negative caching).`
          : ` The SOA of ${soa.name} in the authority section lets resolvers cache this "no" for ${describeDuration(negativeTtl(soa))} (negative caching).`;
      return {
        title: `DNS response: ${what} does not exist`,
        text: `NXDOMAIN: ${q?.name ?? 'the name'} does not exist, in any record type.${remembered}${ra}`,
        rfc: 'RFC 2308 §2.1',
      };
    }
    case 'nodata': {
      const soa = m.authorities.find((r) => r.type === RR_TYPE.SOA);
      return {
        title: `DNS response: no ${q ? typeName(q.type) : ''} data`,
        text: `NOERROR with an empty answer (NODATA): ${q?.name ?? 'the name'} exists, but has no ${q ? typeName(q.type) : ''} record.${soa ? (cache ? ` The SOA of ${soa.name} says ${cacheName(cache)} remembers that for another ${describeDuration(negativeTtl(soa))}.` : ` The SOA of ${soa.name} tells resolvers how long to remember that.`) : ''}${ra}`,
        rfc: 'RFC 2308 §2.2',
      };
    }
    case 'truncated':
      return {
        title: `DNS response: ${what}, truncated`,
        text: 'TC is set: the full answer did not fit in this UDP message. The client asks the same question again over TCP, where the message is preceded by its length and can be much larger.',
        rfc: 'RFC 1035 §4.2.1',
      };
    case 'error': {
      const info = rcodeInfo(fullRcode(m));
      return { title: `DNS response: ${rcodeName(fullRcode(m))}`, text: `The server answers ${what} with ${rcodeName(fullRcode(m))}: ${info?.meaning ?? 'an unassigned response code.'}${ra}`, rfc: info?.rfc ?? 'RFC 1035 §4.1.1' };
    }
  }
}

export function explainDns(bytes: Uint8Array, ctx: DissectContext): Explanation {
  const body = ctx.transport === 'tcp' ? bytes.subarray(Math.min(bytes.length, DNS_TCP_LENGTH_PREFIX)) : bytes;
  const decoded = decodeMessage(body, { transport: ctx.transport });
  const e = decoded.ok ? explainMessage(decoded.message, body.length, ctx) : explainMalformed(decoded, body.length);
  const route = routeSentence(ctx);
  return route ? { ...e, text: `${route} ${e.text}` } : e;
}

function explainMessage(m: DnsMessage, size: number, ctx: DissectContext): Explanation {
  return m.flags.qr ? explainResponse(m, cacheHolderOf(m, ctx)) : explainQuery(m, size, ctx.transport);
}

function explainMalformed(decoded: Extract<DnsDecodeResult, { ok: false }>, size: number): Explanation {
  const answerable = decoded.partial !== null && !decoded.partial.flags.qr;
  return {
    title: 'Malformed DNS message',
    text: `These ${byteCount(size)} are not a valid DNS message: ${decoded.error.message}. ${answerable ? 'A server answers such a query with FORMERR (format error) and keeps serving other clients.' : 'Without a whole header (or as a response) there is nothing to answer: a server drops it.'}`,
    rfc: decoded.error.rfc,
  };
}

/** "From dns.poly.edu (128.238.29.22), the local name server, to a.root-servers.net (198.41.0.4), a root server." */
function routeSentence(ctx: DissectContext): string | null {
  if (!ctx.sender && !ctx.receiver) return null;
  const from = ctx.sender ? `From ${describePeer(ctx.sender)}` : '';
  const to = ctx.receiver ? `${from ? ', to' : 'To'} ${describePeer(ctx.receiver)}` : '';
  return `${from}${to}.`;
}
