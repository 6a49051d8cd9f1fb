// Every limit of the web cache and its access link, as a named constant with where its value comes
// from. The store, the link and the service take them as options so tests can cross them cheaply.

/**
 * Bytes the store may hold in all. Squid keeps 256 MB of objects in memory by default
 * (cache_mem); the lab's sites are a few hundred kilobytes, so 32 MiB holds them many times over
 * while keeping a student's laptop out of trouble.
 */
export const WEB_CACHE_MAX_TOTAL_BYTES = 32 * 1024 * 1024;

/**
 * Largest object the store keeps: Squid's maximum_object_size default is 4 MB. A bigger response is
 * still passed on to the client (up to WEB_CACHE_MAX_RESPONSE_BYTES), just not stored.
 */
export const WEB_CACHE_MAX_OBJECT_BYTES = 4 * 1024 * 1024;

/**
 * Largest response body the cache passes on. The cache reads a response whole before it answers
 * (it decides from the complete response whether to store it), so it holds the body in memory;
 * the lab's web servers send files of up to 64 MiB (SITE_MAX_FILE_BYTES), and every one of them
 * must get through. A bigger answer is refused with 502 saying it is over this size.
 */
export const WEB_CACHE_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Entries the store keeps (every URL and Vary variant counts once), so bookkeeping stays small. */
export const WEB_CACHE_MAX_ENTRIES = 1_000;

/**
 * Size of the pieces a response is cut into on the link: a TCP segment's payload on Ethernet
 * (1500-byte MTU less 20 bytes of IPv4 and 20 of TCP header). Concurrent transfers take turns
 * piece by piece, which shares the bandwidth fairly as TCP flows roughly do.
 */
export const LINK_SEGMENT_BYTES = 1_460;

/**
 * How far ahead of the clock the link commits segments to the wire. Timers fire late by a
 * millisecond or more; committing 20 ms ahead keeps the link busy through that lateness, while a
 * transfer that starts meanwhile waits at most this long for its first turn.
 */
export const LINK_SCHEDULE_AHEAD_MS = 20;

/** Utilization and throughput are averaged over this sliding window (the panel refreshes well within it). */
export const LINK_UTILIZATION_WINDOW_MS = 10_000;

/** The window is kept as buckets this wide; a bucket is the resolution of the average. */
export const LINK_UTILIZATION_BUCKET_MS = 250;

/** The `webCache` event is sent at most this often (four a second), however busy the cache is. */
export const WEB_CACHE_EVENT_INTERVAL_MS = 250;

/** While traffic is still inside the utilization window, the state is re-sent this often so the panel shows it decay. */
export const WEB_CACHE_DECAY_EVENT_MS = 1_000;

/**
 * How long an origin may stay silent while the cache waits for (the rest of) its answer before the
 * client gets 504. The lab's servers answer on loopback in milliseconds; Squid's read_timeout is
 * 15 minutes, far too long for a lab where a silent server means a stopped or broken one. The time
 * the request takes to cross the simulated link, and the time a response spends waiting for it or
 * crossing it, do not count: the origin has already sent those bytes.
 */
export const ORIGIN_READ_TIMEOUT_MS = 30_000;

/** How long a connection to an origin may take (a loopback connect is instant; the terminal uses the same). */
export const ORIGIN_CONNECT_TIMEOUT_MS = 5_000;

/**
 * How long an idle kept-alive connection to an origin is kept for reuse. Shorter than the lab
 * server's own keep-alive timeout (5 s, Apache's default), so the cache gives up the connection
 * before the server could close it under a request just sent.
 */
export const ORIGIN_POOL_IDLE_MS = 4_000;

/** Idle kept-alive connections kept per origin server (browsers open up to six per host). */
export const ORIGIN_POOL_MAX_IDLE_PER_ORIGIN = 6;
