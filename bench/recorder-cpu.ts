// `node bin/run-ts.mjs bench/recorder-cpu.ts [echo|http]`: the capture worker's own CPU, without
// sockets. A load as the worker sees it goes through the event ring into the recorder on this
// thread; only the recorder's draining is timed. Repeated, with the median of the rounds, since
// the machine is shared.
//
//   echo   (default) the echo stream of `npm run bench`: 64 KiB reads of 16 KiB CRLF lines, each
//          echoed back; per MiB captured
//   http   the keep-alive GETs of `npm run bench:http`: the 1 KiB page's request and response on
//          50 connections in turn; per request, the figure the HTTP capture overhead comes from
//
// `npm run bench` says whether the capture keeps up with the sockets; this says where it stands
// against itself, change by change, with no sockets or scheduler in the way.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ConnectionInfo } from '../src/shared/capture';
import { createEventRing, EventRingWriter, releaseEventRing, TYPE_OPEN } from '../src/main/lab/capture/event-ring';
import { RecorderService } from '../src/main/lab/capture/recorder-service';
import { keepAliveExchange, PAGE_NAME } from './http';

const LOAD: 'echo' | 'http' = process.argv[2] === 'http' ? 'http' : 'echo';
/** Bytes recorded per round, both directions together: the worker's share of a 64 MiB echo trial. */
const CAPTURED_BYTES = Number(process.env.BENCH_CAPTURED_MB ?? 128) * 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
/** What a loopback socket read returns in the echo stream (measured: 65536 in steady state). */
const CHUNK_BYTES = 64 * 1024;
const LINE_BYTES = 16 * 1024;
/** Chunks written to the ring between drains: the recorder reads what piled up, as in the worker. */
const CHUNKS_PER_DRAIN = 16;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Requests per round of the http load, and the connections they take turns on (the bench's wrk -c50). */
const HTTP_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50_000);
const HTTP_CONNECTIONS = 50;

const connection: ConnectionInfo = {
  id: 1,
  transport: 'tcp',
  protocol: LOAD,
  serviceId: `gaia.cs.umass.edu/${LOAD}/tcp`,
  side: 'server',
  client: { address: '127.0.0.1', port: 50000, virtualAddress: '128.238.2.93', virtualPort: 50000, hostname: 'cis.poly.edu' },
  server: { address: '127.0.0.1', port: 10007, virtualAddress: '128.119.245.12', virtualPort: LOAD === 'http' ? 80 : 7, hostname: 'gaia.cs.umass.edu' },
  openedAt: 0,
  state: 'open',
};

/** Writes the load's chunks into the ring, calling `drain` whenever the recorder would wake. */
type Load = (writer: EventRingWriter, nextSeq: () => number, drain: () => void) => void;

function echoLoad(): Load {
  const line = Buffer.alloc(LINE_BYTES, 'a');
  line[LINE_BYTES - 2] = 0x0d;
  line[LINE_BYTES - 1] = 0x0a;
  const chunk = Buffer.concat(Array.from({ length: CHUNK_BYTES / LINE_BYTES }, () => line));
  return (writer, nextSeq, drain) => {
    writer.writeControl(TYPE_OPEN, nextSeq(), 0, connection.id, EventRingWriter.controlPayload(connection));
    const chunks = CAPTURED_BYTES / CHUNK_BYTES;
    let t = 0;
    for (let i = 0; i < chunks; i++) {
      // The echo: each chunk read from the client goes back as it came.
      writer.writeChunk('data', nextSeq(), (t += 0.01), connection.id, i % 2 === 0 ? 'c2s' : 's2c', chunk);
      if (i % CHUNKS_PER_DRAIN === CHUNKS_PER_DRAIN - 1) drain();
    }
  };
}

function httpLoad(): Load {
  const { request, response } = keepAliveExchange();
  return (writer, nextSeq, drain) => {
    for (let c = 1; c <= HTTP_CONNECTIONS; c++) {
      writer.writeControl(TYPE_OPEN, nextSeq(), 0, c, EventRingWriter.controlPayload({ ...connection, id: c, client: { ...connection.client, port: 50_000 + c, virtualPort: 50_000 + c } }));
    }
    let t = 0;
    for (let i = 0; i < HTTP_REQUESTS; i++) {
      const c = 1 + (i % HTTP_CONNECTIONS);
      writer.writeChunk('data', nextSeq(), (t += 0.01), c, 'c2s', request);
      writer.writeChunk('data', nextSeq(), (t += 0.01), c, 's2c', response);
      // The worker wakes for what piled up while it worked: a few dozen requests under load.
      if (c === HTTP_CONNECTIONS) drain();
    }
  };
}

/**
 * One round: a fresh journal, the whole load; returns the ms spent draining (the recorder's own
 * thread), the process CPU meanwhile (V8's helper threads too) and the messages made.
 */
function round(dir: string, load: Load): { ms: number; cpuMs: number; messages: number } {
  const ring = createEventRing();
  const journalPath = path.join(dir, `round-${Date.now()}.journal`);
  const service = new RecorderService({ journalPath, startEpochMs: Date.now(), ring }, () => {});
  const writer = new EventRingWriter(ring);
  let seq = 1;
  let ms = 0;
  let cpu = 0;
  const drain = () => {
    writer.publish();
    const cpuBefore = process.cpuUsage();
    const before = performance.now();
    service.drain();
    ms += performance.now() - before;
    const used = process.cpuUsage(cpuBefore);
    cpu += (used.user + used.system) / 1000;
  };
  load(writer, () => seq++, drain);
  drain();
  const messages = service.totalMessages;
  service.handle({ kind: 'query', id: 2, query: { method: 'close' } });
  releaseEventRing(ring);
  fs.rmSync(journalPath);
  return { ms, cpuMs: cpu, messages };
}

function main(): void {
  const load = LOAD === 'http' ? httpLoad() : echoLoad();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-recorder-bench-'));
  const what = LOAD === 'http' ? `${HTTP_REQUESTS} keep-alive GETs of the ${PAGE_NAME} page on ${HTTP_CONNECTIONS} connections` : `${CAPTURED_BYTES / 1048576} MiB in ${CHUNK_BYTES / 1024} KiB chunks`;
  console.log(`recorder: ${what} per round, ${ROUNDS} rounds after one warm-up, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  try {
    round(dir, load); // warm-up: JIT, the ring's pages
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const r = round(dir, load);
      wall.push(r.ms);
      cpu.push(r.cpuMs);
      console.log(`  round ${i + 1}: ${r.ms.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU, ${r.messages} messages`);
    }
    // The fastest round is the one least disturbed by other work on the machine.
    const best = Math.min(...wall);
    if (LOAD === 'http') {
      const perRequest = (ms: number) => ((ms * 1000) / HTTP_REQUESTS).toFixed(2);
      console.log(`per request: median ${perRequest(median(wall))} µs, best ${perRequest(best)} µs; process CPU median ${perRequest(median(cpu))} µs`);
    } else {
      const perMiB = (ms: number) => (ms / (CAPTURED_BYTES / 1048576)).toFixed(2);
      console.log(
        `per ${CAPTURED_BYTES / 1048576} MiB: median ${median(wall).toFixed(0)} ms (${perMiB(median(wall))} ms/MiB), best ${best.toFixed(0)} ms (${perMiB(best)} ms/MiB); process CPU median ${median(cpu).toFixed(0)} ms`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
