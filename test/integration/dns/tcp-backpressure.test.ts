// A DNS-over-TCP client that pipelines queries and never reads the answers must not make a lab
// server buffer every answer in memory: the server stops reading queries while its replies wait
// to be sent (RFC 7766 §6.2.1.1 lets it process pipelined queries at its own pace), and takes up
// the rest once the client reads again, losing none.

import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DNS_TCP_LENGTH_PREFIX, RR_TYPE, encodeMessage, makeQuery, withLengthPrefix } from '../../../src/protocols/dns';
import { type TestLab, startTestLab } from '../../support/test-lab';

/**
 * Queries written at once. Their answers (yahoo.com's 8 TXT records, over 512 octets each) come to
 * over 30 MB; the socket buffers of a reader that reads nothing hold a few MB (its receive window
 * does not grow while it does not read).
 */
const QUERIES = 60_000;

let t: TestLab;

beforeAll(async () => {
  t = await startTestLab();
});

afterAll(async () => {
  await t?.stop();
});

function tcpPortOf(host: string): number {
  const s = t.lab.serviceInfos().find((x) => x.hostname === host && x.protocol === 'dns' && x.transport === 'tcp');
  if (!s) throw new Error(`no DNS TCP service for ${host}`);
  return s.port;
}

async function capturedBytes(): Promise<number> {
  return (await t.lab.api.getSnapshot()).capture.totalBytes;
}

/** Polls the capture until it stops growing (the server has written all it will). */
async function settledCapture(): Promise<number> {
  let last = await capturedBytes();
  for (let stable = 0; stable < 3; ) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await capturedBytes();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

it('stops reading the queries of a client that does not read its answers, and answers them all once it does', async () => {
  const port = tcpPortOf('ns1.yahoo.com');
  const wire = Buffer.concat(Array.from({ length: QUERIES }, (_, i) => Buffer.from(withLengthPrefix(encodeMessage(makeQuery(i & 0xffff, 'yahoo.com.', RR_TYPE.TXT, { recursionDesired: false }))))));
  const before = await capturedBytes();

  const socket = net.connect({ host: '127.0.0.1', port });
  socket.pause();
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(wire);

  // Had the server answered every query, the capture would hold over QUERIES * 512 octets of answers.
  const grown = (await settledCapture()) - before;
  expect(grown).toBeLessThan((QUERIES * 512) / 2);

  let replies = 0;
  let buffered = Buffer.alloc(0);
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= DNS_TCP_LENGTH_PREFIX && buffered.length >= DNS_TCP_LENGTH_PREFIX + buffered.readUInt16BE(0)) {
        buffered = buffered.subarray(DNS_TCP_LENGTH_PREFIX + buffered.readUInt16BE(0));
        replies++;
      }
      if (replies === QUERIES) resolve();
    });
    socket.resume();
  });
  socket.destroy();
  expect(replies).toBe(QUERIES);
}, 60_000);
