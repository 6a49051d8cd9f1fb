// The authority part of an http URI (RFC 9110 §4.2.1, RFC 3986 §3.2) as the lab compares and
// writes it: the default port, one spelling per host name, and the Host field a request carries.

/** RFC 9110 §4.2.1: an http URI without a port means TCP port 80. */
export const HTTP_PORT = 80;

/**
 * One spelling per host: `WWW.SomeSchool.edu.` -> `www.someschool.edu`. Host names are
 * case-insensitive (RFC 3986 §3.2.2, RFC 9110 §4.2.3), and a final dot only marks the name as
 * fully qualified (RFC 1034 §3.1), so both name the same host.
 */
export function normalizeHostName(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/** The Host field for a request to `host`:`port` (RFC 9110 §7.2): the port is left out when it is the default. */
export function hostFieldValue(host: string, port: number): string {
  return port === HTTP_PORT ? host : `${host}:${port}`;
}

const ABSOLUTE_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/;

/**
 * Whether an absolute URI carries userinfo (`http://user@host/`). RFC 9110 §4.2.4 deprecates it
 * for http and asks recipients to treat it as an error: it is mostly used to make a URL look as if
 * it went to the host before the "@".
 */
export function hasUserinfo(absoluteUri: string): boolean {
  const m = ABSOLUTE_AUTHORITY.exec(absoluteUri);
  return m !== null && m[1].includes('@');
}

/** Whether an absolute URI has an empty host (`http:///x`), which RFC 9110 §4.2.1 says to reject as invalid. */
export function hasEmptyHost(absoluteUri: string): boolean {
  const m = ABSOLUTE_AUTHORITY.exec(absoluteUri);
  if (m === null) return false;
  const hostPort = m[1].slice(m[1].lastIndexOf('@') + 1);
  return hostPort === '' || hostPort.startsWith(':');
}
