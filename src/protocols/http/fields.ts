// HTTP's fields (Wireshark's hf_ table for RFC 9110/9112) and its expert notes (the ei_ table).
// Every known header gets its own field from HEADER_DOCS, so the details pane can show what it
// means and where it is defined.

import type { ExpertInfo, FieldDef, FieldTable } from '../core/field';
import { defineFields } from '../core/field';
import { HEADER_DOCS } from './header-docs';

export const HTTP_FIELDS = defineFields({
  'http.request': { name: 'HTTP request', rfc: 'RFC 9112 §2.1', blurb: 'One HTTP request message: a request line, header fields, a blank line, and maybe a body.' },
  'http.response': { name: 'HTTP response', rfc: 'RFC 9112 §2.1', blurb: 'One HTTP response message: a status line, header fields, a blank line, and maybe a body.' },
  'http.data': { name: 'Data', rfc: 'RFC 9112 §2.1', blurb: 'Bytes on an HTTP connection that are not an HTTP message: an HTTP/0.9 answer, bytes after a protocol switch, or junk.' },
  'http.empty_line': { name: 'Empty line', rfc: 'RFC 9112 §2.2', blurb: 'An empty line before the start line; servers skip it (old clients sent an extra CRLF after a POST body).' },
  'http.line_end': { name: 'Line end', rfc: 'RFC 9112 §2.2', blurb: 'Every line of an HTTP head ends in CR LF (\\r\\n). Servers also accept a bare LF, which is what a Unix terminal sends.' },
  'http.request.line': { name: 'Request line', rfc: 'RFC 9112 §3', blurb: 'The first line of a request: method, request target and protocol version, separated by single spaces.' },
  'http.request.method': { name: 'Method', rfc: 'RFC 9110 §9', blurb: 'What the client wants done: GET fetches, HEAD fetches only the head, POST submits data, PUT uploads to the target, DELETE removes it, OPTIONS asks what is allowed.' },
  'http.request.target': { name: 'Request target', rfc: 'RFC 9112 §3.2', blurb: 'Which resource: a path with an optional ?query (origin-form), or a full http:// URL when talking to a proxy (absolute-form).' },
  'http.request.path': { name: 'Path', rfc: 'RFC 3986 §3.3', blurb: 'The resource\'s path on the server, percent-encoded (%20 is a space).' },
  'http.request.query': { name: 'Query', rfc: 'RFC 3986 §3.4', blurb: 'Everything after "?": for a form sent with GET, the fields as name=value pairs joined by &.' },
  'http.request.query.param': { name: 'Query parameter', rfc: 'RFC 1866 §8.2.1', blurb: 'One name=value pair of the query string, decoded: + is a space and %XX a byte.' },
  'http.request.version': { name: 'Version', rfc: 'RFC 9112 §2.3', blurb: 'The protocol version the client speaks: HTTP/1.0 closes the connection after each response by default, HTTP/1.1 keeps it open.' },
  'http.request.simple': { name: 'HTTP/0.9 simple request', rfc: 'RFC 1945 §4.1', blurb: 'A request line with no version: the oldest form of HTTP. There are no headers; the server answers with the bare document and closes.' },
  'http.response.line': { name: 'Status line', rfc: 'RFC 9112 §4', blurb: 'The first line of a response: version, three-digit status code, and a reason phrase for people.' },
  'http.response.version': { name: 'Version', rfc: 'RFC 9112 §2.3', blurb: 'The highest HTTP version the server speaks (at most the major version of the request).' },
  'http.response.code': { name: 'Status code', rfc: 'RFC 9110 §15', blurb: 'Three digits; the first gives the class: 1xx informational, 2xx success, 3xx redirection, 4xx client error, 5xx server error.' },
  'http.response.phrase': { name: 'Reason phrase', rfc: 'RFC 9112 §4', blurb: 'Text for people, e.g. "Not Found". Clients must ignore it: only the code counts.' },
  'http.response.meaning': { name: 'Meaning', rfc: 'RFC 9110 §15', blurb: 'What the status code tells the client.' },
  'http.header.other': { name: 'Header', rfc: 'RFC 9110 §5', blurb: 'A header field this lab has no notes for. Unknown fields are passed on and otherwise ignored.' },
  'http.header.invalid': { name: 'Malformed header line', rfc: 'RFC 9112 §5', blurb: 'A line in the header section that is not "Name: value".' },
  'http.header.name': { name: 'Name', rfc: 'RFC 9110 §5.1', blurb: 'The field name: case-insensitive, letters, digits and a few marks, then a colon with no space before it.' },
  'http.header.value': { name: 'Value', rfc: 'RFC 9110 §5.5', blurb: 'The field value, with white space around it trimmed.' },
  'http.header.member': { name: 'Member', rfc: 'RFC 9110 §5.6.1', blurb: 'One element of a comma-separated list value.' },
  'http.header.weight': { name: 'Weight', rfc: 'RFC 9110 §12.4.2', blurb: 'q= gives a preference from 0 to 1 (1 when absent); 0 means "not acceptable".' },
  'http.header.param': { name: 'Parameter', rfc: 'RFC 9110 §5.6.6', blurb: 'A name=value parameter of the value.' },
  'http.header.date': { name: 'Date', rfc: 'RFC 9110 §5.6.7', blurb: 'The HTTP date read as a point in time. Senders must use the IMF-fixdate form; the RFC 850 and asctime forms are obsolete.' },
  'http.header.etag': { name: 'Entity tag', rfc: 'RFC 9110 §8.8.3', blurb: 'The entity tag read as weak or strong, with its opaque string.' },
  'http.head_end': { name: 'End of head', rfc: 'RFC 9112 §2.1', blurb: 'The empty line that ends the header section; a body (if any) starts right after it.' },
  'http.cache_control.directive': { name: 'Directive', rfc: 'RFC 9111 §5.2', blurb: 'One caching directive and what it lets caches do.' },
  'http.keep_alive.param': { name: 'Keep-Alive parameter', rfc: 'RFC 2068 §19.7.1.1', blurb: 'timeout= seconds an idle connection stays open; max= requests still allowed on it.' },
  'http.content_type.media_type': { name: 'Media type', rfc: 'RFC 9110 §8.3.1', blurb: 'type/subtype of the body.' },
  'http.cookie': { name: 'Cookie', rfc: 'RFC 6265 §4.2', blurb: 'One cookie the browser sends back: name=value, nothing more (attributes stay in the browser).' },
  'http.set_cookie.pair': { name: 'Cookie', rfc: 'RFC 6265 §4.1', blurb: 'The cookie\'s name and value.' },
  'http.set_cookie.attribute': { name: 'Attribute', rfc: 'RFC 6265 §5.2', blurb: 'A cookie attribute: how long the browser keeps the cookie and where and how it sends it back.' },
  'http.authorization.scheme': { name: 'Scheme', rfc: 'RFC 9110 §11.1', blurb: 'The authentication scheme, e.g. Basic.' },
  'http.authorization.credentials': { name: 'Credentials', rfc: 'RFC 7617 §2', blurb: 'For Basic: base64 of "user:password".' },
  'http.authorization.decoded': { name: 'Decoded credentials', rfc: 'RFC 7617 §2', blurb: 'What anyone who captures the request can read: base64 hides nothing.' },
  'http.body': { name: 'Body', rfc: 'RFC 9110 §6.4', blurb: 'The message content after the blank line, framed by Content-Length, chunked transfer coding, or (responses only) the close of the connection.' },
  'http.body.data': { name: 'Data', rfc: 'RFC 9110 §6.4', blurb: 'The body\'s bytes, shown as text when they look like text, otherwise counted.' },
  'http.body.length': { name: 'Body length', rfc: 'RFC 9110 §8.6', blurb: 'How many bytes the body has, compared with what Content-Length announced.' },
  'http.form.field': { name: 'Form field', rfc: 'RFC 1866 §8.2.1', blurb: 'One field of an application/x-www-form-urlencoded body: name=value, + for a space, %XX for a byte.' },
  'http.multipart': { name: 'Multipart body', rfc: 'RFC 7578 §4', blurb: 'A body in parts separated by "--boundary" lines; each part has its own headers. Forms with file uploads use multipart/form-data.' },
  'http.multipart.preamble': { name: 'Preamble', rfc: 'RFC 2046 §5.1.1', blurb: 'Bytes before the first delimiter; ignored.' },
  'http.multipart.delimiter': { name: 'Delimiter', rfc: 'RFC 2046 §5.1.1', blurb: 'A "--boundary" line between parts; "--boundary--" ends the body.' },
  'http.multipart.part': { name: 'Part', rfc: 'RFC 7578 §4.2', blurb: 'One part: its headers (Content-Disposition names the form field and any file name), a blank line, its data.' },
  'http.multipart.data': { name: 'Part data', rfc: 'RFC 7578 §4.2', blurb: 'The part\'s bytes: a field\'s value or a file\'s content.' },
  'http.multipart.epilogue': { name: 'Epilogue', rfc: 'RFC 2046 §5.1.1', blurb: 'Bytes after the closing delimiter; ignored.' },
  'http.chunked': { name: 'Chunked body', rfc: 'RFC 9112 §7.1', blurb: 'The body in chunks, each a hexadecimal size line, that many bytes and CR LF, until a chunk of size 0, optional trailer fields and a blank line.' },
  'http.chunk': { name: 'Chunk', rfc: 'RFC 9112 §7.1', blurb: 'One chunk of a chunked body.' },
  'http.chunk.size': { name: 'Chunk size', rfc: 'RFC 9112 §7.1', blurb: 'The size of the chunk\'s data in hexadecimal, optionally followed by ;name=value extensions.' },
  'http.chunk.ext': { name: 'Chunk extension', rfc: 'RFC 9112 §7.1.1', blurb: 'Extra information about one chunk; servers ignore extensions they do not know.' },
  'http.chunk.data': { name: 'Chunk data', rfc: 'RFC 9112 §7.1', blurb: 'The chunk\'s bytes: exactly as many as its size line announced.' },
  'http.chunk.last': { name: 'Last chunk', rfc: 'RFC 9112 §7.1', blurb: 'A chunk of size 0: the body ends here (trailer fields may follow).' },
  'http.trailer': { name: 'Trailer section', rfc: 'RFC 9112 §7.1.2', blurb: 'Header fields sent after a chunked body, e.g. a checksum computed while sending.' },
  'http.chunked.length': { name: 'Dechunked length', rfc: 'RFC 9112 §7.1.3', blurb: 'The body\'s size once the chunk framing is removed.' },
  'http.persistence': { name: 'Connection', rfc: 'RFC 9112 §9.3', blurb: 'Whether the connection stays open after this exchange: HTTP/1.1 by default yes, HTTP/1.0 only with Connection: keep-alive, never after Connection: close.' },
  'http.caching': { name: 'Caching', rfc: 'RFC 9111 §3', blurb: 'What this response allows a cache to do, worked out from its status and headers.' },
  'http.caching.storable': { name: 'Storable', rfc: 'RFC 9111 §3', blurb: 'Whether a shared cache (a proxy) may store the response.' },
  'http.caching.lifetime': { name: 'Freshness lifetime', rfc: 'RFC 9111 §4.2.1', blurb: 'How long a cache may reuse the response without asking the server.' },
  'http.caching.validators': { name: 'Validators', rfc: 'RFC 9110 §8.8', blurb: 'ETag and Last-Modified: what a cache can send back (If-None-Match, If-Modified-Since) to check a stale copy cheaply.' },
  'http.response_to': { name: 'Response to', blurb: 'The request this response answers: HTTP/1.1 answers requests in the order they came.' },
  'http.response_in': { name: 'Response in', blurb: 'The message that answers this request.' },
  'http.time_since_request': { name: 'Time since request', blurb: 'Time from the request\'s first byte to this response\'s first byte.' },
});

/** One field per documented header: `http.header.host`, `http.header.content_length`, ... */
export const HTTP_HEADER_FIELDS: Readonly<Record<string, FieldDef>> = Object.fromEntries(
  HEADER_DOCS.map((d) => [`http.header.${d.id}`, { id: `http.header.${d.id}`, name: d.name, blurb: d.blurb, ...(d.rfc ? { rfc: d.rfc } : {}) }]),
);

export const HTTP_ALL_FIELDS: FieldTable = { ...HTTP_FIELDS, ...HTTP_HEADER_FIELDS };

/** Expert notes the dissector raises (Wireshark's ei_ table for HTTP). */
export const HTTP_EXPERT = {
  simpleRequest: { severity: 'note', message: 'HTTP/0.9 simple request: no version, no headers; the answer is the bare page, then the connection closes' },
  missingHost: { severity: 'error', message: 'HTTP/1.1 request without a Host header (a server answers 400)' },
  duplicateHost: { severity: 'error', message: 'more than one Host header (a server answers 400)' },
  clAndTe: { severity: 'error', message: 'both Content-Length and Transfer-Encoding: the framing is ambiguous (request smuggling); a server answers 400' },
  obsFold: { severity: 'error', message: 'obsolete line folding: a header continued on a line starting with white space (a server answers 400)' },
  bodyNotAllowed: { severity: 'error', message: 'this response must not have a body' },
  leadingEmptyLine: { severity: 'note', message: 'empty line before the start line (ignored by servers, RFC 9112 §2.2)' },
  noHeadEnd: { severity: 'warn', message: 'the message ends before the blank line that ends the header section' },
  unsupportedVersion: { severity: 'warn', message: 'a version this server does not speak (it answers 505)' },
  teInHttp10: { severity: 'error', message: 'Transfer-Encoding in an HTTP/1.0 message: HTTP/1.0 has no chunked coding' },
  basicCleartext: { severity: 'warn', message: 'Basic credentials travel as readable base64: anyone on the path can decode them' },
  headNoBody: { severity: 'note', message: 'no body: the answer to a HEAD request; Content-Length is the size a GET would get' },
  cutMessage: { severity: 'warn', message: 'the connection ended before the message was complete' },
} as const satisfies Record<string, ExpertInfo>;

export function expertError(message: string): ExpertInfo {
  return { severity: 'error', message };
}

export function expertWarn(message: string): ExpertInfo {
  return { severity: 'warn', message };
}

export function expertNote(message: string): ExpertInfo {
  return { severity: 'note', message };
}
