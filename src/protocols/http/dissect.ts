// HTTP dissector: one framed message (RFC 9112) taken apart the way Wireshark's HTTP tree does:
// the start line split into its parts (the target into path and decoded query parameters), every
// header with its meaning, the body (chunks, form fields, multipart parts), and what can be worked
// out from all that: persistence, what a cache may do, which request a response answers. It never
// throws on garbage: whatever does not parse becomes a node with an expert note.

import { bytesToLatin1 } from '../core/bytes';
import { field, type FieldNode } from '../core/field';
import { byteCount, quotedPreview } from '../core/summary';
import type { DissectContext } from '../registry-types';
import { cacheDirectives } from './cache-control';
import { freshnessLifetime, storability } from './cache-rules';
import { parseHttpDate } from './dates';
import { contentNodes, dissectChunked } from './dissect-body';
import { headerNode, showText, showValue, type DissectedHeader } from './dissect-headers';
import { lineAt, lineEndNode, type Line } from './dissect-lines';
import { HTTP_EXPERT, HTTP_FIELDS as F, expertError, expertNote, expertWarn } from './fields';
import { getListMembers, type HttpHeader } from './headers';
import { parseRequestLine, parseStatusLine, parseContentLength, transferCodings, type HttpVersion } from './syntax';
import { statusClass, statusForbidsBody, statusInfo } from './status';
import { parseRequestTarget } from './target';
import { clientWantsPersistence } from './persistence';

type Side = 'request' | 'response';

export function dissectHttp(bytes: Uint8Array, ctx: DissectContext): FieldNode[] {
  try {
    return dissectMessage(bytes, ctx);
  } catch (err) {
    // A last resort: the dissector must show something for any bytes at all.
    const why = err instanceof Error ? err.message : String(err);
    return [field(F['http.data'], 0, bytes.length, bytes.length, `Data: ${byteCount(bytes.length)}`, { expert: expertError(`the HTTP dissector could not read this message: ${why}`) })];
  }
}

function startsWithStatusLine(bytes: Uint8Array, pos: number): boolean {
  return bytesToLatin1(bytes, pos, Math.min(bytes.length, pos + 5)) === 'HTTP/';
}

function dissectMessage(bytes: Uint8Array, ctx: DissectContext): FieldNode[] {
  if (bytes.length === 0) return [];
  const side: Side = ctx.dir === 'c2s' ? 'request' : 'response';
  const leading: FieldNode[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const line = lineAt(bytes, pos);
    if (line.contentLength !== 0 || line.terminator === null) break;
    const end = lineEndNode(line);
    leading.push(field(F['http.empty_line'], pos, line.length, undefined, 'Empty line', { expert: HTTP_EXPERT.leadingEmptyLine, children: end ? [end] : [] }));
    pos += line.length;
  }
  if (pos >= bytes.length) return leading;
  if (side === 'response' && !startsWithStatusLine(bytes, pos)) return [...leading, dataMessage(bytes, pos, ctx)];
  const root = side === 'request' ? requestMessage(bytes, pos, ctx) : responseMessage(bytes, pos, ctx);
  return [...leading, root];
}

/** Bytes from the server that are not a response: an HTTP/0.9 page, or junk. */
function dataMessage(bytes: Uint8Array, pos: number, ctx: DissectContext): FieldNode {
  const data = bytes.subarray(pos);
  const paired = ctx.pairedWith?.bytes;
  const simple = paired !== undefined && isSimpleRequest(paired);
  const expert = simple
    ? expertNote('HTTP/0.9 response: no status line and no headers, just the document; the close of the connection ends it')
    : expertWarn('not an HTTP status line: HTTP/1.x responses start with "HTTP/" (bytes after a 204/304 response, an HTTP/0.9 answer, or not HTTP at all)');
  const children: FieldNode[] = [field(F['http.body.data'], pos, data.length, data.length, `Data: ${quotedPreview(data)}`)];
  children.push(...pairingNodes(ctx, pos));
  return field(F['http.data'], pos, data.length, undefined, simple ? `HTTP/0.9 response: ${byteCount(data.length)}` : `Data: ${byteCount(data.length)}`, { children, expert });
}

function isSimpleRequest(request: Uint8Array): boolean {
  const line = lineAt(request, 0);
  const parsed = parseRequestLine(bytesToLatin1(request, 0, line.contentLength));
  return parsed.ok && parsed.value.simple;
}

function requestMethodOf(request: Uint8Array | undefined): string | undefined {
  if (!request) return undefined;
  let pos = 0;
  while (pos < request.length && (request[pos] === 0x0d || request[pos] === 0x0a)) pos++;
  const line = lineAt(request, pos);
  const text = bytesToLatin1(request, pos, pos + line.contentLength);
  const sp = text.indexOf(' ');
  return sp > 0 ? text.slice(0, sp) : undefined;
}

interface Head {
  headers: DissectedHeader[];
  nodes: FieldNode[];
  /** Offset of the body (just past the blank line), or the end of the bytes when there is none. */
  bodyStart: number;
  ended: boolean;
}

function readHead(bytes: Uint8Array, pos: number, side: Side): Head {
  const headers: DissectedHeader[] = [];
  const nodes: FieldNode[] = [];
  let first = true;
  while (pos < bytes.length) {
    const line = lineAt(bytes, pos);
    if (line.contentLength === 0 && line.terminator !== null) {
      const end = lineEndNode(line);
      nodes.push(field(F['http.head_end'], pos, line.length, undefined, 'End of head (blank line)', { children: end ? [end] : [] }));
      return { headers, nodes, bodyStart: pos + line.length, ended: true };
    }
    const h = headerNode(bytes, line, first, side);
    first = false;
    nodes.push(h.node);
    if (h.header) headers.push(h.header);
    pos += line.length;
  }
  return { headers, nodes, bodyStart: bytes.length, ended: false };
}

function headerList(headers: readonly DissectedHeader[]): HttpHeader[] {
  return headers.map((h) => ({ name: h.name, value: h.value }));
}

function findHeaders(headers: readonly DissectedHeader[], name: string): DissectedHeader[] {
  return headers.filter((h) => h.name.toLowerCase() === name);
}

/** Adds an expert to a node that may already have one (the more severe wins; both messages kept). */
function flag(node: FieldNode, expert: { severity: 'note' | 'warn' | 'error'; message: string }): void {
  const rank = { note: 0, warn: 1, error: 2 } as const;
  if (!node.expert) node.expert = expert;
  else {
    const severity = rank[expert.severity] > rank[node.expert.severity] ? expert.severity : node.expert.severity;
    node.expert = { severity, message: `${node.expert.message}; ${expert.message}` };
  }
}

function requestLineNode(bytes: Uint8Array, line: Line): { node: FieldNode; version: HttpVersion | null; method: string; simple: boolean } {
  const text = bytesToLatin1(bytes, line.offset, line.offset + line.contentLength);
  const parsed = parseRequestLine(text);
  const at = line.offset;
  const words = text.split(' ');
  const method = words[0] ?? '';
  const children: FieldNode[] = [];
  if (method.length > 0) children.push(field(F['http.request.method'], at, method.length, method, `Method: ${showValue(method)}`));
  if (parsed.ok) {
    const p = parsed.value;
    children.push(targetNode(p.target, at + p.targetOffset, parseRequestTarget(p.target, p.targetForm)));
    if (p.versionText !== null && p.versionOffset !== null) {
      children.push(field(F['http.request.version'], at + p.versionOffset, p.versionText.length, p.versionText, `Version: ${p.versionText}${p.newerMinor ? ' (served as HTTP/1.1)' : ''}`));
    } else {
      children.push(field(F['http.request.simple'], at, line.contentLength, 'HTTP/0.9', 'HTTP/0.9 simple request: no version', { generated: true }));
    }
  } else {
    let off = method.length + 1;
    if (words.length > 1) {
      const target = words[1];
      children.push(field(F['http.request.target'], at + off, target.length, target, `Request target: ${showValue(target)}`));
      off += target.length + 1;
    }
    if (words.length > 2) {
      const rest = words.slice(2).join(' ');
      children.push(field(F['http.request.version'], at + off, rest.length, rest, `Version: ${showValue(rest)}`));
    }
  }
  const end = lineEndNode(line);
  if (end) children.push(end);
  const expert = parsed.ok
    ? parsed.value.simple
      ? HTTP_EXPERT.simpleRequest
      : undefined
    : parsed.problem.code === 'unsupported-version'
      ? expertWarn(`${parsed.problem.message} (a server answers ${parsed.problem.status})`)
      : expertError(`${parsed.problem.message} (a server answers ${parsed.problem.status})`);
  const node = field(F['http.request.line'], at, line.length, text, `Request line: ${showValue(text)}`, { children, expert });
  return { node, version: parsed.ok ? parsed.value.version : null, method, simple: parsed.ok && parsed.value.simple };
}

function targetNode(target: string, at: number, t: ReturnType<typeof parseRequestTarget>): FieldNode {
  const children: FieldNode[] = [];
  if (t.form === 'absolute' && t.host !== undefined) {
    children.push(field(F['http.request.path'], at + t.pathOffset, Math.max(0, (t.query === null ? target.length : t.queryOffset - 1) - t.pathOffset), t.decodedPath, `Path: ${showText(t.decodedPath)} (absolute-form: a request to a proxy for ${t.host}${t.port ? `:${t.port}` : ''})`));
  } else if (t.form === 'origin') {
    const pathLength = t.query === null ? target.length : t.queryOffset - 1;
    const decoded = t.decodedPath !== t.path ? ` (decoded: ${showText(t.decodedPath)})` : '';
    children.push(field(F['http.request.path'], at, pathLength, t.decodedPath, `Path: ${showValue(t.path)}${decoded}`));
  }
  if (t.query !== null) {
    const params = t.params.map((p) =>
      field(F['http.request.query.param'], at + t.queryOffset + p.offset, p.length, `${p.name}=${p.value}`, `Parameter: ${showText(p.name)} = ${showText(p.value)}`, {
        expert: p.badEscape ? expertWarn('a "%" not followed by two hex digits (kept as is)') : undefined,
      }),
    );
    children.push(field(F['http.request.query'], at + t.queryOffset, t.query.length, t.query, `Query: ${showValue(t.query)} (${params.length} parameter${params.length === 1 ? '' : 's'})`, { children: params }));
  }
  const form = { origin: 'origin-form', absolute: 'absolute-form', authority: 'authority-form', asterisk: 'asterisk-form' }[t.form];
  return field(F['http.request.target'], at, target.length, target, `Request target: ${showValue(target)} (${form})`, { children });
}

function requestMessage(bytes: Uint8Array, start: number, ctx: DissectContext): FieldNode {
  const line = lineAt(bytes, start);
  const rl = requestLineNode(bytes, line);
  const children: FieldNode[] = [rl.node];
  const title = bytesToLatin1(bytes, start, start + line.contentLength);
  if (rl.simple || line.terminator === null) {
    if (line.terminator === null && !rl.simple) flag(rl.node, HTTP_EXPERT.noHeadEnd);
    children.push(...trailingData(bytes, start + line.length), ...pairingNodes(ctx, start));
    return root('http.request', bytes, start, title, children, ctx);
  }
  const head = readHead(bytes, start + line.length, 'request');
  children.push(...head.nodes);
  if (!head.ended) flag(children[children.length - 1], HTTP_EXPERT.noHeadEnd);
  const version = rl.version;
  const hosts = findHeaders(head.headers, 'host');
  if (version === 'HTTP/1.1' && hosts.length === 0) flag(rl.node, HTTP_EXPERT.missingHost);
  for (const extra of hosts.slice(1)) flag(extra.node, HTTP_EXPERT.duplicateHost);
  const te = findHeaders(head.headers, 'transfer-encoding');
  if (te.length > 0 && version === 'HTTP/1.0') flag(te[0].node, HTTP_EXPERT.teInHttp10);
  const body = bodyNodes(bytes, head, 'request', ctx, { noBody: false });
  children.push(...body);
  if (version !== null && version !== 'HTTP/0.9') {
    const keep = clientWantsPersistence(version, headerList(head.headers));
    const why = keep
      ? version === 'HTTP/1.1'
        ? 'HTTP/1.1 is persistent unless someone says Connection: close'
        : 'HTTP/1.0 with Connection: keep-alive'
      : version === 'HTTP/1.1'
        ? 'Connection: close'
        : 'HTTP/1.0 closes after each response unless the client sends Connection: keep-alive';
    children.push(field(F['http.persistence'], start, 0, keep, `Connection: the client ${keep ? 'asks to keep it open' : 'expects it to close after the response'} (${why})`, { generated: true }));
    const conditional = conditionalNote(head.headers);
    if (conditional) children.push(field(F['http.caching'], start, 0, undefined, conditional, { generated: true }));
  }
  children.push(...pairingNodes(ctx, start));
  return root('http.request', bytes, start, title, children, ctx);
}

function conditionalNote(headers: readonly DissectedHeader[]): string | null {
  const inm = findHeaders(headers, 'if-none-match').length > 0;
  const ims = findHeaders(headers, 'if-modified-since').length > 0;
  if (inm && ims) return 'Conditional request: If-None-Match decides; If-Modified-Since is ignored when both are present (RFC 9110 §13.2.2). 304 Not Modified, with no body, if the tag matches';
  if (inm) return 'Conditional request: the server answers 304 Not Modified, with no body, if the current ETag is one of those listed';
  if (ims) return 'Conditional request: the server answers 304 Not Modified, with no body, if the resource has not changed since that date';
  return null;
}

function responseMessage(bytes: Uint8Array, start: number, ctx: DissectContext): FieldNode {
  const line = lineAt(bytes, start);
  const text = bytesToLatin1(bytes, start, start + line.contentLength);
  const parsed = parseStatusLine(text);
  const children: FieldNode[] = [];
  const lineChildren: FieldNode[] = [];
  let status = 0;
  if (parsed.ok) {
    const p = parsed.value;
    status = p.status;
    const info = statusInfo(status);
    lineChildren.push(field(F['http.response.version'], start, p.versionText.length, p.versionText, `Version: ${p.versionText}`));
    lineChildren.push(field(F['http.response.code'], start + p.statusOffset, 3, status, `Status code: ${status} (${statusClass(status) ?? 'invalid'})`));
    if (line.contentLength > p.reasonOffset) lineChildren.push(field(F['http.response.phrase'], start + p.reasonOffset, p.reason.length, p.reason, `Reason phrase: ${showValue(p.reason)}`));
    lineChildren.push(field(F['http.response.meaning'], start + p.statusOffset, 3, info.meaning, `${status} ${info.reason}: ${info.meaning} (${info.rfc})`, { generated: true }));
  }
  const end = lineEndNode(line);
  if (end) lineChildren.push(end);
  const lineNode = field(F['http.response.line'], start, line.length, text, `Status line: ${showValue(text)}`, {
    children: lineChildren,
    expert: parsed.ok ? undefined : expertError(parsed.problem.message),
  });
  children.push(lineNode);
  if (line.terminator === null) {
    flag(lineNode, HTTP_EXPERT.noHeadEnd);
    children.push(...pairingNodes(ctx, start));
    return root('http.response', bytes, start, text, children, ctx);
  }
  const head = readHead(bytes, start + line.length, 'response');
  children.push(...head.nodes);
  if (!head.ended) flag(children[children.length - 1], HTTP_EXPERT.noHeadEnd);
  const method = requestMethodOf(ctx.pairedWith?.bytes);
  const noBody = statusForbidsBody(status) || method === 'HEAD';
  children.push(...bodyNodes(bytes, head, 'response', ctx, { noBody, status, method }));
  if (parsed.ok && status >= 200) {
    children.push(persistenceNode(head.headers, parsed.value.version, start));
    children.push(cachingNode(head.headers, status, method ?? 'GET', start));
  }
  children.push(...pairingNodes(ctx, start));
  return root('http.response', bytes, start, text, children, ctx);
}

function persistenceNode(headers: readonly DissectedHeader[], version: HttpVersion, at: number): FieldNode {
  const list = headerList(headers);
  const tokens = getListMembers(list, 'connection').map((t) => t.toLowerCase());
  let keep: boolean;
  let why: string;
  if (tokens.includes('close')) [keep, why] = [false, 'Connection: close'];
  else if (version === 'HTTP/1.1') [keep, why] = [true, tokens.includes('keep-alive') ? 'Connection: keep-alive' : 'HTTP/1.1 default'];
  else [keep, why] = tokens.includes('keep-alive') ? [true, 'HTTP/1.0 with Connection: keep-alive'] : [false, 'HTTP/1.0 without keep-alive'];
  const ka = list.find((h) => h.name.toLowerCase() === 'keep-alive')?.value;
  const detail = keep && ka ? `; ${ka}` : '';
  return field(F['http.persistence'], at, 0, keep, `Connection: the server ${keep ? 'keeps it open for more requests' : 'closes it after this response'} (${why}${detail})`, { generated: true });
}

function cachingNode(headers: readonly DissectedHeader[], status: number, method: string, at: number): FieldNode {
  const list = headerList(headers);
  const dateValue = list.find((h) => h.name.toLowerCase() === 'date')?.value;
  const responseTime = (dateValue !== undefined ? parseHttpDate(dateValue) : null) ?? 0;
  const verdict = storability({ method, headers: [] }, { status, headers: list });
  const lifetime = freshnessLifetime({ status, headers: list }, responseTime);
  const validators = [list.find((h) => h.name.toLowerCase() === 'etag') ? 'ETag (for If-None-Match)' : null, list.find((h) => h.name.toLowerCase() === 'last-modified') ? 'Last-Modified (for If-Modified-Since)' : null].filter(
    (v): v is string => v !== null,
  );
  const noCache = cacheDirectives(list).some((d) => d.name === 'no-cache');
  const children = [
    field(F['http.caching.storable'], at, 0, verdict.ok, `Storable by a shared cache: ${verdict.ok ? 'yes' : 'no'}: ${verdict.reason} (${verdict.rfc})`, { generated: true }),
    field(F['http.caching.lifetime'], at, 0, lifetime.seconds, `Freshness lifetime: ${lifetime.reason}${noCache ? '; but no-cache: revalidate before each reuse' : ''}`, { generated: true }),
    field(F['http.caching.validators'], at, 0, validators.length, validators.length > 0 ? `Validators: ${validators.join(', ')}: a stale copy can be revalidated with a conditional GET` : 'Validators: none, so a stale copy must be fetched again in full', {
      generated: true,
    }),
  ];
  const summary = !verdict.ok ? 'not storable' : lifetime.seconds > 0 && !noCache ? `storable, fresh for ${lifetime.seconds} s` : 'storable, but must be revalidated before reuse';
  return field(F['http.caching'], at, 0, undefined, `Caching: ${summary}`, { generated: true, children });
}

interface BodyRules {
  noBody: boolean;
  status?: number;
  method?: string;
}

function bodyNodes(bytes: Uint8Array, head: Head, side: Side, ctx: DissectContext, rules: BodyRules): FieldNode[] {
  const start = head.bodyStart;
  const rest = bytes.length - start;
  const list = headerList(head.headers);
  const codings = transferCodings(list);
  const chunked = codings.length > 0 && codings[codings.length - 1] === 'chunked';
  const clHeaders = findHeaders(head.headers, 'content-length');
  const cl = clHeaders.length > 0 ? parseContentLength(clHeaders.map((h) => h.value)) : null;
  if (cl && !cl.ok) flag(clHeaders[clHeaders.length - 1].node, expertError(`${cl.problem.message}${side === 'request' ? ` (a server answers ${cl.problem.status})` : ''}`));
  const te = findHeaders(head.headers, 'transfer-encoding');
  if (te.length > 0 && clHeaders.length > 0) flag(te[0].node, HTTP_EXPERT.clAndTe);
  const nodes: FieldNode[] = [];
  if (rules.noBody) {
    if (rest > 0) {
      const why = rules.method === 'HEAD' ? 'a response to HEAD' : `a ${rules.status} response`;
      nodes.push(field(F['http.body'], start, rest, rest, `Body: ${byteCount(rest)}`, { expert: expertError(`${why} must not have a body (RFC 9110 §6.4.1)`), children: [field(F['http.body.data'], start, rest, rest, `Data: ${quotedPreview(bytes.subarray(start))}`)] }));
    } else if (cl?.ok && cl.value.length > 0 && rules.method === 'HEAD' && !ctx.partial) {
      flag(clHeaders[0].node, HTTP_EXPERT.headNoBody);
    }
    return nodes;
  }
  if (chunked) {
    const c = dissectChunked(bytes, start, side);
    const children = [c.node, ...contentNodes(c.decoded, start, head.headers, side, { offset: start, length: c.end - start })];
    nodes.push(field(F['http.body'], start, c.end - start, c.decoded.length, `Body: ${byteCount(c.decoded.length)}, chunked${typeSuffix(list)}`, { children }));
    nodes.push(...trailingData(bytes, c.end));
    return nodes;
  }
  if (rest === 0) {
    if (cl?.ok && cl.value.length > 0 && !ctx.partial) {
      // The framer ends a HEAD response at its head, so an empty body here is what HEAD looks like.
      flag(clHeaders[0].node, side === 'response' ? HTTP_EXPERT.headNoBody : expertError(`Content-Length says ${cl.value.length} bytes but no body follows`));
    }
    if (cl?.ok && cl.value.length > 0 && ctx.partial) flag(clHeaders[0].node, expertWarn(`the connection ended before any of the ${cl.value.length} body bytes arrived`));
    return nodes;
  }
  const body = bytes.subarray(start);
  const children = contentNodes(body, start, head.headers, side);
  if (cl?.ok) {
    const expected = cl.value.length;
    const lengthExpert = rest === expected ? undefined : rest < expected ? (ctx.partial ? expertWarn(`only ${rest} of the ${expected} bytes arrived before the connection ended`) : expertError(`Content-Length says ${expected} bytes but the body has ${rest}`)) : expertError(`Content-Length says ${expected} bytes but ${rest} follow`);
    children.push(field(F['http.body.length'], start, rest, rest, `Body length: ${byteCount(rest)} (Content-Length: ${expected})`, { generated: true, expert: lengthExpert }));
  } else if (side === 'response') {
    children.push(field(F['http.body.length'], start, rest, rest, `Body length: ${byteCount(rest)} (no Content-Length: the body ran until the server closed the connection)`, { generated: true }));
  } else {
    children.push(field(F['http.body.length'], start, rest, rest, `Body length: ${byteCount(rest)}`, { generated: true, expert: expertError('a request body without Content-Length or chunked coding: a server cannot know it is there') }));
  }
  nodes.push(field(F['http.body'], start, rest, rest, `Body: ${byteCount(rest)}${typeSuffix(list)}`, { children }));
  return nodes;
}

function typeSuffix(headers: readonly HttpHeader[]): string {
  const t = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value;
  return t ? ` (${showValue(t.split(';')[0].trim())})` : '';
}

function trailingData(bytes: Uint8Array, from: number): FieldNode[] {
  if (from >= bytes.length) return [];
  const data = bytes.subarray(from);
  return [field(F['http.data'], from, data.length, data.length, `Data after the message: ${quotedPreview(data)}`, { expert: expertWarn('bytes after the end of the message') })];
}

/** Generated pairing nodes, placed at the start of the message they belong to (`at`). */
function pairingNodes(ctx: DissectContext, at: number): FieldNode[] {
  const p = ctx.pairedWith;
  if (!p) return [];
  if (ctx.dir === 's2c') {
    const nodes = [field(F['http.response_to'], at, 0, p.id, `Response to request #${p.id}`, { generated: true })];
    if (ctx.t !== undefined) {
      const ms = Math.max(0, ctx.t - p.t);
      nodes.push(field(F['http.time_since_request'], at, 0, ms, `Time since request: ${ms < 10 ? ms.toFixed(3) : Math.round(ms)} ms`, { generated: true }));
    }
    return nodes;
  }
  return [field(F['http.response_in'], at, 0, p.id, `Response in #${p.id}`, { generated: true })];
}

function root(id: 'http.request' | 'http.response', bytes: Uint8Array, start: number, title: string, children: FieldNode[], ctx: DissectContext): FieldNode {
  const label = id === 'http.request' ? 'HTTP request' : 'HTTP response';
  return field(F[id], start, bytes.length - start, undefined, `${label}: ${showValue(title, 100)}`, { children, expert: ctx.partial ? HTTP_EXPERT.cutMessage : undefined });
}
