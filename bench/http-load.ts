// A keep-alive HTTP load generator for `bench/http.ts` when wrk is not installed. It runs as its
// own process (node bin/run-ts.mjs bench/http-load.ts PORT HOST PATH CONNECTIONS SECONDS), so it
// never shares the server's event loop, and does what `wrk -c N` does: N connections, each sending
// one GET, reading the whole response (found by its Content-Length), and sending the next one.
// It prints one JSON line: { requests, seconds, non2xx, errors, reconnects, p50Ms, p99Ms }.
//
// It is slower than wrk (one JavaScript thread parses every response), so its figures are lower
// than wrk's for every server alike; the ratios stay meaningful because every side gets the same
// generator in the same run.

import net from 'node:net';
import { performance } from 'node:perf_hooks';

const CRLF_CRLF = Buffer.from('\r\n\r\n');
/** Latency samples kept per connection (enough for stable percentiles, bounded memory). */
const MAX_SAMPLES_PER_CONNECTION = 20_000;

interface Totals {
  requests: number;
  non2xx: number;
  errors: number;
  reconnects: number;
  latencies: number[];
}

function contentLength(head: string): number {
  const m = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
  return m ? Number(m[1]) : 0;
}

function wantsClose(head: string): boolean {
  return /\r\nconnection:[ \t]*close/i.test(head);
}

/** One keep-alive connection sending requests back to back until `stopAt`; reconnects when the server closes. */
function runConnection(port: number, request: Buffer, stopAt: number, totals: Totals): Promise<void> {
  return new Promise((resolve) => {
    let buffered: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    let samples = 0;
    let socket: net.Socket;

    const send = () => {
      if (performance.now() >= stopAt) {
        socket.destroy();
        resolve();
        return;
      }
      sentAt = performance.now();
      socket.write(request);
    };

    const connect = () => {
      buffered = Buffer.alloc(0);
      socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
      socket.on('connect', send);
      socket.on('error', () => {
        totals.errors++;
      });
      socket.on('close', () => {
        if (performance.now() >= stopAt) resolve();
        else {
          totals.reconnects++;
          connect();
        }
      });
      socket.on('data', (chunk: Buffer) => {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        for (;;) {
          const end = buffered.indexOf(CRLF_CRLF);
          if (end === -1) return;
          const head = buffered.toString('latin1', 0, end + 2);
          const total = end + 4 + contentLength(head);
          if (buffered.length < total) return;
          buffered = buffered.subarray(total);
          totals.requests++;
          const status = Number(head.slice(9, 12));
          if (status < 200 || status >= 400) totals.non2xx++;
          if (samples++ < MAX_SAMPLES_PER_CONNECTION) totals.latencies.push(performance.now() - sentAt);
          if (wantsClose(head)) {
            // The server ends the connection after this response; the close handler opens another.
            socket.end();
            return;
          }
          send();
        }
      });
    };
    connect();
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function main(): Promise<void> {
  const [portText, host, path, connectionsText, secondsText] = process.argv.slice(2);
  const port = Number(portText);
  const connections = Number(connectionsText);
  const seconds = Number(secondsText);
  if (!Number.isInteger(port) || !host || !path || !Number.isInteger(connections) || !(seconds > 0)) {
    console.error('usage: http-load.ts PORT HOST PATH CONNECTIONS SECONDS');
    process.exit(2);
  }
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 'latin1');
  const totals: Totals = { requests: 0, non2xx: 0, errors: 0, reconnects: 0, latencies: [] };
  const start = performance.now();
  const stopAt = start + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, () => runConnection(port, request, stopAt, totals)));
  const elapsed = (performance.now() - start) / 1000;
  const sorted = totals.latencies.sort((a, b) => a - b);
  const { latencies: _, ...counts } = totals;
  console.log(JSON.stringify({ ...counts, seconds: elapsed, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) }));
}

await main();
