// `npm run bench:http` (and the end of `npm run bench`): the HTTP speed target of issue 3.
// Keep-alive requests per second on a 1 KiB page, measured in one run against three servers:
//
//   node http     Node's built-in `http.createServer` sending the same 1 KiB from memory with
//                 as many header fields (the baseline; target: lab capture on / node >= 1.0)
//   capture off   the lab's web server (engine + site layer, the page a file in a site folder)
//   capture on    the same with the capture recording every byte (target: overhead <= 15 %)
//
// Each server runs in a process of its own (this file with --serve), so none shares an event
// loop, a heap or a garbage collector with another server or with the load. The load comes from
// wrk (`wrk -t2 -c50 -d10s --latency`; keep-alive is its default) when it is installed, else from
// bench/http-load.ts (the same shape: 50 keep-alive connections, one request at a time on each;
// slower than wrk, for every server alike). Every server is warmed up first; the trials rotate
// the order so that drift in the machine's load hits every side alike, and the result is the
// median of the trials. A capture-on trial counts until the capture has recorded every byte of
// it, not only until the load stopped.
//
// For context it also prints each server's CPU time per request (Linux, from /proc; the socket
// thread and the process's other threads apart, bench/thread-cpu.ts): on a machine with few cores
// the load generator, the server and the capture worker take turns on them, and requests per second
// say as much about that sharing as about what each costs.
//
// The lab keeps its own limits: it closes a connection after HTTP_MAX_REQUESTS_PER_CONNECTION
// requests (Keep-Alive max=1000, nginx's keepalive_requests), so its clients reconnect every 1000
// requests while Node's server keeps a connection for ever. A context line measures Node with the
// same limit.

import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Lab, defaultContentDir } from '../src/main/lab/lab';
import { HTTP_MAX_REQUESTS_PER_CONNECTION } from '../src/protocols/http/limits';
import { runProcess } from './run-process';
import { cpuBetween, threadCpu, type ThreadCpu } from './thread-cpu';

/** Size of the page every server sends (issue 3: "a 1 KiB page"). */
const PAGE_BYTES = 1024;
export const PAGE_NAME = 'bench-1k.html';
/** The site the page is put in, and the Host every request names. */
export const SITE_HOST = 'gaia.cs.umass.edu';
const CONNECTIONS = 50;
const WRK_THREADS = 2;
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_HTTP_WARMUP_SECONDS ?? 5);
const TRIALS = Number(process.env.BENCH_HTTP_TRIALS ?? 5);
const VS_NODE_TARGET = 1.0;
const OVERHEAD_TARGET = 0.15;
/** How long a server process may take to start and say where it listens. */
const SERVER_START_TIMEOUT_MS = 30_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

type ServerKind = 'node' | 'node-capped' | 'lab-off' | 'lab-on';

const SERVER_NAMES: Record<ServerKind, string> = {
  node: 'node http',
  'node-capped': `node http, max ${HTTP_MAX_REQUESTS_PER_CONNECTION}/conn`,
  'lab-off': 'lab, capture off',
  'lab-on': 'lab, capture on',
};

/** Messages between this process and a server process. */
type ToServer = { type: 'settle'; id: number } | { type: 'stop' };
type FromServer = { type: 'ready'; port: number } | { type: 'settled'; id: number } | { type: 'failed'; message: string };

interface LoadResult {
  requests: number;
  seconds: number;
  /** Requests per second over `seconds`. */
  rps: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

type LoadTool = 'wrk' | 'http-load';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

/** An HTML page of exactly PAGE_BYTES bytes. */
export function benchPage(): Buffer {
  const head = '<!DOCTYPE html>\n<html><head><title>A 1 KiB page</title></head><body>\n<p>';
  const tail = '</p>\n</body></html>\n';
  const words = 'This page is exactly one kibibyte long, so that the benchmark measures the server and not the size of the body. ';
  let filler = '';
  while (head.length + filler.length + tail.length < PAGE_BYTES) filler += words;
  filler = filler.slice(0, PAGE_BYTES - head.length - tail.length);
  const page = Buffer.from(head + filler + tail, 'latin1');
  if (page.length !== PAGE_BYTES) throw new Error(`the bench page is ${page.length} bytes, not ${PAGE_BYTES}`);
  return page;
}

/**
 * One keep-alive GET of the page and the lab's response to it, byte for byte as the capture sees
 * them (for the benches of the capture's parts without sockets: recorder-cpu.ts, framer-cpu.ts).
 */
export function keepAliveExchange(): { request: Buffer; response: Buffer } {
  const page = benchPage();
  const request = Buffer.from(`GET /${PAGE_NAME} HTTP/1.1\r\nHost: ${SITE_HOST}\r\n\r\n`, 'latin1');
  const date = new Date().toUTCString();
  const head = `HTTP/1.1 200 OK\r\nDate: ${date}\r\nServer: Protolab-httpd/1.0\r\nLast-Modified: ${date}\r\nETag: "400-19a1b2c3d4e"\r\nAccept-Ranges: bytes\r\nContent-Length: ${page.length}\r\nKeep-Alive: timeout=5, max=999\r\nConnection: keep-alive\r\nContent-Type: text/html; charset=utf-8\r\n\r\n`;
  return { request, response: Buffer.concat([Buffer.from(head, 'latin1'), page]) };
}

// ---- the server processes ----

async function serveNode(capped: boolean): Promise<{ port: number; settle: () => Promise<void> }> {
  const page = benchPage();
  // The fields a lab static file response carries (Date, Connection and Keep-Alive are added by
  // Node itself), so both send a head of about the same size.
  const lastModified = new Date(Math.floor(Date.now() / 1000) * 1000);
  const headers = {
    Server: 'node-http-bench',
    'Last-Modified': lastModified.toUTCString(),
    ETag: `"${page.length.toString(16)}-${lastModified.getTime().toString(16)}"`,
    'Accept-Ranges': 'bytes',
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(page.length),
  };
  const server = http.createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(page);
  });
  if (capped) server.maxRequestsPerSocket = HTTP_MAX_REQUESTS_PER_CONNECTION;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as { port: number }).port, settle: async () => {} };
}

/** Port offsets tried before giving up: other programs (tests run alongside) may hold a port of one. */
const LAB_START_ATTEMPTS = 5;

async function startLabOnFreePorts(dir: string, capture: boolean): Promise<{ lab: Lab; port: number }> {
  let why = '';
  for (let attempt = 0; attempt < LAB_START_ATTEMPTS; attempt++) {
    const portOffset = 20_000 + Math.floor(Math.random() * 20_000);
    const lab = await Lab.start({ dataDir: dir, contentDir: defaultContentDir(), portOffset, capture });
    const service = lab.serviceInfos().find((s) => s.protocol === 'http' && s.hostname === SITE_HOST);
    if (service?.state === 'listening') return { lab, port: service.port };
    why = service?.error ?? 'no such service';
    await lab.stop();
  }
  throw new Error(`the ${SITE_HOST} web server did not start after ${LAB_START_ATTEMPTS} port offsets: ${why}`);
}

async function serveLab(capture: boolean): Promise<{ port: number; settle: () => Promise<unknown>; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-bench-http-'));
  const { lab, port } = await startLabOnFreePorts(dir, capture).catch((err: unknown) => {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  fs.writeFileSync(path.join(lab.data.worldDir, 'sites', SITE_HOST, PAGE_NAME), benchPage());
  return {
    port,
    // The capture answers a snapshot only once it has recorded every event before the request.
    settle: () => lab.api.getSnapshot(),
    stop: async () => {
      await lab.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The body of a server process: start, say where, answer settle requests, stop when told. */
async function serve(kind: ServerKind): Promise<void> {
  const send = (m: FromServer) => process.send?.(m);
  try {
    const server = kind === 'node' || kind === 'node-capped' ? { ...(await serveNode(kind === 'node-capped')), stop: async () => {} } : await serveLab(kind === 'lab-on');
    process.on('message', (m: ToServer) => {
      if (m.type === 'settle') void server.settle().then(() => send({ type: 'settled', id: m.id }));
      else void server.stop().finally(() => process.exit(0));
    });
    send({ type: 'ready', port: server.port });
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
}

interface Target {
  kind: ServerKind;
  name: string;
  port: number;
  /** The server's process, for its threads' CPU time. */
  pid: number;
  /** Resolves once the server has done all the work the load gave it (the capture caught up). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

function startServer(kind: ServerKind): Promise<Target> {
  const child: ChildProcess = fork(path.join(root, 'bin/run-ts.mjs'), [fileURLToPath(import.meta.url), '--serve', kind], { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 1;
  const waiting = new Map<number, () => void>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the ${SERVER_NAMES[kind]} server did not start within ${SERVER_START_TIMEOUT_MS} ms`));
    }, SERVER_START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`the ${SERVER_NAMES[kind]} server exited (${code}) before it was ready`)));
    child.on('message', (m: FromServer) => {
      if (m.type === 'failed') reject(new Error(`the ${SERVER_NAMES[kind]} server failed: ${m.message}`));
      else if (m.type === 'settled') waiting.get(m.id)?.();
      else if (m.type === 'ready') {
        clearTimeout(timer);
        resolve({
          kind,
          name: SERVER_NAMES[kind],
          port: m.port,
          pid: child.pid!,
          settle: () =>
            new Promise<void>((done) => {
              const id = nextId++;
              waiting.set(id, () => {
                waiting.delete(id);
                done();
              });
              child.send({ type: 'settle', id } satisfies ToServer);
            }),
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.send({ type: 'stop' } satisfies ToServer);
            }),
        });
      }
    });
  });
}

// ---- the load ----

function wrkAvailable(): boolean {
  if (process.env.BENCH_HTTP_LOAD === 'node') return false;
  return !spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error;
}

/** `1.23ms` / `850.00us` / `1.02s` -> ms. */
function wrkDurationMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

function parseWrk(out: string): LoadResult {
  const total = /(\d+) requests in ([\d.]+)(ms|s|m),/.exec(out);
  if (!total) throw new Error(`wrk printed no request count:\n${out}`);
  const seconds = Number(total[2]) * (total[3] === 'ms' ? 0.001 : total[3] === 'm' ? 60 : 1);
  const requests = Number(total[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  const p50 = /^\s+50%\s+(\S+)$/m.exec(out)?.[1];
  const p99 = /^\s+99%\s+(\S+)$/m.exec(out)?.[1];
  return { requests, seconds, rps: requests / seconds, non2xx, errors, p50Ms: p50 ? wrkDurationMs(p50) : Number.NaN, p99Ms: p99 ? wrkDurationMs(p99) : Number.NaN };
}

async function load(tool: LoadTool, port: number, seconds: number): Promise<LoadResult> {
  if (tool === 'wrk') {
    return parseWrk(await runProcess('wrk', [`-t${WRK_THREADS}`, `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-H', `Host: ${SITE_HOST}`, `http://127.0.0.1:${port}/${PAGE_NAME}`], root));
  }
  const out = await runProcess(process.execPath, [path.join(root, 'bin/run-ts.mjs'), path.join(here, 'http-load.ts'), String(port), SITE_HOST, `/${PAGE_NAME}`, String(CONNECTIONS), String(seconds)], root);
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Omit<LoadResult, 'rps'>;
  return { ...r, rps: r.requests / r.seconds };
}

/** One load of `seconds` against `port` with the load tool of the bench (for bench/profile-http.ts). */
export function loadOnce(port: number, seconds: number): Promise<LoadResult> {
  return load(wrkAvailable() ? 'wrk' : 'http-load', port, seconds);
}

/** GETs the page once on a keep-alive connection, as the load will, and checks that it is the 1 KiB page; returns the number of header fields. */
function checkServes(target: Target, page: Buffer): Promise<number> {
  const agent = new http.Agent({ keepAlive: true });
  return new Promise<number>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: target.port, path: `/${PAGE_NAME}`, headers: { Host: SITE_HOST }, agent }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const body = Buffer.concat(parts);
        if (res.statusCode !== 200 || !body.equals(page)) reject(new Error(`${target.name} answered ${res.statusCode} with ${body.length} bytes, not the ${page.length}-byte page`));
        else resolve(res.rawHeaders.length / 2);
      });
    });
    req.on('error', reject);
  }).finally(() => agent.destroy());
}

/** CPU microseconds per request of a server's main (socket) thread and of its other threads. */
interface CpuPerRequest {
  main: number;
  others: number;
}

/** One measured run: the load, then the wait until the server has done all its work. */
async function measure(tool: LoadTool, target: Target, seconds: number): Promise<LoadResult & { settleMs: number; cpu: CpuPerRequest | null }> {
  const before = threadCpu(target.pid);
  const result = await load(tool, target.port, seconds);
  const t0 = performance.now();
  await target.settle();
  const settleMs = performance.now() - t0;
  const after = threadCpu(target.pid);
  if (result.non2xx > 0) throw new Error(`${target.name}: ${result.non2xx} responses were not 2xx or 3xx`);
  const used: ThreadCpu | null = before && after ? cpuBetween(before, after) : null;
  const cpu = used && result.requests > 0 ? { main: (used.main * 1e6) / result.requests, others: (used.others * 1e6) / result.requests } : null;
  return { ...result, rps: result.requests / (result.seconds + settleMs / 1000), settleMs, cpu };
}

export async function runHttpBench(): Promise<void> {
  const tool: LoadTool = wrkAvailable() ? 'wrk' : 'http-load';
  const page = benchPage();
  console.log(
    `bench http: ${os.cpus().length} cores, node ${process.version}, load average ${loadAverage()}\n` +
      `  page ${PAGE_BYTES} bytes (${PAGE_NAME} in the ${SITE_HOST} site), ${CONNECTIONS} keep-alive connections, ${SECONDS} s per trial, ${TRIALS} trials after ${WARMUP_SECONDS} s of warm-up each, every server in its own process\n` +
      (tool === 'wrk'
        ? `  load: wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${SECONDS}s --latency`
        : `  load: bench/http-load.ts in its own process, not wrk (${process.env.BENCH_HTTP_LOAD === 'node' ? 'BENCH_HTTP_LOAD=node' : 'wrk is not installed; apt-get install wrk for the figures issue 3 compares against'})`),
  );
  const kinds: ServerKind[] = ['node', 'lab-off', 'lab-on', 'node-capped'];
  const started: Target[] = [];
  try {
    for (const kind of kinds) started.push(await startServer(kind));
    for (const t of started) {
      const fields = await checkServes(t, page);
      console.log(`  ${t.name.padEnd(26)} port ${t.port}: 200 with the ${page.length}-byte page and ${fields} header fields`);
    }
    for (const t of started) await measure(tool, t, WARMUP_SECONDS);

    const [node, off, on, nodeCapped] = started;
    const targets = [node, off, on];
    const rps = new Map<Target, number[]>(targets.map((t) => [t, []]));
    const cpu = new Map<Target, CpuPerRequest[]>(targets.map((t) => [t, []]));
    for (let i = 0; i < TRIALS; i++) {
      // Rotate the order: node/off/on, off/on/node, on/node/off, ...
      const order = targets.map((_, k) => targets[(i + k) % targets.length]);
      const parts: string[] = [];
      for (const t of order) {
        const r = await measure(tool, t, SECONDS);
        rps.get(t)!.push(r.rps);
        if (r.cpu) cpu.get(t)!.push(r.cpu);
        const extra = `${t.kind === 'lab-on' ? `, capture caught up ${r.settleMs.toFixed(0)} ms after` : ''}${r.errors ? `, ${r.errors} socket errors` : ''}`;
        parts.push(`${t.name} ${r.rps.toFixed(0)}/s (p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms${extra})`);
      }
      console.log(`  trial ${i + 1} [load average ${loadAverage()}]: ${parts.join('; ')}`);
    }
    // Context, once: Node closing connections after as many requests as the lab does.
    const capped = (await measure(tool, nodeCapped, SECONDS)).rps;

    const nodeRps = median(rps.get(node)!);
    const offRps = median(rps.get(off)!);
    const onRps = median(rps.get(on)!);
    const vsNode = onRps / nodeRps;
    const overhead = 1 - onRps / offRps;
    // Per thread group, the median over the trials.
    const cpuOf = (t: Target): CpuPerRequest | null => {
      const xs = cpu.get(t)!;
      return xs.length === 0 ? null : { main: median(xs.map((c) => c.main)), others: median(xs.map((c) => c.others)) };
    };
    const [nodeCpu, offCpu, onCpu] = [cpuOf(node), cpuOf(off), cpuOf(on)];
    const cpuRows: Array<readonly [string, string, string, boolean | null]> = [];
    if (nodeCpu && offCpu && onCpu) {
      const total = (c: CpuPerRequest) => c.main + c.others;
      const show = (c: CpuPerRequest) => `${total(c).toFixed(1)} (${c.main.toFixed(1)} + ${c.others.toFixed(1)})`;
      cpuRows.push(
        [`  CPU µs per request, all threads (socket thread + the others):`, '', '', null],
        [`    node http ${show(nodeCpu)}, lab capture off ${show(offCpu)}, on ${show(onCpu)}`, '', '', null],
        ['  node http CPU / capture on CPU per request (context)', (total(nodeCpu) / total(onCpu)).toFixed(3), '', null],
      );
    }
    const rows: ReadonlyArray<readonly [string, string, string, boolean | null]> = [
      ['HTTP keep-alive 1 KiB, capture on / node http', vsNode.toFixed(3), `>= ${VS_NODE_TARGET.toFixed(1)}`, vsNode >= VS_NODE_TARGET],
      ['HTTP capture overhead (capture on vs off)', `${(overhead * 100).toFixed(1)} %`, `<= ${OVERHEAD_TARGET * 100} %`, overhead <= OVERHEAD_TARGET],
      [`  medians (req/s): node ${nodeRps.toFixed(0)}, off ${offRps.toFixed(0)}, on ${onRps.toFixed(0)}`, '', '', null],
      ['  capture off / node http (context)', (offRps / nodeRps).toFixed(3), '', null],
      [`  ${nodeCapped.name} (context, req/s)`, capped.toFixed(0), '', null],
      ['  capture on / that (context)', (onRps / capped).toFixed(3), '', null],
      ...cpuRows,
    ];
    console.log(`\nresult (${tool}, median of ${TRIALS}, load average ${loadAverage()})`);
    for (const [name, value, target, ok] of rows) {
      const verdict = ok === null ? '' : `  target ${target.padEnd(9)} ${ok ? 'ok' : 'MISSED'}`;
      console.log(`  ${name.padEnd(52)} ${value.padStart(10)}${verdict}`);
    }
  } finally {
    await Promise.all(started.map((t) => t.stop()));
  }
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1) await serve(process.argv[serveAt + 1] as ServerKind);
else if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runHttpBench();
