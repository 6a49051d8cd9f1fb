// The lookups log dates each step; a query step is logged before its socket is ready and dated
// again when the query leaves, so the resolution view and the capture tell the same times.

import { describe, expect, it } from 'vitest';
import { DnsLookupLog } from '../../../src/main/lab/dns/lookup-log';
import type { DnsLookup, DnsPeer } from '../../../src/shared/dns';

const client: DnsPeer = { name: 'cis.poly.edu', address: '128.238.2.93', role: 'client' };
const resolver: DnsPeer = { name: 'dns.poly.edu', address: '128.238.29.22', role: 'resolver' };

describe('DnsLookupLog.retime', () => {
  it('dates a step of a lookup again, tells the faces, and leaves a step of no lookup alone', async () => {
    const told: DnsLookup[] = [];
    const log = new DnsLookupLog(() => 0, (l) => told.push(l));
    const id = log.start('gaia.cs.umass.edu. A', client, 'iterative');
    const step = log.step(id, { kind: 'query', from: client, to: resolver, transport: 'udp', summary: 'A gaia.cs.umass.edu.' })!;
    const logged = step.atMs;
    await new Promise((r) => setTimeout(r, 20));
    log.retime(id, step);
    expect(step.atMs).toBeGreaterThanOrEqual(logged + 15);
    await new Promise((r) => setImmediate(r));
    expect(told.at(-1)?.steps[0].atMs).toBe(step.atMs);

    const stranger = { ...step, atMs: 1 };
    log.retime(id, stranger);
    log.retime(undefined, step);
    expect(stranger.atMs).toBe(1);
    expect(log.list()[0].steps[0].atMs).toBe(step.atMs);
  });
});
