// The Lookups tab's list: lookups from listDnsLookups merged with the live `dnsLookup` events
// (each carries a whole lookup, again every time it gains a step), newest first, and each row's
// words.

import type { DnsLookup, DnsLookupStep } from '../../shared/dns';
import { MAX_DNS_LOOKUPS } from '../../shared/dns';

/**
 * The list with `lookup` added or replaced (same id), in id order, the oldest dropped past
 * `max` (the core keeps MAX_DNS_LOOKUPS too, so the panel shows what it can still explain).
 */
export function mergeLookup(list: readonly DnsLookup[], lookup: DnsLookup, max = MAX_DNS_LOOKUPS): DnsLookup[] {
  const at = list.findIndex((l) => l.id === lookup.id);
  let next: DnsLookup[];
  if (at >= 0) {
    next = [...list];
    next[at] = lookup;
  } else {
    next = [...list, lookup];
    if (list.length > 0 && lookup.id < list[list.length - 1].id) next.sort((a, b) => a.id - b.id);
  }
  return next.length > max ? next.slice(next.length - max) : next;
}

/** A listDnsLookups answer merged into what events already brought (an event may be newer than the list). */
export function mergeLookupList(current: readonly DnsLookup[], loaded: readonly DnsLookup[], max = MAX_DNS_LOOKUPS): DnsLookup[] {
  let next = [...loaded].sort((a, b) => a.id - b.id);
  for (const l of current) {
    const old = next.find((x) => x.id === l.id);
    if (!old || lookupProgress(l) > lookupProgress(old)) next = mergeLookup(next, l, Number.POSITIVE_INFINITY);
  }
  return next.length > max ? next.slice(next.length - max) : next;
}

/** How far a lookup has got: finished beats running, then more steps beat fewer. */
function lookupProgress(l: DnsLookup): number {
  return (l.durationMs === null ? 0 : 1_000_000) + l.steps.length;
}

/** The lookup the view shows: the one chosen, else (following the newest) the last one. */
export function shownLookup(list: readonly DnsLookup[], chosenId: number | null): DnsLookup | null {
  if (chosenId !== null) return list.find((l) => l.id === chosenId) ?? null;
  return list.length > 0 ? list[list.length - 1] : null;
}

/** A duration: `running…` until the answer went back, `0.38 ms`, `11.5 ms`, `412 ms`, `2.01 s`. */
export function formatLookupDuration(ms: number | null): string {
  if (ms === null) return 'running…';
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A step's time since its lookup started: `+1.19 ms`. */
export function formatStepTime(atMs: number): string {
  return `+${formatLookupDuration(Math.max(0, atMs))}`;
}

/** Wall-clock time of day of a lookup, `14:03:27`, in the student's time zone. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `NOERROR`, `NXDOMAIN`, ... or `running…`; how the list's outcome column reads. */
export function lookupOutcome(l: Pick<DnsLookup, 'rcode' | 'fromCache' | 'durationMs'>): string {
  if (l.rcode === null) return 'running…';
  return l.fromCache ? `${l.rcode}, from the cache` : l.rcode;
}

/** How many queries the resolver (or, in recursive mode, the servers) sent upstream for a lookup. */
export function upstreamQueryCount(l: Pick<DnsLookup, 'steps'>): number {
  return l.steps.filter((s) => s.kind === 'query' && s.from.role !== 'client').length;
}

/** A step's line in the list under the picture: `dns.poly.edu → a.root-servers.net (UDP)`. */
export function stepRoute(s: Pick<DnsLookupStep, 'kind' | 'from' | 'to' | 'transport'>): string {
  if (s.kind === 'cache-hit') return `${s.from.name} (its cache)`;
  if (s.kind === 'timeout') return `${s.to.name} waited for ${s.from.name} (${s.transport.toUpperCase()})`;
  return `${s.from.name} → ${s.to.name} (${s.transport.toUpperCase()})`;
}
