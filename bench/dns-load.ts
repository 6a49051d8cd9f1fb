// A UDP DNS load generator for `bench/dns.ts` when dnsperf is not installed (or BENCH_DNS_LOAD=node).
// It runs as its own process (node bin/run-ts.mjs bench/dns-load.ts PORT DATAFILE CLIENTS OUTSTANDING
// SECONDS), so it never shares the server's event loop, and does what `dnsperf -c CLIENTS -q
// OUTSTANDING -l SECONDS` does: CLIENTS sockets, OUTSTANDING queries in flight in all, the data
// file's questions in turn, each answer (matched by ID) followed at once by the next question; a
// query unanswered after LOST_AFTER_MS counts as lost and frees its slot.
// It prints one JSON line: { sent, completed, lost, seconds, rcodes, meanMs, p50Ms, p99Ms }.
//
// It is slower than dnsperf (one JavaScript thread sends and matches every datagram), so its
// figures are lower than dnsperf's for every server alike; the ratios stay meaningful because
// every side gets the same generator in the same run.

import dgram from 'node:dgram';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { encodeMessage, makeQuery, rcodeName } from '../src/protocols/dns';
import { parseDataFile, typeCodeOf } from './dns-queries';

/** dnsperf's -t: a query with no answer after this long is lost (dnsperf's default is 5 s; the bench passes 2 s to both). */
const LOST_AFTER_MS = 2_000;
/** How often in-flight queries are checked for loss. */
const SWEEP_EVERY_MS = 100;
/** Latency samples kept (enough for stable percentiles, bounded memory). */
const MAX_SAMPLES = 200_000;

interface Totals {
  sent: number;
  completed: number;
  lost: number;
  rcodes: Record<string, number>;
  latencies: number[];
  lastAnswerAt: number;
  latencySumMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** One client socket keeping `window` queries in flight until `stopAt`, then waiting for the last answers. */
function runClient(port: number, queries: Buffer[], window: number, stopAt: number, totals: Totals, firstQuery: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const inFlight = new Map<number, number>();
    let nextId = Math.floor(Math.random() * 0x10000);
    let next = firstQuery;
    let finished = false;
    const finishIfDone = () => {
      if (!finished && performance.now() >= stopAt && inFlight.size === 0) {
        finished = true;
        clearInterval(sweep);
        socket.close();
        resolve();
      }
    };
    const send = () => {
      if (performance.now() >= stopAt) return finishIfDone();
      // An ID not in flight on this socket (at most `window` are).
      do nextId = (nextId + 1) & 0xffff;
      while (inFlight.has(nextId));
      // A copy per send: dgram sends after this returns, so a shared buffer's ID could be overwritten first.
      const query = Buffer.from(queries[next++ % queries.length]);
      query.writeUInt16BE(nextId, 0);
      inFlight.set(nextId, performance.now());
      totals.sent++;
      socket.send(query, port, '127.0.0.1');
    };
    socket.on('message', (msg) => {
      if (msg.length < 4) return;
      const sentAt = inFlight.get(msg.readUInt16BE(0));
      if (sentAt === undefined) return; // late (already counted lost) or not ours
      inFlight.delete(msg.readUInt16BE(0));
      const now = performance.now();
      totals.completed++;
      totals.lastAnswerAt = now;
      totals.latencySumMs += now - sentAt;
      const rcode = rcodeName(msg[3] & 0x0f);
      totals.rcodes[rcode] = (totals.rcodes[rcode] ?? 0) + 1;
      if (totals.latencies.length < MAX_SAMPLES) totals.latencies.push(now - sentAt);
      send();
    });
    socket.on('error', () => {});
    const sweep = setInterval(() => {
      const now = performance.now();
      for (const [id, sentAt] of inFlight) {
        if (now - sentAt < LOST_AFTER_MS) continue;
        inFlight.delete(id);
        totals.lost++;
        send();
      }
      finishIfDone();
    }, SWEEP_EVERY_MS);
    socket.bind(0, '127.0.0.1', () => {
      for (let i = 0; i < window; i++) send();
    });
  });
}

async function main(): Promise<void> {
  const [portText, dataFile, clientsText, outstandingText, secondsText] = process.argv.slice(2);
  const port = Number(portText);
  const clients = Number(clientsText);
  const outstanding = Number(outstandingText);
  const seconds = Number(secondsText);
  if (!Number.isInteger(port) || !dataFile || !Number.isInteger(clients) || clients < 1 || !Number.isInteger(outstanding) || outstanding < clients || !(seconds > 0)) {
    console.error('usage: dns-load.ts PORT DATAFILE CLIENTS OUTSTANDING SECONDS (OUTSTANDING >= CLIENTS)');
    process.exit(2);
  }
  const questions = parseDataFile(fs.readFileSync(dataFile, 'utf8'));
  if (questions.length === 0) throw new Error(`${dataFile} holds no questions`);
  const totals: Totals = { sent: 0, completed: 0, lost: 0, rcodes: {}, latencies: [], lastAnswerAt: 0, latencySumMs: 0 };
  const start = performance.now();
  const stopAt = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, (_, c) => {
      const queries = questions.map((q) => Buffer.from(encodeMessage(makeQuery(0, q.name, typeCodeOf(q), { recursionDesired: true }))));
      const window = Math.floor(outstanding / clients) + (c < outstanding % clients ? 1 : 0);
      return runClient(port, queries, window, stopAt, totals, c * Math.ceil(questions.length / clients));
    }),
  );
  const elapsed = (Math.max(stopAt, totals.lastAnswerAt) - start) / 1000;
  const sorted = totals.latencies.sort((a, b) => a - b);
  const { latencies: _, lastAnswerAt: __, latencySumMs, ...counts } = totals;
  const meanMs = totals.completed > 0 ? latencySumMs / totals.completed : 0;
  console.log(JSON.stringify({ ...counts, seconds: elapsed, meanMs, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) }));
}

await main();
