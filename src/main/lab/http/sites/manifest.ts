// The web sites manifest (content/sites/sites.yaml, read from the data folder's copy): which
// virtual host serves which folder, its redirects, passwords, dynamic pages and uploads area.
// Checked field by field like world.yaml, so a typo gets a message that names the place.

import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { normalizeHostName } from '../../../../protocols/http/authority';
import { HTTP_IMPLEMENTED_METHODS } from '../../../../protocols/http/status';
import { isToken } from '../../../../protocols/http/headers';
import { isHostname } from '../../world/world';

/** The manifest format this code reads (sites.yaml `version:`). */
export const SITES_MANIFEST_VERSION = 1;

/** Redirect statuses a manifest may use (RFC 9110 §15.4). */
export const REDIRECT_STATUSES: readonly number[] = [301, 302, 303, 307, 308];

/** The dynamic handlers the server implements. */
export const SITE_HANDLERS = ['form-echo', 'cart'] as const;
export type SiteHandlerName = (typeof SITE_HANDLERS)[number];

export interface SiteRedirect {
  from: string;
  to: string;
  status: number;
}

export interface SiteUser {
  name: string;
  password: string;
}

export interface SiteAuthRealm {
  prefix: string;
  scheme: 'Basic';
  realm: string;
  users: SiteUser[];
}

export interface CartOptions {
  /** Absolute path of the catalogue (under the site root). */
  catalog: string;
  /** Absolute path of the back-end database (under the data folder). */
  database: string;
  cookie: string;
}

export type SiteDynamicRoute =
  | { path: string; handler: 'form-echo'; methods: string[] }
  | { path: string; handler: 'cart'; methods: string[]; options: CartOptions };

export interface SiteUploadArea {
  prefix: string;
  /** Absolute path of the writable folder (under the data folder). */
  folder: string;
  /** Absolute path of the folder copied into `folder` when it does not exist yet. */
  seedFrom?: string;
  maxBytes: number;
}

export interface SiteConfig {
  name: string;
  description?: string;
  /** Absolute path of the folder of static files. */
  root: string;
  index: string[];
  /** Extension (lowercase, with its dot) -> Content-Type, the defaults with the host's own on top. */
  mimeTypes: ReadonlyMap<string, string>;
  fallbackMimeType: string;
  redirects: SiteRedirect[];
  auth: SiteAuthRealm[];
  dynamic: SiteDynamicRoute[];
  uploads: SiteUploadArea[];
}

export interface SitesManifest {
  defaultHost: string;
  hosts: SiteConfig[];
}

export class SitesError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'SitesError';
  }
}

type Raw = Record<string, unknown>;

function mapping(value: unknown, where: string, what: string): Raw {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SitesError(where, `expected ${what}`);
  return value as Raw;
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new SitesError(where, 'expected a list');
  return value;
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new SitesError(where, 'expected a non-empty text');
  return value.trim();
}

/** A relative path that stays where it is put: no "..", no ".", no absolute path, no backslash. */
function relativePath(value: unknown, where: string): string {
  const p = text(value, where);
  if (path.isAbsolute(p) || p.includes('\\') || p.includes('\0') || p.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    throw new SitesError(where, `'${p}' must be a plain relative path (no "..", no leading "/", no backslash)`);
  }
  return p;
}

function urlPath(value: unknown, where: string, mustEndWithSlash = false): string {
  const p = text(value, where);
  if (!p.startsWith('/')) throw new SitesError(where, `'${p}' must be an absolute path starting with "/"`);
  if (/[\0\\?#]/.test(p) || p.split('/').some((s) => s === '..' || s === '.')) throw new SitesError(where, `'${p}' must be a plain path (no "..", "?", "#" or backslash)`);
  if (mustEndWithSlash && !p.endsWith('/')) throw new SitesError(where, `'${p}' is a prefix and must end with "/"`);
  if (!mustEndWithSlash && p.length > 1 && p.endsWith('/')) throw new SitesError(where, `'${p}' must not end with "/"`);
  return p;
}

function methods(value: unknown, where: string): string[] {
  const out = list(value, where).map((m, i) => {
    const method = text(m, `${where}[${i}]`).toUpperCase();
    if (!HTTP_IMPLEMENTED_METHODS.includes(method)) throw new SitesError(`${where}[${i}]`, `'${method}' is not one of ${HTTP_IMPLEMENTED_METHODS.join(', ')}`);
    return method;
  });
  if (out.length === 0) throw new SitesError(where, 'expected at least one method');
  return out;
}

function mimeTypes(value: unknown, where: string): Map<string, string> {
  const out = new Map<string, string>();
  if (value === undefined) return out;
  for (const [ext, type] of Object.entries(mapping(value, where, 'a mapping of ".ext: type"'))) {
    if (!/^\.[A-Za-z0-9._+-]+$/.test(ext)) throw new SitesError(`${where}.${ext}`, 'an extension starts with "." and holds letters, digits and . _ + -');
    const t = text(type, `${where}.${ext}`);
    if (/[\r\n\0]/.test(t) || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+/.test(t)) throw new SitesError(`${where}.${ext}`, `'${t}' is not a media type like text/html`);
    out.set(ext.toLowerCase(), t);
  }
  return out;
}

function indexNames(value: unknown, where: string): string[] {
  return list(value, where).map((n, i) => {
    const name = relativePath(n, `${where}[${i}]`);
    if (name.includes('/')) throw new SitesError(`${where}[${i}]`, `'${name}' must be a file name, not a path`);
    return name;
  });
}

function positiveInt(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new SitesError(where, `expected a whole number of at least 1, got ${JSON.stringify(value)}`);
  return value;
}

interface Folders {
  sitesDir: string;
  dataDir: string;
}

function parseRedirect(raw: unknown, where: string): SiteRedirect {
  const r = mapping(raw, where, 'a redirect { from, to, status }');
  const status = r.status ?? 301;
  if (typeof status !== 'number' || !REDIRECT_STATUSES.includes(status)) throw new SitesError(`${where}.status`, `expected one of ${REDIRECT_STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
  const to = text(r.to, `${where}.to`);
  if (/[\r\n\0\s]/.test(to)) throw new SitesError(`${where}.to`, `'${to}' may not hold spaces or control characters`);
  return { from: urlPath(r.from, `${where}.from`), to, status };
}

function parseAuth(raw: unknown, where: string): SiteAuthRealm {
  const r = mapping(raw, where, 'an auth realm { prefix, scheme, realm, users }');
  if (r.scheme !== 'Basic') throw new SitesError(`${where}.scheme`, `only Basic (RFC 7617) is implemented, got ${JSON.stringify(r.scheme)}`);
  const realm = text(r.realm, `${where}.realm`);
  if (/["\\\r\n\0]/.test(realm)) throw new SitesError(`${where}.realm`, 'a realm may not hold quotes, backslashes or control characters');
  const users = list(r.users, `${where}.users`).map((u, i) => {
    const user = mapping(u, `${where}.users[${i}]`, 'a user { name, password }');
    const name = text(user.name, `${where}.users[${i}].name`);
    // RFC 7617 §2: the user-id cannot contain a colon; the password may.
    if (name.includes(':')) throw new SitesError(`${where}.users[${i}].name`, 'a Basic user name cannot contain ":" (RFC 7617 §2)');
    if (typeof user.password !== 'string') throw new SitesError(`${where}.users[${i}].password`, 'expected a text');
    return { name, password: user.password };
  });
  if (users.length === 0) throw new SitesError(`${where}.users`, 'expected at least one user');
  return { prefix: urlPath(r.prefix, `${where}.prefix`, true), scheme: 'Basic', realm, users };
}

function parseDynamic(raw: unknown, where: string, root: string, folders: Folders): SiteDynamicRoute {
  const r = mapping(raw, where, 'a dynamic route { path, handler, methods }');
  const routePath = urlPath(r.path, `${where}.path`);
  const handler = r.handler;
  const m = methods(r.methods, `${where}.methods`);
  if (handler === 'form-echo') return { path: routePath, handler, methods: m };
  if (handler === 'cart') {
    const o = mapping(r.options, `${where}.options`, 'the cart options { catalog, database, cookie }');
    const cookie = text(o.cookie, `${where}.options.cookie`);
    if (!isToken(cookie)) throw new SitesError(`${where}.options.cookie`, `'${cookie}' is not a valid cookie name (RFC 6265 §4.1.1: a token)`);
    return {
      path: routePath,
      handler,
      methods: m,
      options: {
        catalog: path.join(root, relativePath(o.catalog, `${where}.options.catalog`)),
        database: path.join(folders.dataDir, relativePath(o.database, `${where}.options.database`)),
        cookie,
      },
    };
  }
  throw new SitesError(`${where}.handler`, `unknown handler ${JSON.stringify(handler)}; the server has ${SITE_HANDLERS.join(', ')}`);
}

function parseUpload(raw: unknown, where: string, root: string, folders: Folders): SiteUploadArea {
  const r = mapping(raw, where, 'an uploads area { prefix, folder, maxBytes }');
  const area: SiteUploadArea = {
    prefix: urlPath(r.prefix, `${where}.prefix`, true),
    folder: path.join(folders.dataDir, relativePath(r.folder, `${where}.folder`)),
    maxBytes: positiveInt(r.maxBytes, `${where}.maxBytes`),
  };
  if (r.seedFrom !== undefined) area.seedFrom = path.join(root, relativePath(r.seedFrom, `${where}.seedFrom`));
  return area;
}

function parseHost(raw: unknown, where: string, defaults: { index: string[]; mimeTypes: Map<string, string>; fallback: string }, folders: Folders): SiteConfig {
  const h = mapping(raw, where, 'a host { name, root, ... }');
  const name = normalizeHostName(text(h.name, `${where}.name`));
  if (!isHostname(name)) throw new SitesError(`${where}.name`, `'${name}' is not a host name`);
  const root = path.join(folders.sitesDir, relativePath(h.root, `${where}.root`));
  const ownTypes = mimeTypes(h.mimeTypes, `${where}.mimeTypes`);
  const site: SiteConfig = {
    name,
    root,
    index: h.index === undefined ? defaults.index : indexNames(h.index, `${where}.index`),
    mimeTypes: new Map([...defaults.mimeTypes, ...ownTypes]),
    fallbackMimeType: defaults.fallback,
    redirects: list(h.redirects, `${where}.redirects`).map((r, i) => parseRedirect(r, `${where}.redirects[${i}]`)),
    auth: list(h.auth, `${where}.auth`).map((a, i) => parseAuth(a, `${where}.auth[${i}]`)),
    dynamic: list(h.dynamic, `${where}.dynamic`).map((d, i) => parseDynamic(d, `${where}.dynamic[${i}]`, root, folders)),
    uploads: list(h.uploads, `${where}.uploads`).map((u, i) => parseUpload(u, `${where}.uploads[${i}]`, root, folders)),
  };
  if (typeof h.description === 'string') site.description = h.description.trim();
  return site;
}

/**
 * Parses sites.yaml. `sitesDir` is the folder of the file (roots are relative to it), `dataDir`
 * the lab's data folder (writable folders and databases are relative to it).
 */
export function parseSitesManifest(yamlText: string, folders: Folders, file = 'sites.yaml'): SitesManifest {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (err) {
    throw new SitesError(file, `not valid YAML: ${(err as Error).message}`);
  }
  const d = mapping(doc, file, 'a mapping with version, defaultHost, defaults and hosts');
  if (d.version !== SITES_MANIFEST_VERSION) throw new SitesError(`${file}: version`, `expected ${SITES_MANIFEST_VERSION}, got ${JSON.stringify(d.version)}`);
  const defs = d.defaults === undefined ? {} : mapping(d.defaults, `${file}: defaults`, 'a mapping { index, mimeTypes, fallbackMimeType }');
  const defaults = {
    index: defs.index === undefined ? ['index.html'] : indexNames(defs.index, `${file}: defaults.index`),
    mimeTypes: mimeTypes(defs.mimeTypes, `${file}: defaults.mimeTypes`),
    fallback: defs.fallbackMimeType === undefined ? 'application/octet-stream' : text(defs.fallbackMimeType, `${file}: defaults.fallbackMimeType`),
  };
  if (!Array.isArray(d.hosts) || d.hosts.length === 0) throw new SitesError(`${file}: hosts`, 'expected a list of at least one host');
  const hosts = d.hosts.map((h, i) => parseHost(h, `${file}: hosts[${i}]`, defaults, folders));
  const seen = new Set<string>();
  hosts.forEach((h, i) => {
    if (seen.has(h.name)) throw new SitesError(`${file}: hosts[${i}].name`, `${h.name} is listed twice`);
    seen.add(h.name);
  });
  const defaultHost = normalizeHostName(text(d.defaultHost, `${file}: defaultHost`));
  if (!seen.has(defaultHost)) throw new SitesError(`${file}: defaultHost`, `${defaultHost} is not one of the hosts listed`);
  return { defaultHost, hosts };
}
