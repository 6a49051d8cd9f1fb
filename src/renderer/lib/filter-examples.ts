// What the filter box suggests, built from the protocols the lab really has (the registry), so
// the examples match something today and grow as protocol modules are added.

import type { DisplayFilter } from './display-filter';

/** The registry's catch-all module: every connection can be it, so it makes a poor example. */
const FALLBACK_PROTOCOL_ID = 'raw';

/** e.g. `Filter: echo · proto:discard · "any phrase" · !daytime` for the lab's first three protocols. */
export function filterPlaceholder(protocolIds: readonly string[]): string {
  const named = protocolIds.filter((id) => id !== FALLBACK_PROTOCOL_ID);
  const pick = (i: number) => named[i % Math.max(1, named.length)] ?? FALLBACK_PROTOCOL_ID;
  const parts = [pick(0), `proto:${pick(1)}`, '"any phrase"', `!${pick(2)}`];
  return `Filter: ${parts.join(' · ')}`;
}

/**
 * A note for `proto:` names the lab has no module for: such a filter is valid but can match
 * nothing, and without a word the student sees only "0 matches" and wonders why.
 */
export function unknownProtocolNote(filter: DisplayFilter | null, protocolIds: readonly string[]): string | null {
  if (!filter) return null;
  const known = new Set(protocolIds);
  const unknown = filter.terms.filter((t) => t.kind === 'protocol' && !known.has(t.name)).map((t) => (t.kind === 'protocol' ? t.name : ''));
  if (unknown.length === 0) return null;
  const names = [...new Set(unknown)].map((n) => `'${n}'`).join(', ');
  return `no protocol ${names} in this lab yet; it has ${protocolIds.join(', ')}`;
}
