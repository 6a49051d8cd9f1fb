// `npm run bench`: speed targets as ratios against baselines measured in the same run, so a noisy
// machine moves both sides together. Prints one line per measurement and a summary table.
//
//   tap overhead   echo stream through the lab with capture on vs capture off (target < 15 %)
//   ready time     Lab.start() until every service of the world listens (target < 300 ms)
//
// For context it also prints the CPU time per MiB of this process's main thread (the client and
// the lab's sockets), of its other threads, and of the capture worker alone (the busiest of them),
// with the ceiling that the worker's CPU puts on the on/off ratio: the worker records both
// directions of every byte, so capture on cannot settle faster than it, even on a core of its own.
// And it streams through Node's own echo server (socket.pipe(socket)) in the same run: what
// loopback and Node give at all, before any lab code.
//
// The tap overhead is the steady state: each lab first streams WARMUP_BYTES (the capture worker
// is a fresh thread per lab, so its code is not yet optimized), and a measured stream counts until
// the capture has recorded all of it, not only until the echo came back. A stream shorter than the
// event ring would otherwise finish while the worker still had most of it to record (the ring is
// as large as a whole trial), and the backlog would not be counted. The echo-only figure is shown
// as well.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Lab, defaultContentDir } from '../src/main/lab/lab';
import { cpuBetween, threadCpu, type ThreadCpu } from './thread-cpu';

/** Bytes pushed through the echo service per trial. */
const STREAM_BYTES = Number(process.env.BENCH_STREAM_MB ?? 64) * 1024 * 1024;
/** Bytes streamed through each lab before its measured stream, to warm its threads' code. */
const WARMUP_BYTES = 16 * 1024 * 1024;
/** Size of each write; lines of this length end in CRLF so the echo framer cuts real messages. */
const LINE_BYTES = 16 * 1024;
const TRIALS = Number(process.env.BENCH_TRIALS ?? 5);
const READY_TRIALS = 10;
const OVERHEAD_TARGET = 0.15;
const READY_TARGET_MS = 300;

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-bench-'));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface StreamRate {
  /** MiB/s until the last byte came back. */
  echoed: number;
  /** MiB/s until the last byte came back and `settled` resolved (the capture recorded it all). */
  settled: number;
  /** CPU ms per MiB streamed, this process's main thread (client and lab sockets), its other threads (the capture worker, V8's and libuv's helpers) and the busiest of those (the worker); null off Linux. */
  cpu: ThreadCpu | null;
}

/**
 * Streams `bytes` to an echo server and waits until all of it came back, then for `settle` (a
 * capture catching up); returns the rates up to either point.
 */
async function echoStream(port: number, bytes = STREAM_BYTES, settle?: () => Promise<unknown>): Promise<StreamRate> {
  const line = Buffer.alloc(LINE_BYTES, 'a');
  line[LINE_BYTES - 2] = 0x0d;
  line[LINE_BYTES - 1] = 0x0a;
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise((r) => socket.once('connect', r));
  const cpuBefore = threadCpu(process.pid);
  const start = performance.now();
  let received = 0;
  const done = new Promise<void>((resolve) => {
    socket.on('data', (chunk) => {
      received += chunk.length;
      if (received >= bytes) resolve();
    });
  });
  let sent = 0;
  while (sent < bytes) {
    if (!socket.write(line)) await new Promise((r) => socket.once('drain', r));
    sent += line.length;
  }
  await done;
  const echoed = (performance.now() - start) / 1000;
  await settle?.();
  const settled = (performance.now() - start) / 1000;
  const cpuAfter = threadCpu(process.pid);
  socket.destroy();
  const mb = bytes / 1024 / 1024;
  const used = cpuBefore && cpuAfter ? cpuBetween(cpuBefore, cpuAfter) : null;
  return { echoed: mb / echoed, settled: mb / settled, cpu: used && { main: (used.main * 1000) / mb, others: (used.others * 1000) / mb, busiest: (used.busiest * 1000) / mb } };
}

async function labEcho(capture: boolean, portOffset: number): Promise<StreamRate> {
  const dir = tempDir();
  const lab = await Lab.start({ dataDir: dir, contentDir: defaultContentDir(), portOffset, capture });
  try {
    const echo = lab.serviceInfos().find((s) => s.protocol === 'echo' && s.transport === 'tcp');
    if (!echo || echo.state !== 'listening') throw new Error(`echo did not start: ${echo?.error}`);
    // The capture answers a snapshot only once it has recorded every event before the request.
    const recorded = () => lab.api.getSnapshot();
    await recorded();
    await echoStream(echo.port, WARMUP_BYTES, recorded);
    return await echoStream(echo.port, STREAM_BYTES, recorded);
  } finally {
    await lab.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline: a bare Node echo server, no lab, no tap. */
async function nodeEcho(): Promise<number> {
  const server = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    return (await echoStream((server.address() as net.AddressInfo).port)).echoed;
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

async function readyTime(portOffset: number): Promise<{ ms: number; services: number }> {
  const dir = tempDir();
  const t0 = performance.now();
  const lab = await Lab.start({ dataDir: dir, contentDir: defaultContentDir(), portOffset });
  const ms = performance.now() - t0;
  const services = lab.serviceInfos().filter((s) => s.state === 'listening').length;
  await lab.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  return { ms, services };
}

async function main(): Promise<void> {
  const portOffset = 30_000 + Math.floor(Math.random() * 1_000);
  console.log(
    `bench: ${os.cpus().length} cores, node ${process.version}, ${STREAM_BYTES / 1024 / 1024} MiB per echo trial after ${WARMUP_BYTES / 1024 / 1024} MiB of warm-up, ${TRIALS} trials, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );

  // Warm up both paths (JIT, page cache) before measuring.
  await nodeEcho();
  await labEcho(false, portOffset);
  await labEcho(true, portOffset);
  const node: number[] = [];
  const on: number[] = [];
  const off: number[] = [];
  const onEchoed: number[] = [];
  const offCpu: ThreadCpu[] = [];
  const onCpu: ThreadCpu[] = [];
  for (let i = 0; i < TRIALS; i++) {
    // Alternate so drift in machine load hits every side alike.
    node.push(await nodeEcho());
    const plain = await labEcho(false, portOffset);
    off.push(plain.settled);
    if (plain.cpu) offCpu.push(plain.cpu);
    const captured = await labEcho(true, portOffset);
    on.push(captured.settled);
    onEchoed.push(captured.echoed);
    if (captured.cpu) onCpu.push(captured.cpu);
    console.log(
      `  trial ${i + 1}: node echo ${node[i].toFixed(0)} MiB/s, capture off ${off[i].toFixed(0)} MiB/s, capture on ${on[i].toFixed(0)} MiB/s (echo alone ${onEchoed[i].toFixed(0)} MiB/s)`,
    );
  }
  const overhead = 1 - median(on) / median(off);

  await readyTime(portOffset); // warm-up
  const ready: number[] = [];
  let services = 0;
  for (let i = 0; i < READY_TRIALS; i++) {
    const r = await readyTime(portOffset);
    ready.push(r.ms);
    services = r.services;
  }

  const cpuMedian = (xs: ThreadCpu[]): ThreadCpu => ({ main: median(xs.map((c) => c.main)), others: median(xs.map((c) => c.others)), busiest: median(xs.map((c) => c.busiest)) });
  const showCpu = (c: ThreadCpu) => `${(c.main + c.others).toFixed(2)} (${c.main.toFixed(2)} + ${c.others.toFixed(2)})`;
  const cpuRows: Array<readonly [string, string, string, boolean | null]> = [];
  if (offCpu.length > 0 && onCpu.length > 0) {
    const [offMedian, onMedian] = [cpuMedian(offCpu), cpuMedian(onCpu)];
    // The worker records every byte of both directions, so a capture-on stream settles no faster
    // than the worker's CPU per MiB allows, however many cores there are: the ratio's ceiling.
    const workerBound = 1000 / onMedian.busiest; // MiB/s
    cpuRows.push(
      ['  CPU ms per MiB echoed, all threads (main thread + the others):', '', '', null],
      [`    capture off ${showCpu(offMedian)}, capture on ${showCpu(onMedian)}`, '', '', null],
      [`    of the others, the capture worker alone: ${onMedian.busiest.toFixed(2)}`, '', '', null],
      // Above 1 the worker is not what limits capture on.
      ['  ceiling of the ratio, from the worker\'s CPU per MiB (context)', workerBound >= median(off) ? 'none' : (workerBound / median(off)).toFixed(3), '', null],
    );
  }
  const rows = [
    ['tap overhead (echo stream, capture on vs off)', `${(overhead * 100).toFixed(1)} %`, `< ${OVERHEAD_TARGET * 100} %`, overhead < OVERHEAD_TARGET],
    ['  capture on / capture off throughput ratio', (median(on) / median(off)).toFixed(3), `> ${(1 - OVERHEAD_TARGET).toFixed(2)}`, overhead < OVERHEAD_TARGET],
    ['  same, echo alone (before the capture caught up)', (median(onEchoed) / median(off)).toFixed(3), '', null],
    // Each trial runs off and on back to back: their ratio drifts less with the machine's load.
    ['  same, median of the trials\' own ratios', median(on.map((x, i) => x / off[i])).toFixed(3), '', null],
    [`  medians (MiB/s): node echo ${median(node).toFixed(0)}, off ${median(off).toFixed(0)}, on ${median(on).toFixed(0)}`, '', '', null],
    ['  capture off / node echo ratio (context)', (median(off) / median(node)).toFixed(3), '', null],
    ['  capture on / node echo ratio (context)', (median(on) / median(node)).toFixed(3), '', null],
    ...cpuRows,
    [`start-to-ready, ${services} services (median of ${READY_TRIALS})`, `${median(ready).toFixed(1)} ms`, `< ${READY_TARGET_MS} ms`, median(ready) < READY_TARGET_MS],
    ['  ready time / target ratio', (median(ready) / READY_TARGET_MS).toFixed(3), '< 1.000', median(ready) < READY_TARGET_MS],
  ] satisfies ReadonlyArray<readonly [string, string, string, boolean | null]>;
  console.log('\nresult');
  for (const [name, value, target, ok] of rows) {
    const verdict = ok === null ? '' : `  target ${target.padEnd(9)} ${ok ? 'ok' : 'MISSED'}`;
    console.log(`  ${name.padEnd(52)} ${String(value).padStart(10)}${verdict}`);
  }
}

await main();
