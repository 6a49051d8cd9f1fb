// Zone file problems (from the lab's parser, src/protocols/dns/zone-file.ts and zone.ts) as monaco
// markers: the squiggles under the exact token, with the message on hover. Pure: it takes the text
// and gives plain marker objects, so it runs in the tests without monaco.

import { loadProblems, loadZone, zoneProblemInfo } from '../../protocols/dns';
import { MAX_ZONE_FILE_BYTES, type ZoneProblemInfo } from '../../shared/dns';

/** monaco's MarkerSeverity values (an enum at run time there; plain numbers keep monaco out of this module). */
export const MARKER_SEVERITY = { warning: 4, error: 8 } as const;

/** Shown after each message in monaco's hover, so a student knows who complains. */
export const ZONE_MARKER_SOURCE = 'zone file';

/** The fields of monaco's IMarkerData that a zone problem fills. */
export interface ZoneMarker {
  severity: (typeof MARKER_SEVERITY)[keyof typeof MARKER_SEVERITY];
  message: string;
  source: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

/** Lines as monaco counts them: CR LF, LF and a lone CR each end one (so does the parser). */
function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * A marker for each problem, over the characters it names: `length` of them from its column, or
 * the word that starts there when the parser gave no length. Lines and columns past the text (a
 * problem found before the student deleted lines) are pulled back onto the last character.
 */
export function problemMarkers(problems: readonly ZoneProblemInfo[], text: string): ZoneMarker[] {
  const lines = splitLines(text);
  return problems.map((p) => {
    const line = Math.min(Math.max(1, Math.trunc(p.line) || 1), lines.length);
    const lineText = lines[line - 1];
    const lineEnd = lineText.length + 1;
    const startColumn = Math.min(Math.max(1, Math.trunc(p.column) || 1), lineEnd);
    let endColumn: number;
    if (p.length !== undefined && p.length > 0) {
      endColumn = Math.min(startColumn + p.length, lineEnd);
    } else {
      // An empty range is left to monaco, which widens it to the word or the line's end itself.
      const word = /^\S+/.exec(lineText.slice(startColumn - 1));
      endColumn = startColumn + (word ? word[0].length : 0);
    }
    return {
      severity: MARKER_SEVERITY[p.severity],
      message: p.message,
      source: ZONE_MARKER_SOURCE,
      startLineNumber: line,
      startColumn,
      endLineNumber: line,
      endColumn,
    };
  });
}

/** UTF-8 octets of the text: what the file takes on disk and what MAX_ZONE_FILE_BYTES limits. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export interface ZoneDraftOptions {
  /** The zone's apex, as listZones gives it (`umass.edu.`). */
  origin: string;
  /** The file as the problems name it, e.g. `zones/umass.edu.zone`. */
  file: string;
}

/**
 * The problems the server would find in this text, checked in the renderer with the same parser,
 * so the student sees them while typing. Errors first in the file's order, then warnings. Text over
 * MAX_ZONE_FILE_BYTES is not parsed: the lab would refuse to save it anyway.
 */
export function checkZoneDraft(text: string, options: ZoneDraftOptions): ZoneProblemInfo[] {
  const bytes = utf8Length(text);
  if (bytes > MAX_ZONE_FILE_BYTES) {
    return [{ severity: 'error', line: 1, column: 1, message: `the text is ${bytes} bytes, more than the ${MAX_ZONE_FILE_BYTES} bytes a zone file may have in the lab: it cannot be saved` }];
  }
  const loaded = loadZone(text, { origin: options.origin, file: options.file });
  return loadProblems(loaded).map(zoneProblemInfo);
}

export interface ProblemCounts {
  errors: number;
  warnings: number;
}

export function countProblems(problems: readonly ZoneProblemInfo[]): ProblemCounts {
  let errors = 0;
  for (const p of problems) if (p.severity === 'error') errors++;
  return { errors, warnings: problems.length - errors };
}

/** `2 errors, 1 warning`, or `no problems`. */
export function formatProblemCounts({ errors, warnings }: ProblemCounts): string {
  const parts: string[] = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}

/** `12:5` then the message: one line of the problem list under the editor. */
export function formatProblemPlace(p: ZoneProblemInfo): string {
  return `${p.line}:${p.column}`;
}
