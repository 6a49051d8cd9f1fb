// HTTP Basic authentication (RFC 7617): the client sends `Authorization: Basic <base64 of
// user:password>`. Base64 is an encoding, not encryption: anyone who sees the request can read the
// password, which is the lesson the lab's protected page teaches.

import { base64ToBytes } from '../core/bytes';
import { getHeader, type HttpHeader } from './headers';

export interface BasicAuthUser {
  name: string;
  password: string;
}

export type BasicCredentials = { ok: true; user: string; password: string } | { ok: false; reason: string };

export type BasicAuthOutcome = { ok: true; user: string } | { ok: false; reason: string };

/** RFC 7235 §2.1 token68: the credentials after the scheme name. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
/** RFC 4648 §4 base64 with its padding, which RFC 7617 §2 uses. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes the credentials of a Basic Authorization (what follows "Basic "), or says what is wrong with them. */
export function decodeBasicCredentials(credentials: string): BasicCredentials {
  if (!TOKEN68.test(credentials) || !BASE64.test(credentials)) return { ok: false, reason: `"${credentials}" after "Basic" is not base64` };
  let decoded: string;
  try {
    // RFC 7617 §2.1: the server announced charset="UTF-8", so the user-pass is read as UTF-8.
    decoded = utf8.decode(base64ToBytes(credentials));
  } catch {
    return { ok: false, reason: 'the decoded credentials are not UTF-8 text' };
  }
  const colon = decoded.indexOf(':');
  if (colon === -1) return { ok: false, reason: `the credentials decode to "${decoded}", which has no ":" between user name and password` };
  return { ok: true, user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Checks the request's credentials against a realm's users; the reason says what was wrong. */
export function checkBasicAuth(headers: readonly HttpHeader[], realm: { users: readonly BasicAuthUser[] }): BasicAuthOutcome {
  const value = getHeader(headers, 'authorization');
  if (value === undefined) return { ok: false, reason: 'the request had no Authorization header, so the server asks for one' };
  const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(?:[ ]+(.*))?$/.exec(value.trim());
  if (!m) return { ok: false, reason: `the Authorization header "${value}" does not start with a scheme name` };
  // RFC 9110 §11.1: the scheme name is case-insensitive.
  if (m[1].toLowerCase() !== 'basic') return { ok: false, reason: `the Authorization header uses the ${m[1]} scheme; this realm takes Basic` };
  const credentials = decodeBasicCredentials((m[2] ?? '').trim());
  if (!credentials.ok) return credentials;
  const { user: name, password } = credentials;
  const user = realm.users.find((u) => u.name === name);
  if (!user) return { ok: false, reason: `the credentials decode to user "${name}", who is not a user of this realm` };
  if (user.password !== password) return { ok: false, reason: `the credentials decode to user "${name}" with a wrong password` };
  return { ok: true, user: name };
}
