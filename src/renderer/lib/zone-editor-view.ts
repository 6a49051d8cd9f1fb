// What the zone editor shows besides the text: the zone files grouped by the server that serves
// them (in the hierarchy's order: root, top-level domains, authoritative servers), a badge per
// file, and what a save did, in words.

import type { ZoneFileInfo, ZoneProblemInfo, ZoneSaveResult } from '../../shared/dns';
import { countProblems, formatProblemCounts } from './zone-markers';

export type ZoneServerRole = ZoneFileInfo['role'];

/** Top of the tree first, as the course draws it. */
export const ZONE_ROLE_ORDER: readonly ZoneServerRole[] = ['root', 'tld', 'authoritative'];

export const ZONE_ROLE_LABEL: Record<ZoneServerRole, string> = {
  root: 'root',
  tld: 'TLD',
  authoritative: 'authoritative',
};

export const ZONE_ROLE_TITLE: Record<ZoneServerRole, string> = {
  root: 'A root server: it knows who serves each top-level domain',
  tld: 'A top-level domain server: it knows who serves each domain below it',
  authoritative: 'An authoritative server: it holds the records of its organisation’s names',
};

export interface ZoneServerGroup {
  server: string;
  role: ZoneServerRole;
  zones: ZoneFileInfo[];
}

/** One group per server, root first, then TLDs, then authoritative servers, each by name; files keep the manifest's order. */
export function groupZonesByServer(zones: readonly ZoneFileInfo[]): ZoneServerGroup[] {
  const groups = new Map<string, ZoneServerGroup>();
  for (const z of zones) {
    let g = groups.get(z.server);
    if (!g) groups.set(z.server, (g = { server: z.server, role: z.role, zones: [] }));
    g.zones.push(z);
  }
  return [...groups.values()].sort((a, b) => ZONE_ROLE_ORDER.indexOf(a.role) - ZONE_ROLE_ORDER.indexOf(b.role) || a.server.localeCompare(b.server));
}

export interface ZoneBadge {
  kind: 'ok' | 'warning' | 'error';
  text: string;
  title: string;
}

/** The file's state on the server: records served, or the problems that keep it from loading. */
export function zoneBadge(z: Pick<ZoneFileInfo, 'server' | 'origin' | 'problems'>): ZoneBadge {
  const counts = countProblems(z.problems);
  if (counts.errors > 0) {
    return { kind: 'error', text: formatProblemCounts(counts), title: `${z.server} runs without ${z.origin}: the file has errors, so it serves none of its records` };
  }
  if (counts.warnings > 0) return { kind: 'warning', text: formatProblemCounts(counts), title: `loaded with ${formatProblemCounts(counts)}` };
  return { kind: 'ok', text: 'no problems', title: `${z.server} serves ${z.origin} from this file` };
}

/**
 * The badge of the file open in the editor while it has unsaved changes: the problems of the text
 * being typed (checked as it changes), marked unsaved, since the server still answers from the
 * file on disk.
 */
export function draftZoneBadge(z: Pick<ZoneFileInfo, 'server' | 'origin' | 'problems'>, draftProblems: readonly ZoneProblemInfo[]): ZoneBadge {
  const counts = countProblems(draftProblems);
  const onDisk = zoneBadge(z);
  const kind = counts.errors > 0 ? 'error' : counts.warnings > 0 ? 'warning' : 'ok';
  return {
    kind,
    text: `unsaved, ${formatProblemCounts(counts)}`,
    title: `The text in the editor has ${formatProblemCounts(counts)} and is not saved; ${z.server} still answers from the file on disk (${onDisk.text}).`,
  };
}

/**
 * What a save said, once the text has changed since: a refusal is out of date (the problems list
 * shows the text as it is now), so it goes; a save that went through still tells what the servers
 * answer from, so it stays, dimmed, with a word that the newer changes are not saved.
 */
export function saveOutcomeAfterEdit(outcome: SaveOutcome, savedText: string, draft: string): (SaveOutcome & { stale: boolean }) | null {
  if (savedText === draft) return { ...outcome, stale: false };
  if (!outcome.ok) return null;
  return { ...outcome, detail: 'The servers answer from that text; your changes since are not saved yet.', stale: true };
}

/** `12 records`, `1 record`. */
export function formatRecordCount(records: number): string {
  return `${records} record${records === 1 ? '' : 's'}`;
}

/** The text under the editor after a save, and whether it went well. */
export interface SaveOutcome {
  ok: boolean;
  headline: string;
  detail: string;
}

export const SAVED_DETAIL =
  'The servers answer from it now; cached answers at the resolver stay until their TTL runs out or you flush the resolver’s cache.';

export function describeSave(file: string, result: ZoneSaveResult): SaveOutcome {
  const counts = countProblems(result.problems);
  if (result.ok) {
    const warned = counts.warnings > 0 ? ` with ${formatProblemCounts(counts)}` : '';
    const records = result.zone ? ` (${formatRecordCount(result.zone.records)})` : '';
    return { ok: true, headline: `Saved ${file}${warned}, live now${records}.`, detail: SAVED_DETAIL };
  }
  return {
    ok: false,
    headline: `Not saved: ${file} has ${formatProblemCounts(counts)}.`,
    detail: 'The file on disk and the zone the servers answer from are unchanged. The problems are marked in the text; fix them and save again.',
  };
}
