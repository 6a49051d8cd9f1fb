// The one writable place on the lab's web servers: PUT stores the request body as a file (201
// Created for a new one, 204 for a replaced one, RFC 9110 §9.3.4), DELETE removes it (204,
// §9.3.5), GET and HEAD read it back. The files live in the lab's data folder, one flat folder per
// area; names are checked so nothing lands outside it.

import type { Dirent, Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { evaluateConditional } from '../../../../protocols/http/conditional';
import { formatHttpDate } from '../../../../protocols/http/dates';
import { hasHeader, toHeaderList, type HttpHeader } from '../../../../protocols/http/headers';
import type { HttpResponseInit } from '../../../../protocols/http/persistence';
import { statusResponse } from '../../../../protocols/http/responses';
import type { HttpRequest } from '../../../../protocols/http/server-connection';
import type { FileCache } from './file-cache';
import { fileResponse, fileValidators, mimeTypeFor } from './file-response';
import { escapeHtml, generatedPageHeaders, htmlPage } from './html-page';
import type { SiteUploadArea } from './manifest';

/** Longest file name in bytes (NAME_MAX of Linux and macOS file systems). */
export const UPLOAD_MAX_NAME_BYTES = 255;

/**
 * The names an uploaded file may have: ASCII letters, digits, ".", "_" and "-", starting with a
 * letter or digit, at most UPLOAD_MAX_NAME_BYTES long. An allowlist rather than a list of bad
 * characters: it leaves out at once "/" and "\\", ":" (NTFS alternate streams, macOS path
 * separator in Finder), control characters, and the Unicode that makes a name display as another
 * (U+202E turns "txt.exe" around). A first "." is reserved for the server's temporary files.
 */
const UPLOAD_NAME = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${UPLOAD_MAX_NAME_BYTES - 1}}$`);

/**
 * Names Windows keeps for devices, with any extension ("CON.txt" opens the console too), in any
 * letter case. The lab's data folder may be on Windows, where writing to them would not make a file.
 */
const WINDOWS_DEVICE_NAME = /^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\.|$)/i;

/**
 * Fields on every response from an uploads area, whose files anyone may have written: the browser
 * must not guess a more active type than the one sent (nosniff, Fetch standard §X-Content-Type-Options),
 * and a page opened from there runs sandboxed, as from an origin of its own with no scripts (CSP
 * sandbox), so an uploaded HTML file cannot act as the site.
 */
export const UPLOAD_RESPONSE_HEADERS: readonly HttpHeader[] = [
  { name: 'Content-Security-Policy', value: 'sandbox' },
  { name: 'X-Content-Type-Options', value: 'nosniff' },
];

/** Files one uploads area holds; a PUT of a new file past this gets 507, so a loop of PUTs cannot fill the disk. */
export const UPLOAD_MAX_FILES = 500;

/** Methods an uploads area takes, for a file and for the folder itself. */
export const UPLOAD_FILE_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'];
export const UPLOAD_FOLDER_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/** Temporary files of unfinished PUTs start with this; names starting with "." are refused, so none can clash. */
const TEMP_PREFIX = '.upload-';

export interface UploadsContext {
  area: SiteUploadArea;
  /** The real path of the area's folder. */
  folderReal: string;
  mimeTypes: ReadonlyMap<string, string>;
  fallbackMimeType: string;
  fileCache?: FileCache;
}

/** Creates the area's folder on first use, seeded with `seedFrom` when the manifest names one. */
export async function prepareUploadsFolder(area: SiteUploadArea): Promise<string> {
  try {
    await fs.access(area.folder);
  } catch {
    await fs.mkdir(path.dirname(area.folder), { recursive: true });
    if (area.seedFrom) await fs.cp(area.seedFrom, area.folder, { recursive: true, errorOnExist: false, force: false });
    await fs.mkdir(area.folder, { recursive: true });
  }
  return fs.realpath(area.folder);
}

/** Why a name cannot be a file of the area, or null when it can. */
export function uploadNameProblem(name: string): string | null {
  if (name.includes('/')) return 'the uploads area holds plain files only, no folders: the name after the prefix may not contain "/"';
  if (name.startsWith('.')) return 'names starting with "." are reserved for the server\'s own temporary files';
  if (name.length > UPLOAD_MAX_NAME_BYTES) return `a file name may be at most ${UPLOAD_MAX_NAME_BYTES} bytes long`;
  if (!UPLOAD_NAME.test(name)) return 'a file name may hold only the letters A-Z and a-z, digits, ".", "_" and "-", and must start with a letter or digit';
  if (name.endsWith('.')) return 'a file name may not end with "." (Windows drops it, so two names would be one file)';
  if (WINDOWS_DEVICE_NAME.test(name)) return `"${name}" is a device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9), not a possible file name there`;
  return null;
}

/** A regular file (not a link, not a folder) at `file`, or null. */
async function regularFile(file: string): Promise<Stats | null> {
  try {
    const stat = await fs.lstat(file);
    return stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}

/**
 * Answers a request whose decoded path starts with the area's prefix; `name` is what follows the
 * prefix. The size limit is checked when the whole request has arrived: the server connection
 * hands an app complete requests only, and refuses bodies past its own limit (HTTP_MAX_BODY) at
 * the head already.
 */
export async function handleUpload(request: HttpRequest, name: string, up: UploadsContext, now: number): Promise<HttpResponseInit> {
  const response = await answerUpload(request, name, up, now);
  return { ...response, headers: [...toHeaderList(response.headers), ...UPLOAD_RESPONSE_HEADERS] };
}

async function answerUpload(request: HttpRequest, name: string, up: UploadsContext, now: number): Promise<HttpResponseInit> {
  const ctx = { method: request.method, target: request.target };
  if (name === '') return folderResponse(request, up);
  if (request.method === 'OPTIONS') return statusResponse(204, { ...ctx, allow: UPLOAD_FILE_METHODS });
  if (!UPLOAD_FILE_METHODS.includes(request.method)) return statusResponse(405, { ...ctx, allow: UPLOAD_FILE_METHODS });
  const problem = uploadNameProblem(name);
  if (problem) return request.method === 'PUT' ? statusResponse(400, { ...ctx, detail: problem }) : statusResponse(404, ctx);
  const file = path.join(up.folderReal, name);
  const stat = await regularFile(file);
  switch (request.method) {
    case 'GET':
    case 'HEAD':
      return stat ? fileResponse(request, file, stat, mimeTypeFor(name, up.mimeTypes, up.fallbackMimeType), now, up.fileCache) : statusResponse(404, ctx);
    case 'DELETE': {
      if (!stat) return statusResponse(404, ctx);
      const condition = evaluateConditional('DELETE', request.headers, fileValidators(stat, now));
      if (condition.outcome !== 'proceed') return statusResponse(412, { ...ctx, detail: condition.reason });
      await fs.rm(file, { force: true });
      return statusResponse(204, ctx);
    }
    case 'PUT':
      return put(request, name, file, stat, up, now);
    default:
      return statusResponse(405, { ...ctx, allow: UPLOAD_FILE_METHODS });
  }
}

async function put(request: HttpRequest, name: string, file: string, stat: Stats | null, up: UploadsContext, now: number): Promise<HttpResponseInit> {
  const ctx = { method: request.method, target: request.target };
  // RFC 9112 §6.3: a request without Content-Length or chunked coding has no body; a PUT needs to say how long its body is.
  if (request.framing === 'none' && !hasHeader(request.headers, 'content-length')) {
    return statusResponse(411, { ...ctx, detail: 'This request has neither, so the server cannot tell an empty file from a missing body.' });
  }
  if (request.body.length > up.area.maxBytes) {
    return statusResponse(413, { ...ctx, limit: up.area.maxBytes, detail: `The body has ${request.body.length} bytes.` });
  }
  const existing = stat ?? null;
  if (!existing) {
    // Something that is not a regular file (a folder, a link) must not be replaced by a PUT.
    const other = await fs.lstat(file).catch(() => null);
    if (other) return statusResponse(403, ctx);
  }
  const condition = evaluateConditional('PUT', request.headers, existing ? fileValidators(existing, now) : {});
  if (condition.outcome !== 'proceed') return statusResponse(412, { ...ctx, detail: condition.reason });
  if (!existing && (await countFiles(up.folderReal)) >= UPLOAD_MAX_FILES) {
    return {
      status: 507,
      reason: 'Insufficient Storage',
      headers: generatedPageHeaders(),
      body: htmlPage('507 Insufficient Storage', `<h1>507 Insufficient Storage</h1>\n<p>The uploads area already holds ${UPLOAD_MAX_FILES} files, as many as the server keeps. DELETE some before uploading more.</p>\n<p><small>RFC 4918 §11.5</small></p>`),
    };
  }
  const temp = path.join(up.folderReal, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
  try {
    await fs.writeFile(temp, request.body, { flag: 'wx' });
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  if (existing) return statusResponse(204, ctx);
  return statusResponse(201, { ...ctx, location: request.parsedTarget.path, headers: [] });
}

async function countFiles(folder: string): Promise<number> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  return entries.filter((e) => e.isFile() && !e.name.startsWith('.')).length;
}

/** The folder itself: a listing of what has been uploaded, so a student can see the effect of a PUT. */
async function folderResponse(request: HttpRequest, up: UploadsContext): Promise<HttpResponseInit> {
  const ctx = { method: request.method, target: request.target };
  if (request.method === 'OPTIONS') return statusResponse(204, { ...ctx, allow: UPLOAD_FOLDER_METHODS });
  if (!UPLOAD_FOLDER_METHODS.includes(request.method)) return statusResponse(405, { ...ctx, allow: UPLOAD_FOLDER_METHODS });
  const entries: Dirent[] = await fs.readdir(up.folderReal, { withFileTypes: true });
  const files = await Promise.all(
    entries
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(async (e) => ({ name: e.name, stat: await fs.stat(path.join(up.folderReal, e.name)) })),
  );
  const rows = files.map((f) => `<tr><td><a href="${escapeHtml(encodeURIComponent(f.name))}">${escapeHtml(f.name)}</a></td><td>${f.stat.size}</td><td>${escapeHtml(formatHttpDate(f.stat.mtimeMs))}</td></tr>`);
  const list = rows.length === 0 ? '<p>The folder is empty.</p>' : `<table>\n<tr><th>Name</th><th>Bytes</th><th>Last modified</th></tr>\n${rows.join('\n')}\n</table>`;
  const body = htmlPage(
    `Uploads: ${up.area.prefix}`,
    `<h1>${escapeHtml(up.area.prefix)}</h1>\n<p>The files uploaded with PUT, as the server holds them now. PUT a file of at most ${up.area.maxBytes} bytes to <code>${escapeHtml(up.area.prefix)}NAME</code> to add one; DELETE it to remove it.</p>\n${list}`,
  );
  return { status: 200, headers: generatedPageHeaders(), body };
}
