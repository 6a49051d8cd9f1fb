// The web cache (caching proxy) and its simulated access link as the faces see them: the state the
// panel shows, the link settings a student may change, and the bounds those settings must keep.
// Types and constant tables only.

/** The simulated link between the cache and the origin servers (the institution's access link). */
export interface AccessLinkSettings {
  /** One-way delay added to traffic each way, in milliseconds; 0 for none. */
  delayMs: number;
  /** Bits per second the link carries towards the cache; null for unlimited. */
  bandwidthBps: number | null;
}

/** The link is off by default: no delay, unlimited bandwidth. */
export const ACCESS_LINK_OFF: Readonly<AccessLinkSettings> = Object.freeze({ delayMs: 0, bandwidthBps: null });

/**
 * Longest one-way delay the link accepts: 10 s, five times the course example's 2 s round trip
 * (1 s each way) and far past a geostationary satellite hop (about 0.25 s each way). Longer delays
 * would only make students wait.
 */
export const ACCESS_LINK_MAX_DELAY_MS = 10_000;

/** Slowest link: 1 kbit/s, slower than any modem; a 100,000-bit object takes 100 s over it. */
export const ACCESS_LINK_MIN_BANDWIDTH_BPS = 1_000;

/** Fastest link: 10 Gbit/s (10GBASE Ethernet); beyond it loopback itself is the bottleneck. */
export const ACCESS_LINK_MAX_BANDWIDTH_BPS = 10_000_000_000;

export interface AccessLinkPreset {
  id: string;
  label: string;
  settings: AccessLinkSettings;
  /** Why this setting is worth trying. */
  note: string;
}

/** Settings worth one click, from the course's caching example. */
export const ACCESS_LINK_PRESETS: readonly AccessLinkPreset[] = [
  { id: 'off', label: 'Off', settings: { delayMs: 0, bandwidthBps: null }, note: 'No delay and no bandwidth limit: the origin servers answer as fast as loopback allows.' },
  {
    id: 'course-1.54',
    label: 'Course example: 1.54 Mbps, 2 s round trip',
    settings: { delayMs: 1_000, bandwidthBps: 1_540_000 },
    note: 'The institution of the course example: a 1.54 Mbps access link and 2 s from the router to any origin server and back.',
  },
  {
    id: 'course-10',
    label: 'Upgraded: 10 Mbps, 2 s round trip',
    settings: { delayMs: 1_000, bandwidthBps: 10_000_000 },
    note: 'The costly fix of the course example: a faster access link; the 2 s Internet delay stays.',
  },
  { id: 'slow', label: 'Slow: 256 kbps, 100 ms each way', settings: { delayMs: 100, bandwidthBps: 256_000 }, note: 'Small enough that one page of images visibly fills the link.' },
];

/**
 * What happened to one request at the cache: served from storage (HIT), fetched from the origin
 * (MISS), checked with the origin and served from storage after a 304 (REVALIDATED), passed to
 * the origin because its method is never answered from storage (PASS: POST, PUT, DELETE...), or
 * answered by the cache itself because the request could not go anywhere or its answer could not
 * be had (ERROR: unknown host, CONNECT, an origin that did not answer...).
 */
export type WebCacheOutcome = 'HIT' | 'MISS' | 'REVALIDATED' | 'PASS' | 'ERROR';

export interface WebCacheEntryInfo {
  /** The cache key's URL, e.g. http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html. */
  url: string;
  /** The request fields this variant was selected by (Vary), as `name=value` lines; empty without Vary. */
  variant: string;
  status: number;
  contentType: string | null;
  /** Body bytes. */
  bodyBytes: number;
  /** What the entry counts against the cache's byte limit (head fields and body). */
  storedBytes: number;
  /** Current age (RFC 9111 §4.2.3), in seconds. */
  ageSeconds: number;
  /** Freshness lifetime (RFC 9111 §4.2.1), in seconds, and where it came from. */
  lifetimeSeconds: number;
  lifetimeSource: string;
  /** Seconds of freshness left; negative once stale (by how much). */
  freshnessLeftSeconds: number;
  fresh: boolean;
  etag: string | null;
  lastModified: string | null;
  /** Times this entry answered a request (HIT or REVALIDATED). */
  hits: number;
  /** When it was stored and last used (ms since the epoch). */
  storedAt: number;
  lastUsedAt: number;
}

export interface WebCacheRecentRequest {
  /** When the request reached the cache (ms since the epoch). */
  at: number;
  method: string;
  url: string;
  outcome: WebCacheOutcome;
  status: number;
  /** From the request's arrival at the cache to its response leaving it. */
  responseMs: number;
  /** Body bytes sent to the client. */
  bytes: number;
  /** Why the cache did what it did, in a sentence (with the RFC rule where there is one). */
  reason: string;
}

export interface ResponseTimes {
  /** Mean response time in milliseconds, null before the first such request. */
  meanMs: number | null;
  count: number;
}

export interface WebCacheStats {
  /** Requests the cache answered, of every outcome. */
  requests: number;
  hits: number;
  misses: number;
  revalidations: number;
  /** Requests whose method the cache never answers from storage (POST, PUT, DELETE...): not in the hit rate. */
  passes: number;
  errors: number;
  /** hits / (hits + misses + revalidations): the share answered without contacting an origin; null before any. */
  hitRate: number | null;
  /** Response times by outcome, and over every request that reached an origin or the store. */
  responseTimes: { hit: ResponseTimes; miss: ResponseTimes; revalidated: ResponseTimes; all: ResponseTimes };
  /** Bytes that crossed the access link towards the origins (requests) and back (responses). */
  bytesToOrigins: number;
  bytesFromOrigins: number;
  /** Bytes of bodies sent to clients, from storage and from origins. */
  bytesToClients: number;
  /** TCP connections the cache opened to origin servers (fewer than misses when kept alive). */
  originConnections: number;
  /** Bits per second that arrived over the link, averaged over the window. */
  linkThroughputBps: number;
  /** linkThroughputBps / bandwidth, from 0 to 1; null while the bandwidth is unlimited. */
  linkUtilization: number | null;
  /** The sliding window those two are measured over, in milliseconds. */
  utilizationWindowMs: number;
  /** Responses on their way over the link right now (waiting for their turn or crossing it). */
  linkTransfers: number;
}

export interface WebCacheLimits {
  maxTotalBytes: number;
  maxObjectBytes: number;
  maxEntries: number;
}

export interface WebCacheState {
  /** Where to point a browser or `curl -x`: the cache's world host and its real loopback port. */
  proxy: { hostname: string; virtualAddress: string; wellKnownPort: number; address: string; port: number; listening: boolean };
  link: AccessLinkSettings;
  limits: WebCacheLimits;
  /** Entries stored and the bytes they take. */
  usage: { entries: number; bytes: number };
  /** The most recently used entries first; at most WEB_CACHE_STATE_MAX_ENTRIES of them. */
  entries: WebCacheEntryInfo[];
  stats: WebCacheStats;
  /** The last requests, newest first. */
  recent: WebCacheRecentRequest[];
}

/** Entries a state lists (the store may hold more; `usage.entries` counts them all). */
export const WEB_CACHE_STATE_MAX_ENTRIES = 200;

/** Requests the state remembers in `recent`. */
export const WEB_CACHE_RECENT_REQUESTS = 50;
