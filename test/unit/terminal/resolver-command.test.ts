// The words after `resolver`, one invocation run against an in-memory name server, and the terminal
// command itself with a fake connector: its usage line, its errors in one line, a lab without DNS.

import { describe, expect, test } from 'vitest';
import type { ResolverCacheEntry, ResolverMode, ResolverState } from '../../../src/shared/dns';
import { sameName } from '../../../src/protocols/dns/names';
import { cacheTableLines, modeChangeLine } from '../../../src/main/lab/dns/resolver-report';
import { NO_DNS_LINE } from '../../../src/main/lab/terminal/commands/dig';
import { resolverCommand } from '../../../src/main/lab/terminal/commands/resolver';
import { RESOLVER_FORMS, RESOLVER_SYNOPSIS, parseResolverArgs } from '../../../src/main/lab/terminal/commands/resolver-args';
import { wrapDefinitions } from '../../../src/main/lab/terminal/word-wrap';
import { runResolverInvocation, type ResolverAccess } from '../../../src/main/lab/terminal/commands/resolver-run';
import type { ShellContext } from '../../../src/main/lab/terminal/shell-command';
import type { ResolverControls } from '../../../src/main/lab/terminal/types';
import { FakeConnector } from './support/fake-connector';

function entry(name: string, type: string, records: string[]): ResolverCacheEntry {
  return { name, type, ttlLeft: 3599, ttlOriginal: 3600, records, kind: 'positive', source: 'dns.cs.umass.edu', hits: 0 };
}

/** A local name server in memory: its cache, mode and statistics, changed as the lab's would be. */
class MemoryResolver implements ResolverControls {
  mode: ResolverMode = 'iterative';
  entries = [entry('gaia.cs.umass.edu.', 'A', ['A 128.119.245.12']), entry('gaia.cs.umass.edu.', 'AAAA', ['AAAA ::1']), entry('edu.', 'NS', ['NS a.edu-servers.net.'])];
  state(): ResolverState {
    return { name: 'dns.poly.edu', address: '128.238.29.22', port: 10053, mode: this.mode, entries: [...this.entries], truncated: false, stats: { queries: 2, cacheHits: 1, upstreamQueries: 3, upstreamFailures: 0 } };
  }
  setMode(mode: ResolverMode): ResolverState {
    this.mode = mode;
    return this.state();
  }
  flush(name: string | null): ResolverState {
    this.entries = name === null ? [] : this.entries.filter((e) => !sameName(e.name, name));
    return this.state();
  }
}

describe('parseResolverArgs', () => {
  test('show, with or without a name; nothing at all is show', () => {
    expect(parseResolverArgs([])).toEqual({ ok: true, help: false, invocation: { action: 'show', name: null } });
    expect(parseResolverArgs(['show'])).toEqual({ ok: true, help: false, invocation: { action: 'show', name: null } });
    expect(parseResolverArgs(['SHOW', 'gaia.cs.umass.edu'])).toEqual({ ok: true, help: false, invocation: { action: 'show', name: 'gaia.cs.umass.edu.' } });
  });

  test('flush, with or without a name', () => {
    expect(parseResolverArgs(['flush'])).toEqual({ ok: true, help: false, invocation: { action: 'flush', name: null } });
    expect(parseResolverArgs(['flush', 'GAIA.cs.umass.edu.'])).toEqual({ ok: true, help: false, invocation: { action: 'flush', name: 'GAIA.cs.umass.edu.' } });
    expect(parseResolverArgs(['flush', '.'])).toEqual({ ok: true, help: false, invocation: { action: 'flush', name: '.' } });
  });

  test('mode iterative|recursive, in any case', () => {
    expect(parseResolverArgs(['mode', 'recursive'])).toEqual({ ok: true, help: false, invocation: { action: 'mode', mode: 'recursive' } });
    expect(parseResolverArgs(['mode', 'Iterative'])).toEqual({ ok: true, help: false, invocation: { action: 'mode', mode: 'iterative' } });
  });

  test('-h, --help and help ask for the forms', () => {
    for (const word of ['-h', '--help', 'help', 'HELP']) expect(parseResolverArgs([word])).toEqual({ ok: true, help: true });
    expect(parseResolverArgs(['help', 'me'])).toEqual({ ok: false });
  });

  test('words that fit no form ask for the usage line; a bad name or mode says what is wrong', () => {
    for (const args of [['frob'], ['show', 'a', 'b'], ['flush', 'a', 'b'], ['mode'], ['mode', 'iterative', 'now']]) expect(parseResolverArgs(args)).toEqual({ ok: false });
    expect(parseResolverArgs(['mode', 'fast'])).toEqual({ ok: false, problem: "the mode is iterative or recursive, not 'fast'" });
    expect(parseResolverArgs(['flush', 'a..b'])).toEqual({ ok: false, problem: "'a..b' is not a domain name: empty label (two dots in a row, or a leading dot)" });
    // A label of 64 octets is one over RFC 1035 §2.3.4's limit.
    const problem = parseResolverArgs(['show', `${'x'.repeat(64)}.edu`]);
    expect(problem).toMatchObject({ ok: false, problem: expect.stringContaining('at most 63') });
    expect(parseResolverArgs(['show', `${'x'.repeat(63)}.edu`])).toMatchObject({ ok: true });
  });
});

describe('runResolverInvocation', () => {
  test('show NAME gives that name\'s entries, in the state and in the lines', async () => {
    const server = new MemoryResolver();
    const run = await runResolverInvocation({ action: 'show', name: 'GAIA.cs.umass.edu.' }, server, 200);
    expect(run.state.entries.map((e) => e.type)).toEqual(['A', 'AAAA']);
    expect(run.lines.slice(-3)).toEqual(cacheTableLines(run.state.entries, 200));
  });

  test('flush NAME forgets that name and counts what went; flush forgets the rest', async () => {
    const server = new MemoryResolver();
    const one = await runResolverInvocation({ action: 'flush', name: 'gaia.cs.umass.edu.' }, server, 200);
    expect(one.lines).toEqual(["Flushed 2 entries for gaia.cs.umass.edu from dns.poly.edu's cache."]);
    expect(one.state.entries.map((e) => e.name)).toEqual(['edu.']);
    expect((await runResolverInvocation({ action: 'flush', name: null }, server, 200)).lines).toEqual(["Flushed 1 entry from dns.poly.edu's cache."]);
    expect((await runResolverInvocation({ action: 'flush', name: null }, server, 200)).lines).toEqual(["dns.poly.edu's cache was already empty."]);
  });

  test('mode switches the scheme and says what changes, wrapped to the width', async () => {
    const server = new MemoryResolver();
    const run = await runResolverInvocation({ action: 'mode', mode: 'recursive' }, server, 50);
    expect(server.mode).toBe('recursive');
    expect(run.state.mode).toBe('recursive');
    expect(run.lines.join(' ')).toBe(modeChangeLine({ name: 'dns.poly.edu', mode: 'iterative' }, 'recursive'));
    for (const line of run.lines) expect(line.length).toBeLessThanOrEqual(50);
  });

  test('an access that answers over a link (promises) gives the same lines', async () => {
    const server = new MemoryResolver();
    const linked: ResolverAccess = { state: async () => server.state(), setMode: async (m) => server.setMode(m), flush: async (n) => server.flush(n) };
    const direct = await runResolverInvocation({ action: 'show', name: null }, new MemoryResolver(), 80);
    expect((await runResolverInvocation({ action: 'show', name: null }, linked, 80)).lines).toEqual(direct.lines);
  });
});

class ConnectorWithResolver extends FakeConnector {
  readonly resolver = new MemoryResolver();
}

async function typed(connector: FakeConnector, args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const ctx: ShellContext = {
    connector,
    signal: new AbortController().signal,
    columns: 120,
    commands: [],
    write: (text) => lines.push(text),
    println: (text = '') => lines.push(text),
    clearScreen: () => {},
    enterConnected: () => false,
  };
  await resolverCommand.run(args, ctx);
  return lines;
}

describe('the terminal command', () => {
  test('bad usage is one line: the synopsis, or what is wrong', async () => {
    const connector = new ConnectorWithResolver();
    expect(await typed(connector, ['frob'])).toEqual([`usage: ${RESOLVER_SYNOPSIS}`]);
    expect(await typed(connector, ['mode', 'fast'])).toEqual(["resolver: the mode is iterative or recursive, not 'fast'"]);
    expect(connector.resolver.mode).toBe('iterative');
  });

  test('-h: the synopsis, then each form and what it does', async () => {
    const lines = await typed(new FakeConnector(), ['-h']);
    expect(lines[0]).toBe(`usage: ${RESOLVER_SYNOPSIS}`);
    expect(lines.slice(1)).toEqual(wrapDefinitions(RESOLVER_FORMS, 120));
    expect(lines.join('\n')).toMatch(/ {2}mode recursive +switch to the recursive scheme: it asks the root once/);
  });

  test('a lab world without DNS says so', async () => {
    expect(await typed(new FakeConnector(), [])).toEqual([`resolver: ${NO_DNS_LINE}`]);
  });

  test('it drives the connector\'s resolver controls', async () => {
    const connector = new ConnectorWithResolver();
    const switched = await typed(connector, ['mode', 'recursive']);
    expect(switched.join(' ')).toBe(modeChangeLine({ name: 'dns.poly.edu', mode: 'iterative' }, 'recursive'));
    for (const line of switched) expect(line.length).toBeLessThanOrEqual(120);
    expect(connector.resolver.mode).toBe('recursive');
    expect(await typed(connector, ['flush', 'edu'])).toEqual(["Flushed 1 entry for edu from dns.poly.edu's cache."]);
    expect(connector.resolver.entries.map((e) => e.name)).toEqual(['gaia.cs.umass.edu.', 'gaia.cs.umass.edu.']);
  });
});
