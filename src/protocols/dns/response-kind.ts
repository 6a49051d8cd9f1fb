// What a response tells the resolver to do next, read from its sections the way a resolver reads
// them (RFC 1034 §5.3.3, RFC 2308 §2): an answer, a referral one step down the hierarchy, a name
// that does not exist, a name without that type, an error, or "ask again over TCP".

import { type DnsMessage, RCODE, RR_TYPE, fullRcode, rcodeName } from './message';

export type ResponseKind =
  | { kind: 'answer'; authoritative: boolean }
  | { kind: 'referral'; zone: string; servers: string[] }
  | { kind: 'nxdomain' }
  | { kind: 'nodata' }
  | { kind: 'truncated' }
  | { kind: 'error'; rcode: number; name: string };

export function responseKind(m: DnsMessage): ResponseKind {
  const rcode = fullRcode(m);
  if (m.flags.tc) return { kind: 'truncated' };
  if (rcode === RCODE.NXDOMAIN) return { kind: 'nxdomain' };
  if (rcode !== RCODE.NOERROR) return { kind: 'error', rcode, name: rcodeName(rcode) };
  if (m.answers.length > 0) return { kind: 'answer', authoritative: m.flags.aa };
  const ns = m.authorities.filter((r) => r.type === RR_TYPE.NS);
  const soa = m.authorities.some((r) => r.type === RR_TYPE.SOA);
  if (ns.length > 0 && !soa && !m.flags.aa) {
    return { kind: 'referral', zone: ns[0].name, servers: ns.map((r) => (r.data.kind === 'NS' ? r.data.host : '?')) };
  }
  return { kind: 'nodata' };
}
