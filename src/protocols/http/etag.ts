// Entity tags (RFC 9110 §8.8.3): an opaque quoted string naming one version of a resource,
// optionally marked weak with `W/`. Comparison comes in two strengths (§8.8.3.2): strong needs
// both tags strong and equal; weak ignores the W/ marks and compares the opaque strings.

export interface EntityTag {
  weak: boolean;
  /** The opaque string without quotes or W/. */
  opaque: string;
}

/** etagc = "!" / %x23-7E / obs-text: anything visible except the double quote. */
const ETAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

export function parseEntityTag(text: string): EntityTag | null {
  const m = ETAG.exec(text.trim());
  return m ? { weak: m[1] !== undefined, opaque: m[2] } : null;
}

export function formatEntityTag(tag: EntityTag): string {
  return `${tag.weak ? 'W/' : ''}"${tag.opaque}"`;
}

export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}

/** If-Match / If-None-Match value: `*`, or a list of tags (members that are not tags kept apart). */
export type EntityTagCondition = { any: true } | { any: false; tags: EntityTag[]; invalid: string[] };

export function parseEntityTagList(value: string): EntityTagCondition {
  if (value.trim() === '*') return { any: true };
  const tags: EntityTag[] = [];
  const invalid: string[] = [];
  // Tags may contain commas inside their quotes, so members are read tag by tag.
  const re = /\s*((?:W\/)?"[^"]*"|[^,]*)\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < value.length && (m = re.exec(value)) !== null) {
    const member = m[1].trim();
    if (member.length > 0) {
      const tag = parseEntityTag(member);
      if (tag) tags.push(tag);
      else invalid.push(member);
    }
    if (m[0].length === 0) break;
  }
  return { any: false, tags, invalid };
}

/**
 * A strong validator from a file's size and modification time, the way Apache builds its
 * default ETag (`"17dc6-a5c-bf716880"` in the course's example is inode-size-mtime in hex).
 */
export function etagFromStat(size: number, mtimeMs: number): string {
  return `"${Math.max(0, Math.floor(size)).toString(16)}-${Math.max(0, Math.floor(mtimeMs)).toString(16)}"`;
}

/** A strong validator from the bytes themselves (FNV-1a, 32 bit) with the length, for generated pages. */
export function etagFromBytes(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `"${bytes.length.toString(16)}-${hash.toString(16).padStart(8, '0')}"`;
}
