// Zone problems as monaco markers, and the live check the editor runs while the student types.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readZoneManifest } from '../../../src/protocols/dns';
import { MAX_ZONE_FILE_BYTES, type ZoneProblemInfo } from '../../../src/shared/dns';
import {
  MARKER_SEVERITY,
  ZONE_MARKER_SOURCE,
  checkZoneDraft,
  countProblems,
  formatProblemCounts,
  formatProblemPlace,
  problemMarkers,
  utf8Length,
} from '../../../src/renderer/lib/zone-markers';

const ZONES_DIR = fileURLToPath(new URL('../../../content/zones', import.meta.url));

// monaco's enums module (its package exports map `monaco-editor/*` to esm/vs/*.js); no DOM needed.
const STANDALONE_ENUMS = 'monaco-editor/editor/common/standalone/standaloneEnums';

const DRAFT = { origin: 'example.edu.', file: 'zones/example.edu.zone' };

/** A small valid zone, one record a line after the SOA. */
const GOOD = ['$TTL 1h', '@ IN SOA ns1 hostmaster 1 3600 900 604800 300', '@ IN NS ns1', 'ns1 IN A 10.0.0.1', 'www IN A 10.0.0.2', ''].join('\n');

const problem = (p: Partial<ZoneProblemInfo> & Pick<ZoneProblemInfo, 'line' | 'column'>): ZoneProblemInfo => ({ severity: 'error', message: 'm', ...p });

describe('problemMarkers', () => {
  it('uses monaco’s own severity numbers', async () => {
    const { MarkerSeverity } = (await import(/* @vite-ignore */ STANDALONE_ENUMS)) as { MarkerSeverity: Record<string, number> };
    expect(MARKER_SEVERITY.error).toBe(MarkerSeverity.Error);
    expect(MARKER_SEVERITY.warning).toBe(MarkerSeverity.Warning);
  });

  it('covers `length` characters from the problem’s column', () => {
    const text = 'www IN A 10.0.0.300\n';
    expect(problemMarkers([problem({ line: 1, column: 10, length: 10, message: 'not an IPv4 address' })], text)).toEqual([
      { severity: MARKER_SEVERITY.error, message: 'not an IPv4 address', source: ZONE_MARKER_SOURCE, startLineNumber: 1, startColumn: 10, endLineNumber: 1, endColumn: 20 },
    ]);
  });

  it('covers the word at the column when the parser gave no length', () => {
    const text = 'a\n  www   IN MXX 10 mail\n';
    const [m] = problemMarkers([problem({ line: 2, column: 12, severity: 'warning' })], text);
    // MXX is at columns 12-14, so the range ends before column 15.
    expect([m.severity, m.startLineNumber, m.startColumn, m.endColumn]).toEqual([MARKER_SEVERITY.warning, 2, 12, 15]);
    // On white space there is no word: an empty range, which monaco widens itself.
    const [blank] = problemMarkers([problem({ line: 2, column: 1 })], text);
    expect([blank.startColumn, blank.endColumn]).toEqual([1, 1]);
  });

  it('pulls lines and columns past the text back onto it, and never runs past a line', () => {
    const text = 'one\ntwo';
    const markers = problemMarkers(
      [problem({ line: 9, column: 1 }), problem({ line: 1, column: 40 }), problem({ line: 2, column: 2, length: 99 }), problem({ line: 0, column: 0 })],
      text,
    );
    expect(markers.map((m) => [m.startLineNumber, m.startColumn, m.endColumn])).toEqual([
      [2, 1, 4],
      [1, 4, 4],
      [2, 2, 4],
      [1, 1, 4],
    ]);
  });

  it('counts lines as the parser does: CR LF, LF and a lone CR each end one', () => {
    const text = 'a\r\nb\rc\nd';
    const markers = problemMarkers([1, 2, 3, 4].map((line) => problem({ line, column: 1 })), text);
    expect(markers.map((m) => [m.startLineNumber, m.endColumn])).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
      [4, 2],
    ]);
  });

  it('puts the parser’s problems exactly under the tokens they name', () => {
    const text = GOOD.replace('www IN A 10.0.0.2', 'www IN A 10.0.0.256').replace('@ IN NS ns1', '@ IN NS ns1\nmail IN MX ten mx');
    const problems = checkZoneDraft(text, DRAFT);
    const lines = text.split('\n');
    const under = problemMarkers(problems, text).map((m) => lines[m.startLineNumber - 1].slice(m.startColumn - 1, m.endColumn - 1));
    expect(under).toEqual(['ten', '10.0.0.256']);
  });
});

describe('checkZoneDraft', () => {
  it('finds nothing wrong with a good zone', () => {
    expect(checkZoneDraft(GOOD, DRAFT)).toEqual([]);
  });

  it('gives errors and warnings with their places, errors first', () => {
    const text = GOOD.replace('www IN A 10.0.0.2', 'www IN A 10.0.0.2\nwww IN A 10.0.0.2\nbad IN TXT "open');
    const problems = checkZoneDraft(text, DRAFT);
    expect(problems.map((p) => [p.severity, p.line, p.column])).toEqual([
      ['error', 7, 12],
      ['warning', 6, 1],
    ]);
    expect(problems[0].message).toContain('closing quote');
    expect(problems[1].message).toContain('a second time');
    expect(problems[0].length).toBe(5);
    expect('file' in problems[0]).toBe(false);
  });

  it('reports the zone rules (SOA at the apex, names inside the origin), not only the syntax', () => {
    const problems = checkZoneDraft('$TTL 60\nwww.other.org. IN A 10.0.0.1\n', DRAFT);
    const messages = problems.map((p) => p.message).join('\n');
    expect(messages).toContain('outside this zone');
    expect(messages).toContain('no SOA');
  });

  it('refuses text over MAX_ZONE_FILE_BYTES without parsing it, counting UTF-8 bytes as the file on disk', () => {
    const filler = (bytes: number) => `${GOOD}; ${'x'.repeat(bytes - utf8Length(GOOD) - 2)}`;
    const atLimit = filler(MAX_ZONE_FILE_BYTES);
    expect(utf8Length(atLimit)).toBe(MAX_ZONE_FILE_BYTES);
    expect(checkZoneDraft(atLimit, DRAFT)).toEqual([]);
    const over = filler(MAX_ZONE_FILE_BYTES + 1);
    const problems = checkZoneDraft(over, DRAFT);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', line: 1, column: 1 });
    expect(problems[0].message).toContain(String(MAX_ZONE_FILE_BYTES));
    // "é" is one character but two bytes: the limit is in bytes.
    const accents = `${GOOD}; ${'é'.repeat((MAX_ZONE_FILE_BYTES - utf8Length(GOOD)) / 2)}`;
    expect(accents.length).toBeLessThan(MAX_ZONE_FILE_BYTES);
    expect(checkZoneDraft(accents, DRAFT)).toHaveLength(1);
  });

  it('finds no error in any shipped zone file, with the origin zones.yaml gives it', () => {
    const read = readZoneManifest(parseYaml(readFileSync(path.join(ZONES_DIR, 'zones.yaml'), 'utf8')));
    if (!read.ok) throw new Error(read.problems.join('\n'));
    const files = read.manifest.servers.flatMap((s) => s.zones);
    expect(files.length).toBeGreaterThan(10);
    for (const z of files) {
      const problems = checkZoneDraft(readFileSync(path.join(ZONES_DIR, z.file), 'utf8'), { origin: z.origin, file: `zones/${z.file}` });
      expect(problems.filter((p) => p.severity === 'error'), z.file).toEqual([]);
    }
  });
});

describe('problem counts and places', () => {
  it('counts and words them', () => {
    const counts = countProblems([problem({ line: 1, column: 1 }), problem({ line: 2, column: 1, severity: 'warning' }), problem({ line: 3, column: 1 })]);
    expect(counts).toEqual({ errors: 2, warnings: 1 });
    expect(formatProblemCounts(counts)).toBe('2 errors, 1 warning');
    expect(formatProblemCounts({ errors: 1, warnings: 0 })).toBe('1 error');
    expect(formatProblemCounts({ errors: 0, warnings: 2 })).toBe('2 warnings');
    expect(formatProblemCounts({ errors: 0, warnings: 0 })).toBe('no problems');
    expect(formatProblemPlace(problem({ line: 12, column: 5 }))).toBe('12:5');
  });
});
