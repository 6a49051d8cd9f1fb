// The web sites as an HttpApp: picks the virtual host, then answers by the manifest's order —
// Basic authentication over everything under its prefix, then a redirect, a dynamic page, the
// uploads area, and last the static files (a folder path tries the index names).

import { normalizeHostName } from '../../../../protocols/http/authority';
import { checkBasicAuth } from '../../../../protocols/http/basic-auth';
import { getHeader } from '../../../../protocols/http/headers';
import type { HttpResponseInit } from '../../../../protocols/http/persistence';
import { methodCheck, statusResponse } from '../../../../protocols/http/responses';
import type { HttpRequest } from '../../../../protocols/http/server-connection';
import { HTTP_IMPLEMENTED_METHODS } from '../../../../protocols/http/status';
import { requestAuthority } from '../../../../protocols/http/target';
import type { World } from '../../world/world';
import type { HttpApp, HttpExchange } from '../app';
import type { FileCache } from './file-cache';
import { fileResponse, mimeTypeFor } from './file-response';
import { formEchoResponse } from './form-echo';
import type { LoadedSite, LoadedSites } from './load-sites';
import { handleUpload } from './uploads';
import type { RealPathCache } from './real-path-cache';
import { decodeUrlPath, locate, urlPathBelow } from './url-path';

/** Static files take these methods (a POST, PUT or DELETE gets 405 with this Allow). */
export const STATIC_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/**
 * The site for a request (RFC 9110 §7.2): the one its Host (or absolute target) names, by site
 * name or by the world's name, alias or address for it; else the site of the world host whose
 * port the client connected to (an HTTP/1.0 or 0.9 request without Host, or `Host: 127.0.0.1`);
 * else the manifest's default host.
 */
export function chooseSite(sites: LoadedSites, world: World | undefined, request: HttpRequest, listenerHost: string): LoadedSite {
  const authority = requestAuthority(request.parsedTarget, getHeader(request.headers, 'host'));
  if (authority) {
    const name = normalizeHostName(authority.host);
    const named = sites.byName.get(name);
    if (named) return named;
    const worldHost = world?.hosts.find((h) => h.address === name || h.aliases.includes(name));
    const viaWorld = worldHost ? sites.byName.get(worldHost.name) : undefined;
    if (viaWorld) return viaWorld;
  }
  return sites.byName.get(listenerHost) ?? sites.defaultSite;
}

/** Whether `urlPath` is under `prefix` (which ends with "/"), or is the prefix without its slash. */
function underPrefix(urlPath: string, prefix: string): boolean {
  return urlPath.startsWith(prefix) || urlPath === prefix.slice(0, -1);
}

export function createSiteApp(sites: LoadedSites, world?: World): HttpApp {
  return (exchange: HttpExchange) => answer(sites, world, exchange);
}

/** Synchronous where nothing has to be waited for (a static file in the memory cache, a redirect, an error). */
function answer(sites: LoadedSites, world: World | undefined, exchange: HttpExchange): HttpResponseInit | Promise<HttpResponseInit> {
  const { request, now } = exchange;
  const ctx = { method: request.method, target: request.target };
  const unimplemented = methodCheck(request.method, request.target, null);
  if (unimplemented) return unimplemented;
  const site = chooseSite(sites, world, request, exchange.listener.host.name);
  const form = request.parsedTarget.form;
  if (form === 'asterisk') {
    // OPTIONS * asks about the server as a whole (RFC 9110 §9.3.7).
    return request.method === 'OPTIONS' ? statusResponse(204, { ...ctx, allow: HTTP_IMPLEMENTED_METHODS }) : statusResponse(400, { ...ctx, detail: 'the target "*" is for OPTIONS only' });
  }
  if (form === 'authority') return statusResponse(400, { ...ctx, detail: 'a bare host:port target is for CONNECT, which a web server does not do' });

  const decoded = decodeUrlPath(request.parsedTarget.path);
  if (!decoded.ok) return statusResponse(400, { ...ctx, detail: decoded.reason });
  const urlPath = decoded.path;
  const { config } = site;

  const refused = authorize(site, request, urlPath);
  if (refused) return refused;

  const redirect = config.redirects.find((r) => r.from === urlPath);
  if (redirect) return statusResponse(redirect.status, { ...ctx, location: redirect.to });

  const route = config.dynamic.find((d) => urlPath === d.path || urlPath.startsWith(`${d.path}/`));
  if (route) {
    if (route.handler === 'cart') return site.shops.get(route.path)!.handle(request, urlPath.slice(route.path.length), now);
    const allow = [...route.methods.filter((m) => m !== 'OPTIONS'), 'OPTIONS'];
    if (request.method === 'OPTIONS') return statusResponse(204, { ...ctx, allow });
    if (!allow.includes(request.method)) return statusResponse(405, { ...ctx, allow });
    return formEchoResponse(request);
  }

  const uploads = site.uploads.find((u) => underPrefix(urlPath, u.area.prefix));
  if (uploads) {
    if (!urlPath.startsWith(uploads.area.prefix)) return folderRedirect(request, ctx);
    return handleUpload(request, urlPath.slice(uploads.area.prefix.length), uploads, now);
  }

  return staticFile(site, request, decoded.segments, now, sites.fileCache, sites.realPaths);
}

/** 401 when `urlPath` lies in a realm of the site and the request's credentials are not good for it; null to go on. */
function authorize(site: LoadedSite, request: HttpRequest, urlPath: string): HttpResponseInit | null {
  const realm = site.config.auth.find((a) => underPrefix(urlPath, a.prefix));
  if (!realm) return null;
  const auth = checkBasicAuth(request.headers, realm);
  return auth.ok ? null : statusResponse(401, { method: request.method, target: request.target, realm: realm.realm, detail: auth.reason });
}

/** A folder named without its final "/": 301 to the same path with it, as web servers do, so relative links in its index work. */
function folderRedirect(request: HttpRequest, ctx: { method: string; target: string }): HttpResponseInit {
  const { path: rawPath, query } = request.parsedTarget;
  return statusResponse(301, { ...ctx, location: `${rawPath}/${query === null ? '' : `?${query}`}` });
}

/** Synchronous up to the file's bytes: a file in the memory cache is answered without waiting for anything. */
function staticFile(site: LoadedSite, request: HttpRequest, segments: readonly string[], now: number, cache: FileCache, realPaths: RealPathCache): HttpResponseInit | Promise<HttpResponseInit> {
  const ctx = { method: request.method, target: request.target, host: site.config.name };
  let found = locate(site.rootReal, segments, realPaths);
  if (found.kind === 'folder') {
    if (segments[segments.length - 1] !== '') return folderRedirect(request, ctx);
    const folder = segments.slice(0, -1);
    found = { kind: 'missing' };
    for (const name of site.config.index) {
      const candidate = locate(site.rootReal, [...folder, name], realPaths);
      if (candidate.kind === 'file') {
        found = candidate;
        break;
      }
    }
  }
  if (found.kind !== 'file') return statusResponse(404, ctx);
  // The file's real path decides too: a link into a protected folder, or a path in other letter
  // case on a case-insensitive file system (macOS, Windows), reaches a protected file by another name.
  const refused = authorize(site, request, urlPathBelow(site.rootReal, found.real));
  if (refused) return refused;
  if (request.method === 'OPTIONS') return statusResponse(204, { ...ctx, allow: STATIC_METHODS });
  if (!STATIC_METHODS.includes(request.method)) return statusResponse(405, { ...ctx, allow: STATIC_METHODS });
  return fileResponse(request, found.real, found.stat, mimeTypeFor(found.real, site.config.mimeTypes, site.config.fallbackMimeType), now, cache);
}
