// Media types and their parameters (RFC 9110 §8.3.1): `text/html; charset=ISO-8859-1`, and the
// same `; name=value` parameter syntax that Content-Disposition uses (RFC 6266 §4.1).

import { unquote } from './headers';

export interface HeaderParameter {
  name: string;
  value: string;
  /** Offset of the parameter's name within the field value. */
  offset: number;
  /** Length from the name to the end of the value. */
  length: number;
}

export interface MediaType {
  /** `text/html`, lowercased. */
  essence: string;
  type: string;
  subtype: string;
  params: HeaderParameter[];
}

/** `; a=b; c="d;e"` after the leading item: each parameter with where it is in `value`. */
export function parseParameters(value: string, from: number): HeaderParameter[] {
  const params: HeaderParameter[] = [];
  const re = /[ \t]*;[ \t]*([^=;\s]+)[ \t]*(?:=[ \t]*("(?:[^"\\]|\\.)*"|[^;]*))?/y;
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null) {
    const nameAt = m.index + m[0].indexOf(m[1]);
    const raw = (m[2] ?? '').trim();
    params.push({ name: m[1].toLowerCase(), value: unquote(raw), offset: nameAt, length: m.index + m[0].trimEnd().length - nameAt });
    if (m[0].length === 0) break;
  }
  return params;
}

export function parseMediaType(value: string): MediaType | null {
  const m = /^[ \t]*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\/([!#$%&'*+\-.^_`|~0-9A-Za-z]+)/.exec(value);
  if (!m) return null;
  const type = m[1].toLowerCase();
  const subtype = m[2].toLowerCase();
  return { essence: `${type}/${subtype}`, type, subtype, params: parseParameters(value, m[0].length) };
}

export function parameter(params: readonly HeaderParameter[], name: string): string | undefined {
  const want = name.toLowerCase();
  return params.find((p) => p.name === want)?.value;
}

/** Whether a body of this type is text a person can read in the details pane. */
export function isTextual(mediaType: MediaType | null): boolean {
  if (!mediaType) return false;
  if (mediaType.type === 'text') return true;
  return ['application/json', 'application/xml', 'application/javascript', 'application/x-www-form-urlencoded', 'image/svg+xml'].includes(mediaType.essence) || mediaType.subtype.endsWith('+json') || mediaType.subtype.endsWith('+xml');
}
