// The request target split for people (RFC 9112 §3.2, RFC 3986): which form it is, the path, and
// the query string decoded into its parameters, each with where it sits in the target.

import { decodeUrlEncoded, percentDecode, type FormField } from './forms';
import type { TargetForm } from './syntax';

export interface RequestTarget {
  form: TargetForm;
  /** The path as written (`/a%20b`); `*` for asterisk-form; empty for authority-form. */
  path: string;
  /** The path percent-decoded as UTF-8 (`/a b`). */
  decodedPath: string;
  pathOffset: number;
  /** The query without its `?`, or null when there is none. */
  query: string | null;
  queryOffset: number;
  params: FormField[];
  /** absolute-form and authority-form: where the request is going. */
  scheme?: string;
  host?: string;
  port?: number;
}

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/;

function splitAuthority(authority: string): { host: string; port?: number } {
  const at = authority.lastIndexOf('@');
  const hostPort = at === -1 ? authority : authority.slice(at + 1);
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!m) return { host: hostPort.toLowerCase() };
  const out: { host: string; port?: number } = { host: m[1].toLowerCase() };
  if (m[2]) out.port = Number(m[2]);
  return out;
}

/** Splits a target of a known form; a fragment (`#...`, never sent by browsers) is left in the path or query. */
export function parseRequestTarget(target: string, form: TargetForm): RequestTarget {
  let rest = target;
  let offset = 0;
  const base: Partial<RequestTarget> = {};
  if (form === 'absolute') {
    const m = ABSOLUTE.exec(target);
    if (m) {
      base.scheme = m[1].toLowerCase();
      Object.assign(base, splitAuthority(m[2]));
      offset = m[0].length;
      rest = target.slice(offset);
    }
  } else if (form === 'authority') {
    return { form, path: '', decodedPath: '', pathOffset: target.length, query: null, queryOffset: target.length, params: [], ...splitAuthority(target) };
  }
  const q = rest.indexOf('?');
  const path = q === -1 ? rest : rest.slice(0, q);
  const query = q === -1 ? null : rest.slice(q + 1);
  const shownPath = path.length === 0 && form === 'absolute' ? '/' : path;
  return {
    form,
    path: shownPath,
    decodedPath: form === 'asterisk' ? '*' : percentDecode(shownPath, false).text,
    pathOffset: offset,
    query,
    queryOffset: q === -1 ? target.length : offset + q + 1,
    params: query === null ? [] : decodeUrlEncoded(query).fields,
    ...base,
  };
}

/** The host and port a request is for: the absolute target's, else the Host header's. */
export function requestAuthority(target: RequestTarget, hostHeader: string | undefined): { host: string; port?: number } | null {
  if (target.host !== undefined) return target.port === undefined ? { host: target.host } : { host: target.host, port: target.port };
  if (hostHeader === undefined) return null;
  return splitAuthority(hostHeader.trim());
}
