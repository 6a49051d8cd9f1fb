// A file as an HTTP response: the validators a cache and a conditional GET need (Last-Modified
// from the file's mtime, a strong ETag from its size and mtime, RFC 9110 §8.8), Accept-Ranges, the
// Content-Type the manifest gives its extension, then 304, 412, 206 or 416 where the request's
// conditions and Range ask for them.

import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { evaluateConditional } from '../../../../protocols/http/conditional';
import { decideRange } from '../../../../protocols/http/byte-range';
import { formatHttpDate } from '../../../../protocols/http/dates';
import { etagFromStat } from '../../../../protocols/http/etag';
import type { HttpHeader } from '../../../../protocols/http/headers';
import type { HttpResponseInit } from '../../../../protocols/http/persistence';
import { notModifiedResponse, statusResponse } from '../../../../protocols/http/responses';
import type { HttpRequest } from '../../../../protocols/http/server-connection';
import type { FileCache } from './file-cache';

/**
 * Largest file the server sends. A response is built whole in memory (the engine takes the body
 * as bytes), so a file far larger than any page of the lab (a video dropped into a site folder)
 * is refused with 500 rather than read. 64 MiB is over a hundred times the largest shipped file.
 */
export const SITE_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Content-Type for a file name: the manifest's map by extension, else the fallback. */
export function mimeTypeFor(fileName: string, mimeTypes: ReadonlyMap<string, string>, fallback: string): string {
  return mimeTypes.get(path.extname(fileName).toLowerCase()) ?? fallback;
}

/** The validators of a file as this server states them. */
export function fileValidators(stat: Stats, now: number): { etag: string; lastModified: number } {
  // RFC 9110 §8.8.2.1: a Last-Modified later than the response's Date is replaced by the Date.
  return { etag: etagFromStat(stat.size, stat.mtimeMs), lastModified: Math.min(stat.mtimeMs, now) };
}

/**
 * The response for a file. Synchronous where nothing has to be read (conditions, HEAD, a file in
 * `cache`), so the common static GET costs no extra turn of the event loop; a promise otherwise.
 */
export function fileResponse(request: HttpRequest, file: string, stat: Stats, contentType: string, now: number, cache?: FileCache): HttpResponseInit | Promise<HttpResponseInit> {
  const validators = fileValidators(stat, now);
  const headers: HttpHeader[] = [
    { name: 'Last-Modified', value: formatHttpDate(validators.lastModified) },
    { name: 'ETag', value: validators.etag },
    { name: 'Accept-Ranges', value: 'bytes' },
    { name: 'Content-Type', value: contentType },
  ];
  const condition = evaluateConditional(request.method, request.headers, validators);
  if (condition.outcome === 'not-modified') return notModifiedResponse(headers);
  if (condition.outcome === 'precondition-failed') return statusResponse(412, { method: request.method, target: request.target, detail: condition.reason });
  if (stat.size > SITE_MAX_FILE_BYTES) {
    return statusResponse(500, { method: request.method, target: request.target, detail: `the file is ${stat.size} bytes, more than the ${SITE_MAX_FILE_BYTES} bytes this server sends in one response` });
  }
  const range = decideRange(request.method, request.headers, stat.size, validators);
  if (range.kind === 'unsatisfiable') {
    return statusResponse(416, { method: request.method, target: request.target, detail: `the file has ${stat.size} bytes`, headers: [{ name: 'Content-Range', value: `bytes */${stat.size}` }] });
  }
  if (range.kind === 'partial') return partialResponse(file, stat, range, headers, contentType);
  if (request.method === 'HEAD') {
    // HEAD gets the fields GET would, Content-Length included, without reading the file.
    return { status: 200, headers: [...headers, { name: 'Content-Length', value: String(stat.size) }] };
  }
  const cached = cache?.get(file, stat);
  if (cached) return { status: 200, headers, body: cached };
  return wholeFile(file, stat, headers, cache);
}

async function partialResponse(file: string, stat: Stats, range: { start: number; end: number }, headers: HttpHeader[], contentType: string): Promise<HttpResponseInit> {
  const length = range.end - range.start + 1;
  const body = new Uint8Array(length);
  const handle = await fs.open(file, 'r');
  try {
    await handle.read(body, 0, length, range.start);
  } finally {
    await handle.close();
  }
  const partial = headers.filter((h) => h.name !== 'Content-Type');
  partial.push({ name: 'Content-Range', value: `bytes ${range.start}-${range.end}/${stat.size}` }, { name: 'Content-Type', value: contentType });
  return { status: 206, headers: partial, body };
}

async function wholeFile(file: string, stat: Stats, headers: HttpHeader[], cache: FileCache | undefined): Promise<HttpResponseInit> {
  const body = await fs.readFile(file);
  cache?.set(file, stat, body);
  return { status: 200, headers, body };
}
