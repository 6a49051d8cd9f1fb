// One table of the status codes the lab's servers send or its clients may meet: reason phrase,
// where the code is defined, what it means, and the short page the lab's server sends with it,
// which says what happened and why in plain words (RFC 9110 §15: a client must understand the
// class of any code from its first digit, even one it does not know).

/** The methods the lab's server implements; any other gets 501 (RFC 9110 §15.6.2). */
export const HTTP_IMPLEMENTED_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'];

export interface StatusContext {
  method?: string;
  /** The request target as the client wrote it. */
  target?: string;
  host?: string;
  /** What exactly was wrong, for 400 and the other errors the parser raises. */
  detail?: string;
  /** Where the resource is now (3xx). */
  location?: string;
  /** Methods the resource allows (405). */
  allow?: readonly string[];
  /** Protection space for Basic authentication (401). */
  realm?: string;
  /** The limit that was crossed (413, 414, 431), in bytes or fields. */
  limit?: number;
  limitUnit?: 'bytes' | 'fields';
}

export interface StatusInfo {
  code: number;
  reason: string;
  rfc: string;
  /** One sentence: what the code tells the client. */
  meaning: string;
  /** A few sentences for the page sent with the code, shaped by what the request was. */
  explain(ctx: StatusContext): string;
}

export type StatusClass = 'informational' | 'successful' | 'redirection' | 'client error' | 'server error';

const what = (ctx: StatusContext): string => (ctx.target ? `${ctx.target}` : 'the requested resource');
const method = (ctx: StatusContext): string => ctx.method ?? 'the';
const detail = (ctx: StatusContext): string => (ctx.detail ? ` ${sentence(ctx.detail)}` : '');
const limitText = (ctx: StatusContext): string =>
  ctx.limit === undefined ? '' : ` This server's limit is ${ctx.limit} ${ctx.limitUnit ?? 'bytes'}.`;

function sentence(text: string): string {
  const t = text.trim();
  if (t.length === 0) return t;
  const capital = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

const TABLE: readonly StatusInfo[] = [
  {
    code: 100,
    reason: 'Continue',
    rfc: 'RFC 9110 §15.2.1',
    meaning: 'Interim answer: the head of the request was fine, so the client may send the body it held back.',
    explain: () => 'The client asked (with Expect: 100-continue) whether to send its body; the server says go ahead. The final response follows later.',
  },
  {
    code: 101,
    reason: 'Switching Protocols',
    rfc: 'RFC 9110 §15.2.2',
    meaning: 'The server agrees to switch the connection to the protocol named in Upgrade; HTTP/1.1 ends here.',
    explain: () => 'From the blank line after this response on, the connection speaks another protocol.',
  },
  {
    code: 200,
    reason: 'OK',
    rfc: 'RFC 9110 §15.3.1',
    meaning: 'The request succeeded; for GET the body is the requested object.',
    explain: (ctx) => `The server found ${what(ctx)} and the ${method(ctx)} request succeeded.`,
  },
  {
    code: 201,
    reason: 'Created',
    rfc: 'RFC 9110 §15.3.2',
    meaning: 'The request created a new resource; Location (or the target) names it.',
    explain: (ctx) =>
      `The ${method(ctx)} request stored a new resource at ${ctx.location ?? what(ctx)}. A later GET of that address returns what was uploaded.`,
  },
  {
    code: 204,
    reason: 'No Content',
    rfc: 'RFC 9110 §15.3.5',
    meaning: 'The request succeeded and there is nothing to send back: the response ends at its blank line.',
    explain: (ctx) => `The ${method(ctx)} request for ${what(ctx)} succeeded. A 204 response never has a body.`,
  },
  {
    code: 206,
    reason: 'Partial Content',
    rfc: 'RFC 9110 §15.3.7',
    meaning: 'The body holds only the byte ranges the client asked for with Range.',
    explain: (ctx) => `Only part of ${what(ctx)} was sent, as the Range header asked.`,
  },
  {
    code: 301,
    reason: 'Moved Permanently',
    rfc: 'RFC 9110 §15.4.2',
    meaning: 'The object has a new permanent address, given in Location; clients should use that from now on.',
    explain: (ctx) =>
      `${what(ctx)} is not here any more: it moved for good to ${ctx.location ?? 'the address in the Location header'}. A browser follows the Location header at once and remembers the move; a cache may store this answer.`,
  },
  {
    code: 302,
    reason: 'Found',
    rfc: 'RFC 9110 §15.4.3',
    meaning: 'The object is temporarily at the address in Location; keep using the old one later.',
    explain: (ctx) => `For now, ${what(ctx)} is served from ${ctx.location ?? 'the address in the Location header'}.`,
  },
  {
    code: 303,
    reason: 'See Other',
    rfc: 'RFC 9110 §15.4.4',
    meaning: 'The answer is at another address, to be fetched with GET (typical after a form POST).',
    explain: (ctx) => `The result of the ${method(ctx)} request can be fetched with a GET of ${ctx.location ?? 'the address in the Location header'}.`,
  },
  {
    code: 304,
    reason: 'Not Modified',
    rfc: 'RFC 9110 §15.4.5',
    meaning: 'Conditional GET: the copy the client (or cache) already has is still current, so no body is sent.',
    explain: (ctx) =>
      `The client already holds the current version of ${what(ctx)}: its If-None-Match or If-Modified-Since condition showed nothing changed, so the server sends no body and the client reuses its copy.`,
  },
  {
    code: 307,
    reason: 'Temporary Redirect',
    rfc: 'RFC 9110 §15.4.8',
    meaning: 'Repeat the same request, same method and body, at the address in Location, this time only.',
    explain: (ctx) => `Repeat this ${method(ctx)} request at ${ctx.location ?? 'the address in the Location header'}.`,
  },
  {
    code: 308,
    reason: 'Permanent Redirect',
    rfc: 'RFC 9110 §15.4.9',
    meaning: 'Like 301, but the client must keep the method and body when it follows Location.',
    explain: (ctx) => `${what(ctx)} moved for good to ${ctx.location ?? 'the address in the Location header'}; repeat the same request there.`,
  },
  {
    code: 400,
    reason: 'Bad Request',
    rfc: 'RFC 9110 §15.5.1',
    meaning: 'The server could not understand the request message: its syntax or framing is broken.',
    explain: (ctx) =>
      `The server could not make sense of this request, so it did not act on it.${detail(ctx)} Fix the request and send it again; after a malformed message the server cannot tell where the next one starts, so it closes the connection.`,
  },
  {
    code: 401,
    reason: 'Unauthorized',
    rfc: 'RFC 9110 §15.5.2',
    meaning: 'The resource needs credentials; WWW-Authenticate says which scheme to use.',
    explain: (ctx) =>
      `${what(ctx)} is protected${ctx.realm ? ` (realm "${ctx.realm}")` : ''}.${detail(ctx)} Send the request again with an Authorization header; with the Basic scheme it holds "user:password" in base64, which anyone watching the connection can decode.`,
  },
  {
    code: 403,
    reason: 'Forbidden',
    rfc: 'RFC 9110 §15.5.4',
    meaning: 'The server understood the request but refuses it; credentials would not help.',
    explain: (ctx) => `The server will not serve ${what(ctx)} to anyone.`,
  },
  {
    code: 404,
    reason: 'Not Found',
    rfc: 'RFC 9110 §15.5.5',
    meaning: 'The server has nothing at this address.',
    explain: (ctx) =>
      `This server has no ${what(ctx)}${ctx.host ? ` on ${ctx.host}` : ''}. The request itself reached the server and was understood; only the path does not name anything here. Check the spelling: paths are case-sensitive.`,
  },
  {
    code: 405,
    reason: 'Method Not Allowed',
    rfc: 'RFC 9110 §15.5.6',
    meaning: 'The resource exists but does not accept this method; Allow lists the ones it does.',
    explain: (ctx) =>
      `${what(ctx)} exists, but it does not accept ${ctx.method ?? 'this method'}. ${ctx.allow && ctx.allow.length > 0 ? `It allows: ${ctx.allow.join(', ')} (the Allow header says the same).` : 'The Allow header lists what it accepts.'}`,
  },
  {
    code: 408,
    reason: 'Request Timeout',
    rfc: 'RFC 9110 §15.5.9',
    meaning: 'The client took too long to send a complete request, so the server stopped waiting.',
    explain: (ctx) =>
      `The server waited for the rest of the request and it never came.${detail(ctx)} A server cannot keep a connection open forever for a client that sends a header every few seconds, so it closes this one.`,
  },
  {
    code: 411,
    reason: 'Length Required',
    rfc: 'RFC 9110 §15.5.12',
    meaning: 'The request has a body but no Content-Length, and the server needs one.',
    explain: (ctx) =>
      `A ${method(ctx)} request carries a body, and the server must know where it ends. Send Content-Length with the size of the body in bytes (or Transfer-Encoding: chunked).${detail(ctx)}`,
  },
  {
    code: 412,
    reason: 'Precondition Failed',
    rfc: 'RFC 9110 §15.5.13',
    meaning: 'A condition in the request (If-Match, If-Unmodified-Since, If-None-Match) was false.',
    explain: (ctx) => `The request was conditional and its condition did not hold for ${what(ctx)}, so nothing was changed.${detail(ctx)}`,
  },
  {
    code: 413,
    reason: 'Content Too Large',
    rfc: 'RFC 9110 §15.5.14',
    meaning: 'The request body is bigger than the server is willing to take.',
    explain: (ctx) => `The body of this request is too large.${limitText(ctx)}${detail(ctx)}`,
  },
  {
    code: 414,
    reason: 'URI Too Long',
    rfc: 'RFC 9110 §15.5.15',
    meaning: 'The request target (usually a long query string) is longer than the server accepts.',
    explain: (ctx) =>
      `The request line is too long.${limitText(ctx)} Long query strings are the usual cause: large form data belongs in a POST body instead.`,
  },
  {
    code: 415,
    reason: 'Unsupported Media Type',
    rfc: 'RFC 9110 §15.5.16',
    meaning: 'The server does not accept a body of this Content-Type here.',
    explain: (ctx) => `The body's Content-Type is not one this resource accepts.${detail(ctx)}`,
  },
  {
    code: 416,
    reason: 'Range Not Satisfiable',
    rfc: 'RFC 9110 §15.5.17',
    meaning: 'The Range header asked only for bytes past the end of the representation.',
    explain: (ctx) => `The Range header asked for bytes that ${what(ctx)} does not have.${detail(ctx)} Content-Range says how long it really is.`,
  },
  {
    code: 417,
    reason: 'Expectation Failed',
    rfc: 'RFC 9110 §15.5.18',
    meaning: 'The server cannot meet what the Expect header asked for.',
    explain: (ctx) => `The Expect header asked for something this server does not do.${detail(ctx)}`,
  },
  {
    code: 431,
    reason: 'Request Header Fields Too Large',
    rfc: 'RFC 6585 §5',
    meaning: 'The header section, or one header, is too large or has too many fields.',
    explain: (ctx) => `The request's header section is too large.${limitText(ctx)}${detail(ctx)} Big cookies are the usual cause.`,
  },
  {
    code: 500,
    reason: 'Internal Server Error',
    rfc: 'RFC 9110 §15.6.1',
    meaning: 'The server failed while handling a request that was fine.',
    explain: (ctx) => `Something went wrong inside the server.${detail(ctx)} The request was not at fault.`,
  },
  {
    code: 501,
    reason: 'Not Implemented',
    rfc: 'RFC 9110 §15.6.2',
    meaning: 'The server does not support the method (or a transfer coding) for any resource.',
    explain: (ctx) =>
      `This server does not implement ${ctx.method ? `the ${ctx.method} method` : 'what the request asked for'}.${detail(ctx)} It understands ${HTTP_IMPLEMENTED_METHODS.join(', ')}.`,
  },
  {
    code: 502,
    reason: 'Bad Gateway',
    rfc: 'RFC 9110 §15.6.3',
    meaning: 'A proxy or gateway got an invalid answer (or none) from the server behind it.',
    explain: (ctx) => `The proxy asked the origin server for ${what(ctx)} and did not get a usable answer.${detail(ctx)}`,
  },
  {
    code: 503,
    reason: 'Service Unavailable',
    rfc: 'RFC 9110 §15.6.4',
    meaning: 'The server cannot handle the request right now (overloaded or stopped).',
    explain: (ctx) => `The service is not available at the moment.${detail(ctx)}`,
  },
  {
    code: 504,
    reason: 'Gateway Timeout',
    rfc: 'RFC 9110 §15.6.5',
    meaning: 'A proxy or gateway gave up waiting for the server behind it (or, with only-if-cached, had no stored copy).',
    explain: (ctx) => `The proxy could not get ${what(ctx)} in time.${detail(ctx)}`,
  },
  {
    code: 505,
    reason: 'HTTP Version Not Supported',
    rfc: 'RFC 9110 §15.6.6',
    meaning: 'The server does not speak the HTTP version the request line names.',
    explain: (ctx) =>
      `The request line asked for a protocol version this server does not speak.${detail(ctx)} Over a plain TCP connection it speaks HTTP/1.0 and HTTP/1.1 (and answers a bare "GET /path" the HTTP/0.9 way). HTTP/2 and HTTP/3 are not text: they are negotiated differently (HTTP/2 with TLS ALPN or a connection preface, HTTP/3 over QUIC on UDP), never by writing their name in a request line.`,
  },
];

const BY_CODE: ReadonlyMap<number, StatusInfo> = new Map(TABLE.map((s) => [s.code, s]));

export const HTTP_STATUS_TABLE: readonly StatusInfo[] = TABLE;

const CLASS_NAMES: Readonly<Record<number, StatusClass>> = {
  1: 'informational',
  2: 'successful',
  3: 'redirection',
  4: 'client error',
  5: 'server error',
};

/** The class of a code by its first digit (RFC 9110 §15), or undefined outside 100..599. */
export function statusClass(code: number): StatusClass | undefined {
  if (!Number.isInteger(code) || code < 100 || code > 599) return undefined;
  return CLASS_NAMES[Math.floor(code / 100)];
}

const GENERIC_REASON: Readonly<Record<StatusClass, string>> = {
  informational: 'Informational',
  successful: 'Success',
  redirection: 'Redirection',
  'client error': 'Client Error',
  'server error': 'Server Error',
};

/** The table entry; a code missing from it gets one built from its class, as RFC 9110 §15 asks. */
export function statusInfo(code: number): StatusInfo {
  const known = BY_CODE.get(code);
  if (known) return known;
  const cls = statusClass(code);
  return {
    code,
    reason: cls ? GENERIC_REASON[cls] : 'Unknown',
    rfc: 'RFC 9110 §15',
    meaning: cls
      ? `A ${cls} code this table does not list; a client treats it like ${Math.floor(code / 100)}00.`
      : 'Not a valid status code: codes are three digits from 100 to 599.',
    explain: (ctx) => `Status ${code}.${detail(ctx)}`,
  };
}

export function isKnownStatus(code: number): boolean {
  return BY_CODE.has(code);
}

export function reasonPhrase(code: number): string {
  return statusInfo(code).reason;
}

/** 1xx, 204 and 304 never carry a body (RFC 9112 §6.3, rules 1 and 2). */
export function statusForbidsBody(code: number): boolean {
  return (code >= 100 && code < 200) || code === 204 || code === 304;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Text for an element's content, not an attribute: only & and < start markup there (and > is
 * escaped to match), so the quotes of a status page's explanation stay quotes for a student who
 * reads the page raw in a terminal.
 */
export function escapeHtmlText(text: string): string {
  return text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface StatusPage {
  contentType: string;
  body: string;
}

/** The short page sent with a status: HTML for browsers, or plain text. Every inserted value is escaped. */
export function statusPage(code: number, ctx: StatusContext = {}, format: 'html' | 'text' = 'html'): StatusPage {
  const info = statusInfo(code);
  const title = `${code} ${info.reason}`;
  const text = info.explain(ctx);
  if (format === 'text') {
    return { contentType: 'text/plain; charset=utf-8', body: `${title}\n\n${text}\n\n(${info.rfc})\n` };
  }
  const body =
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtmlText(title)}</title></head>\n` +
    `<body>\n<h1>${escapeHtmlText(title)}</h1>\n<p>${escapeHtmlText(text)}</p>\n<p><small>${escapeHtmlText(info.rfc)}</small></p>\n</body></html>\n`;
  return { contentType: 'text/html; charset=utf-8', body };
}
