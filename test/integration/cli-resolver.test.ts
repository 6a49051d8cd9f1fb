// `protolab resolver` against a real `protolab web` (started as a student would start it): the
// cache filled by a real DNS client, shown as text (the same lines the terminal prints) and as
// JSON, one name and then the whole cache flushed, the scheme switched; and without a lab, or with
// something else on the port, one line saying to start `protolab web`.

import { spawn } from 'node:child_process';
import dns from 'node:dns';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResolverState } from '../../src/shared/dns';
import { RESOLVER_CLI_DEFAULT_COLUMNS, RESOLVER_CLI_USAGE } from '../../src/main/cli/resolver';
import { resolverReportLines } from '../../src/main/lab/dns/resolver-report';
import { freePortOffset } from '../support/ports';
import { WEB_FACE_READY_TIMEOUT_MS, startWebFace, stopWebFace, type WebFaceProcess } from '../support/web-face';

const BIN = path.join(__dirname, '../../bin/protolab.mjs');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `protolab ARGS` to its end; its output is a pipe, so tables are RESOLVER_CLI_DEFAULT_COLUMNS wide. */
function protolab(args: string[]): Promise<Ran> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** A loopback port where nothing listens right now. */
async function idlePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** TTLs count down between two looks at the cache: compare the tables without the seconds left. */
function withoutTtlLeft(text: string): string {
  return text.replace(/\b\d+\/(\d+)\b/g, 'N/$1');
}

let dir = '';
let offset = 0;
let face: WebFaceProcess | null = null;
let uiPort = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-cli-resolver-'));
  offset = await freePortOffset();
  face = await startWebFace(path.join(dir, 'data'), offset);
  uiPort = Number(new URL(face.url).port);
}, WEB_FACE_READY_TIMEOUT_MS + 10_000);

afterAll(async () => {
  await stopWebFace(face);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `protolab resolver ARGS --port <the running UI's port>`. */
function resolver(...args: string[]): Promise<Ran> {
  return protolab(['resolver', ...args, '--port', String(uiPort)]);
}

async function resolverJson(...args: string[]): Promise<ResolverState> {
  const ran = await resolver(...args, '--json');
  expect(ran.stderr).toBe('');
  expect(ran.code).toBe(0);
  return JSON.parse(ran.stdout) as ResolverState;
}

/** A real DNS client (Node's c-ares resolver) asking the lab's local name server. */
function askResolver(name: string): Promise<string[]> {
  const client = new dns.promises.Resolver({ timeout: 5_000, tries: 1 });
  client.setServers([`127.0.0.1:${offset + 53}`]);
  return client.resolve4(name);
}

/** Each test runs `protolab` a few times, each a Node process that compiles the CLI with tsx. */
const CLI_TEST_TIMEOUT_MS = 60_000;

describe('protolab resolver with a running protolab web', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  test('show: the same lines the terminal prints, and the state as JSON', async () => {
    expect(await askResolver('gaia.cs.umass.edu')).toEqual(['128.119.245.12']);
    const text = await resolver('show');
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const state = await resolverJson('show');
    expect(state).toMatchObject({ name: 'dns.poly.edu', address: '128.238.29.22', port: offset + 53, mode: 'iterative', truncated: false });
    expect(state.stats.queries).toBeGreaterThanOrEqual(1);
    expect(state.entries).toContainEqual(expect.objectContaining({ name: 'gaia.cs.umass.edu.', type: 'A', records: ['A 128.119.245.12'], kind: 'positive', source: 'dns.cs.umass.edu' }));
    expect(withoutTtlLeft(text.stdout)).toBe(withoutTtlLeft(`${resolverReportLines(state, { width: RESOLVER_CLI_DEFAULT_COLUMNS }).join('\n')}\n`));
    expect(text.stdout).toContain(`Local name server: dns.poly.edu (128.238.29.22), lab port ${offset + 53} (UDP and TCP)`);
    expect(text.stdout).toMatch(/gaia\.cs\.umass\.edu\. +A +\d+\/3600 +0 +dns\.cs\.umass\.edu/);
    for (const line of text.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(RESOLVER_CLI_DEFAULT_COLUMNS);
  });

  test('show NAME: one owner name, in text and in JSON', async () => {
    await askResolver('gaia.cs.umass.edu');
    const text = await resolver('show', 'GAIA.cs.umass.edu');
    expect(text.stdout).toContain('Cache: 1 entry for GAIA.cs.umass.edu; TTL is seconds left/stored with');
    const state = await resolverJson('show', 'gaia.cs.umass.edu');
    expect(state.entries.map((e) => `${e.name} ${e.type}`)).toEqual(['gaia.cs.umass.edu. A']);
  });

  test('flush NAME, then flush everything, each saying how many entries went', async () => {
    await askResolver('gaia.cs.umass.edu');
    const one = await resolver('flush', 'gaia.cs.umass.edu');
    expect(one).toEqual({ code: 0, stdout: "Flushed 1 entry for gaia.cs.umass.edu from dns.poly.edu's cache.\n", stderr: '' });
    const left = await resolverJson();
    expect(left.entries.some((e) => e.name === 'gaia.cs.umass.edu.')).toBe(false);
    expect(left.entries.length).toBeGreaterThan(0);
    const all = await resolver('flush');
    expect(all.stdout).toBe(`Flushed ${left.entries.length} entries from dns.poly.edu's cache.\n`);
    expect((await resolverJson()).entries).toEqual([]);
    // --json with a change prints the state after it.
    expect((await resolverJson('flush')).entries).toEqual([]);
  });

  test('mode: switches the scheme in the running lab, in one line', async () => {
    try {
      const ran = await resolver('mode', 'recursive');
      expect(ran.code).toBe(0);
      expect(ran.stdout.replace(/\n/g, ' ')).toMatch(/^dns\.poly\.edu now resolves recursively: it asks the root once/);
      expect((await resolverJson()).mode).toBe('recursive');
      // The running lab's resolver now follows that scheme: a fresh name still resolves.
      expect(await askResolver('www.someschool.edu')).toHaveLength(1);
    } finally {
      expect((await resolverJson('mode', 'iterative')).mode).toBe('iterative');
    }
  });

  test('bad usage: one line, exit code 2, and nothing changed', async () => {
    const cases: Array<[string[], string]> = [
      [['frob'], `usage: ${RESOLVER_CLI_USAGE}`],
      [['mode'], `usage: ${RESOLVER_CLI_USAGE}`],
      [['mode', 'fast'], "protolab resolver: the mode is iterative or recursive, not 'fast'"],
      [['--frob'], `usage: ${RESOLVER_CLI_USAGE}`],
    ];
    const [badPort, ...runs] = await Promise.all([protolab(['resolver', '--port', 'http']), ...cases.map(([args]) => resolver(...args))]);
    cases.forEach(([args, line], i) => {
      const ran = runs[i]!;
      expect({ code: ran.code, stderr: ran.stderr, stdout: ran.stdout }, args.join(' ')).toEqual({ code: 2, stderr: `${line}\n`, stdout: '' });
    });
    expect(badPort!.code).toBe(2);
    expect(badPort!.stderr).toBe("protolab resolver: --port expects the UI's port, a whole number from 1 to 65535, got 'http'\n");
    expect((await resolverJson()).mode).toBe('iterative');
  });
});

describe('protolab resolver without a lab', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  test('nothing listens on the port: one line saying to start protolab web, exit code 1', async () => {
    const port = await idlePort();
    const ran = await protolab(['resolver', '--port', String(port)]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toBe('');
    expect(ran.stderr.trim().split('\n')).toEqual([
      `protolab resolver: no lab answers at http://127.0.0.1:${port}/ (nothing listens there): start \`protolab web\` first (or give --port the port its UI uses)`,
    ]);
  });

  test('something else answers on the port: the same advice, with what it answered', async () => {
    const other = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => other.listen({ host: '127.0.0.1', port: 0 }, r));
    const { port } = other.address() as AddressInfo;
    try {
      const ran = await protolab(['resolver', 'flush', '--port', String(port)]);
      expect(ran.code).toBe(1);
      expect(ran.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^protolab resolver: no lab answers at .*\(it answered HTTP 404 instead of opening the lab's link\): start `protolab web` first/)]);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  test('the help says the CLI works with protolab web, as serve opens no API port', async () => {
    const general = await protolab(['--help']);
    expect(general.stdout).toContain(RESOLVER_CLI_USAGE);
    expect(general.stdout).toMatch(/`protolab serve`\s+opens no such port/);
    const own = await protolab(['resolver', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain(`usage: ${RESOLVER_CLI_USAGE}`);
    expect(own.stdout).toMatch(/`protolab\s+serve`\s+opens\s+no\s+such\s+port/);
    expect(own.stdout).toMatch(/mode recursive +switch to the recursive scheme/);
  });
});
