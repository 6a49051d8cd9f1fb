// The page the web cache answers with when a request is addressed to the cache itself (a browser
// pointed at http://127.0.0.1:13128/, or `GET /` typed into a connection to it): what a caching
// proxy is for, how to use this one, and what it holds right now.

import type { HttpResponseInit } from '../../../protocols/http/persistence';
import { escapeHtml } from '../../../protocols/http/status';

/** What the cache's own page takes (anything else gets 405 with this Allow). */
export const HOME_PAGE_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];

export interface HomePageFacts {
  hostname: string;
  wellKnownPort: number;
  /** Where it really listens on this machine. */
  address: string;
  port: number;
  webHosts: readonly string[];
  entries: number;
  requests: number;
  hitRate: number | null;
}

export function webCacheHomePage(facts: HomePageFacts, method: string): HttpResponseInit {
  const proxy = `http://${facts.address}:${facts.port}`;
  const example = facts.webHosts.length > 0 ? `http://${facts.webHosts[0]}/` : 'http://gaia.cs.umass.edu/';
  const hitRate = facts.hitRate === null ? 'no requests yet' : `hit rate ${(facts.hitRate * 100).toFixed(0)} % over ${facts.requests} requests`;
  const paragraphs = [
    `This is ${facts.hostname}, the lab's web cache (a caching proxy, port ${facts.wellKnownPort} in the lab world). You reached the cache itself rather than a web site through it.`,
    `A browser set to use a proxy sends it every request with the whole URL in the request line, e.g. "GET ${example} HTTP/1.1". The cache answers from its store when it holds a fresh copy (X-Cache: HIT), checks a stale copy with a conditional GET (X-Cache: REVALIDATED when the server says 304 Not Modified), and otherwise fetches the page from the origin server (X-Cache: MISS).`,
    `Try it: curl -v -x ${proxy} ${example} twice, and compare the X-Cache and Age headers of the two answers. Or set ${proxy} as the HTTP proxy of a browser.`,
    `It knows only the hosts of the lab world${facts.webHosts.length > 0 ? ` (web servers: ${facts.webHosts.join(', ')})` : ''} and never connects to the real Internet.`,
    `Right now it holds ${facts.entries} stored response${facts.entries === 1 ? '' : 's'}; ${hitRate}.`,
  ];
  const body =
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(facts.hostname)}: the lab's web cache</title></head>\n<body>\n` +
    `<h1>${escapeHtml(facts.hostname)}: the lab's web cache</h1>\n` +
    paragraphs.map((p) => `<p>${escapeHtml(p)}</p>\n`).join('') +
    `<p><small>RFC 9111 (HTTP Caching), RFC 9110 §7.6 (intermediaries)</small></p>\n</body></html>\n`;
  const allow = { name: 'Allow', value: HOME_PAGE_METHODS.join(', ') };
  if (method === 'OPTIONS') return { status: 204, headers: [allow] };
  // Never stored: it changes with every request the cache serves.
  const headers = [
    { name: 'Content-Type', value: 'text/html; charset=utf-8' },
    { name: 'Cache-Control', value: 'no-store' },
  ];
  if (method !== 'GET' && method !== 'HEAD') headers.push(allow);
  return { status: method === 'GET' || method === 'HEAD' ? 200 : 405, headers, body };
}
