// The Lookups tab's list: lookups from listDnsLookups merged with the live `dnsLookup` events
// (each carries a whole lookup, again every time it gains a step), newest first, and each row's
// words.

import { displayName, sameName } from '../../protocols/dns/names';
import type { DnsLookup, DnsLookupStep, DnsPeer, DnsStepQuestion } from '../../shared/dns';
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
export function lookupOutcome(l: Pick<DnsLookup, 'rcode' | 'fromCache' | 'durationMs' | 'truncated'>): string {
  if (l.rcode === null) return 'running…';
  const notes = [...(l.fromCache ? ['from the cache'] : []), ...(l.truncated ? ['truncated (TC): too long for UDP'] : [])];
  return [l.rcode, ...notes].join(', ');
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

/**
 * Under the picture: the lab's servers all run on this machine and talk over loopback, so the
 * times show in which order the exchanges happened, not how long they would take on a network
 * (where each one to a distant server costs tens of milliseconds).
 */
export const LOOPBACK_TIMING_NOTE =
  'Times are measured on loopback on this machine: they show the order of the exchanges, not real network delays, so they cannot tell which scheme is faster.';

/**
 * The words on a step's link: the message number (`msg #7`, as the packet list's No. column)
 * once it is known, else the capture connection it crossed (`conn 2`), which is not a message number.
 */
export function stepLinkText(connId: number, messageId: number | null): string {
  return messageId !== null ? `msg #${messageId}` : `conn ${connId}`;
}

/** The tooltip of a step's link. */
export function stepLinkTitle(connId: number, transport: DnsLookupStep['transport'], messageId: number | null): string {
  const conn = `capture connection ${connId}${transport === 'udp' ? ' (a UDP flow: the datagrams between two ports)' : ' (TCP)'}`;
  return messageId !== null ? `Message #${messageId} of ${conn}: click to select it in the message list` : `${conn}: click to find its message and select it in the message list`;
}

/**
 * A referral that names its servers without their addresses (no glue, RFC 1034 §4.3.2): the one
 * who got it must look up a server's address before it can follow the referral.
 */
export interface GlueLessReferral {
  /** Index (in time order) of the referral step. */
  referral: number;
  /** The name server whose address is looked up first, as the referral names it. */
  nameServer: string;
  /** Who got the referral and now looks the address up. */
  asker: DnsPeer;
  /** Indexes of the first and the last step of that side look-up (the last is null while it runs). */
  first: number;
  last: number | null;
}

/** Whether a question asks for an address (A or AAAA), as a look-up of a name server's address does. */
function asksAddress(q: DnsStepQuestion | null | undefined): q is DnsStepQuestion {
  return q?.type === 'A' || q?.type === 'AAAA';
}

/**
 * The referrals of a lookup (steps in time order) after which the one who got the referral next
 * asks for the address (A or AAAA) of one of the servers it names: that address was not in the
 * referral. A referral with glue is followed straight to the server, so it is not listed.
 */
export function glueLessReferrals(steps: readonly Pick<DnsLookupStep, 'kind' | 'from' | 'to' | 'message'>[]): GlueLessReferral[] {
  const found: GlueLessReferral[] = [];
  steps.forEach((s, i) => {
    const referral = s.kind === 'response' ? s.message?.referral : undefined;
    if (!referral) return;
    const asker = s.to;
    const next = steps.findIndex((n, j) => j > i && n.kind === 'query' && n.from.address === asker.address);
    if (next < 0) return;
    const question = steps[next].message?.question;
    if (!asksAddress(question)) return;
    // The same question again is the referral being followed (a look-up of that server's own
    // address, sent on to the zone that holds it), not a detour.
    const referred = s.message?.question;
    if (referred && referred.type === question.type && sameName(referred.name, question.name)) return;
    const nameServer = referral.nameServers.find((n) => sameName(n, question.name));
    if (!nameServer) return;
    // The side look-up ends with the reply that brings the asker that server's address.
    const last = steps.findIndex((r, j) => {
      if (j <= next || r.kind !== 'response' || r.to.address !== asker.address || r.message?.referral) return false;
      const answered = r.message?.question;
      return asksAddress(answered) && sameName(answered.name, nameServer);
    });
    found.push({ referral: i, nameServer: displayName(nameServer), asker, first: next, last: last < 0 ? null : last });
  });
  return found;
}

/** The note under a referral without glue: `no glue: dns.poly.edu first finds the address of ns1.massey.ac.nz (steps 4–11)`. */
export function glueLessNote(g: GlueLessReferral): string {
  const who = g.asker.role === 'resolver' ? 'the resolver' : g.asker.name;
  const range = g.last !== null ? ` (steps ${g.first + 1}–${g.last + 1})` : ` (from step ${g.first + 1})`;
  return `no glue: ${who} first finds the address of ${g.nameServer}${range}`;
}
