// What the common header fields mean, with where each is defined (in the manner of HTTP Toolkit's
// header docs: annotations are data, the views only render them). The dissector registers one
// field per entry, so selecting a header shows its meaning and RFC section.

/** How the dissector takes a field value apart. */
export type HeaderValueKind =
  | 'text'
  | 'date'
  | 'number'
  | 'list'
  | 'q-list'
  | 'media-type'
  | 'cache-control'
  | 'keep-alive'
  | 'cookie'
  | 'set-cookie'
  | 'etag'
  | 'etag-list'
  | 'authorization'
  | 'challenge';

export interface HeaderDoc {
  /** Canonical spelling, e.g. `Content-Length`. */
  name: string;
  /** Field id suffix: `http.header.<id>`. */
  id: string;
  /** Where it is defined; absent for de facto fields no RFC defines (the blurb says whose they are). */
  rfc?: string;
  blurb: string;
  kind: HeaderValueKind;
  /** Where the field is normally sent. */
  sentIn: 'request' | 'response' | 'both';
}

export const HEADER_DOCS: readonly HeaderDoc[] = [
  { name: 'Host', id: 'host', rfc: 'RFC 9110 §7.2', kind: 'text', sentIn: 'request', blurb: 'The host name (and port) of the site the request is for. One server address can hold many sites ("virtual hosts"), so HTTP/1.1 requires it: a 1.1 request without Host gets 400.' },
  { name: 'User-Agent', id: 'user_agent', rfc: 'RFC 9110 §10.1.5', kind: 'text', sentIn: 'request', blurb: 'The client program and version, e.g. Firefox/3.6.10. Servers use it for statistics or to work around client bugs.' },
  { name: 'Accept', id: 'accept', rfc: 'RFC 9110 §12.5.1', kind: 'q-list', sentIn: 'request', blurb: 'The media types the client can use, in order of preference; q=0.5 lowers a type\'s weight (1 is the default). The server picks one: content negotiation.' },
  { name: 'Accept-Language', id: 'accept_language', rfc: 'RFC 9110 §12.5.4', kind: 'q-list', sentIn: 'request', blurb: 'The natural languages the user prefers, e.g. en-us, then en with weight 0.5.' },
  { name: 'Accept-Encoding', id: 'accept_encoding', rfc: 'RFC 9110 §12.5.3', kind: 'q-list', sentIn: 'request', blurb: 'The content codings (compressions) the client can undo, e.g. gzip, deflate, br.' },
  { name: 'Accept-Charset', id: 'accept_charset', rfc: 'RFC 9110 §12.5.2', kind: 'q-list', sentIn: 'request', blurb: 'The character sets the client can read. Obsolete: today everyone reads UTF-8, and browsers no longer send it.' },
  { name: 'Connection', id: 'connection', rfc: 'RFC 9110 §7.6.1', kind: 'list', sentIn: 'both', blurb: 'Options for this connection only. "close": the sender will close the connection after this message; "keep-alive": an HTTP/1.0 client asks for a persistent connection (HTTP/1.1 is persistent by default).' },
  { name: 'Keep-Alive', id: 'keep_alive', rfc: 'RFC 2068 §19.7.1.1', kind: 'keep-alive', sentIn: 'both', blurb: 'Parameters of a persistent connection: timeout= seconds the server keeps an idle connection open, max= requests it will still answer on it. Never standardized beyond this, but widely sent.' },
  { name: 'Content-Length', id: 'content_length', rfc: 'RFC 9110 §8.6', kind: 'number', sentIn: 'both', blurb: 'The size of the body in bytes: it tells the receiver where this message ends and the next one begins on a persistent connection.' },
  { name: 'Content-Type', id: 'content_type', rfc: 'RFC 9110 §8.3', kind: 'media-type', sentIn: 'both', blurb: 'The media type of the body (text/html, image/jpeg, application/x-www-form-urlencoded...), with parameters such as charset or a multipart boundary.' },
  { name: 'Transfer-Encoding', id: 'transfer_encoding', rfc: 'RFC 9112 §6.1', kind: 'list', sentIn: 'both', blurb: 'How the body is framed on the wire. "chunked": the body comes in pieces, each preceded by its size in hexadecimal, ending with a piece of size 0, so the sender need not know the length in advance.' },
  { name: 'TE', id: 'te', rfc: 'RFC 9110 §10.1.4', kind: 'q-list', sentIn: 'request', blurb: 'The transfer codings the client accepts in the response, and "trailers" if it can handle fields after a chunked body.' },
  { name: 'Trailer', id: 'trailer', rfc: 'RFC 9110 §6.6.2', kind: 'list', sentIn: 'both', blurb: 'Names the fields that will come after a chunked body (as trailers) rather than in the header section.' },
  { name: 'Date', id: 'date', rfc: 'RFC 9110 §6.6.1', kind: 'date', sentIn: 'both', blurb: 'When the message was generated, always in GMT. Caches use the response\'s Date to work out its age.' },
  { name: 'Server', id: 'server', rfc: 'RFC 9110 §10.2.4', kind: 'text', sentIn: 'response', blurb: 'The server software that produced the response, e.g. Apache/2.0.52 (CentOS).' },
  { name: 'Last-Modified', id: 'last_modified', rfc: 'RFC 9110 §8.8.2', kind: 'date', sentIn: 'response', blurb: 'When the resource last changed. A cache sends it back in If-Modified-Since to ask "has it changed since?" (a conditional GET).' },
  { name: 'ETag', id: 'etag', rfc: 'RFC 9110 §8.8.3', kind: 'etag', sentIn: 'response', blurb: 'An entity tag: a quoted label for this exact version of the resource. A cache sends it back in If-None-Match; W/ marks a weak tag (same meaning, maybe not the same bytes).' },
  { name: 'Accept-Ranges', id: 'accept_ranges', rfc: 'RFC 9110 §14.3', kind: 'list', sentIn: 'response', blurb: '"bytes": the server can send parts of the resource (Range requests), which lets downloads resume; "none": it cannot.' },
  { name: 'Location', id: 'location', rfc: 'RFC 9110 §10.2.2', kind: 'text', sentIn: 'response', blurb: 'Where to go instead: the new address in a 3xx redirect, or the created resource in a 201.' },
  { name: 'Set-Cookie', id: 'set_cookie', rfc: 'RFC 6265 §4.1', kind: 'set-cookie', sentIn: 'response', blurb: 'The server gives the browser a cookie (name=value) to send back on later requests, with attributes saying for how long, to which paths and domains, and how safely.' },
  { name: 'Cookie', id: 'cookie', rfc: 'RFC 6265 §4.2', kind: 'cookie', sentIn: 'request', blurb: 'The cookies the browser holds for this site, sent back so the server can recognize the user across otherwise independent requests.' },
  { name: 'Authorization', id: 'authorization', rfc: 'RFC 9110 §11.6.2', kind: 'authorization', sentIn: 'request', blurb: 'Credentials for the server. With the Basic scheme they are "user:password" in base64: an encoding, not encryption, so anyone who sees the bytes can read the password.' },
  { name: 'WWW-Authenticate', id: 'www_authenticate', rfc: 'RFC 9110 §11.6.1', kind: 'challenge', sentIn: 'response', blurb: 'Sent with 401: the authentication scheme the client must use (e.g. Basic) and the protection space (realm) the credentials are for.' },
  { name: 'Proxy-Authenticate', id: 'proxy_authenticate', rfc: 'RFC 9110 §11.7.1', kind: 'challenge', sentIn: 'response', blurb: 'Like WWW-Authenticate, but the proxy asks for credentials (with 407).' },
  { name: 'Proxy-Authorization', id: 'proxy_authorization', rfc: 'RFC 9110 §11.7.2', kind: 'authorization', sentIn: 'request', blurb: 'Credentials for the proxy, not the origin server.' },
  { name: 'Allow', id: 'allow', rfc: 'RFC 9110 §10.2.1', kind: 'list', sentIn: 'response', blurb: 'The methods the resource supports; required with 405 Method Not Allowed, and the answer to OPTIONS.' },
  { name: 'If-Modified-Since', id: 'if_modified_since', rfc: 'RFC 9110 §13.1.3', kind: 'date', sentIn: 'request', blurb: 'Conditional GET: send the body only if the resource changed after this date; otherwise answer 304 Not Modified with no body. Ignored when If-None-Match is present.' },
  { name: 'If-None-Match', id: 'if_none_match', rfc: 'RFC 9110 §13.1.2', kind: 'etag-list', sentIn: 'request', blurb: 'Conditional GET: send the body only if the current ETag is none of these; otherwise 304 Not Modified. It takes precedence over If-Modified-Since.' },
  { name: 'If-Match', id: 'if_match', rfc: 'RFC 9110 §13.1.1', kind: 'etag-list', sentIn: 'request', blurb: 'Do this (typically PUT or DELETE) only if the current ETag is one of these, so two editors do not overwrite each other; otherwise 412.' },
  { name: 'If-Unmodified-Since', id: 'if_unmodified_since', rfc: 'RFC 9110 §13.1.4', kind: 'date', sentIn: 'request', blurb: 'Do this only if the resource has not changed since the date; otherwise 412 Precondition Failed.' },
  { name: 'If-Range', id: 'if_range', rfc: 'RFC 9110 §13.1.5', kind: 'text', sentIn: 'request', blurb: 'Send only the Range asked for if the resource is still this version; otherwise send all of it.' },
  { name: 'Range', id: 'range', rfc: 'RFC 9110 §14.2', kind: 'text', sentIn: 'request', blurb: 'Asks for part of the resource, e.g. bytes=0-499; answered with 206 Partial Content.' },
  { name: 'Content-Range', id: 'content_range', rfc: 'RFC 9110 §14.4', kind: 'text', sentIn: 'response', blurb: 'Which bytes of the whole a 206 response carries, e.g. bytes 0-499/2652.' },
  { name: 'Cache-Control', id: 'cache_control', rfc: 'RFC 9111 §5.2', kind: 'cache-control', sentIn: 'both', blurb: 'Directives for caches: whether a response may be stored (no-store, private, public), for how long it stays fresh (max-age, s-maxage), and when it must be checked with the server (no-cache, must-revalidate).' },
  { name: 'Expires', id: 'expires', rfc: 'RFC 9111 §5.3', kind: 'date', sentIn: 'response', blurb: 'The date after which the response is stale. max-age overrides it; an invalid date such as "0" means already expired.' },
  { name: 'Age', id: 'age', rfc: 'RFC 9111 §5.1', kind: 'number', sentIn: 'response', blurb: 'Seconds since the origin server generated (or last revalidated) the response, added by a cache that serves it from storage.' },
  { name: 'Pragma', id: 'pragma', rfc: 'RFC 9111 §5.4', kind: 'list', sentIn: 'request', blurb: 'HTTP/1.0\'s only cache control: "no-cache" asks caches to fetch a fresh copy. Replaced by Cache-Control.' },
  { name: 'Via', id: 'via', rfc: 'RFC 9110 §7.6.3', kind: 'list', sentIn: 'both', blurb: 'The proxies and caches the message passed through, each with the protocol version it received, e.g. "1.1 cache.lab". It also stops forwarding loops.' },
  { name: 'Vary', id: 'vary', rfc: 'RFC 9110 §12.5.5', kind: 'list', sentIn: 'response', blurb: 'The request fields the server looked at to choose this response (e.g. Accept-Language). A cache may reuse it only for requests with the same values in those fields; "*" means never.' },
  { name: 'X-Cache', id: 'x_cache', kind: 'text', sentIn: 'response', blurb: 'Not in any RFC, but common since Squid: a cache says whether it answered from storage (HIT) or had to ask the origin server (MISS).' },
  { name: 'Content-Encoding', id: 'content_encoding', rfc: 'RFC 9110 §8.4', kind: 'list', sentIn: 'both', blurb: 'Compression applied to the body itself (gzip, br); the receiver undoes it to get the resource\'s bytes.' },
  { name: 'Content-Language', id: 'content_language', rfc: 'RFC 9110 §8.5', kind: 'list', sentIn: 'response', blurb: 'The natural language of the body\'s intended audience.' },
  { name: 'Content-Location', id: 'content_location', rfc: 'RFC 9110 §8.7', kind: 'text', sentIn: 'response', blurb: 'The address of the specific representation sent, when it differs from the target (e.g. index.html.en for /).' },
  { name: 'Content-Disposition', id: 'content_disposition', rfc: 'RFC 6266 §4', kind: 'text', sentIn: 'both', blurb: 'How to present the body: inline, or as an attachment with a file name; in multipart/form-data, which form field a part belongs to.' },
  { name: 'Referer', id: 'referer', rfc: 'RFC 9110 §10.1.3', kind: 'text', sentIn: 'request', blurb: 'The page whose link led to this request (the misspelling is in the original standard).' },
  { name: 'Origin', id: 'origin', rfc: 'RFC 6454 §7', kind: 'text', sentIn: 'request', blurb: 'The site (scheme, host, port) a script or form request comes from, used for cross-origin checks.' },
  { name: 'Expect', id: 'expect', rfc: 'RFC 9110 §10.1.1', kind: 'list', sentIn: 'request', blurb: '"100-continue": the client waits for an interim 100 Continue before sending a large body, so a server that will refuse it can say so first.' },
  { name: 'Upgrade', id: 'upgrade', rfc: 'RFC 9110 §7.8', kind: 'list', sentIn: 'both', blurb: 'Asks to switch this connection to another protocol (e.g. websocket); the server agrees with 101 Switching Protocols.' },
  { name: 'Max-Forwards', id: 'max_forwards', rfc: 'RFC 9110 §7.6.2', kind: 'number', sentIn: 'request', blurb: 'How many more proxies may forward a TRACE or OPTIONS request.' },
  { name: 'Forwarded', id: 'forwarded', rfc: 'RFC 7239 §4', kind: 'text', sentIn: 'request', blurb: 'Added by proxies: who the original client was and how the request arrived.' },
  { name: 'X-Forwarded-For', id: 'x_forwarded_for', kind: 'list', sentIn: 'request', blurb: 'Added by proxies: the address of the original client. Not in any RFC: the older, de facto form of Forwarded.' },
  { name: 'Retry-After', id: 'retry_after', rfc: 'RFC 9110 §10.2.3', kind: 'text', sentIn: 'response', blurb: 'How long to wait before trying again (seconds or a date), with 503 or 3xx.' },
  { name: 'Proxy-Connection', id: 'proxy_connection', rfc: 'RFC 9112 §C.2.2', kind: 'list', sentIn: 'request', blurb: 'A non-standard cousin of Connection once sent by browsers to proxies; obsolete and best ignored.' },
  { name: 'Upgrade-Insecure-Requests', id: 'upgrade_insecure_requests', kind: 'number', sentIn: 'request', blurb: 'The browser says it prefers HTTPS versions of the resources it asks for (a W3C specification, not an RFC).' },
  { name: 'Strict-Transport-Security', id: 'strict_transport_security', rfc: 'RFC 6797 §6.1', kind: 'text', sentIn: 'response', blurb: 'Tells the browser to use only HTTPS for this site for the given time (ignored over plain HTTP).' },
];

const BY_NAME: ReadonlyMap<string, HeaderDoc> = new Map(HEADER_DOCS.map((d) => [d.name.toLowerCase(), d]));

/** The entry for a header name (any case), or undefined for an unknown field. */
export function headerDoc(name: string): HeaderDoc | undefined {
  return BY_NAME.get(name.toLowerCase());
}
