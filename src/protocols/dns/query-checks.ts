// What every lab name server checks before it looks at a query's question: the authoritative
// servers (authority.ts) and the local resolver answer the same malformed or unsupported queries
// with the same response code, for the same reason.

import { DNS_EDNS_VERSION } from './limits';
import { type DnsMessage, DNS_CLASS_IN, DNS_OPCODE_QUERY, RCODE, RR_TYPE, ednsOf } from './message';

export type QueryRefusalOutcome = 'badvers' | 'notimp' | 'formerr' | 'refused';

export interface QueryRefusal {
  outcome: QueryRefusalOutcome;
  /** The full response code (BADVERS needs the OPT record's extended bits). */
  rcode: number;
  reason: string;
}

/** Why a query cannot be answered at all, or null when its question may be looked at. */
export function checkQuery(query: DnsMessage): QueryRefusal | null {
  const edns = ednsOf(query);
  const q = query.questions[0];
  if (edns && edns.version > DNS_EDNS_VERSION) return { outcome: 'badvers', rcode: RCODE.BADVERS, reason: `EDNS version ${edns.version}: this server speaks version ${DNS_EDNS_VERSION} only (RFC 6891 §6.1.3)` };
  if (query.flags.opcode !== DNS_OPCODE_QUERY) return { outcome: 'notimp', rcode: RCODE.NOTIMP, reason: `opcode ${query.flags.opcode}: this server answers standard queries only` };
  if (query.questions.length !== 1) return { outcome: 'formerr', rcode: RCODE.FORMERR, reason: `${query.questions.length} questions: a query asks exactly one (RFC 9619)` };
  if (q.type === RR_TYPE.OPT) return { outcome: 'formerr', rcode: RCODE.FORMERR, reason: 'OPT is a pseudo-record type; nobody can ask for it' };
  if (q.class !== DNS_CLASS_IN) return { outcome: 'refused', rcode: RCODE.REFUSED, reason: `class ${q.class}: the lab's servers hold class IN only` };
  if (q.type === RR_TYPE.AXFR || q.type === RR_TYPE.IXFR) return { outcome: 'refused', rcode: RCODE.REFUSED, reason: 'zone transfers are not offered in the lab' };
  if (q.type === RR_TYPE.MAILB || q.type === RR_TYPE.MAILA) return { outcome: 'notimp', rcode: RCODE.NOTIMP, reason: 'MAILA and MAILB are obsolete query types (RFC 883)' };
  return null;
}
