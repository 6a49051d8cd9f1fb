// Bodies for the HTTP dissector: chunked framing taken apart chunk by chunk, and the content
// itself: form fields decoded, multipart parts with their headers, or the data shown as text.

import { bytesToLatin1, concatBytes } from '../core/bytes';
import { field, type FieldNode } from '../core/field';
import { byteCount, quotedPreview } from '../core/summary';
import { decodeUrlEncoded, multipartBoundary, parseMultipart } from './forms';
import { HTTP_FIELDS as F, expertError, expertWarn } from './fields';
import { headerNode, showText, showValue, type DissectedHeader } from './dissect-headers';
import { lineAt, lineEndNode } from './dissect-lines';
import { isTextual, parseMediaType } from './media-type';
import { parseChunkSizeLine } from './syntax';

export interface ChunkedDissection {
  node: FieldNode;
  /** The body with the chunk framing removed. */
  decoded: Uint8Array;
  /** Offset just past the chunked body (its final blank line), or the end of the bytes. */
  end: number;
  complete: boolean;
}

/** Takes a chunked body apart from `start` (RFC 9112 §7.1). Never throws: problems become experts. */
export function dissectChunked(bytes: Uint8Array, start: number, side: 'request' | 'response'): ChunkedDissection {
  const children: FieldNode[] = [];
  const data: Uint8Array[] = [];
  let pos = start;
  let complete = false;
  let count = 0;
  while (pos < bytes.length) {
    const line = lineAt(bytes, pos);
    const text = bytesToLatin1(bytes, pos, pos + line.contentLength);
    const parsed = parseChunkSizeLine(text);
    if (!parsed.ok || line.terminator === null) {
      const why = parsed.ok ? 'the chunk-size line has no line end' : parsed.problem.message;
      children.push(field(F['http.chunk.size'], pos, line.length, text, `Chunk size: ${showValue(text)}`, { expert: expertError(why) }));
      pos += line.length;
      break;
    }
    const { size, extensions } = parsed.value;
    const sizeChildren: FieldNode[] = extensions.map((e) =>
      field(F['http.chunk.ext'], pos + e.offset, e.length, e.value ?? e.name, `Chunk extension: ${e.name}${e.value !== undefined ? ` = ${showValue(e.value)}` : ''} (ignored)`),
    );
    const end = lineEndNode(line);
    if (end) sizeChildren.push(end);
    const sizeNode = field(F['http.chunk.size'], pos, line.length, size, `Chunk size: ${size} bytes (hex "${parsed.value.sizeText}")`, { children: sizeChildren });
    const chunkStart = pos;
    pos += line.length;
    if (size === 0) {
      const trailerNodes: FieldNode[] = [];
      const trailerStart = pos;
      let ended = false;
      while (pos < bytes.length) {
        const t = lineAt(bytes, pos);
        if (t.contentLength === 0 && t.terminator !== null) {
          const endNode = lineEndNode(t);
          trailerNodes.push(field(F['http.head_end'], pos, t.length, undefined, 'End of chunked body (blank line)', { children: endNode ? [endNode] : [] }));
          pos += t.length;
          ended = true;
          break;
        }
        trailerNodes.push(headerNode(bytes, t, false, side).node);
        pos += t.length;
      }
      const lastChildren = [sizeNode];
      children.push(field(F['http.chunk.last'], chunkStart, pos - chunkStart, 0, 'Last chunk (size 0)', { children: lastChildren }));
      const fields = trailerNodes.filter((n) => n.id !== 'http.head_end');
      if (fields.length > 0) {
        children.push(field(F['http.trailer'], trailerStart, pos - trailerStart, fields.length, `Trailer section: ${fields.length} field${fields.length === 1 ? '' : 's'}`, { children: trailerNodes }));
      } else {
        children.push(...trailerNodes);
      }
      complete = ended;
      break;
    }
    count++;
    const available = Math.min(size, bytes.length - pos);
    const chunkData = bytes.subarray(pos, pos + available);
    data.push(chunkData);
    const dataNode = field(F['http.chunk.data'], pos, available, available, `Chunk data: ${byteCount(available)} ${quotedPreview(chunkData.subarray(0, 64))}`, {
      expert: available < size ? expertWarn(`only ${available} of the ${size} bytes the size line announced are here`) : undefined,
    });
    pos += available;
    const chunkChildren = [sizeNode, dataNode];
    if (available === size && pos < bytes.length) {
      const after = bytes[pos] === 0x0d && bytes[pos + 1] === 0x0a ? 2 : bytes[pos] === 0x0a ? 1 : 0;
      if (after === 0) {
        chunkChildren.push(field(F['http.line_end'], pos, 0, 'missing', 'Line end: missing', { expert: expertError(`the ${size}-byte chunk is not followed by CR LF: its data is longer than the size line says (hex "${size.toString(16)}" is ${size})`) }));
        children.push(field(F['http.chunk'], chunkStart, pos - chunkStart, size, `Chunk: ${byteCount(size)}`, { children: chunkChildren }));
        break;
      }
      const endNode = lineEndNode({ offset: pos, contentLength: 0, terminator: after === 2 ? 'CRLF' : 'LF', length: after });
      if (endNode) chunkChildren.push(endNode);
      pos += after;
    }
    children.push(field(F['http.chunk'], chunkStart, pos - chunkStart, size, `Chunk: ${byteCount(size)}`, { children: chunkChildren }));
  }
  const decoded = concatBytes(data);
  children.push(field(F['http.chunked.length'], start, pos - start, decoded.length, `Dechunked body: ${byteCount(decoded.length)} in ${count} chunk${count === 1 ? '' : 's'}`, { generated: true }));
  const node = field(F['http.chunked'], start, pos - start, undefined, `Chunked body: ${count} chunk${count === 1 ? '' : 's'}, ${byteCount(decoded.length)}`, {
    children,
    expert: complete ? undefined : expertWarn('the chunked body does not end with a last chunk and a blank line'),
  });
  return { node, decoded, end: pos, complete };
}

/**
 * What the body holds, by Content-Type: form fields, multipart parts, or data. `base` is the body's
 * offset in the message; with `generated` (a dechunked body) the nodes point at the whole span.
 */
export function contentNodes(body: Uint8Array, base: number, headers: readonly DissectedHeader[], side: 'request' | 'response', span?: { offset: number; length: number }): FieldNode[] {
  const typeValue = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value;
  const mt = typeValue ? parseMediaType(typeValue) : null;
  let nodes: FieldNode[];
  if (mt?.essence === 'application/x-www-form-urlencoded') nodes = formNodes(body, base);
  else if (mt?.type === 'multipart') nodes = multipartNodes(body, base, typeValue, side);
  else nodes = [dataNode(body, base, mt !== null && isTextual(mt))];
  return span ? nodes.map((n) => relocate(n, span.offset, span.length)) : nodes;
}

/** Dechunked content has no place of its own in the message: every node points at the chunked body. */
function relocate(node: FieldNode, offset: number, length: number): FieldNode {
  const out: FieldNode = { ...node, offset, length, generated: true };
  if (node.children) out.children = node.children.map((c) => relocate(c, offset, length));
  return out;
}

function dataNode(body: Uint8Array, base: number, textual: boolean): FieldNode {
  const shown = textual || looksLikeText(body) ? quotedPreview(body) : `binary, ${byteCount(body.length)}`;
  return field(F['http.body.data'], base, body.length, body.length, `Data: ${shown}`);
}

function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b < 0x09 || (b > 0x0d && b < 0x20)) return false;
  }
  return true;
}

function formNodes(body: Uint8Array, base: number): FieldNode[] {
  const form = decodeUrlEncoded(bytesToLatin1(body));
  const nodes = form.fields.map((f) =>
    field(F['http.form.field'], base + f.offset, f.length, `${f.name}=${f.value}`, `Form field: ${showText(f.name)} = ${showText(f.value)}`, {
      expert: f.badEscape ? expertWarn('a "%" not followed by two hex digits (kept as is)') : !f.hasEquals ? expertWarn('no "=": a name without a value') : undefined,
    }),
  );
  if (form.truncated) nodes.push(field(F['http.body.data'], base, body.length, body.length, 'More form fields (not decoded)', { expert: expertWarn('more fields than the decoder reads') }));
  return nodes;
}

function multipartNodes(body: Uint8Array, base: number, typeValue: string | undefined, side: 'request' | 'response'): FieldNode[] {
  const boundary = multipartBoundary(typeValue);
  if (!boundary) return [field(F['http.multipart'], base, body.length, undefined, 'Multipart body', { expert: expertError('multipart Content-Type without a usable boundary parameter (1 to 70 characters)') })];
  const mp = parseMultipart(body, boundary);
  const children: FieldNode[] = [];
  if (mp.preamble) children.push(field(F['http.multipart.preamble'], base + mp.preamble.offset, mp.preamble.length, mp.preamble.length, `Preamble: ${byteCount(mp.preamble.length)} (ignored)`));
  let d = 0;
  for (const part of mp.parts) {
    const delim = mp.delimiters[d++];
    if (delim) children.push(delimiterNode(body, base, delim));
    const partChildren: FieldNode[] = [];
    for (const h of part.headers) partChildren.push(headerNode(body, lineAt(body, h.offset), false, side).node);
    // Header nodes were built on the body; shift them into the message.
    const shifted = partChildren.map((n) => shift(n, base));
    const dataText = part.filename !== undefined ? `file "${showValue(part.filename)}", ${byteCount(part.data.length)}` : quotedPreview(part.data);
    shifted.push(field(F['http.multipart.data'], base + part.dataOffset, part.data.length, part.data.length, `Part data: ${dataText}`));
    const label = part.name !== undefined ? `Part: field "${showValue(part.name)}"${part.filename !== undefined ? `, file "${showValue(part.filename)}"` : ''}` : 'Part';
    children.push(field(F['http.multipart.part'], base + part.offset, part.length, part.name ?? '', label, { children: shifted }));
  }
  for (; d < mp.delimiters.length; d++) children.push(delimiterNode(body, base, mp.delimiters[d]));
  if (mp.epilogue) children.push(field(F['http.multipart.epilogue'], base + mp.epilogue.offset, mp.epilogue.length, mp.epilogue.length, `Epilogue: ${byteCount(mp.epilogue.length)} (ignored)`));
  const expert = mp.problems.length > 0 ? expertWarn(mp.problems.join('; ')) : undefined;
  return [field(F['http.multipart'], base, body.length, mp.parts.length, `Multipart body: ${mp.parts.length} part${mp.parts.length === 1 ? '' : 's'}, boundary "${showValue(boundary)}"`, { children, expert })];
}

function delimiterNode(body: Uint8Array, base: number, d: { offset: number; length: number; close: boolean }): FieldNode {
  const text = bytesToLatin1(body, d.offset, d.offset + d.length).replace(/\r?\n$/, '');
  return field(F['http.multipart.delimiter'], base + d.offset, d.length, text, `${d.close ? 'Closing delimiter' : 'Delimiter'}: ${showValue(text)}`);
}

function shift(node: FieldNode, by: number): FieldNode {
  const out: FieldNode = { ...node, offset: node.offset + by };
  if (node.children) out.children = node.children.map((c) => shift(c, by));
  return out;
}
