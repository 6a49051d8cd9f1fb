// `node bin/run-ts.mjs bench/framer-cpu.ts`: what the capture's framers cost per message, on
// this thread, with nothing else in the way: the HTTP framer on the keep-alive GET of
// `npm run bench:http` and its response (both pushed whole, as the server writes them), and on
// exchanges that differ from one to the next (other objects, lengths and types), and the
// echo framer on the 64 KiB reads of 16 KiB lines of `npm run bench` (each cut into 4 KiB
// messages). Median of the rounds, since the machine is shared. bench/recorder-cpu.ts measures
// the whole recorder around them.

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { LineFramer } from '../src/protocols/core/line-framer';
import { HttpFramer } from '../src/protocols/http/framer';
import { keepAliveExchange, SITE_HOST } from './http';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const GETS_PER_ROUND = 200_000;
const ECHO_CHUNKS_PER_ROUND = 10_000;
const LINE_BYTES = 16 * 1024;
const CHUNK_BYTES = 64 * 1024;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Distinct exchanges of the varied HTTP round: a browser's requests name different objects. */
const VARIED_EXCHANGES = 997;

/** Keep-alive exchanges for one round: the bench's one GET over and over, or VARIED_EXCHANGES different ones in turn. */
function httpExchanges(varied: boolean): Array<{ request: Buffer; response: Buffer }> {
  const same = keepAliveExchange();
  if (!varied) return [same];
  return Array.from({ length: VARIED_EXCHANGES }, (_, i) => {
    const body = Buffer.alloc(500 + ((i * 37) % 1500), 'x');
    const head = `HTTP/1.1 200 OK\r\nDate: ${new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)).toUTCString()}\r\nServer: Protolab-httpd/1.0\r\nETag: "${i.toString(16)}-${body.length.toString(16)}"\r\nContent-Length: ${body.length}\r\nContent-Type: ${i % 3 === 0 ? 'image/jpeg' : 'text/html; charset=utf-8'}\r\n\r\n`;
    return {
      request: Buffer.from(`GET /someDepartment/object-${i}.${i % 3 === 0 ? 'jpg' : 'html'} HTTP/1.1\r\nHost: ${SITE_HOST}\r\n\r\n`, 'latin1'),
      response: Buffer.concat([Buffer.from(head, 'latin1'), body]),
    };
  });
}

function httpRound(varied: boolean): number {
  const exchanges = httpExchanges(varied);
  const framer = new HttpFramer();
  let t = 0;
  let messages = 0;
  const start = performance.now();
  for (let i = 0; i < GETS_PER_ROUND; i++) {
    const { request, response } = exchanges[i % exchanges.length];
    messages += framer.push('c2s', request, t++).length;
    messages += framer.push('s2c', response, t++).length;
  }
  const ns = ((performance.now() - start) * 1e6) / GETS_PER_ROUND;
  if (messages !== 2 * GETS_PER_ROUND) throw new Error(`framed ${messages} messages, not ${2 * GETS_PER_ROUND}`);
  return ns;
}

function echoRound(): number {
  const line = Buffer.alloc(LINE_BYTES, 'a');
  line[LINE_BYTES - 2] = 0x0d;
  line[LINE_BYTES - 1] = 0x0a;
  const chunk = Buffer.concat(Array.from({ length: CHUNK_BYTES / LINE_BYTES }, () => line));
  const framer = new LineFramer({ roles: { c2s: 'request', s2c: 'response' } });
  let t = 0;
  let messages = 0;
  const start = performance.now();
  for (let i = 0; i < ECHO_CHUNKS_PER_ROUND; i++) messages += framer.push('c2s', chunk, t++).length;
  return ((performance.now() - start) * 1e6) / messages;
}

console.log(`framers: ${ROUNDS} rounds after one warm-up, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
httpRound(false);
httpRound(true);
echoRound();
const same: number[] = [];
const varied: number[] = [];
const echo: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  same.push(httpRound(false));
  varied.push(httpRound(true));
  echo.push(echoRound());
  console.log(`  round ${i + 1}: HTTP ${same[i].toFixed(0)} ns per GET and response (the same one), ${varied[i].toFixed(0)} ns (${VARIED_EXCHANGES} different ones); echo ${echo[i].toFixed(0)} ns per 4 KiB message`);
}
console.log(`HTTP framer: median ${median(same).toFixed(0)} ns per keep-alive GET and its response, the same each time`);
console.log(`HTTP framer: median ${median(varied).toFixed(0)} ns per keep-alive GET and its response, ${VARIED_EXCHANGES} different ones in turn`);
console.log(`echo framer: median ${median(echo).toFixed(0)} ns per message`);
