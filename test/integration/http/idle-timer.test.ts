// The connection's one timer is re-armed lazily (http-connection.ts): each answered request moves
// the idle deadline later without touching the timer, which fires early and sets itself again.
// A client that keeps asking within the keep-alive timeout is never cut off, and one that stops
// is closed a keep-alive timeout after its last answer, no sooner and not much later.

import { describe, expect, it } from 'vitest';
import { RawConnection, startLab, useLabs } from './helpers';

useLabs();

const PAGE = '/wireshark-labs/HTTP-wireshark-file1.html';
const KEEP_ALIVE_MS = 400;
/** Less than the timeout between requests, and more than it in all. */
const GAP_MS = 250;
const REQUESTS = 6;

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n`;

describe('the idle timer of a keep-alive connection', () => {
  it('keeps a connection that asks again within the timeout, and closes it one timeout after the last answer', async () => {
    const t = await startLab({ httpLimits: { keepAliveTimeoutMs: KEEP_ALIVE_MS } });
    const conn = await RawConnection.open(t.port('gaia.cs.umass.edu'));
    for (let i = 0; i < REQUESTS; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, GAP_MS));
      expect(conn.ended, `closed before request ${i + 1}`).toBe(false);
      conn.send(get(PAGE), ['GET']);
      expect((await conn.response(i)).status).toBe(200);
    }
    const lastAnswer = Date.now();
    await conn.until(() => conn.ended, 'the idle close', 3_000);
    const idle = Date.now() - lastAnswer;
    expect(idle).toBeGreaterThanOrEqual(KEEP_ALIVE_MS - 100);
    expect(idle).toBeLessThan(KEEP_ALIVE_MS + 1_000);
    expect(conn.count).toBe(REQUESTS);
  });
});
