// The one line a command shows before it connects to a name: what DNS said and who said it, so a
// student sees that `open gaia.cs.umass.edu 80` asked the local resolver first, as any host does:
//
//   ;; gaia.cs.umass.edu -> 128.119.245.12 (asked dns.poly.edu, 2.1 ms)
//   ;; gaia.cs.umass.edu -> 128.119.245.12 (from dns.poly.edu's cache)
//   ;; www.ibm.com -> servereast.backup2.ibm.com -> 129.42.38.10 (asked dns.poly.edu, 3.0 ms)
//   ;; cis.poly.edu -> 128.238.2.93 (from the lab's host list: dns.poly.edu is stopped)
//   ;; nosuch.cs.umass.edu: no address (dns.poly.edu knows no such name (NXDOMAIN), 1.2 ms)
//
// The `;;` marks it as a note of the shell's, as dig marks its own comments.

import type { NameLookup, RawConnectorError, ResolvedTarget } from '../types';
import { formatMs } from './http-show';

export function describeNameLookup(lookup: NameLookup): string {
  const path = [lookup.name, ...lookup.aliases].join(' -> ');
  const time = lookup.rttMs !== undefined ? `, ${formatMs(lookup.rttMs)}` : '';
  if (lookup.address === undefined) return `;; ${path}: no address (${lookup.problem ?? `${lookup.server} gave none`}${time})`;
  const arrow = `;; ${path} -> ${lookup.address}`;
  switch (lookup.source) {
    case 'cache':
      return `${arrow} (${countNote(lookup)}from ${lookup.server}'s cache)`;
    case 'dns':
      return `${arrow} (${countNote(lookup)}asked ${lookup.server}${time})`;
    case 'world':
      return `${arrow} (from the lab's host list: ${lookup.problem ?? `${lookup.server} gave no address`})`;
  }
}

function countNote(lookup: NameLookup): string {
  return lookup.addressCount !== undefined && lookup.addressCount > 1 ? `1 of ${lookup.addressCount} addresses; ` : '';
}

/** The lookup behind a resolved target or a failed resolve, if a name was looked up. */
export function nameLookupOf(resolvedOrError: ResolvedTarget | RawConnectorError | unknown): NameLookup | undefined {
  const lookup = (resolvedOrError as { lookup?: unknown } | null)?.lookup;
  return lookup && typeof lookup === 'object' ? (lookup as NameLookup) : undefined;
}
