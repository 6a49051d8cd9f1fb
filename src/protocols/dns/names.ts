// Domain names in text and on the wire. In the message model every name is absolute, written the
// way dig and zone files write it: labels joined by dots and a final dot for the root
// ("gaia.cs.umass.edu.", the root alone is "."). A label is any 1..63 octets (RFC 2181 §11), so
// octets that would be ambiguous in text are escaped as in RFC 1035 §5.1: "\." for a dot inside a
// label, "\\" for a backslash, "\DDD" (decimal) for anything unprintable. Every name read from the
// wire is written in one canonical form, so two spellings of one name compare equal as text after
// ASCII letters are folded to lower case (RFC 4343 §3: names compare case-insensitively).

import { DNS_MAX_LABEL, DNS_MAX_NAME } from './limits';

export type NameParse = { ok: true; labels: Uint8Array[] } | { ok: false; message: string };

const BACKSLASH = 0x5c;
const DOT = 0x2e;

/** Octets shown with a backslash before them so the text reads back as the same label. */
const ESCAPED_PUNCTUATION = new Set([DOT, BACKSLASH, 0x22 /* " */, 0x28 /* ( */, 0x29 /* ) */, 0x3b /* ; */, 0x40 /* @ */, 0x24 /* $ */]);

/** One label's octets as text, escaped (RFC 1035 §5.1). */
export function labelText(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b <= 0x20 || b >= 0x7f) out += `\\${b.toString().padStart(3, '0')}`;
    else if (ESCAPED_PUNCTUATION.has(b)) out += `\\${String.fromCharCode(b)}`;
    else out += String.fromCharCode(b);
  }
  return out;
}

/** Labels (without length bytes) as an absolute name: `gaia.cs.umass.edu.`, or `.` for the root. */
export function labelsToName(labels: readonly Uint8Array[]): string {
  if (labels.length === 0) return '.';
  return labels.map((l) => labelText(l)).join('.') + '.';
}

/** Octets of a name in wire form: each label plus its length byte, and the root byte. */
export function wireLength(labels: readonly Uint8Array[]): number {
  let n = 1;
  for (const l of labels) n += 1 + l.length;
  return n;
}

/**
 * Reads a name in text form into labels. A final dot is optional here: names in the message
 * model are always absolute (relative names exist only in zone files, see zone-file.ts).
 */
export function parseName(text: string): NameParse {
  if (text === '.' || text === '') return { ok: true, labels: [] };
  const labels: Uint8Array[] = [];
  let current: number[] = [];
  let i = 0;
  const finishLabel = (): string | null => {
    if (current.length === 0) return 'empty label (two dots in a row, or a leading dot)';
    if (current.length > DNS_MAX_LABEL) return `label of ${current.length} octets: at most ${DNS_MAX_LABEL} (RFC 1035 §2.3.4)`;
    labels.push(Uint8Array.from(current));
    current = [];
    return null;
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      const rest = text.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(rest)) {
        const value = Number(rest);
        if (value > 255) return { ok: false, message: `\\${rest} is not an octet (at most \\255)` };
        current.push(value);
        i += 4;
      } else if (/^\d/.test(rest)) {
        return { ok: false, message: 'a backslash followed by a digit needs exactly three digits (\\DDD, the octet in decimal)' };
      } else if (i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next > 0x7f) return { ok: false, message: 'only ASCII characters may follow a backslash' };
        current.push(next);
        i += 2;
      } else {
        return { ok: false, message: 'a backslash at the end of the name escapes nothing' };
      }
      continue;
    }
    if (c === DOT) {
      const problem = finishLabel();
      if (problem) return { ok: false, message: problem };
      i++;
      if (i === text.length) break;
      continue;
    }
    if (c > 0x7e || c < 0x21) {
      return { ok: false, message: `the character ${JSON.stringify(text[i])} must be written as \\DDD (its octet value in decimal)` };
    }
    current.push(c);
    i++;
  }
  if (current.length > 0) {
    const problem = finishLabel();
    if (problem) return { ok: false, message: problem };
  }
  const length = wireLength(labels);
  if (length > DNS_MAX_NAME) return { ok: false, message: `name of ${length} octets in wire form: at most ${DNS_MAX_NAME} (RFC 1035 §2.3.4)` };
  return { ok: true, labels };
}

/** ASCII letters folded to lower case; other octets unchanged (RFC 4343 §3). */
export function foldCase(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** The canonical text of a name (absolute, canonical escapes, case kept), or null when it is not a valid name. */
export function normalizeName(text: string): string | null {
  const parsed = parseName(text);
  return parsed.ok ? labelsToName(parsed.labels) : null;
}

/**
 * The key two names compare by: canonical text with letters folded. A text that is not a valid
 * name keys as itself folded, so it can still be looked up (and found nowhere).
 */
export function nameKey(text: string): string {
  // Most names are already keys (lower case, absolute, plain letters, digits, hyphens); the
  // resolver and the servers compare names many times per query, so skip the parse for those.
  if (text.length <= PLAIN_NAME_MAX && PLAIN_NAME.test(text)) return text;
  return foldCase(normalizeName(text) ?? text);
}

/** An absolute name of plain labels (1 to 63 octets each) that normalizeName would give back unchanged; `.` is the root. */
const PLAIN_NAME = /^(?:\.|(?:[a-z0-9_-]{1,63}\.)+)$/;
/** 255 octets on the wire: one length octet per label plus the root's zero, so 254 characters of text. */
const PLAIN_NAME_MAX = 254;

/** Whether two names are the same name (case-insensitively). */
export function sameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}

/** A name as running text shows it: without its final dot, except the root itself ("."). */
export function displayName(name: string): string {
  return name === '.' ? name : name.replace(/\.$/, '');
}

/** The escaped labels of a canonical name, first label first; the root has none. */
export function splitName(name: string): string[] {
  if (name === '.' || name === '') return [];
  const labels: string[] = [];
  let current = '';
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === '\\' && i + 1 < name.length) {
      // A \DDD escape is four characters; a \X escape two. Neither can end a label.
      const len = /\d/.test(name[i + 1]) ? 4 : 2;
      current += name.slice(i, i + len);
      i += len - 1;
    } else if (ch === '.') {
      labels.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current !== '') labels.push(current);
  return labels;
}

/** Joins escaped labels into an absolute name. */
export function joinLabels(labels: readonly string[]): string {
  return labels.length === 0 ? '.' : `${labels.join('.')}.`;
}

/** The name one level up (`cs.umass.edu.` for `gaia.cs.umass.edu.`); null for the root. */
export function parentName(name: string): string | null {
  const labels = splitName(name);
  if (labels.length === 0) return null;
  return joinLabels(labels.slice(1));
}

/** Whether `name` is `ancestor` or lies below it, compared label by label, case-insensitively. */
export function isAtOrBelow(name: string, ancestor: string): boolean {
  const n = splitName(nameKey(name));
  const a = splitName(nameKey(ancestor));
  if (a.length > n.length) return false;
  for (let i = 1; i <= a.length; i++) if (n[n.length - i] !== a[a.length - i]) return false;
  return true;
}

/** How many labels a name has (the root has 0). */
export function labelCount(name: string): number {
  return splitName(name).length;
}

/**
 * `name` written relative to `origin` for display in a zone: `gaia.cs` under `umass.edu.`, `@`
 * for the origin itself; the absolute name when it lies outside the origin.
 */
export function relativeName(name: string, origin: string): string {
  if (!isAtOrBelow(name, origin)) return name;
  const n = splitName(name);
  const keep = n.length - labelCount(origin);
  return keep === 0 ? '@' : n.slice(0, keep).join('.');
}

/** A name's labels from the root down (`gaia.cs.umass.edu.` -> edu, umass, cs, gaia), folded: the key of the hierarchy's order. */
export function hierarchyKey(name: string): string[] {
  return splitName(nameKey(name)).reverse();
}

/** Compares two hierarchy keys label by label from the root, as RFC 4034 §6.1 orders names: a zone's names sort together, parents first. */
export function compareHierarchyKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}

/** Items sorted by their owner names in the hierarchy's order, then by `then`; each name is split once, not at every comparison. */
export function sortByHierarchy<T>(items: readonly T[], nameOf: (item: T) => string, then: (a: T, b: T) => number = () => 0): T[] {
  return items
    .map((item) => ({ item, key: hierarchyKey(nameOf(item)) }))
    .sort((a, b) => compareHierarchyKeys(a.key, b.key) || then(a.item, b.item))
    .map((x) => x.item);
}
