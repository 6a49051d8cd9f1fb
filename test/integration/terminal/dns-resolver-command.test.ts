// The terminal's `resolver` against a real lab: the local name server's place, scheme and
// statistics, its cache filled by real dig questions (an answer, a remembered absence of a name and
// of a type, a cache hit counted), one name shown and flushed, the whole cache flushed, the scheme
// switched (and what the lab's resolver then does), bad usage, `help`, and a narrow terminal.

import { describe, expect, test } from 'vitest';
import { stringWidth } from '../../../src/main/lab/terminal/cell-width';
import { RESOLVER_SYNOPSIS } from '../../../src/main/lab/terminal/commands/resolver-args';
import { PROMPT_BACK, outputLines, plain, useTerminalLab } from './dns-terminal';

const t = useTerminalLab();

/** The table rows of `resolver` output (after the NAME heading), split into their columns. */
function tableRows(out: string): string[][] {
  const lines = outputLines(out);
  const head = lines.findIndex((l) => l.startsWith('NAME '));
  if (head < 0) return [];
  return lines
    .slice(head + 1)
    .filter((l) => l !== '' && !l.startsWith('protolab>'))
    .map((l) => l.trim().split(/ {2,}/));
}

describe('resolver show', () => {
  test('an empty cache: where the server listens, its scheme and its statistics', async () => {
    await t.lab.api.flushResolverCache(null);
    const out = await t.term.typed('resolver');
    const stats = (await t.lab.api.getResolver()).stats;
    expect(outputLines(out).slice(1, 6)).toEqual([
      `Local name server: dns.poly.edu (128.238.29.22), lab port ${t.offset + 53} (UDP and TCP)`,
      expect.stringMatching(/^Mode: iterative \(it asks the root, a TLD server and the authoritative server itself/),
      expect.stringMatching(new RegExp(`^Client queries: ${stats.queries}; answered from the cache: `)),
      `Queries upstream: ${stats.upstreamQueries}; failed (no reply, or a reply not accepted): ${stats.upstreamFailures}`,
      'The cache is empty.',
    ]);
  });

  test('after real questions: the answer, the referrals on the way, the absences in words, and the hits', async () => {
    await t.lab.api.flushResolverCache(null);
    await t.term.typed('dig gaia.cs.umass.edu');
    await t.term.typed('dig gaia.cs.umass.edu'); // from the cache: one hit
    await t.term.typed('dig nosuch.cs.umass.edu');
    await t.term.typed('dig gaia.cs.umass.edu MX');
    const out = await t.term.typed('resolver show');
    const state = await t.lab.api.getResolver();
    expect(out).toContain(`Cache: ${state.entries.length} entries; TTL is seconds left/stored with`);
    expect(out).toMatch(/Client queries: 4; answered from the cache: 1 of 4 \(25 %\)/);
    const rows = tableRows(out);
    expect(rows).toHaveLength(state.entries.length);
    expect(rows).toContainEqual(['gaia.cs.umass.edu.', 'A', expect.stringMatching(/^\d+\/3600$/), '1', 'dns.cs.umass.edu', '128.119.245.12']);
    expect(rows).toContainEqual(['gaia.cs.umass.edu.', 'MX', expect.stringMatching(/^\d+\/\d+$/), '0', 'dns.cs.umass.edu', '(no such records)']);
    expect(rows).toContainEqual(['nosuch.cs.umass.edu.', '*', expect.stringMatching(/^\d+\/\d+$/), '0', 'dns.cs.umass.edu', '(no such name)']);
    expect(rows).toContainEqual(['edu.', 'NS', expect.stringMatching(/^\d+\/\d+$/), expect.any(String), 'a.root-servers.net', 'a.edu-servers.net.']);
    // The hierarchy's order: edu. before umass.edu. before gaia.cs.umass.edu.
    const names = rows.map((r) => r[0]);
    expect(names.indexOf('edu.')).toBeLessThan(names.indexOf('gaia.cs.umass.edu.'));
  });

  test('show NAME lists that owner name only, typed in any case', async () => {
    await t.term.typed('dig www.ibm.com');
    const out = await t.term.typed('resolver show WWW.IBM.COM');
    expect(out).toContain('Cache: 1 entry for WWW.IBM.COM; TTL is seconds left/stored with');
    expect(tableRows(out)).toEqual([['www.ibm.com.', 'CNAME', expect.stringMatching(/^\d+\/\d+$/), '0', expect.any(String), 'servereast.backup2.ibm.com.']]);
    expect(await t.term.typed('resolver show www.nowhere.edu')).toContain('The cache holds nothing for www.nowhere.edu.');
  });
});

describe('resolver flush', () => {
  test('one name: its entries go, the others stay, and the count is said', async () => {
    await t.term.typed('dig gaia.cs.umass.edu');
    await t.term.typed('dig gaia.cs.umass.edu MX');
    const before = await t.lab.api.getResolver();
    const gaia = before.entries.filter((e) => e.name === 'gaia.cs.umass.edu.').length;
    expect(gaia).toBe(2);
    const out = await t.term.typed('resolver flush gaia.cs.umass.edu');
    expect(outputLines(out)).toContain("Flushed 2 entries for gaia.cs.umass.edu from dns.poly.edu's cache.");
    const after = await t.lab.api.getResolver();
    expect(after.entries.some((e) => e.name === 'gaia.cs.umass.edu.')).toBe(false);
    expect(after.entries.length).toBe(before.entries.length - 2);
    expect(outputLines(await t.term.typed('resolver flush gaia.cs.umass.edu'))).toContain("dns.poly.edu's cache held nothing for gaia.cs.umass.edu.");
  });

  test('the whole cache', async () => {
    await t.term.typed('dig www-net.cs.umass.edu');
    const count = (await t.lab.api.getResolver()).entries.length;
    expect(count).toBeGreaterThan(1);
    expect(outputLines(await t.term.typed('resolver flush'))).toContain(`Flushed ${count} entries from dns.poly.edu's cache.`);
    expect((await t.lab.api.getResolver()).entries).toEqual([]);
    expect(outputLines(await t.term.typed('resolver flush'))).toContain("dns.poly.edu's cache was already empty.");
  });
});

describe('resolver mode', () => {
  test('switches the lab resolver to recursive and back, saying what changes', async () => {
    try {
      const out = await t.term.typed('resolver mode recursive');
      expect(out).toMatch(/dns\.poly\.edu now resolves recursively: it asks the root once, each server asks the next on its behalf/);
      expect((await t.lab.api.getResolver()).mode).toBe('recursive');
      // The next lookup follows the new scheme.
      await t.lab.api.flushResolverCache(null);
      await t.term.typed('dig hamburger.edu MX');
      const lookup = (await t.lab.api.listDnsLookups()).find((l) => l.question.startsWith('hamburger.edu.'));
      expect(lookup?.mode).toBe('recursive');
      expect(await t.term.typed('resolver mode recursive')).toContain('dns.poly.edu already resolves recursively: nothing changes.');
    } finally {
      expect(await t.term.typed('resolver mode iterative')).toContain('dns.poly.edu now resolves iteratively');
    }
    expect((await t.lab.api.getResolver()).mode).toBe('iterative');
  });
});

describe('bad usage and help', () => {
  test('one line each', async () => {
    const cases: Array<[string, string]> = [
      ['resolver frob', `usage: ${RESOLVER_SYNOPSIS}`],
      ['resolver mode', `usage: ${RESOLVER_SYNOPSIS}`],
      ['resolver mode fast', "resolver: the mode is iterative or recursive, not 'fast'"],
      ['resolver flush a..b', "resolver: 'a..b' is not a domain name: empty label (two dots in a row, or a leading dot)"],
    ];
    for (const [line, said] of cases) {
      const out = outputLines(await t.term.typed(line));
      expect(out.slice(1, -1), line).toEqual([said]);
    }
    expect((await t.lab.api.getResolver()).mode).toBe('iterative');
  });

  test('help lists it, and resolver -h shows every form', async () => {
    const summary = "show or flush the local name server's cache, or switch its scheme ('resolver -h')";
    const row = outputLines(await t.term.typed('help')).find((l) => l.startsWith('  resolver ... '));
    expect(row?.replace(/^ {2}resolver \.\.\. +/, '')).toBe(summary);
    expect(outputLines(await t.term.typed('help resolver')).slice(1, 3)).toEqual(['usage: resolver ...', `  ${summary}`]);
    const forms = outputLines(await t.term.typed('resolver -h'));
    expect(forms[1]).toBe(`usage: ${RESOLVER_SYNOPSIS}`);
    expect(forms).toContainEqual(expect.stringMatching(/^ {2}flush \[NAME\] +empty the cache, or forget every entry of one owner name/));
  });
});

/** What `resolver` shows in a terminal `cols` wide, as lines. */
async function resolverScreen(cols: number): Promise<string[]> {
  // Every terminal's output, by id: the banner comes before openTerminal has returned the id.
  const screens = new Map<string, string>();
  const off = t.lab.api.on('terminal', ({ terminalId, data }) => screens.set(terminalId, (screens.get(terminalId) ?? '') + data));
  const { terminalId: id } = await t.lab.api.openTerminal({ cols, rows: 40 });
  const screen = (): string => screens.get(id) ?? '';
  try {
    await t.lab.api.terminalInput(id, 'resolver\r');
    const end = Date.now() + 10_000;
    while (!/resolver[\s\S]*\r\nprotolab> $/.test(screen())) {
      if (Date.now() > end) throw new Error(`never saw the prompt back in:\n${plain(screen())}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    off();
    await t.lab.api.closeTerminal(id);
  }
  expect(PROMPT_BACK.test(screen())).toBe(true);
  return plain(screen()).split('\n');
}

describe('narrow terminals', () => {
  test('at 80 columns the records go under their entry, and every row fits', async () => {
    await t.lab.api.flushResolverCache(null);
    await t.term.typed('dig www.yahoo.com');
    const lines = await resolverScreen(80);
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
    const head = lines.findIndex((l) => l.startsWith('NAME '));
    expect(lines[head]).toMatch(/^NAME +TYPE +TTL +HITS +SOURCE$/);
    const yahoo = lines.findIndex((l) => l.startsWith('www.yahoo.com. '));
    expect(yahoo).toBeGreaterThan(head);
    expect(lines.slice(yahoo + 1, yahoo + 5).sort()).toEqual(['    74.6.143.25', '    74.6.143.26', '    98.137.11.163', '    98.137.11.164']);
  });

  test('narrower than an entry row, rows are word-wrapped, never cut by the terminal', async () => {
    for (const line of await resolverScreen(40)) expect(stringWidth(line), line).toBeLessThanOrEqual(40);
  });
});
