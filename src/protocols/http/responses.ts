// Ready-made responses for the site layer and the proxy: a status with its educational page and
// the fields the status requires (Location for redirects, Allow for 405, WWW-Authenticate for
// 401), 304 from a full response's fields, and the method check that picks 501 or 405.

import { notModifiedHeaders } from './conditional';
import { toHeaderList, type HeaderInput, type HttpHeader } from './headers';
import type { HttpResponseInit } from './persistence';
import { HTTP_IMPLEMENTED_METHODS, statusPage, type StatusContext } from './status';

export interface StatusResponseOptions extends StatusContext {
  /** More fields to send (after the ones the status needs). */
  headers?: HeaderInput;
  format?: 'html' | 'text';
  close?: boolean;
}

/** A response for `status` with its short page saying what happened and why. */
export function statusResponse(status: number, options: StatusResponseOptions = {}): HttpResponseInit {
  const page = statusPage(status, options, options.format ?? 'html');
  const headers: HttpHeader[] = [];
  if (options.location !== undefined && status >= 300 && status < 400) headers.push({ name: 'Location', value: options.location });
  if (status === 201 && options.location !== undefined) headers.push({ name: 'Location', value: options.location });
  if (status === 405 || (status === 204 && options.allow)) headers.push({ name: 'Allow', value: (options.allow ?? []).join(', ') });
  if (status === 401) headers.push({ name: 'WWW-Authenticate', value: `Basic realm="${(options.realm ?? 'Protolab').replace(/["\\]/g, '')}", charset="UTF-8"` });
  headers.push(...toHeaderList(options.headers));
  const noBody = status === 204 || status === 304 || (status >= 100 && status < 200);
  if (!noBody) headers.push({ name: 'Content-Type', value: page.contentType });
  const init: HttpResponseInit = { status, headers };
  if (!noBody) init.body = page.body;
  if (options.close) init.close = true;
  return init;
}

/** 304 Not Modified standing for a full response with these fields (RFC 9110 §15.4.5). */
export function notModifiedResponse(fullHeaders: HeaderInput): HttpResponseInit {
  return { status: 304, headers: notModifiedHeaders(toHeaderList(fullHeaders)) };
}

/**
 * Whether the method may go ahead on a resource: 501 when the server implements it for nothing,
 * 405 with Allow when the resource exists but does not take it; null to proceed.
 */
export function methodCheck(method: string, target: string, allowed: readonly string[] | null): HttpResponseInit | null {
  if (!HTTP_IMPLEMENTED_METHODS.includes(method)) return statusResponse(501, { method, target });
  if (allowed !== null && !allowed.includes(method)) return statusResponse(405, { method, target, allow: allowed });
  return null;
}
