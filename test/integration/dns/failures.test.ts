// When a server of the hierarchy is down: the client (which waits DNS_QUERY_TIMEOUT_MS, like the
// terminal's dig) gets SERVFAIL from the local name server, not a timeout, in both schemes, and the
// resolution view names the server that did not answer. Also the resolver's bookkeeping of
// questions in flight: identical ones merged, at most RESOLVER_MAX_IN_FLIGHT at once, and a query
// without RD that misses the cache gets a referral.

import { getEventListeners } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DnsMessage, RCODE, RR_TYPE, formatDnsId, makeQuery } from '../../../src/protocols/dns';
import { DNS_QUERY_TIMEOUT_MS, STOPPING_REASON, exchangeDns, randomQueryId } from '../../../src/main/lab/dns/dns-exchange';
import { RELAY_TIMEOUT_STEP_MS, RESOLVER_UPSTREAM_TIMEOUT_MS } from '../../../src/main/lab/dns/dns-runtime';
import { RESOLVER_MAX_IN_FLIGHT } from '../../../src/main/lab/dns/resolver-limits';
import type { DnsLookup, DnsLookupStep } from '../../../src/shared/dns';
import { type TestLab, startTestLab } from '../../support/test-lab';

let t: TestLab;
const api = () => t.lab.api;

beforeAll(async () => {
  t = await startTestLab();
});

afterAll(async () => {
  await t?.stop();
});

afterEach(async () => {
  await api().setResolverMode('iterative');
  for (const s of t.lab.serviceInfos()) if (s.state === 'stopped') await api().startService(s.id);
  await api().flushResolverCache(null);
});

function service(host: string, transport: 'udp' | 'tcp' = 'udp') {
  const s = t.lab.serviceInfos().find((x) => x.hostname === host && x.protocol === 'dns' && x.transport === transport);
  if (!s) throw new Error(`no DNS ${transport} service for ${host}`);
  return s;
}

/** A question to the local name server the way the terminal's dig asks it: RD set, a 2 s wait. */
async function ask(name: string, options: { rd?: boolean } = {}): Promise<{ reply: DnsMessage; ms: number }> {
  const resolver = service('dns.poly.edu');
  const started = performance.now();
  const r = await exchangeDns(makeQuery(randomQueryId(), name, RR_TYPE.A, { recursionDesired: options.rd ?? true }), { name: 'dns.poly.edu', address: '128.238.29.22', labAddress: '127.0.0.1', labPort: resolver.port }, { transport: 'udp' });
  if (!r.ok) throw new Error(`the client got no reply: ${r.reason}`);
  return { reply: r.response, ms: performance.now() - started };
}

/**
 * A query step whose server was stopped: its capture connection is a UDP flow recorded by the
 * asking side, from `asker` to port 53 of `server`, holding that query alone, and closed.
 */
async function expectUnreceivedQuery(step: DnsLookupStep, asker: { name: string; address: string }, server: { name: string; address: string }): Promise<void> {
  expect(step.connectionId).toBeDefined();
  const conn = (await api().listConnections()).find((c) => c.id === step.connectionId);
  expect(conn).toMatchObject({
    transport: 'udp',
    protocol: 'dns',
    side: 'client',
    state: 'closed',
    client: { hostname: asker.name, virtualAddress: asker.address },
    server: { hostname: server.name, virtualAddress: server.address, virtualPort: 53 },
  });
  const messages = (await api().listMessages(1, 100_000)).filter((m) => m.connId === step.connectionId);
  expect(messages.map((m) => m.dir)).toEqual(['c2s']);
  expect(messages[0].summary).toContain(formatDnsId(step.message!.id));
}

async function lastLookup(question: string): Promise<DnsLookup> {
  const all = await api().listDnsLookups();
  const found = all.filter((l) => l.question === question).at(-1);
  if (!found) throw new Error(`no lookup of ${question}`);
  return found;
}

describe('one exchange', () => {
  it('says when its query left, and leaves no listener on the signal it was given (one serves a terminal\'s every query)', async () => {
    const controller = new AbortController();
    const sent: string[] = [];
    for (const transport of ['udp', 'tcp'] as const) {
      const resolver = service('dns.poly.edu', transport);
      const query = makeQuery(randomQueryId(), 'gaia.cs.umass.edu', RR_TYPE.A);
      const r = await exchangeDns(query, { name: 'dns.poly.edu', address: '128.238.29.22', labAddress: '127.0.0.1', labPort: resolver.port }, { transport, signal: controller.signal, onSent: () => sent.push(transport) });
      expect(r.ok).toBe(true);
    }
    expect(sent).toEqual(['udp', 'tcp']);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('a server of the hierarchy that does not answer', () => {
  it('iterative: the client gets SERVFAIL within its wait, and the lookup names the silent server', async () => {
    await api().stopService(service('dns.cs.umass.edu').id);
    const { reply, ms } = await ask('gaia.cs.umass.edu');
    expect(reply.flags.rcode).toBe(RCODE.SERVFAIL);
    expect(ms).toBeLessThan(DNS_QUERY_TIMEOUT_MS);
    const lookup = await lastLookup('gaia.cs.umass.edu. A');
    expect(lookup.steps.find((s) => s.kind === 'timeout')).toMatchObject({ from: { name: 'dns.cs.umass.edu' }, to: { name: 'dns.poly.edu' }, summary: `no reply from dns.cs.umass.edu within ${RESOLVER_UPSTREAM_TIMEOUT_MS} ms` });
    // The wait that ran out carried no message; the query it waited on did, and the client's answer says SERVFAIL.
    const waited = lookup.steps.findIndex((s) => s.kind === 'timeout');
    expect(lookup.steps[waited].message).toBeUndefined();
    expect(lookup.steps[waited - 1]).toMatchObject({ kind: 'query', to: { name: 'dns.cs.umass.edu' }, message: { question: { name: 'gaia.cs.umass.edu.', type: 'A' }, recursionDesired: false } });
    expect(lookup.steps.at(-1)!.message).toMatchObject({ question: { name: 'gaia.cs.umass.edu.', type: 'A' }, rcode: 'SERVFAIL' });
    expect(lookup.steps.at(-1)!.message!.referral).toBeUndefined();
    // No lab server received that query, so the resolver's side recorded it: a flow of one datagram, closed.
    await expectUnreceivedQuery(lookup.steps[waited - 1], { name: 'dns.poly.edu', address: '128.238.29.22' }, { name: 'dns.cs.umass.edu', address: '128.119.240.1' });
  });

  it('recursive: the server next to the silent one reports it first, and the SERVFAIL travels back up the chain', async () => {
    await api().stopService(service('dns.cs.umass.edu').id);
    await api().setResolverMode('recursive');
    const { reply, ms } = await ask('gaia.cs.umass.edu');
    expect(reply.flags.rcode).toBe(RCODE.SERVFAIL);
    expect(ms).toBeLessThan(DNS_QUERY_TIMEOUT_MS);
    const lookup = await lastLookup('gaia.cs.umass.edu. A');
    const timeouts = lookup.steps.filter((s) => s.kind === 'timeout');
    // Only the TLD server's wait on dns.cs.umass.edu runs out (it waits the least: two relays
    // down); the root and the resolver get its SERVFAIL before their own, longer waits end.
    expect(timeouts.map((s) => `${s.from.name} -> ${s.to.name}`)).toEqual(['dns.cs.umass.edu -> a.edu-servers.net']);
    expect(timeouts[0].summary).toBe(`no reply from dns.cs.umass.edu within ${RESOLVER_UPSTREAM_TIMEOUT_MS - 2 * RELAY_TIMEOUT_STEP_MS} ms`);
    const replies = lookup.steps.filter((s) => s.kind === 'response').map((s) => `${s.from.name} -> ${s.to.name}`);
    expect(replies).toEqual(['a.edu-servers.net -> a.root-servers.net', 'a.root-servers.net -> dns.poly.edu', 'dns.poly.edu -> cis.poly.edu']);
    // The TLD server's query to the stopped one is recorded from the TLD server's side.
    const unanswered = lookup.steps.find((s) => s.kind === 'query' && s.to.name === 'dns.cs.umass.edu')!;
    await expectUnreceivedQuery(unanswered, { name: 'a.edu-servers.net', address: '192.5.6.31' }, { name: 'dns.cs.umass.edu', address: '128.119.240.1' });
  });
});

describe('questions in flight', () => {
  it('merges identical questions: the second client waits for the first one\'s answer, and the servers are asked once', async () => {
    const before = (await api().getResolver()).stats.upstreamQueries;
    const [a, b] = await Promise.all([ask('www.umass.edu'), ask('www.umass.edu')]);
    expect(a.reply.answers.map((r) => (r.data.kind === 'A' ? r.data.address : ''))).toEqual(['128.119.8.148']);
    expect(b.reply.answers).toEqual(a.reply.answers);
    const after = (await api().getResolver()).stats.upstreamQueries;
    // root, edu, umass.edu: one walk for both.
    expect(after - before).toBe(3);
    const lookups = (await api().listDnsLookups()).filter((l) => l.question === 'www.umass.edu. A');
    expect(lookups.filter((l) => l.steps.some((s) => s.summary.includes('being resolved for another client')))).toHaveLength(1);
  });

  it(`answers SERVFAIL at once past RESOLVER_MAX_IN_FLIGHT (${RESOLVER_MAX_IN_FLIGHT}) questions being resolved`, async () => {
    await ask('www.umass.edu'); // learn umass.edu's server, so each question below waits on it alone
    await api().stopService(service('dns.cs.umass.edu').id);
    // Hundreds of exchanges wait on the runtime's one stop signal at once: no leak warning for that (DNS_RUNTIME_MAX_EXCHANGES).
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const waiting = Array.from({ length: RESOLVER_MAX_IN_FLIGHT }, (_, i) => ask(`h${i}.umass.edu`));
    // All of them are being resolved (each has sent its query) before the one more arrives.
    const deadline = Date.now() + 5_000;
    while ((await api().listDnsLookups()).filter((l) => /^h\d+\.umass\.edu\. A$/.test(l.question) && l.steps.some((s) => s.kind === 'query' && s.to.name === 'dns.cs.umass.edu')).length < Math.min(RESOLVER_MAX_IN_FLIGHT, 100)) {
      if (Date.now() > deadline) throw new Error('the questions were not taken up');
      await new Promise((r) => setTimeout(r, 5));
    }
    const over = await ask('one-more.umass.edu');
    expect(over.reply.flags.rcode).toBe(RCODE.SERVFAIL);
    expect(over.ms).toBeLessThan(RESOLVER_UPSTREAM_TIMEOUT_MS);
    const lookup = await lastLookup('one-more.umass.edu. A');
    expect(lookup.steps.some((s) => s.summary.startsWith('too busy'))).toBe(true);
    const replies = await Promise.all(waiting);
    process.off('warning', onWarning);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
    expect(replies.every((r) => r.reply.flags.rcode === RCODE.SERVFAIL)).toBe(true);
    // With room again, questions are resolved as before.
    await api().startService(service('dns.cs.umass.edu').id);
    expect((await ask('gaia.cs.umass.edu')).reply.flags.rcode).toBe(RCODE.NOERROR);
  });
});

describe('a query without RD', () => {
  it('that the cache cannot answer gets a referral to the closest servers the cache knows', async () => {
    const cold = (await ask('gaia.cs.umass.edu', { rd: false })).reply;
    expect(cold.flags.rcode).toBe(RCODE.NOERROR);
    expect(cold.answers).toEqual([]);
    expect(cold.authorities.map((r) => (r.data.kind === 'NS' ? `${r.name} ${r.data.host}` : ''))).toEqual(['. a.root-servers.net.']);
    await ask('www.umass.edu');
    const warm = (await ask('gaia.cs.umass.edu', { rd: false })).reply;
    expect(warm.authorities.map((r) => (r.data.kind === 'NS' ? `${r.name} ${r.data.host}` : ''))).toEqual(['umass.edu. dns.cs.umass.edu.']);
    expect(warm.additionals.filter((r) => r.type === RR_TYPE.A).map((r) => (r.data.kind === 'A' ? `${r.name} ${r.data.address}` : ''))).toEqual(['dns.cs.umass.edu. 128.119.240.1']);
    expect((await api().getResolver()).stats.upstreamQueries).toBeGreaterThan(0);
  });
});

describe('the lab stopping under a question', () => {
  it('ends the resolver\'s exchanges at once instead of leaving them to time out', async () => {
    const own = await startTestLab();
    try {
      const server = own.lab.serviceInfos().find((s) => s.hostname === 'dns.cs.umass.edu' && s.protocol === 'dns' && s.transport === 'udp')!;
      await own.lab.api.stopService(server.id);
      const resolver = own.lab.serviceInfos().find((s) => s.hostname === 'dns.poly.edu' && s.protocol === 'dns' && s.transport === 'udp')!;
      // The question waits on the silent server; the lab stops while it does.
      void exchangeDns(makeQuery(randomQueryId(), 'gaia.cs.umass.edu', RR_TYPE.A), { name: 'dns.poly.edu', address: '128.238.29.22', labAddress: '127.0.0.1', labPort: resolver.port }, { transport: 'udp', timeoutMs: 300 });
      const deadline = Date.now() + 5_000;
      while (!(await own.lab.api.listDnsLookups()).some((l) => l.steps.some((s) => s.kind === 'query' && s.to.name === 'dns.cs.umass.edu'))) {
        if (Date.now() > deadline) throw new Error('the resolver never asked dns.cs.umass.edu');
        await new Promise((r) => setTimeout(r, 5));
      }
      await own.stop();
      const lookup = (await own.lab.api.listDnsLookups()).find((l) => l.question === 'gaia.cs.umass.edu. A')!;
      const ended = lookup.steps.find((s) => s.kind === 'timeout');
      expect(ended).toMatchObject({ from: { name: 'dns.cs.umass.edu' }, summary: STOPPING_REASON });
      // Well before the resolver's own wait on the server would have run out.
      expect(lookup.steps.at(-1)!.atMs - lookup.steps.find((s) => s.to.name === 'dns.cs.umass.edu')!.atMs).toBeLessThan(RESOLVER_UPSTREAM_TIMEOUT_MS);
    } finally {
      await own.stop().catch(() => {});
    }
  });
});
