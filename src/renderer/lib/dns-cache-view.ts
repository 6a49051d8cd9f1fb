// What the Resolver tab shows, as pure functions: TTLs counting down between two states from the
// core, the cache in the hierarchy's order, negative entries in words, the statistics, the mode
// switch's explanations, and the name typed to flush checked before it is sent.

import type { ResolverCacheEntry, ResolverMode } from '../../shared/dns';
import { labelsToName, nameKey, parseName, sortByHierarchy } from '../../protocols/dns/names';
import { formatSeconds } from './web-cache-view';

const MS_PER_SECOND = 1000;

/**
 * The TTL an entry has at `now`, from the `ttlLeft` it had when its state arrived at `receivedAt`
 * (ms since the epoch): whole seconds, counting down to 0, never below.
 */
export function ttlAt(ttlLeft: number, receivedAt: number, now: number): number {
  if (!Number.isFinite(ttlLeft) || ttlLeft <= 0) return 0;
  const elapsed = Math.max(0, Math.floor((now - receivedAt) / MS_PER_SECOND));
  return Math.max(0, Math.floor(ttlLeft) - elapsed);
}

/**
 * Milliseconds from `now` until the first entry's TTL reaches 0, or null when none is counting down:
 * the panel asks the core again then, and the core has dropped the entry.
 */
export function msUntilFirstExpiry(entries: readonly Pick<ResolverCacheEntry, 'ttlLeft'>[], receivedAt: number, now: number): number | null {
  // An entry already at 0 was counted at the last refresh; waiting on it again would ask in a loop.
  let soonest = Number.POSITIVE_INFINITY;
  for (const e of entries) if (e.ttlLeft > 0 && e.ttlLeft < soonest) soonest = e.ttlLeft;
  if (soonest === Number.POSITIVE_INFINITY) return null;
  return Math.max(0, receivedAt + soonest * MS_PER_SECOND - now);
}

/** A TTL as dig prints it, in seconds (the column says so): `3599`; `expired` at 0. */
export function formatTtl(seconds: number): string {
  return seconds <= 0 ? 'expired' : String(seconds);
}

/** The same TTL for a tooltip: `59 min 59 s`. */
export function describeTtl(seconds: number): string {
  return seconds <= 0 ? 'expired: the next question for it goes to the servers again' : formatSeconds(seconds);
}

/** What a cache row's Records column says: the records, or for a remembered absence its RCODE. */
export function entryRecordsText(e: Pick<ResolverCacheEntry, 'kind' | 'records'>): string {
  switch (e.kind) {
    case 'nxdomain':
      return 'NXDOMAIN';
    case 'nodata':
      return 'NODATA';
    case 'positive':
      return e.records.join(', ');
  }
}

/** The same in words, for the row's tooltip. */
export function entryRecordsTitle(e: Pick<ResolverCacheEntry, 'kind' | 'records' | 'type' | 'name'>): string {
  switch (e.kind) {
    case 'nxdomain':
      return `NXDOMAIN: ${e.name} does not exist, remembered so the next question for it (of any type) is answered at once (negative caching, RFC 2308)`;
    case 'nodata':
      return `NODATA: ${e.name} exists but has no ${e.type} record, remembered (negative caching, RFC 2308)`;
    case 'positive':
      return e.records.join('\n');
  }
}

/**
 * The cache in the hierarchy's order (label by label from the root, RFC 4034 §6.1, so a zone's
 * entries follow it: `.`, `edu.`, `umass.edu.`, `cs.umass.edu.`), then by type; with `filter`,
 * only names containing it.
 */
export function sortedCacheEntries(entries: readonly ResolverCacheEntry[], filter = ''): ResolverCacheEntry[] {
  const f = filter.trim().toLowerCase();
  const shown = f === '' ? entries : entries.filter((e) => e.name.toLowerCase().includes(f));
  return sortByHierarchy(shown, (e) => e.name, (a, b) => a.type.localeCompare(b.type));
}


/** The two schemes of the course, each in one sentence, for the mode switch. */
export const RESOLVER_MODE_TEXT: Readonly<Record<ResolverMode, { title: string; sentence: string }>> = {
  iterative: {
    title: 'Iterative',
    sentence:
      'The local name server does the walking itself: the root and the TLD server only tell it whom to ask next, so every query and reply in the picture starts or ends at the local server.',
  },
  recursive: {
    title: 'Recursive',
    sentence:
      'The local name server asks the root once and waits: each server asks the next one on its behalf and the answer travels back along the same chain, so the work (and the load) moves up the hierarchy.',
  },
};

export type FlushNameCheck = { ok: true; name: string } | { ok: false; error: string };

/** The name typed into "flush one name": a DNS name of at most 255 octets, made absolute. */
export function checkFlushName(text: string): FlushNameCheck {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'Type a name to flush, e.g. gaia.cs.umass.edu' };
  // parseName enforces the 63-octet label and 255-octet name limits (RFC 1035 §2.3.4, DNS_MAX_NAME).
  const parsed = parseName(t);
  if (!parsed.ok) return { ok: false, error: `That is not a DNS name: ${parsed.message}` };
  return { ok: true, name: labelsToName(parsed.labels) };
}

/** How many cache entries each owner name has (what "flush" next to it would forget), by name key. */
export function entryCountsByName(entries: readonly Pick<ResolverCacheEntry, 'name'>[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const key = nameKey(e.name);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
