// The cookies `http -c` remembers between the URLs of one command, as a browser would (RFC 6265
// §5.3 storage, §5.4 which cookies go back with a request), so a student sees Set-Cookie in one
// response come back as Cookie in the next request. Secure cookies are kept but never sent: the lab
// speaks plain HTTP.

import { parseSetCookie } from '../../../../protocols/http/cookies';

interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  /** No Domain attribute: only the host that set it gets it back (RFC 6265 §5.3 step 6). */
  hostOnly: boolean;
  path: string;
  /** ms since the epoch; undefined for a session cookie. */
  expiresAt?: number;
  secure: boolean;
}

/** RFC 6265 §5.1.4: the default path is the request path up to its last `/`. */
function defaultPath(requestPath: string): string {
  const path = requestPath.split('?')[0] ?? '/';
  if (!path.startsWith('/')) return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

/** RFC 6265 §5.1.3 (an IP address matches only itself). */
function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.endsWith(`.${domain}`) && !/^[\d.]+$/.test(host) && !host.startsWith('[');
}

/** RFC 6265 §5.1.4. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  const path = requestPath.split('?')[0] || '/';
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}

export class CookieJar {
  private cookies: StoredCookie[] = [];

  /** Takes the Set-Cookie values of a response to `host` + `requestPath`; says in a sentence what each did. */
  store(setCookies: readonly string[], host: string, requestPath: string, now: number): string[] {
    const notes: string[] = [];
    for (const value of setCookies) {
      const parsed = parseSetCookie(value);
      if (!parsed || parsed.name === '') {
        notes.push(`ignored a Set-Cookie without a name=value pair`);
        continue;
      }
      const domain = parsed.domain ?? host;
      if (!domainMatches(host, domain)) {
        notes.push(`ignored cookie ${parsed.name}: Domain=${domain} does not cover ${host}`);
        continue;
      }
      // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
      let expiresAt: number | undefined;
      if (parsed.maxAge !== undefined) expiresAt = now + parsed.maxAge * 1000;
      else if (parsed.expires !== undefined) expiresAt = parsed.expires;
      const cookie: StoredCookie = { name: parsed.name, value: parsed.value, domain, hostOnly: parsed.domain === undefined, path: parsed.path ?? defaultPath(requestPath), secure: parsed.secure };
      if (expiresAt !== undefined) cookie.expiresAt = expiresAt;
      const before = this.cookies.length;
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path));
      const replaced = this.cookies.length < before;
      if (expiresAt !== undefined && expiresAt <= now) {
        notes.push(replaced ? `deleted cookie ${cookie.name} (it expired)` : `cookie ${cookie.name} arrived already expired`);
        continue;
      }
      this.cookies.push(cookie);
      const scope = `${cookie.hostOnly ? cookie.domain : `${cookie.domain} and its subdomains`}, paths under ${cookie.path}`;
      notes.push(`${replaced ? 'replaced' : 'remembered'} cookie ${cookie.name}=${cookie.value} for ${scope}${cookie.secure ? ' (Secure: never sent over plain HTTP)' : ''}`);
    }
    return notes;
  }

  /** The Cookie value for a request, longest paths first (RFC 6265 §5.4 step 2), or undefined. */
  header(host: string, requestPath: string, now: number): string | undefined {
    this.cookies = this.cookies.filter((c) => c.expiresAt === undefined || c.expiresAt > now);
    const matching = this.cookies
      .filter((c) => !c.secure && (c.hostOnly ? c.domain === host : domainMatches(host, c.domain)) && pathMatches(requestPath, c.path))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length === 0 ? undefined : matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }
}
