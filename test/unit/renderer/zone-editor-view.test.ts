// The zone editor's list (files grouped by server, in the hierarchy's order), badges, and the
// words for what a save did.

import { describe, expect, it } from 'vitest';
import type { ZoneFileInfo, ZoneSaveResult } from '../../../src/shared/dns';
import { SAVED_DETAIL, describeSave, draftZoneBadge, formatRecordCount, groupZonesByServer, saveOutcomeAfterEdit, zoneBadge } from '../../../src/renderer/lib/zone-editor-view';

const zone = (file: string, server: string, role: ZoneFileInfo['role'], extra: Partial<ZoneFileInfo> = {}): ZoneFileInfo => ({
  file,
  origin: `${file.replace(/\.zone$/, '')}.`,
  server,
  role,
  records: 5,
  problems: [],
  ...extra,
});

describe('groupZonesByServer', () => {
  it('puts the root first, then the TLD servers, then the authoritative ones, each by name, files in the given order', () => {
    const groups = groupZonesByServer([
      zone('umass.edu.zone', 'dns.cs.umass.edu', 'authoritative'),
      zone('edu.zone', 'a.edu-servers.net', 'tld'),
      zone('cs.umass.edu.zone', 'dns.cs.umass.edu', 'authoritative'),
      zone('root.zone', 'a.root-servers.net', 'root'),
      zone('com.zone', 'a.gtld-servers.net', 'tld'),
      zone('crepes.fr.zone', 'dns.crepes.fr', 'authoritative'),
      zone('in-addr.arpa.zone', 'a.root-servers.net', 'root'),
    ]);
    expect(groups.map((g) => [g.server, g.role, g.zones.map((z) => z.file)])).toEqual([
      ['a.root-servers.net', 'root', ['root.zone', 'in-addr.arpa.zone']],
      ['a.edu-servers.net', 'tld', ['edu.zone']],
      ['a.gtld-servers.net', 'tld', ['com.zone']],
      ['dns.crepes.fr', 'authoritative', ['crepes.fr.zone']],
      ['dns.cs.umass.edu', 'authoritative', ['umass.edu.zone', 'cs.umass.edu.zone']],
    ]);
    expect(groupZonesByServer([])).toEqual([]);
  });
});

describe('zoneBadge', () => {
  it('says whether the server loaded the file, and why not', () => {
    expect(zoneBadge(zone('a.zone', 's', 'tld'))).toMatchObject({ kind: 'ok', text: 'no problems' });
    const warned = zoneBadge(zone('a.zone', 's', 'tld', { problems: [{ severity: 'warning', line: 3, column: 1, message: 'w' }] }));
    expect(warned).toMatchObject({ kind: 'warning', text: '1 warning' });
    const broken = zoneBadge(
      zone('a.zone', 'ns.a', 'authoritative', {
        records: 0,
        problems: [
          { severity: 'error', line: 3, column: 1, message: 'e' },
          { severity: 'warning', line: 4, column: 1, message: 'w' },
        ],
      }),
    );
    expect(broken).toMatchObject({ kind: 'error', text: '1 error, 1 warning' });
    expect(broken.title).toContain('ns.a runs without a.');
  });

  it('counts records', () => {
    expect(formatRecordCount(1)).toBe('1 record');
    expect(formatRecordCount(0)).toBe('0 records');
    expect(formatRecordCount(12)).toBe('12 records');
  });
});

describe('describeSave', () => {
  it('says a saved file is live now, and that cached answers stay until their TTL or a flush', () => {
    const result: ZoneSaveResult = { ok: true, problems: [], hierarchyProblems: [], zone: zone('umass.edu.zone', 'dns.cs.umass.edu', 'authoritative', { records: 7 }) };
    expect(describeSave('umass.edu.zone', result)).toEqual({ ok: true, headline: 'Saved umass.edu.zone, live now (7 records).', detail: SAVED_DETAIL });
    expect(SAVED_DETAIL).toMatch(/answer from it now.*TTL.*flush/);
    const warned = describeSave('umass.edu.zone', { ...result, problems: [{ severity: 'warning', line: 2, column: 1, message: 'w' }] });
    expect(warned.headline).toBe('Saved umass.edu.zone with 1 warning, live now (7 records).');
  });

  it('says a refused file changed nothing, with how many problems', () => {
    const out = describeSave('umass.edu.zone', {
      ok: false,
      problems: [
        { severity: 'error', line: 2, column: 1, message: 'e' },
        { severity: 'error', line: 5, column: 3, message: 'e' },
      ],
      hierarchyProblems: ['x'],
    });
    expect(out.ok).toBe(false);
    expect(out.headline).toBe('Not saved: umass.edu.zone has 2 errors.');
    expect(out.detail).toContain('unchanged');
  });
});

describe('while the open file has unsaved changes', () => {
  it('its card shows the problems of the text being typed, marked unsaved', () => {
    const onDisk = zone('umass.edu.zone', 'dns.cs.umass.edu', 'authoritative');
    const broken = draftZoneBadge(onDisk, [{ severity: 'error', line: 28, column: 13, message: 'not an IPv4 address' }]);
    expect(broken).toMatchObject({ kind: 'error', text: 'unsaved, 1 error' });
    expect(broken.title).toContain('dns.cs.umass.edu still answers from the file on disk (no problems)');
    expect(draftZoneBadge(onDisk, [])).toMatchObject({ kind: 'ok', text: 'unsaved, no problems' });
    expect(draftZoneBadge(onDisk, [{ severity: 'warning', line: 1, column: 1, message: 'w' }])).toMatchObject({ kind: 'warning', text: 'unsaved, 1 warning' });
  });

  it('a refused save goes once the text changes, a save that went through stays, dimmed, saying the rest is unsaved', () => {
    const refused = { ok: false, headline: 'Not saved: umass.edu.zone has 1 error.', detail: 'fix them' };
    expect(saveOutcomeAfterEdit(refused, 'a', 'a')).toEqual({ ...refused, stale: false });
    expect(saveOutcomeAfterEdit(refused, 'a', 'ab')).toBeNull();
    const saved = { ok: true, headline: 'Saved umass.edu.zone, live now (8 records).', detail: SAVED_DETAIL };
    expect(saveOutcomeAfterEdit(saved, 'a', 'a')).toEqual({ ...saved, stale: false });
    const later = saveOutcomeAfterEdit(saved, 'a', 'ab');
    expect(later).toMatchObject({ ok: true, headline: saved.headline, stale: true });
    expect(later?.detail).toContain('not saved yet');
  });
});
