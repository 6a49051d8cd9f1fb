// Every limit the HTTP module enforces, as a named constant with where its value comes from. The
// engine and parsers take a `HttpLimits` object so tests (and the proxy) can pass smaller ones;
// these are the defaults. Each one is crossed by one byte (or one unit) in the tests.

/**
 * Longest request line, CRLF excluded, before the server answers 414 URI Too Long. RFC 9112 §3
 * asks every recipient to support request lines of at least 8000 octets; 8 KiB is the common
 * server default (Apache LimitRequestLine 8190, nginx large_client_header_buffers 8k).
 */
export const HTTP_MAX_REQUEST_LINE = 8 * 1024;

/**
 * Longest status line of a response the lab's clients and proxy accept. No RFC sets it; a status
 * line is a version, three digits and a short phrase, so the request-line limit is ample.
 */
export const HTTP_MAX_STATUS_LINE = 8 * 1024;

/**
 * Largest header section (every field line with its line end, the final empty line excluded)
 * before 431 Request Header Fields Too Large (RFC 6585 §5). RFC 9112 §2.3 leaves the size to the
 * server; 32 KiB is four of nginx's 8k header buffers.
 */
export const HTTP_MAX_HEADER_SECTION = 32 * 1024;

/** Most header fields in one message before 431 (Apache's LimitRequestFields default is 100). */
export const HTTP_MAX_HEADER_COUNT = 100;

/** Largest request body the server accepts before 413 Content Too Large (RFC 9110 §15.5.14). */
export const HTTP_MAX_BODY = 10 * 1024 * 1024;

/**
 * Longest chunk-size line (size, extensions and line end excluded) in a chunked body. RFC 9112
 * §7.1.1 lets a server limit chunk extensions and answer 400 past that limit; 4 KiB leaves
 * room for any honest extension.
 */
export const HTTP_MAX_CHUNK_LINE = 4 * 1024;

/**
 * Time from the first byte of a request to the blank line that ends its header section. A client
 * that has not finished by then (a "slowloris") gets 408 Request Timeout and the connection
 * closes (RFC 9110 §15.5.9). Apache's mod_reqtimeout allows 20 s for headers (header=20-40);
 * the lab takes its 20 s rather than a tighter 10 s because students type requests by hand: the
 * terminal sends the request line on Enter, and the Host line still has to be typed after it.
 * A new connection gets the same time to send its first byte before it is closed.
 */
export const HTTP_HEADER_TIMEOUT_MS = 20_000;

/**
 * Longest pause between two pieces of a request body before 408. nginx's client_body_timeout
 * (also measured between two reads) defaults to 60 s.
 */
export const HTTP_BODY_TIMEOUT_MS = 60_000;

/**
 * How long a persistent connection may sit idle between requests before the server closes it
 * (RFC 9112 §9.8 lets either side close an idle connection at any time). Advertised to the client
 * as `Keep-Alive: timeout=5` (Apache's KeepAliveTimeout default is 5 s).
 */
export const HTTP_KEEP_ALIVE_TIMEOUT_MS = 5_000;

/**
 * Requests answered on one connection before the server closes it, advertised as `max=` in the
 * Keep-Alive header. nginx's keepalive_requests default (1000 since 1.19.10; Apache's
 * MaxKeepAliveRequests is 100): the bound exists to free per-connection memory now and then, and
 * 100 made busy clients reconnect every 100 requests, a cost the lab's benchmark showed plainly.
 */
export const HTTP_MAX_REQUESTS_PER_CONNECTION = 1000;

/**
 * Pipelined requests parsed and held while an earlier one is still being answered (RFC 9112
 * §9.3.2). Past this many the engine stops parsing and asks the adapter to pause reading, so a
 * client that floods requests cannot make the server hold them all.
 */
export const HTTP_MAX_PIPELINED_REQUESTS = 16;

/**
 * Unparsed bytes the engine holds while reading is paused (see HTTP_MAX_PIPELINED_REQUESTS):
 * one more request of the largest allowed size. A client that sends more than that while it
 * should be waiting is cut off.
 */
export const HTTP_MAX_HELD_BYTES = HTTP_MAX_REQUEST_LINE + HTTP_MAX_HEADER_SECTION + HTTP_MAX_BODY;

/** Fields decoded from one application/x-www-form-urlencoded body (PHP's max_input_vars is 1000). */
export const HTTP_FORM_MAX_FIELDS = 1000;

/** Parts decoded from one multipart/form-data body (a dissector and a form handler stop there). */
export const HTTP_MULTIPART_MAX_PARTS = 100;

/**
 * Heuristic freshness is 10% of the time since Last-Modified (RFC 9111 §4.2.2) but never more than
 * one day: past 24 hours RFC 7234 §4.2.2 required a warning for heuristic freshness, so caches
 * keep under it.
 */
export const HTTP_HEURISTIC_FRESHNESS_FRACTION = 0.1;
export const HTTP_HEURISTIC_FRESHNESS_MAX_S = 24 * 60 * 60;

/** The limits a parser or connection engine applies; the defaults are the constants above. */
export interface HttpLimits {
  maxRequestLine: number;
  maxStatusLine: number;
  maxHeaderSection: number;
  maxHeaderCount: number;
  maxBody: number;
  maxChunkLine: number;
  headerTimeoutMs: number;
  bodyTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxRequestsPerConnection: number;
  maxPipelinedRequests: number;
  maxHeldBytes: number;
}

export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  maxRequestLine: HTTP_MAX_REQUEST_LINE,
  maxStatusLine: HTTP_MAX_STATUS_LINE,
  maxHeaderSection: HTTP_MAX_HEADER_SECTION,
  maxHeaderCount: HTTP_MAX_HEADER_COUNT,
  maxBody: HTTP_MAX_BODY,
  maxChunkLine: HTTP_MAX_CHUNK_LINE,
  headerTimeoutMs: HTTP_HEADER_TIMEOUT_MS,
  bodyTimeoutMs: HTTP_BODY_TIMEOUT_MS,
  keepAliveTimeoutMs: HTTP_KEEP_ALIVE_TIMEOUT_MS,
  maxRequestsPerConnection: HTTP_MAX_REQUESTS_PER_CONNECTION,
  maxPipelinedRequests: HTTP_MAX_PIPELINED_REQUESTS,
  maxHeldBytes: HTTP_MAX_HELD_BYTES,
});

/** The defaults with some limits replaced. */
export function httpLimits(overrides: Partial<HttpLimits> = {}): HttpLimits {
  return { ...DEFAULT_HTTP_LIMITS, ...overrides };
}
