// `npm run bench:dns` (and the end of `npm run bench`): the DNS speed figures of issue 4, measured in
// one run against three servers answering the same names:
//
//   capture on    the lab's local resolver (dns.poly.edu, port offset + 53) with the capture recording
//                 every datagram, as students run it
//   capture off   the same resolver in a lab started with LabOptions.capture false
//   dnsmasq       Debian's dnsmasq in the foreground on a loopback port, forwarding to the lab's
//                 resolver (capture off) with a cache; warmed with the same names, it answers them
//                 from its cache (the baseline: a C caching forwarder on the same machine)
//   node dgram    context: a bare Node `dgram` responder decoding each query and encoding its
//                 answer with dns-packet from a table it filled from the lab once (STACK.md's
//                 anchor): what Node itself gives on this machine, before any lab code
//
// Cached answers per second: dnsperf (`dnsperf -c 4 -q 100 -t 2 -l SECONDS`) sends the names of
// bench/dns-queries.ts over UDP, after every cache was warmed, so every answer comes from a cache;
// the run checks it (the labs send no upstream query during the trials, and dnsmasq forwards none to
// the lab). Without dnsperf the load comes from bench/dns-load.ts (the same shape, slower, for
// every server alike); without dnsmasq its column is left out. Each server runs in a process of
// its own (labs: this file with --serve; dnsmasq: itself), every one warmed up first; the trials
// rotate the order so that drift in the machine's load hits every side alike, and the result is
// the median of the trials. A capture-on trial counts until the capture has recorded every
// datagram of it, not only until the load stopped.
//
// Cold iterative resolutions per second: the resolver's cache is flushed (LabApi
// flushResolverCache(null), in the lab's process) before each question, which then goes to the
// resolver from a UDP client here; the resolver walks root, TLD and authoritative server for it.
// One question at a time (a flush empties the cache for every question in flight), timed from the
// query to the answer; the mean number of upstream queries comes from getResolver().stats.

import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import dnsPacket from 'dns-packet';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { RCODE, rcodeName } from '../src/protocols/dns';
import type { ResolverStats } from '../src/shared/dns';
import { Lab, defaultContentDir } from '../src/main/lab/lab';
import { BENCH_DNS_QUESTIONS, type BenchQuestion, dnsperfDataFile, typeCodeOf } from './dns-queries';
import { UdpDnsClient } from './dns-udp';
import { runProcess } from './run-process';

/** dnsperf -c: client sockets (the figure STACK.md's dnsmasq anchor was measured with). */
const CLIENTS = 4;
/** dnsperf -q: queries in flight at once, over all clients (dnsperf's default). */
const OUTSTANDING = 100;
/** dnsperf -t: seconds after which an unanswered query counts as lost. */
const LOST_AFTER_SECONDS = 2;
const SECONDS = Number(process.env.BENCH_DNS_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_DNS_WARMUP_SECONDS ?? 5);
const TRIALS = Number(process.env.BENCH_DNS_TRIALS ?? 5);
/** Passes over the questions per cold trial: each pass resolves every question once from an empty cache. */
const COLD_PASSES = Number(process.env.BENCH_DNS_COLD_PASSES ?? 10);
/** dnsmasq's cache, in entries: far more than the questions need (its default is 150). */
const DNSMASQ_CACHE_SIZE = 10_000;
/** Where Debian's dnsmasq-base puts it; BENCH_DNS_DNSMASQ names another. */
const DNSMASQ = process.env.BENCH_DNS_DNSMASQ ?? '/usr/sbin/dnsmasq';
/** How long a server may take to start and answer its first question. */
const SERVER_START_TIMEOUT_MS = 30_000;
/** Port offsets tried before giving up: other programs may hold a port of one. */
const LAB_START_ATTEMPTS = 5;

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

type LabKind = 'lab-on' | 'lab-off';
type TargetKind = LabKind | 'dnsmasq' | 'node';

const TARGET_NAMES: Record<TargetKind, string> = {
  'lab-on': 'lab, capture on',
  'lab-off': 'lab, capture off',
  dnsmasq: 'dnsmasq (cache)',
  node: 'node dgram',
};

/** Messages between this process and a lab process. */
type LabOp = 'settle' | 'flush' | 'stats';
type ToLab = { type: 'call'; id: number; op: LabOp } | { type: 'stop' };
type FromLab = { type: 'ready'; port: number; portOffset: number } | { type: 'result'; id: number; stats?: ResolverStats } | { type: 'failed'; message: string };

export interface LoadResult {
  sent: number;
  completed: number;
  lost: number;
  seconds: number;
  /** Answers per second over `seconds`. */
  qps: number;
  rcodes: Record<string, number>;
  meanMs: number;
}

export type LoadTool = 'dnsperf' | 'dns-load';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

// ---- the lab processes ----

async function startLabOnFreePorts(dir: string, capture: boolean): Promise<{ lab: Lab; port: number }> {
  let why = '';
  for (let attempt = 0; attempt < LAB_START_ATTEMPTS; attempt++) {
    const portOffset = 20_000 + Math.floor(Math.random() * 200) * 100;
    const lab = await Lab.start({ dataDir: dir, contentDir: defaultContentDir(), portOffset, capture });
    // The resolver and every name server it walks must listen.
    const dns = lab.serviceInfos().filter((s) => s.protocol === 'dns');
    const down = dns.filter((s) => s.state !== 'listening');
    const resolver = await lab.api.getResolver();
    if (dns.length > 0 && down.length === 0 && resolver.port > 0) return { lab, port: resolver.port };
    why = down.map((s) => `${s.id}: ${s.error ?? s.state}`).join('; ') || 'no DNS services';
    await lab.stop();
  }
  throw new Error(`the lab's DNS servers did not all start after ${LAB_START_ATTEMPTS} port offsets: ${why}`);
}

/** The body of a lab process: start, say where the resolver listens, answer calls, stop when told. */
async function serveLab(kind: LabKind): Promise<void> {
  const send = (m: FromLab) => process.send?.(m);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-bench-dns-'));
  try {
    const { lab, port } = await startLabOnFreePorts(dir, kind === 'lab-on');
    process.on('message', (m: ToLab) => {
      if (m.type === 'stop') {
        void lab.stop().finally(() => {
          fs.rmSync(dir, { recursive: true, force: true });
          process.exit(0);
        });
        return;
      }
      const done = (stats?: ResolverStats) => send({ type: 'result', id: m.id, ...(stats ? { stats } : {}) });
      // The capture answers a snapshot only once it has recorded every event before the request.
      if (m.op === 'settle') void lab.api.getSnapshot().then(() => done());
      else if (m.op === 'flush') void lab.api.flushResolverCache(null).then(() => done());
      else void lab.api.getResolver().then((state) => done(state.stats));
    });
    send({ type: 'ready', port, portOffset: lab.portOffset });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
}

interface Target {
  kind: TargetKind;
  name: string;
  /** Where it answers, UDP on 127.0.0.1. */
  port: number;
  /** Resolves once the server has done all the work the load gave it (the capture caught up). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

interface LabTarget extends Target {
  portOffset: number;
  flush(): Promise<void>;
  stats(): Promise<ResolverStats>;
}

/** A lab process, or (kind 'node', `extra` its upstream port) the Node responder's; the latter has no resolver to flush or count. */
function startLab(kind: LabKind | 'node', extra: string[] = []): Promise<LabTarget> {
  const child: ChildProcess = fork(path.join(root, 'bin/run-ts.mjs'), [fileURLToPath(import.meta.url), '--serve', kind, ...extra], { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 1;
  const waiting = new Map<number, (stats?: ResolverStats) => void>();
  const call = (op: LabOp) =>
    new Promise<ResolverStats | undefined>((done) => {
      const id = nextId++;
      waiting.set(id, (stats) => {
        waiting.delete(id);
        done(stats);
      });
      child.send({ type: 'call', id, op } satisfies ToLab);
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the ${TARGET_NAMES[kind]} lab did not start within ${SERVER_START_TIMEOUT_MS} ms`));
    }, SERVER_START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`the ${TARGET_NAMES[kind]} lab exited (${code}) before it was ready`)));
    child.on('message', (m: FromLab) => {
      if (m.type === 'failed') reject(new Error(`the ${TARGET_NAMES[kind]} lab failed: ${m.message}`));
      else if (m.type === 'result') waiting.get(m.id)?.(m.stats);
      else if (m.type === 'ready') {
        clearTimeout(timer);
        resolve({
          kind,
          name: TARGET_NAMES[kind],
          port: m.port,
          portOffset: m.portOffset,
          settle: async () => void (await call('settle')),
          flush: async () => void (await call('flush')),
          stats: async () => (await call('stats'))!,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.send({ type: 'stop' } satisfies ToLab);
            }),
        });
      }
    });
  });
}

// ---- the bare Node responder (context) ----

/** The answers of the benchmark questions, by `name|type` (name in lower case, no final dot, as dns-packet writes it). */
type AnswerTable = Map<string, dnsPacket.Answer[]>;

const answerKey = (name: string, type: string) => `${name.toLowerCase().replace(/\.$/, '')}|${type}`;

/** Asks `upstreamPort` every benchmark question once, with dns-packet, and keeps the answers. */
async function fillAnswerTable(upstreamPort: number): Promise<AnswerTable> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const table: AnswerTable = new Map();
  try {
    for (const [i, q] of BENCH_DNS_QUESTIONS.entries()) {
      const query = dnsPacket.encode({ type: 'query', id: i + 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: q.type, name: q.name, class: 'IN' }] });
      const reply = await new Promise<dnsPacket.DecodedPacket>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to ${q.name} ${q.type} from 127.0.0.1:${upstreamPort}`)), SERVER_START_TIMEOUT_MS);
        socket.once('message', (msg) => {
          clearTimeout(timer);
          resolve(dnsPacket.decode(msg));
        });
        socket.send(query, upstreamPort, '127.0.0.1');
      });
      table.set(answerKey(q.name, q.type), reply.answers ?? []);
    }
  } finally {
    socket.close();
  }
  return table;
}

/** The body of the Node responder process: a dgram socket answering from the table, nothing else. */
async function serveNode(upstreamPort: number): Promise<void> {
  const send = (m: FromLab) => process.send?.(m);
  try {
    const table = await fillAnswerTable(upstreamPort);
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg, rinfo) => {
      let query: dnsPacket.DecodedPacket;
      try {
        query = dnsPacket.decode(msg);
      } catch {
        return;
      }
      const q = query.questions?.[0];
      const answers = q ? table.get(answerKey(q.name, q.type)) : undefined;
      const reply = dnsPacket.encode({
        type: 'response',
        id: query.id,
        flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (answers ? 0 : 3), // NXDOMAIN for a name not in the table
        questions: query.questions,
        answers: answers ?? [],
      });
      socket.send(reply, rinfo.port, rinfo.address);
    });
    const port = await new Promise<number>((r) => socket.bind(0, '127.0.0.1', () => r(socket.address().port)));
    process.on('message', (m: ToLab) => {
      if (m.type === 'stop') socket.close(() => process.exit(0));
      else send({ type: 'result', id: m.id });
    });
    send({ type: 'ready', port, portOffset: 0 });
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
}

// ---- dnsmasq ----

function dnsmasqAvailable(): boolean {
  return !spawnSync(DNSMASQ, ['--version'], { encoding: 'utf8' }).error;
}

/** A port free for both UDP and TCP on 127.0.0.1 right now (dnsmasq listens on both). */
async function freeDnsPort(): Promise<number> {
  for (;;) {
    const udp = dgram.createSocket('udp4');
    const port = await new Promise<number>((r) => udp.bind(0, '127.0.0.1', () => r(udp.address().port)));
    const tcpFree = await new Promise<boolean>((r) => {
      const s = net.createServer();
      s.once('error', () => r(false));
      s.listen({ host: '127.0.0.1', port, exclusive: true }, () => s.close(() => r(true)));
    });
    await new Promise<void>((r) => udp.close(() => r()));
    if (tcpFree) return port;
  }
}

/** Asks `question` until the server answers, for a server that was just started. */
async function waitUntilAnswering(port: number, question: BenchQuestion, child: ChildProcess, what: string, output: () => string): Promise<void> {
  const client = new UdpDnsClient(port);
  const deadline = performance.now() + SERVER_START_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) before it answered: ${output().trim()}`);
      try {
        await client.ask(question.name, typeCodeOf(question), 200);
        return;
      } catch (err) {
        if (performance.now() > deadline) throw new Error(`${what} did not answer within ${SERVER_START_TIMEOUT_MS} ms: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } finally {
    client.close();
  }
}

/** dnsmasq in the foreground on a free loopback port, forwarding to `upstreamPort` (the lab's resolver) with a cache. */
async function startDnsmasq(upstreamPort: number): Promise<Target> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-bench-dnsmasq-'));
  const port = await freeDnsPort();
  const args = [
    '--keep-in-foreground',
    '--conf-file=/dev/null', // none of the machine's own configuration
    '--no-resolv', // upstream: only the --server below
    '--no-hosts',
    '--no-poll',
    '--listen-address=127.0.0.1',
    '--bind-interfaces',
    `--port=${port}`,
    `--server=127.0.0.1#${upstreamPort}`,
    `--cache-size=${DNSMASQ_CACHE_SIZE}`,
    // dnsmasq caches A, AAAA, CNAME and PTR by itself; since 2.90 other types on request.
    '--cache-rr=MX',
    `--pid-file=${path.join(dir, 'dnsmasq.pid')}`,
    '--log-facility=-',
  ];
  const child = spawn(DNSMASQ, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const stop = () =>
    new Promise<void>((done) => {
      const finish = () => {
        fs.rmSync(dir, { recursive: true, force: true });
        done();
      };
      if (child.exitCode !== null || child.signalCode !== null) return finish();
      child.once('exit', finish);
      child.kill('SIGTERM');
    });
  try {
    await waitUntilAnswering(port, BENCH_DNS_QUESTIONS[0], child, 'dnsmasq', () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { kind: 'dnsmasq', name: TARGET_NAMES.dnsmasq, port, settle: async () => {}, stop };
}

// ---- the load ----

export function dnsperfAvailable(): boolean {
  if (process.env.BENCH_DNS_LOAD === 'node') return false;
  return !spawnSync('dnsperf', ['-h'], { encoding: 'utf8' }).error;
}

export function parseDnsperf(out: string): LoadResult {
  const num = (re: RegExp) => {
    const m = re.exec(out);
    if (!m) throw new Error(`dnsperf printed no ${re.source}:\n${out}`);
    return Number(m[1]);
  };
  const sent = num(/Queries sent:\s+(\d+)/);
  const completed = num(/Queries completed:\s+(\d+)/);
  const lost = num(/Queries lost:\s+(\d+)/);
  const seconds = num(/Run time \(s\):\s+([\d.]+)/);
  const meanMs = num(/Average Latency \(s\):\s+([\d.]+)/) * 1000;
  const rcodes: Record<string, number> = {};
  const line = /Response codes:\s+(.*)$/m.exec(out)?.[1] ?? '';
  for (const m of line.matchAll(/([A-Z][A-Z0-9]*) (\d+) \(/g)) rcodes[m[1]] = Number(m[2]);
  return { sent, completed, lost, seconds, qps: completed / seconds, rcodes, meanMs };
}

export async function load(tool: LoadTool, port: number, dataFile: string, seconds: number): Promise<LoadResult> {
  if (tool === 'dnsperf') {
    return parseDnsperf(
      await runProcess('dnsperf', ['-s', '127.0.0.1', '-p', String(port), '-d', dataFile, '-l', String(seconds), '-c', String(CLIENTS), '-q', String(OUTSTANDING), '-t', String(LOST_AFTER_SECONDS)], root),
    );
  }
  const out = await runProcess(process.execPath, [path.join(root, 'bin/run-ts.mjs'), path.join(here, 'dns-load.ts'), String(port), dataFile, String(CLIENTS), String(OUTSTANDING), String(seconds)], root);
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Omit<LoadResult, 'qps'>;
  return { ...r, qps: r.completed / r.seconds };
}

/** Asks every question once and checks the answer: NOERROR with records (this also fills a cold cache). */
async function checkAnswers(target: Target): Promise<number> {
  const client = new UdpDnsClient(target.port);
  let records = 0;
  try {
    for (const q of BENCH_DNS_QUESTIONS) {
      const { message } = await client.ask(q.name, typeCodeOf(q));
      if (message.flags.rcode !== RCODE.NOERROR || message.answers.length === 0) {
        throw new Error(`${target.name} answered ${q.name} ${q.type} with ${rcodeName(message.flags.rcode)} and ${message.answers.length} records`);
      }
      records += message.answers.length;
    }
  } finally {
    client.close();
  }
  return records;
}

/** One measured run: the load, then the wait until the server has done all its work. */
async function measure(tool: LoadTool, target: Target, dataFile: string, seconds: number): Promise<LoadResult & { settleMs: number }> {
  const result = await load(tool, target.port, dataFile, seconds);
  const t0 = performance.now();
  await target.settle();
  const settleMs = performance.now() - t0;
  const bad = Object.entries(result.rcodes).filter(([code]) => code !== 'NOERROR');
  if (bad.length > 0) throw new Error(`${target.name}: answers other than NOERROR: ${bad.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  return { ...result, qps: result.completed / (result.seconds + settleMs / 1000), settleMs };
}

// ---- cold resolutions ----

interface ColdResult {
  resolutions: number;
  /** Resolutions per second: their count over the time from each query to its answer, plus the capture's catching up. */
  rps: number;
  medianMs: number;
  upstreamPerResolution: number;
  upstreamFailures: number;
}

async function coldTrial(target: LabTarget): Promise<ColdResult> {
  const client = new UdpDnsClient(target.port);
  const times: number[] = [];
  const before = await target.stats();
  try {
    for (let pass = 0; pass < COLD_PASSES; pass++) {
      for (const q of BENCH_DNS_QUESTIONS) {
        await target.flush();
        const { message, ms } = await client.ask(q.name, typeCodeOf(q));
        if (message.flags.rcode !== RCODE.NOERROR || message.answers.length === 0) throw new Error(`${target.name}: a cold ${q.name} ${q.type} came back ${rcodeName(message.flags.rcode)} with ${message.answers.length} records`);
        times.push(ms);
      }
    }
  } finally {
    client.close();
  }
  const t0 = performance.now();
  await target.settle();
  const settleMs = performance.now() - t0;
  const after = await target.stats();
  const total = times.reduce((a, b) => a + b, 0) + settleMs;
  return {
    resolutions: times.length,
    rps: (times.length / total) * 1000,
    medianMs: median(times),
    upstreamPerResolution: (after.upstreamQueries - before.upstreamQueries) / times.length,
    upstreamFailures: after.upstreamFailures - before.upstreamFailures,
  };
}

// ---- the run ----

type Row = readonly [string, string];

function printRows(title: string, rows: readonly Row[]): void {
  console.log(`\n${title}`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(62)} ${value.padStart(10)}`);
}

export async function runDnsBench(): Promise<void> {
  const tool: LoadTool = dnsperfAvailable() ? 'dnsperf' : 'dns-load';
  const withDnsmasq = dnsmasqAvailable();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-bench-dns-queries-'));
  const dataFile = path.join(dir, 'queries.txt');
  fs.writeFileSync(dataFile, dnsperfDataFile());
  console.log(
    `bench dns: ${os.cpus().length} cores, node ${process.version}, load average ${loadAverage()}\n` +
      `  ${BENCH_DNS_QUESTIONS.length} questions (${BENCH_DNS_QUESTIONS.map((q) => `${q.name} ${q.type}`).join(', ')})\n` +
      `  cached: ${SECONDS} s per trial, ${TRIALS} trials after ${WARMUP_SECONDS} s of warm-up each, every server in its own process\n` +
      (tool === 'dnsperf'
        ? `  load: dnsperf -c ${CLIENTS} -q ${OUTSTANDING} -t ${LOST_AFTER_SECONDS} -l ${SECONDS}`
        : `  load: bench/dns-load.ts in its own process, not dnsperf (${process.env.BENCH_DNS_LOAD === 'node' ? 'BENCH_DNS_LOAD=node' : 'dnsperf is not installed; apt-get install dnsperf for the figures issue 4 asks for'})`) +
      (withDnsmasq ? '' : `\n  dnsmasq is not installed (${DNSMASQ}; apt-get install dnsmasq-base): no dnsmasq baseline in this run, the lab's own figures only`),
  );

  const labs: LabTarget[] = [];
  const started: Target[] = [];
  try {
    for (const kind of ['lab-on', 'lab-off'] as const) {
      const lab = await startLab(kind);
      labs.push(lab);
      started.push(lab);
    }
    const [on, off] = labs;
    // The lab resolvers fill their caches first: dnsmasq's first questions go through one of them.
    for (const t of labs) {
      const records = await checkAnswers(t);
      console.log(`  ${t.name.padEnd(18)} port ${t.port} (offset ${t.portOffset}): NOERROR to all ${BENCH_DNS_QUESTIONS.length} questions, ${records} records`);
    }
    let dnsmasq: Target | null = null;
    if (withDnsmasq) {
      dnsmasq = await startDnsmasq(off.port);
      started.push(dnsmasq);
      const records = await checkAnswers(dnsmasq);
      console.log(`  ${dnsmasq.name.padEnd(18)} port ${dnsmasq.port}, forwarding to ${off.name} on ${off.port}: NOERROR to all ${BENCH_DNS_QUESTIONS.length} questions, ${records} records`);
    }
    const node = await startLab('node', [String(off.port)]);
    started.push(node);
    const nodeRecords = await checkAnswers(node);
    console.log(`  ${node.name.padEnd(18)} port ${node.port}, answers from a table filled from ${off.name}: NOERROR to all ${BENCH_DNS_QUESTIONS.length} questions, ${nodeRecords} records`);
    const targets: Target[] = dnsmasq ? [on, off, dnsmasq, node] : [on, off, node];
    for (const t of targets) await measure(tool, t, dataFile, WARMUP_SECONDS);

    // From here on every answer must come from a cache: the labs ask no other server, and dnsmasq
    // forwards nothing to the lab it sits in front of.
    const statsBefore = new Map<LabTarget, ResolverStats>();
    for (const l of labs) statsBefore.set(l, await l.stats());
    let forwardedByDnsmasq = 0;
    const qps = new Map<Target, number[]>(targets.map((t) => [t, []]));
    let lost = 0;
    for (let i = 0; i < TRIALS; i++) {
      const order = targets.map((_, k) => targets[(i + k) % targets.length]);
      const parts: string[] = [];
      for (const t of order) {
        const upstreamBefore = t === dnsmasq ? (await off.stats()).queries : 0;
        const r = await measure(tool, t, dataFile, SECONDS);
        if (t === dnsmasq) forwardedByDnsmasq += (await off.stats()).queries - upstreamBefore;
        qps.get(t)!.push(r.qps);
        lost += r.lost;
        const extra = `${t.kind === 'lab-on' ? `, capture caught up ${r.settleMs.toFixed(0)} ms after` : ''}${r.lost ? `, ${r.lost} lost` : ''}`;
        parts.push(`${t.name} ${r.qps.toFixed(0)}/s (mean latency ${r.meanMs.toFixed(2)} ms${extra})`);
      }
      console.log(`  trial ${i + 1} [load average ${loadAverage()}]: ${parts.join('; ')}`);
    }
    const upstreamDuring = await Promise.all(labs.map(async (l) => (await l.stats()).upstreamQueries - statsBefore.get(l)!.upstreamQueries));

    // Cold: rotate lab-on / lab-off so both see the same drift.
    const cold = new Map<LabTarget, ColdResult[]>(labs.map((l) => [l, []]));
    for (const l of labs) await coldTrial(l); // warm-up of the walk's code paths
    for (let i = 0; i < TRIALS; i++) {
      const parts: string[] = [];
      for (const l of i % 2 === 0 ? labs : [...labs].reverse()) {
        const r = await coldTrial(l);
        if (r.upstreamFailures > 0) throw new Error(`${l.name}: ${r.upstreamFailures} upstream queries failed during a cold trial`);
        cold.get(l)!.push(r);
        parts.push(`${l.name} ${r.rps.toFixed(0)}/s (median ${r.medianMs.toFixed(2)} ms, ${r.upstreamPerResolution.toFixed(2)} upstream queries each)`);
      }
      console.log(`  cold trial ${i + 1} [load average ${loadAverage()}]: ${parts.join('; ')}`);
    }

    const onQps = median(qps.get(on)!);
    const offQps = median(qps.get(off)!);
    const maskQps = dnsmasq ? median(qps.get(dnsmasq)!) : Number.NaN;
    const nodeQps = median(qps.get(node)!);
    const cachedRows: Row[] = [
      ['lab, capture on (answers/s)', onQps.toFixed(0)],
      ['lab, capture off (answers/s)', offQps.toFixed(0)],
      ...(dnsmasq ? ([['dnsmasq, from its cache (answers/s)', maskQps.toFixed(0)]] as Row[]) : []),
      ['node dgram + dns-packet, from a table (answers/s, context)', nodeQps.toFixed(0)],
      ['capture on / capture off', (onQps / offQps).toFixed(3)],
      ['  capture overhead', `${((1 - onQps / offQps) * 100).toFixed(1)} %`],
      ["  same, median of the trials' own ratios", median(qps.get(on)!.map((x, i) => x / qps.get(off)![i])).toFixed(3)],
      ...(dnsmasq
        ? ([
            ['capture on / dnsmasq', (onQps / maskQps).toFixed(3)],
            ['  capture off / dnsmasq (context)', (offQps / maskQps).toFixed(3)],
          ] as Row[])
        : []),
      ['capture off / node dgram (context: lab code vs Node alone)', (offQps / nodeQps).toFixed(3)],
      ['capture on / node dgram (context)', (onQps / nodeQps).toFixed(3)],
      [`upstream queries by the labs during the trials (on, off)`, upstreamDuring.join(', ')],
      ...(dnsmasq ? ([['queries dnsmasq forwarded to the lab during its trials', String(forwardedByDnsmasq)]] as Row[]) : []),
      ['queries lost (all trials, all servers)', String(lost)],
    ];
    const coldOf = (l: LabTarget) => cold.get(l)!;
    const coldRps = (l: LabTarget) => median(coldOf(l).map((r) => r.rps));
    const coldRows: Row[] = [
      ['lab, capture on (resolutions/s)', coldRps(on).toFixed(0)],
      ['lab, capture off (resolutions/s)', coldRps(off).toFixed(0)],
      ['capture on / capture off', (coldRps(on) / coldRps(off)).toFixed(3)],
      ['median time per resolution, capture on / off (ms)', `${median(coldOf(on).map((r) => r.medianMs)).toFixed(2)} / ${median(coldOf(off).map((r) => r.medianMs)).toFixed(2)}`],
      ['upstream queries per resolution (mean)', median(coldOf(on).map((r) => r.upstreamPerResolution)).toFixed(2)],
    ];
    const via = tool === 'dnsperf' ? 'dnsperf' : 'bench/dns-load.ts';
    printRows(`result: cached answers over UDP (${via}, median of ${TRIALS}, load average ${loadAverage()})`, cachedRows);
    if (upstreamDuring.some((n) => n > 0) || forwardedByDnsmasq > 0) {
      console.log('  NOT ALL CACHED: a server asked upstream during the trials, so these figures mix cached and fresh answers');
    }
    printRows(`result: cold iterative resolutions (cache flushed before each, ${COLD_PASSES * BENCH_DNS_QUESTIONS.length} per trial, median of ${TRIALS})`, coldRows);
  } finally {
    await Promise.all(started.map((t) => t.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1) {
  const kind = process.argv[serveAt + 1];
  if (kind === 'node') await serveNode(Number(process.argv[serveAt + 2]));
  else await serveLab(kind as LabKind);
}
else if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runDnsBench();
