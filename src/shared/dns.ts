// DNS as the faces see it: the local resolver's cache and mode, the lookups it made (the
// resolution view draws them), and the zone files a student may edit. Types and constant tables only.

/**
 * How the local resolver finds an answer (the course's two schemes):
 *   iterative  the resolver itself asks the root, then a TLD server, then the authoritative
 *              server, following each referral (the usual way);
 *   recursive  the resolver asks the root once with RD set, and each server asks the next on
 *              the requester's behalf, so the answer travels back down the chain.
 */
export type ResolverMode = 'iterative' | 'recursive';

export const RESOLVER_MODES: readonly ResolverMode[] = ['iterative', 'recursive'];

/** Where a DNS server sits in the course's picture; `client` is the student's own machine. */
export type DnsRole = 'client' | 'resolver' | 'root' | 'tld' | 'authoritative';

export interface DnsPeer {
  name: string;
  /** The host's address in the lab world, e.g. 198.41.0.4. */
  address: string;
  role: DnsRole;
}

/** One RRset (or one remembered absence) in the resolver's cache, TTL counted down to now. */
export interface ResolverCacheEntry {
  /** Absolute owner name: `gaia.cs.umass.edu.`. */
  name: string;
  /** Type mnemonic: `A`, `NS`, `CNAME`, ... */
  type: string;
  /** Seconds left before the entry expires (what a cached answer carries as its TTL). */
  ttlLeft: number;
  /** The TTL it was stored with. */
  ttlOriginal: number;
  /** Records in presentation form (`gaia.cs.umass.edu. 3600 IN A 128.119.245.12` minus name and TTL: `A 128.119.245.12`). */
  records: string[];
  /** `nxdomain` and `nodata` entries remember that nothing exists (RFC 2308). */
  kind: 'positive' | 'nxdomain' | 'nodata';
  /** The server the data came from. */
  source: string;
  /** Times this entry answered a question since it was stored. */
  hits: number;
}

export interface ResolverStats {
  /** Client queries answered. */
  queries: number;
  /** Of those, answered from the cache alone. */
  cacheHits: number;
  /** Queries the resolver sent to other servers. */
  upstreamQueries: number;
  /** Upstream queries that timed out or whose reply was refused (wrong ID, source, question). */
  upstreamFailures: number;
}

/** The share of client queries answered from the cache: `1 of 3 (33 %)`, or `0` before any query (the DNS panel and the terminal's `resolver`). */
export function formatCacheHits(stats: Pick<ResolverStats, 'queries' | 'cacheHits'>): string {
  if (stats.queries === 0) return '0';
  return `${stats.cacheHits} of ${stats.queries} (${Math.round((stats.cacheHits / stats.queries) * 100)} %)`;
}

export interface ResolverState {
  /** The resolver's host in the world (dns.poly.edu) and where it listens. */
  name: string;
  address: string;
  /** Loopback port (UDP and TCP), e.g. 10053. */
  port: number;
  mode: ResolverMode;
  entries: ResolverCacheEntry[];
  /** Entries were left out of `entries` past MAX_RESOLVER_STATE_ENTRIES. */
  truncated: boolean;
  stats: ResolverStats;
}

/** The panel lists at most this many cache entries (the cache itself may hold more). */
export const MAX_RESOLVER_STATE_ENTRIES = 2_000;

/** A question as a lookup step carries it. */
export interface DnsStepQuestion {
  /** Absolute name, with its final dot: `gaia.cs.umass.edu.`. */
  name: string;
  /** Type mnemonic: `A`, `AAAA`, `NS`, `PTR`, ... */
  type: string;
}

/** A response that sends the asker one step down the hierarchy (RFC 1034 §4.3.2). */
export interface DnsStepReferral {
  /** The zone it delegates to: `edu.`. */
  zone: string;
  /** The names of that zone's servers, from its NS records: `a.edu-servers.net.`. */
  nameServers: string[];
}

/**
 * The facts of the DNS message a query or response step carried, read from the decoded message
 * when the step was logged, so the faces never read them back out of the summary's words.
 */
export interface DnsStepMessage {
  /** The message ID (RFC 1035 §4.1.1); a reply carries its query's. */
  id: number;
  /** The message's first question (the lab's messages have one), or null when it has none. */
  question: DnsStepQuestion | null;
  /** RD (RFC 1035 §4.1.1): the asker wants the server to find the answer for it. */
  recursionDesired: boolean;
  /** A response's RCODE name (`NOERROR`, `NXDOMAIN`, `SERVFAIL`, ...); absent in a query. */
  rcode?: string;
  /** A response's delegation, when it is a referral; absent for an answer, a negative reply or an error. */
  referral?: DnsStepReferral;
  /**
   * What a response brought, in the packet list's words (`A 128.119.245.12`, `referral to edu.
   * (a.edu-servers.net.)`, `truncated (TC): retry over TCP`), cut at DNS_SUMMARY_MAX_CHARS by
   * itself rather than as part of a whole line.
   */
  outcome?: string;
}

/** One arrow (query or response) or one mark (a cache hit) in a lookup's picture. */
export interface DnsLookupStep {
  /** Milliseconds since the lookup started. */
  atMs: number;
  kind: 'query' | 'response' | 'cache-hit' | 'timeout';
  from: DnsPeer;
  to: DnsPeer;
  transport: 'udp' | 'tcp';
  /** `A gaia.cs.umass.edu.`, `referral to edu. (a.edu-servers.net)`, `NXDOMAIN`, ... */
  summary: string;
  /** The capture connection (UDP flow or TCP connection) the message is in, when it crossed a socket. */
  connectionId?: number;
  /** The message a query or response carried; absent for a cache hit and a timeout. */
  message?: DnsStepMessage;
}

/** A question a client asked the local resolver, and every exchange it caused. */
export interface DnsLookup {
  id: number;
  /** `gaia.cs.umass.edu. A` */
  question: string;
  client: DnsPeer;
  mode: ResolverMode;
  /** Wall clock (ms since the epoch) when the query reached the resolver. */
  startedAt: number;
  /** Milliseconds until the answer went back; null while still running. */
  durationMs: number | null;
  /** NOERROR, NXDOMAIN, SERVFAIL, ...; null while running. */
  rcode: string | null;
  /** The answer section the client got, in presentation form (empty when it was truncated). */
  answers: string[];
  /** Answered from the cache without asking anyone. */
  fromCache: boolean;
  /**
   * The answer did not fit the client's UDP datagram: it got a reply with TC set and no records,
   * telling it to ask again over TCP (RFC 1035 §4.2.1), which makes a lookup of its own.
   */
  truncated?: boolean;
  steps: DnsLookupStep[];
}

/** The resolver keeps this many recent lookups for the resolution view. */
export const MAX_DNS_LOOKUPS = 100;

/** A lookup's steps beyond this are dropped (a lookup that long is stuck in a loop). */
export const MAX_DNS_LOOKUP_STEPS = 200;

export interface ZoneProblemInfo {
  severity: 'error' | 'warning';
  line: number;
  column: number;
  length?: number;
  message: string;
}

/** A zone file the lab serves, as the zone editor lists it. */
export interface ZoneFileInfo {
  /** The file name in the zones folder, e.g. `umass.edu.zone`. */
  file: string;
  /** The zone's apex: `umass.edu.`. */
  origin: string;
  /** The server that serves it (host name) and its place in the hierarchy. */
  server: string;
  role: 'root' | 'tld' | 'authoritative';
  /** Records loaded; 0 when the file has errors and the server runs without it. */
  records: number;
  problems: ZoneProblemInfo[];
}

/** What saving a zone file did. */
export interface ZoneSaveResult {
  /** Saved and loaded: the servers answer from the new text now. */
  ok: boolean;
  /** Errors keep the file unsaved and the old zone serving; warnings do not. */
  problems: ZoneProblemInfo[];
  /** Problems between zones (a delegation naming a server the manifest lacks, glue that disagrees), in sentences. */
  hierarchyProblems: string[];
  zone?: ZoneFileInfo;
}

/** Largest zone file the editor may save (the shipped ones are under 4 KiB). */
export const MAX_ZONE_FILE_BYTES = 256 * 1024;
