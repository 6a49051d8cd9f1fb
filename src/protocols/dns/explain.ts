// What a DNS message means, in plain words, for the details pane; and the notes on each header
// flag, record type and response code that the UI shows on demand.

import type { DnsRole } from '../../shared/dns';
import type { Explanation } from '../core/explain';
import { byteCount } from '../core/summary';
import type { DissectContext, MessagePeer } from '../registry-types';
import { followCnames } from './cname-chain';
import { type DnsDecodeResult, decodeMessage } from './decode';
import { DNS_TCP_LENGTH_PREFIX, DNS_UDP_MAX } from './limits';
import { type DnsMessage, type DnsRecord, RCODE, RR_TYPE, className, ednsOf, fullRcode, opcodeInfo, rcodeInfo, rcodeName, typeInfo, typeName } from './message';
import { nameKey, sameName, splitName } from './names';
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
 * The local name server that sent this response: each TTL in it is how long that resolver may
 * still keep the record (RFC 2308 §5 and §6), the zone's TTL only when it has just fetched it.
 */
export function cacheHolderOf(message: DnsMessage | null, ctx: DissectContext): MessagePeer | null {
  return message?.flags.qr && ctx.sender?.role === 'resolver' ? ctx.sender : null;
}

/** "the IPv4 address (A) of gaia.cs.umass.edu." */
export function asking(type: number, name: string): string {
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

/** `128.119.245.12` for `12.245.119.128.in-addr.arpa.`; null for any other name (RFC 1035 §3.5). */
function reversedAddress(name: string): string | null {
  const labels = splitName(nameKey(name));
  if (labels.length !== 6 || labels[4] !== 'in-addr' || labels[5] !== 'arpa') return null;
  return labels.slice(0, 4).every((l) => /^\d{1,3}$/.test(l) && Number(l) <= 255) ? labels.slice(0, 4).reverse().join('.') : null;
}

/** What the record holds, from its own name: "an IPv4 address of lab.umass.edu.". */
function recordData(r: DnsRecord): string {
  switch (r.type) {
    case RR_TYPE.A:
      return `an IPv4 address of ${r.name}`;
    case RR_TYPE.AAAA:
      return `an IPv6 address of ${r.name}`;
    case RR_TYPE.NS:
      return `a name server for ${r.name}`;
    case RR_TYPE.CNAME:
      return `${r.name} is an alias; the data is its canonical (real) name`;
    case RR_TYPE.MX:
      return `a mail server for ${r.name}; senders try the lowest preference first`;
    case RR_TYPE.PTR: {
      const address = reversedAddress(r.name);
      return address ? `the host name of the address ${address} (a reverse lookup)` : `a pointer from ${r.name} to another name`;
    }
    case RR_TYPE.SOA:
      return `the start of authority of the zone ${r.name}`;
    case RR_TYPE.TXT:
      return `text strings of ${r.name}`;
    default:
      return typeInfo(r.type)?.meaning ?? 'a record type the lab has no notes for';
  }
}

/** The names of the NS records in a section: the servers whose addresses the additional section may carry. */
function nsHosts(records: readonly DnsRecord[]): Set<string> {
  return new Set(records.flatMap((r) => (r.data.kind === 'NS' ? [nameKey(r.data.host)] : [])));
}

/** The question's name followed through the CNAME records of the answer section: every alias on the way, and the end, as name keys. */
function cnameChain(m: DnsMessage, start: string): string[] {
  // As far as the message goes, past the lab's own limit: this tells what a reply holds, it resolves nothing.
  return followCnames(start, m.answers, { limit: m.answers.length }).names.map(nameKey);
}

export type DnsRecordSection = 'answer' | 'authority' | 'additional';

/** What recordRole needs of a whole message, worked out once per message rather than once per record. */
interface MessageFacts {
  chain: string[];
  referral: boolean;
  authorityServers: Set<string>;
  answerServers: Set<string>;
}

const factsOf = new WeakMap<DnsMessage, MessageFacts>();

function messageFacts(m: DnsMessage, questionName: string): MessageFacts {
  let facts = factsOf.get(m);
  if (!facts) {
    facts = { chain: cnameChain(m, questionName), referral: responseKind(m).kind === 'referral', authorityServers: nsHosts(m.authorities), answerServers: nsHosts(m.answers) };
    factsOf.set(m, facts);
  }
  return facts;
}

/**
 * What one record is for in this message, from its own name and the section it is in (RFC 1034
 * §4.3.2, RFC 1035 §4.1.3): the answer to the question asked (or a step of its CNAME chain), the
 * servers of a referral, the SOA of a negative answer, the address of a name server named in the
 * authority section (glue) or of a mail server named in an MX record. The breakdown shows it after
 * the record's type.
 */
export function recordRole(r: DnsRecord, section: DnsRecordSection, m: DnsMessage): string {
  if (r.type === RR_TYPE.OPT) return typeInfo(RR_TYPE.OPT)?.meaning ?? 'EDNS';
  const what = recordData(r);
  const q = m.questions[0];
  if (!m.flags.qr || !q) return what;
  const isAddress = r.type === RR_TYPE.A || r.type === RR_TYPE.AAAA;
  const facts = messageFacts(m, q.name);
  switch (section) {
    case 'answer': {
      const at = facts.chain.indexOf(nameKey(r.name));
      if (at < 0) return `${what} (not the name the question asks about, ${q.name})`;
      if (r.type === RR_TYPE.CNAME && q.type !== RR_TYPE.CNAME) {
        return at === 0 ? `${q.name} is an alias: the answer to the question goes on at its canonical name` : `${r.name} is an alias too: the lookup of ${q.name} goes on at its canonical name`;
      }
      return at === 0 ? `the answer to the question: ${what}` : `the answer to the question: ${what}, the canonical name ${q.name} leads to`;
    }
    case 'authority':
      if (r.type === RR_TYPE.NS && facts.referral) return `${what}: the zone of ${q.name} is delegated to it, so the resolver asks it next (a referral)`;
      if (r.type === RR_TYPE.NS) return `${what}, the zone the answer comes from`;
      if (r.type === RR_TYPE.SOA && m.answers.length === 0 && (fullRcode(m) === RCODE.NXDOMAIN || fullRcode(m) === RCODE.NOERROR)) {
        return `${what}: it comes with the negative answer so resolvers know how long to remember it (its TTL or MINIMUM, whichever is lower; RFC 2308 §5)`;
      }
      return what;
    case 'additional': {
      const host = nameKey(r.name);
      if (isAddress && facts.authorityServers.has(host)) {
        return facts.referral
          ? `the address of the name server ${r.name} named in the authority section, so the resolver can ask it next without looking it up (glue)`
          : `the address of the name server ${r.name} named in the authority section, so a resolver can reach it without looking it up`;
      }
      if (isAddress && facts.answerServers.has(host)) return `the address of the name server ${r.name} named in the answer section, so the resolver can reach it without looking it up`;
      const mx = m.answers.find((a) => a.data.kind === 'MX' && sameName(a.data.exchange, r.name));
      if (isAddress && mx) return `the address of the mail server ${r.name} named in the MX record of ${mx.name}, so a sender can reach it without looking it up`;
      return `${what}, sent along as additional data`;
    }
  }
}

/** What the question's type asks for, with the question's own name. */
export function questionTypeNote(type: number, name: string): string {
  return `the question asks for ${asking(type, name)}`;
}

/**
 * What the RCODE says about this response. NOERROR covers an answer, a referral and an empty
 * answer; the sections tell which (RFC 1034 §4.3.2, RFC 2308 §2.2). NODATA is named only when the
 * answer is empty and the authority section holds an SOA.
 */
export function rcodeNote(m: DnsMessage): string | null {
  const rcode = fullRcode(m);
  if (!m.flags.qr) return null;
  if (rcode !== RCODE.NOERROR) return rcodeInfo(rcode)?.meaning ?? null;
  const k = responseKind(m);
  const soa = m.authorities.find((r) => r.type === RR_TYPE.SOA);
  switch (k.kind) {
    case 'answer':
      return 'No error: the answer section answers the question.';
    case 'referral':
      return `No error, and no answer: a referral. The authority section names the servers of ${k.zone} (NS records, AA clear), which the resolver asks next.`;
    case 'truncated':
      return 'No error, but TC is set: what did not fit was left out; ask again over TCP.';
    case 'nodata':
      return soa
        ? `No error, but the answer section is empty and the authority section holds the SOA of ${soa.name}: the name exists but has no data of that type (NODATA).`
        : 'No error, but the answer section is empty.';
    default:
      return rcodeInfo(rcode)?.meaning ?? null;
  }
}

function recordSentence(r: DnsRecord, cache: MessagePeer | null): string {
  const ttl = cache ? `${cache.name ?? 'the resolver'} may keep it ${describeDuration(r.ttl)} more` : `${describeDuration(r.ttl)} in caches`;
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
          ? `The answer is not authoritative (AA clear): the local name server got it from the hierarchy. Each TTL is how long it may still keep the record: the full TTL the zone set when it has just fetched it, less when it answers from its cache, so whoever asked keeps the records no longer than the zone allows.`
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
          ? ` The SOA of ${soa.name} in the authority section says ${cache.name ?? 'the resolver'} may remember this "no" for another ${describeDuration(negativeTtl(soa))} (negative caching).`
          : ` The SOA of ${soa.name} in the authority section lets resolvers cache this "no" for ${describeDuration(negativeTtl(soa))} (negative caching).`;
      return {
        title: `DNS response: ${what} does not exist`,
        text: `NXDOMAIN: ${q?.name ?? 'the name'} does not exist, in any record type.${remembered}${ra}`,
        rfc: 'RFC 2308 §2.1',
      };
    }
    case 'nodata': {
      const soa = m.authorities.find((r) => r.type === RR_TYPE.SOA);
      const type = q ? typeName(q.type) : '';
      if (!soa) {
        return {
          title: `DNS response: no ${type} data`,
          text: `NOERROR with an empty answer: no ${type} record of ${q?.name ?? 'the name'} came back, and no SOA came with it to say how long to remember that.${ra}`,
          rfc: 'RFC 2308 §2.2',
        };
      }
      return {
        title: `DNS response: no ${type} data`,
        text: `NOERROR with an empty answer and the SOA of ${soa.name} in the authority section (NODATA): ${q?.name ?? 'the name'} exists, but has no ${type} record.${cache ? ` ${cache.name ?? 'The resolver'} may remember that for another ${describeDuration(negativeTtl(soa))}.` : ` The SOA tells resolvers how long to remember that.`}${ra}`,
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
