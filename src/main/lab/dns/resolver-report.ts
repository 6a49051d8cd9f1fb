// The local name server as text: where it is, its scheme, its statistics and its cache as a table,
// laid out to a width in terminal cells. The terminal's `resolver` command and `protolab resolver`
// print these same lines, so the two read alike. Pure: a ResolverState in, lines out.

import { displayName, nameKey, sameName, sortByHierarchy } from '../../../protocols/dns/names';
import { MAX_RESOLVER_STATE_ENTRIES, formatCacheHits, type ResolverCacheEntry, type ResolverMode, type ResolverState } from '../../../shared/dns';
import { stringWidth } from '../terminal/cell-width';
import { MIN_COLUMN_CELLS, wrapLine } from '../terminal/word-wrap';

const COLUMN_GAP = '  ';
/** Records under their entry when the table is stacked for a narrow terminal. */
const STACKED_INDENT = '    ';

/** What each scheme means, in the words of the course (the DNS panel's Resolution switch says the same). */
export const RESOLVER_MODE_SENTENCE: Readonly<Record<ResolverMode, string>> = {
  iterative: 'it asks the root, a TLD server and the authoritative server itself, each of them answering with a referral to the next',
  recursive: 'it asks the root once, each server asks the next on its behalf, and the answer travels back down the chain',
};

const MODE_ADVERB: Readonly<Record<ResolverMode, string>> = { iterative: 'iteratively', recursive: 'recursively' };

function entriesText(n: number): string {
  return `${n} ${n === 1 ? 'entry' : 'entries'}`;
}

/** The entries in the hierarchy's order (`.`, `edu.`, `umass.edu.`, `cs.umass.edu.`, ...), then by type. */
export function sortedEntries(entries: readonly ResolverCacheEntry[]): ResolverCacheEntry[] {
  return sortByHierarchy(entries, (e) => e.name, (a, b) => a.type.localeCompare(b.type));
}

/** The entries of one owner name (any case, with or without the final dot), or all with null. */
export function entriesOf(state: Pick<ResolverState, 'entries'>, name: string | null): ResolverCacheEntry[] {
  return name === null ? state.entries : state.entries.filter((e) => sameName(e.name, name));
}

/** What the RECORDS column says: each record's data (its type is in TYPE), or the absence in words. */
export function entryRecordCells(entry: Pick<ResolverCacheEntry, 'kind' | 'type' | 'records'>): string[] {
  switch (entry.kind) {
    case 'nxdomain':
      return ['(no such name)'];
    case 'nodata':
      return ['(no such records)'];
    case 'positive': {
      const prefix = `${entry.type} `;
      return entry.records.map((r) => (r.startsWith(prefix) ? r.slice(prefix.length) : r));
    }
  }
}

/** `3599/3600`: seconds left, and the TTL the entry was stored with. */
export function formatEntryTtl(entry: Pick<ResolverCacheEntry, 'ttlLeft' | 'ttlOriginal'>): string {
  return `${entry.ttlLeft}/${entry.ttlOriginal}`;
}

/** The lines above the cache: the server, its scheme and its statistics. */
export function resolverSummaryLines(state: ResolverState): string[] {
  const s = state.stats;
  return [
    `Local name server: ${state.name} (${state.address}), lab port ${state.port} (UDP and TCP)`,
    `Mode: ${state.mode} (${RESOLVER_MODE_SENTENCE[state.mode]})`,
    `Client queries: ${s.queries}; answered from the cache: ${formatCacheHits(s)}`,
    `Queries upstream: ${s.upstreamQueries}; failed (no reply, or a reply not accepted): ${s.upstreamFailures}`,
  ];
}

const HEADINGS = ['NAME', 'TYPE', 'TTL', 'HITS', 'SOURCE'] as const;

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/**
 * NAME, TYPE, TTL, HITS and SOURCE side by side, then RECORDS, one record per row wrapped inside
 * its column; when the terminal leaves RECORDS narrower than MIN_COLUMN_CELLS, each entry's records
 * go under it instead, indented.
 */
export function cacheTableLines(entries: readonly ResolverCacheEntry[], width: number): string[] {
  const rows = sortedEntries(entries).map((e) => ({ cells: [e.name, e.type, formatEntryTtl(e), String(e.hits), e.source], records: entryRecordCells(e) }));
  const widths = HEADINGS.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r.cells[i]!))));
  const line = (cells: readonly string[]): string => cells.map((c, i) => padEnd(c, widths[i]!)).join(COLUMN_GAP);
  const recordsColumn = widths.reduce((sum, w) => sum + w + COLUMN_GAP.length, 0);
  const out: string[] = [];

  if (width - recordsColumn < MIN_COLUMN_CELLS) {
    out.push(...wrapLine(line(HEADINGS).trimEnd(), width));
    for (const row of rows) {
      out.push(...wrapLine(line(row.cells).trimEnd(), width));
      for (const record of row.records) out.push(...wrapLine(STACKED_INDENT + record, width));
    }
    return out;
  }

  const indent = ' '.repeat(recordsColumn);
  out.push(`${line(HEADINGS)}${COLUMN_GAP}RECORDS`);
  for (const row of rows) {
    const [first = '', ...more] = row.records.flatMap((r) => wrapLine(r, width - recordsColumn));
    out.push(`${line(row.cells)}${COLUMN_GAP}${first}`.trimEnd());
    for (const cell of more) out.push(indent + cell);
  }
  return out;
}

export interface ResolverReportOptions {
  /** Terminal width in cells. */
  width: number;
  /** Only this owner name's entries; null for the whole cache. */
  name?: string | null;
}

/** `resolver show [NAME]`: the summary, then the cache (or one name's part of it) as a table. */
export function resolverReportLines(state: ResolverState, options: ResolverReportOptions): string[] {
  const name = options.name ?? null;
  const entries = entriesOf(state, name);
  const lines = resolverSummaryLines(state).flatMap((l) => wrapLine(l, options.width));
  const shownOnly = state.truncated ? ` (only the first ${MAX_RESOLVER_STATE_ENTRIES} of the cache are listed)` : '';
  const forName = name === null ? '' : ` for ${displayName(name)}`;
  let heading: string;
  if (entries.length === 0) heading = name === null ? `The cache is empty.${shownOnly}` : `The cache holds nothing${forName}.${shownOnly}`;
  else heading = `Cache: ${entriesText(entries.length)}${forName}; TTL is seconds left/stored with${shownOnly}`;
  lines.push(...wrapLine(heading, options.width));
  if (entries.length > 0) lines.push(...cacheTableLines(entries, options.width));
  return lines;
}

/** How many entries a flush removed: those of the state before that are not in the state after. */
export interface FlushCount {
  count: number;
  /** The state before listed only part of the cache, so more may have gone. */
  atLeast: boolean;
}

function entryKey(e: Pick<ResolverCacheEntry, 'name' | 'type'>): string {
  return `${nameKey(e.name)}|${e.type}`;
}

export function countFlushed(before: ResolverState, after: ResolverState, name: string | null): FlushCount {
  const left = new Set(entriesOf(after, name).map(entryKey));
  const count = entriesOf(before, name).filter((e) => !left.has(entryKey(e))).length;
  return { count, atLeast: before.truncated };
}

/** `Flushed 3 entries for gaia.cs.umass.edu from dns.poly.edu's cache.` */
export function flushLine(state: Pick<ResolverState, 'name'>, flushed: FlushCount, name: string | null): string {
  const server = displayName(state.name);
  const forName = name === null ? '' : ` for ${displayName(name)}`;
  if (flushed.count > 0) return `Flushed ${flushed.atLeast ? 'at least ' : ''}${entriesText(flushed.count)}${forName} from ${server}'s cache.`;
  if (flushed.atLeast) {
    const what = name === null ? `${server}'s cache` : `the entries${forName} from ${server}'s cache`;
    return `Flushed ${what}; it lists only its first ${MAX_RESOLVER_STATE_ENTRIES} entries, so how many went is not known.`;
  }
  return name === null ? `${server}'s cache was already empty.` : `${server}'s cache held nothing${forName}.`;
}

/** One line on what switching to `mode` changes (nothing, when it was in that mode already). */
export function modeChangeLine(before: Pick<ResolverState, 'name' | 'mode'>, mode: ResolverMode): string {
  const server = displayName(before.name);
  if (before.mode === mode) return `${server} already resolves ${MODE_ADVERB[mode]}: nothing changes.`;
  return `${server} now resolves ${MODE_ADVERB[mode]}: ${RESOLVER_MODE_SENTENCE[mode]} (names already in its cache are still answered from there until they expire or are flushed).`;
}
