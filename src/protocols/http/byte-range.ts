// Range requests (RFC 9110 §14): a client that holds the start of a file asks for the rest with
// `Range: bytes=1000-`. The server answers 206 Partial Content with that slice and Content-Range,
// or 416 when the range lies past the end. Only one range per request is served; a request for
// several ranges gets the whole file (RFC 9110 §14.2 lets a server ignore Range).

import { parseHttpDate } from './dates';
import { parseEntityTag, strongMatch } from './etag';
import { getHeader, getHeaderValues, type HttpHeader } from './headers';

export type RangeDecision =
  /** Send the whole representation (no Range, or one the server ignores). */
  | { kind: 'whole' }
  /** 206: bytes start..end inclusive. */
  | { kind: 'partial'; start: number; end: number }
  /** 416: no byte of the range exists. */
  | { kind: 'unsatisfiable' };

const WHOLE: RangeDecision = { kind: 'whole' };

const SINGLE_RANGE = /^bytes[ \t]*=[ \t]*(\d*)[ \t]*-[ \t]*(\d*)[ \t]*$/i;

/**
 * What to send for a GET with these headers, of a representation of `size` bytes with these
 * validators. Range applies to GET only (RFC 9110 §14.2); If-Range makes it apply only while the
 * client's copy is current (§13.1.5).
 */
export function decideRange(method: string, headers: readonly HttpHeader[], size: number, validators: { etag: string; lastModified: number }): RangeDecision {
  const values = getHeaderValues(headers, 'range');
  if (values.length === 0 || method !== 'GET' || values.length > 1) return WHOLE;
  // If-Range names an older version: the client's part is stale, so it gets the whole file.
  const ifRange = getHeader(headers, 'if-range');
  if (ifRange !== undefined && !ifRangeHolds(ifRange, validators)) return WHOLE;
  // Several ranges (or anything but one range of bytes) are not served: the whole file instead.
  const m = SINGLE_RANGE.exec(values[0].trim());
  if (!m) return WHOLE;
  const [, first, last] = m;
  if (first === '' && last === '') return WHOLE;
  if (first === '') {
    // bytes=-N: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  // A range that ends before it starts is invalid, and an invalid Range is ignored (RFC 9110 §14.2).
  if (last !== '' && Number(last) < start) return WHOLE;
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

/** If-Range holds an entity tag (compared strongly) or the exact Last-Modified date (RFC 9110 §13.1.5). */
function ifRangeHolds(value: string, validators: { etag: string; lastModified: number }): boolean {
  const tag = parseEntityTag(value);
  if (tag) {
    const current = parseEntityTag(validators.etag);
    return current !== null && strongMatch(tag, current);
  }
  const date = parseHttpDate(value);
  return date !== null && Math.floor(date / 1000) === Math.floor(validators.lastModified / 1000);
}
