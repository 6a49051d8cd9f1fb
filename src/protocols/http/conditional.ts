// Conditional requests (RFC 9110 §13): the client names the version it already has, and the
// server sends the body only if that version is out of date. Evaluated in the order of RFC 9110
// §13.2.2: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since. If-None-Match wins
// over If-Modified-Since: when both are present the date is not even looked at.

import { parseHttpDate } from './dates';
import { formatEntityTag, parseEntityTag, parseEntityTagList, strongMatch, weakMatch, type EntityTag } from './etag';
import { getHeader, getHeaderValues, type HttpHeader } from './headers';

/** The validators of the resource's current representation. */
export interface ResourceValidators {
  /** The ETag value, quotes included (`"17dc6-a5c-bf716880"`). */
  etag?: string;
  /** Last modification time in ms since the epoch. */
  lastModified?: number;
}

export type ConditionalOutcome = 'proceed' | 'not-modified' | 'precondition-failed';

export interface ConditionalDecision {
  outcome: ConditionalOutcome;
  /** Status to answer with when not proceeding: 304 or 412. */
  status?: 304 | 412;
  /** Which header decided, or null when the request had no condition that applies. */
  decidedBy: 'If-Match' | 'If-Unmodified-Since' | 'If-None-Match' | 'If-Modified-Since' | null;
  /** Plain-language reason for the breakdown and the server log. */
  reason: string;
  rfc: string;
}

function tagText(tag: EntityTag): string {
  return formatEntityTag(tag);
}

function secondsOf(ms: number): number {
  return Math.floor(ms / 1000);
}

/**
 * Decides a request's preconditions against the resource (RFC 9110 §13.2.2). Only call it when the
 * response would otherwise be a 2xx: conditions never apply to a 404.
 */
export function evaluateConditional(method: string, headers: readonly HttpHeader[], resource: ResourceValidators): ConditionalDecision {
  if (!hasConditionField(headers)) return noConditions();
  const current = resource.etag !== undefined ? parseEntityTag(resource.etag) : null;
  const safe = method === 'GET' || method === 'HEAD';

  // Step 1: If-Match (strong comparison, RFC 9110 §13.1.1).
  const ifMatch = getHeader(headers, 'if-match');
  if (ifMatch !== undefined) {
    const cond = parseEntityTagList(ifMatch);
    const holds = cond.any ? current !== null || resource.lastModified !== undefined : current !== null && cond.tags.some((t) => strongMatch(t, current));
    if (!holds) {
      return { outcome: 'precondition-failed', status: 412, decidedBy: 'If-Match', reason: `If-Match ${ifMatch} does not match the current ETag ${current ? tagText(current) : '(none)'}, so the change is refused`, rfc: 'RFC 9110 §13.1.1' };
    }
  } else {
    // Step 2: If-Unmodified-Since, only without If-Match.
    const ius = getHeader(headers, 'if-unmodified-since');
    const date = ius !== undefined ? parseHttpDate(ius) : null;
    if (date !== null && resource.lastModified !== undefined && secondsOf(resource.lastModified) > secondsOf(date)) {
      return { outcome: 'precondition-failed', status: 412, decidedBy: 'If-Unmodified-Since', reason: `the resource changed after ${ius}, so the change is refused`, rfc: 'RFC 9110 §13.1.4' };
    }
  }

  // Step 3: If-None-Match (weak comparison, RFC 9110 §13.1.2).
  const inm = getHeader(headers, 'if-none-match');
  if (inm !== undefined) {
    const cond = parseEntityTagList(inm);
    const matched = cond.any ? (current !== null || resource.lastModified !== undefined ? '*' : null) : current !== null ? cond.tags.find((t) => weakMatch(t, current)) : undefined;
    if (matched) {
      const which = matched === '*' ? '"*" (any current version)' : `${tagText(matched)} (weak comparison with the current ${tagText(current as EntityTag)})`;
      return safe
        ? { outcome: 'not-modified', status: 304, decidedBy: 'If-None-Match', reason: `If-None-Match lists ${which}: the client's copy is current, so no body is sent`, rfc: 'RFC 9110 §13.1.2' }
        : { outcome: 'precondition-failed', status: 412, decidedBy: 'If-None-Match', reason: `If-None-Match lists ${which}, so the ${method} is refused`, rfc: 'RFC 9110 §13.1.2' };
    }
    const also = getHeader(headers, 'if-modified-since') !== undefined ? '; If-Modified-Since is ignored because If-None-Match is present' : '';
    return { outcome: 'proceed', decidedBy: 'If-None-Match', reason: `no tag in If-None-Match matches the current ETag ${current ? tagText(current) : '(none)'}: the client's copy is out of date${also}`, rfc: 'RFC 9110 §13.2.2' };
  }

  // Step 4: If-Modified-Since, only for GET and HEAD, only with one valid date (RFC 9110 §13.1.3).
  const imsValues = getHeaderValues(headers, 'if-modified-since');
  if (imsValues.length > 0) {
    if (!safe) return { outcome: 'proceed', decidedBy: null, reason: `If-Modified-Since applies only to GET and HEAD, not ${method}`, rfc: 'RFC 9110 §13.1.3' };
    const date = imsValues.length === 1 ? parseHttpDate(imsValues[0]) : null;
    if (date === null) return { outcome: 'proceed', decidedBy: null, reason: `If-Modified-Since ${JSON.stringify(imsValues.join(', '))} is not one valid HTTP date, so it is ignored`, rfc: 'RFC 9110 §13.1.3' };
    if (resource.lastModified === undefined) return { outcome: 'proceed', decidedBy: null, reason: 'the resource has no Last-Modified time to compare with', rfc: 'RFC 9110 §13.1.3' };
    if (secondsOf(resource.lastModified) <= secondsOf(date)) {
      return { outcome: 'not-modified', status: 304, decidedBy: 'If-Modified-Since', reason: `the resource has not changed since ${imsValues[0]}: the client's copy is current, so no body is sent`, rfc: 'RFC 9110 §13.1.3' };
    }
    return { outcome: 'proceed', decidedBy: 'If-Modified-Since', reason: `the resource changed after ${imsValues[0]}, so the new version is sent`, rfc: 'RFC 9110 §13.1.3' };
  }
  return noConditions();
}

function noConditions(): ConditionalDecision {
  return { outcome: 'proceed', decidedBy: null, reason: 'the request has no conditions', rfc: 'RFC 9110 §13.2.2' };
}

/** Whether any of the four precondition fields is present: every one of them starts with "If-". */
function hasConditionField(headers: readonly HttpHeader[]): boolean {
  for (const h of headers) {
    const n = h.name;
    if (n.length > 3 && (n.charCodeAt(0) | 0x20) === 0x69 /* i */ && (n.charCodeAt(1) | 0x20) === 0x66 /* f */ && n.charCodeAt(2) === 0x2d /* - */) return true;
  }
  return false;
}

/**
 * The fields a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5): those a cache uses to
 * update its stored copy. Content fields (type, length) are not repeated; Last-Modified only
 * helps when there is no ETag.
 */
export const NOT_MODIFIED_KEEPS: readonly string[] = ['cache-control', 'content-location', 'date', 'etag', 'expires', 'vary'];

export function notModifiedHeaders(fullHeaders: readonly HttpHeader[]): HttpHeader[] {
  const hasEtag = fullHeaders.some((h) => h.name.toLowerCase() === 'etag');
  return fullHeaders
    .filter((h) => NOT_MODIFIED_KEEPS.includes(h.name.toLowerCase()) || (!hasEtag && h.name.toLowerCase() === 'last-modified'))
    .map((h) => ({ name: h.name, value: h.value }));
}
