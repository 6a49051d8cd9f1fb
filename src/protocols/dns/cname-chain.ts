// A name followed through its CNAME records to the canonical name (RFC 1034 §3.6.2), the restart
// of RFC 1034 §4.3.2 step 3a. The authoritative server walks its zone's data this way, the
// resolver and the lab's stub client the answer section of a reply, and the details pane and
// dig +trace a received message, to tell the records on the question's path from the others.

import { DNS_MAX_CNAME_CHAIN } from './limits';
import { type DnsRecord, RR_TYPE } from './message';
import { sameName } from './names';

/** A record whose data is a CNAME's canonical name. */
export type CnameRecord = DnsRecord & { data: { kind: 'CNAME'; target: string } };

export function isCname(r: DnsRecord): r is CnameRecord {
  return r.data.kind === 'CNAME';
}

/** Where the CNAME of a name is found: a list of records (a reply's answers), or a look-up of the caller's (a zone's). */
export type CnameSource = readonly DnsRecord[] | ((name: string) => DnsRecord | undefined);

export interface CnameChain {
  /** The start, then every canonical name reached, each once. */
  names: string[];
  /** The CNAME records followed, in order; after a loop the last one points back to a name in `names`. */
  records: CnameRecord[];
  /** Where the records lead: the last one's target, or the start when there is none. */
  end: string;
  /** The last record led back to a name already on the chain. */
  loop: boolean;
  /** `end` has a CNAME too, not followed: there were more than `limit`. */
  cut: boolean;
}

export interface CnameWalkOptions {
  /**
   * The type asked for. A CNAME or ANY question is answered by the CNAME itself, so nothing is
   * followed (RFC 1034 §3.6.2).
   */
  type?: number;
  /** Most records followed; DNS_MAX_CNAME_CHAIN unless given. */
  limit?: number;
}

/** Follows the CNAMEs from `start` until a name has none, a loop closes, or `limit` records are followed. */
export function followCnames(start: string, source: CnameSource, options: CnameWalkOptions = {}): CnameChain {
  const cnameAt = typeof source === 'function' ? source : (name: string) => source.find((r) => isCname(r) && sameName(r.name, name));
  const limit = options.limit ?? DNS_MAX_CNAME_CHAIN;
  const chain: CnameChain = { names: [start], records: [], end: start, loop: false, cut: false };
  if (options.type === RR_TYPE.CNAME || options.type === RR_TYPE.ANY) return chain;
  for (let record = cnameAt(start); record && isCname(record); record = cnameAt(chain.end)) {
    if (chain.records.length >= limit) {
      chain.cut = true;
      break;
    }
    chain.records.push(record);
    chain.end = record.data.target;
    // Every name before `end` has a CNAME of its own, so meeting one again would go round for ever.
    if (chain.names.some((n) => sameName(n, chain.end))) {
      chain.loop = true;
      break;
    }
    chain.names.push(chain.end);
  }
  return chain;
}
