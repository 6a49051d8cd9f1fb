import { describe, expect, it } from 'vitest';
import type { DnsLookup, DnsLookupStep, DnsPeer } from '../../../src/shared/dns';
import { ARROW_LABEL_MAX_CHARS, ESTIMATED_CHAR_PX, SEQUENCE_LAYOUT, arrowLabel, cutText, estimateTextWidth, laneWidth, layoutSequence, orderLanes, placeLabel, placeLanes, stepsInTimeOrder } from '../../../src/renderer/lib/dns-sequence';

const client: DnsPeer = { name: 'cis.poly.edu', address: '128.238.2.93', role: 'client' };
const resolver: DnsPeer = { name: 'dns.poly.edu', address: '128.238.29.22', role: 'resolver' };
const root: DnsPeer = { name: 'a.root-servers.net', address: '198.41.0.4', role: 'root' };
const tld: DnsPeer = { name: 'a.edu-servers.net', address: '192.5.6.31', role: 'tld' };
const auth: DnsPeer = { name: 'dns.cs.umass.edu', address: '128.119.240.1', role: 'authoritative' };

function step(atMs: number, kind: DnsLookupStep['kind'], from: DnsPeer, to: DnsPeer, summary: string, connectionId?: number): DnsLookupStep {
  return { atMs, kind, from, to, transport: 'udp', summary, ...(connectionId !== undefined ? { connectionId } : {}) };
}

function lookup(steps: DnsLookupStep[], mode: DnsLookup['mode'] = 'iterative'): DnsLookup {
  return { id: 1, question: 'gaia.cs.umass.edu. A', client, mode, startedAt: 0, durationMs: 11.5, rcode: 'NOERROR', answers: [], fromCache: false, steps };
}

/** The iterative lookup of gaia.cs.umass.edu as the lab logged it (steps copied from a real run). */
const iterative = lookup([
  step(0.15, 'query', client, resolver, 'A gaia.cs.umass.edu.', 1),
  step(1.19, 'query', resolver, root, 'Query 0x6f28 A gaia.cs.umass.edu. (no recursion)', 2),
  step(6.69, 'response', root, resolver, 'Response 0x6f28 A gaia.cs.umass.edu.: referral to edu. (a.edu-servers.net.)', 2),
  step(7.36, 'query', resolver, tld, 'Query 0xee4c A gaia.cs.umass.edu. (no recursion)', 3),
  step(9.23, 'response', tld, resolver, 'Response 0xee4c A gaia.cs.umass.edu.: referral to umass.edu. (dns.cs.umass.edu.)', 3),
  step(9.39, 'query', resolver, auth, 'Query 0xdc29 A gaia.cs.umass.edu. (no recursion)', 4),
  step(11.25, 'response', auth, resolver, 'Response 0xdc29 A gaia.cs.umass.edu.: A 128.119.245.12', 4),
  step(11.46, 'response', resolver, client, 'NOERROR: A 128.119.245.12', 1),
]);

/** The recursive one: each server asks the next. */
const recursive = lookup(
  [
    step(0.02, 'query', client, resolver, 'A gaia.cs.umass.edu.', 6),
    step(0.12, 'query', resolver, root, 'Query 0xeb30 A gaia.cs.umass.edu.', 7),
    step(1.54, 'query', root, tld, 'Query 0x935b A gaia.cs.umass.edu.', 8),
    step(2.15, 'query', tld, auth, 'Query 0x91c5 A gaia.cs.umass.edu.', 9),
    step(3.2, 'response', auth, tld, 'Response 0x91c5 A gaia.cs.umass.edu.: A 128.119.245.12', 9),
    step(3.61, 'response', tld, root, 'Response 0x935b A gaia.cs.umass.edu.: A 128.119.245.12', 8),
    step(4.07, 'response', root, resolver, 'Response 0xeb30 A gaia.cs.umass.edu.: A 128.119.245.12', 7),
    step(16.3, 'response', resolver, client, 'NOERROR: A 128.119.245.12', 6),
  ],
  'recursive',
);

describe('lanes', () => {
  it('are the hosts of the lookup once each, ordered by role as the course draws them', () => {
    expect(orderLanes(iterative).map((p) => p.name)).toEqual(['cis.poly.edu', 'dns.poly.edu', 'a.root-servers.net', 'a.edu-servers.net', 'dns.cs.umass.edu']);
    expect(orderLanes(recursive).map((p) => p.role)).toEqual(['client', 'resolver', 'root', 'tld', 'authoritative']);
  });

  it('order hosts of one role by first appearance, whatever order their roles appeared in', () => {
    const com: DnsPeer = { name: 'a.gtld-servers.net', address: '192.5.6.30', role: 'tld' };
    const ibm: DnsPeer = { name: 'ns1.ibm.com', address: '9.9.9.1', role: 'authoritative' };
    const l = lookup([step(1, 'query', resolver, ibm, 'x'), step(2, 'query', resolver, com, 'x'), step(3, 'query', resolver, tld, 'x'), step(4, 'query', resolver, root, 'x')]);
    expect(orderLanes(l).map((p) => p.name)).toEqual(['cis.poly.edu', 'dns.poly.edu', 'a.root-servers.net', 'a.gtld-servers.net', 'a.edu-servers.net', 'ns1.ibm.com']);
  });

  it('has only the client and the resolver for a cache hit', () => {
    const hit = lookup([step(0.04, 'query', client, resolver, 'A gaia.cs.umass.edu.', 5), step(0.28, 'cache-hit', resolver, resolver, 'cache: gaia.cs.umass.edu. A: 1 record, 3599 s left'), step(0.38, 'response', resolver, client, 'NOERROR: A 128.119.245.12', 5)]);
    expect(orderLanes(hit).map((p) => p.name)).toEqual(['cis.poly.edu', 'dns.poly.edu']);
  });

  it('are each as wide as their widest header line, in the fonts given', () => {
    expect(laneWidth(root)).toBe(Math.ceil('a.root-servers.net'.length * ESTIMATED_CHAR_PX.name));
    expect(laneWidth(client)).toBe(Math.ceil(Math.max('requesting host'.length * ESTIMATED_CHAR_PX.role, 'cis.poly.edu'.length * ESTIMATED_CHAR_PX.name)));
    const wideAddresses = (text: string, font: string) => (font === 'address' ? 1000 : text.length);
    expect(laneWidth(root, wideAddresses)).toBe(1000);
  });

  it('stand far enough apart that neighbouring headers never touch, however narrow the room', () => {
    const L = SEQUENCE_LAYOUT;
    const peers = orderLanes(iterative);
    const widths = peers.map((p) => laneWidth(p));
    const { xs, width } = placeLanes(peers, 0);
    for (let i = 1; i < xs.length; i++) {
      expect(xs[i] - widths[i] / 2 - (xs[i - 1] + widths[i - 1] / 2)).toBeGreaterThanOrEqual(L.laneSpacing - 1);
      expect(xs[i] - xs[i - 1]).toBeGreaterThanOrEqual(L.minLaneGap - 1);
    }
    expect(xs[0] - widths[0] / 2).toBeGreaterThanOrEqual(L.pad - 1);
    expect(width - (xs[xs.length - 1] + widths[widths.length - 1] / 2)).toBeGreaterThanOrEqual(L.pad - 1);
  });

  it('spread over a wider room, no gap beyond maxLaneGap', () => {
    const L = SEQUENCE_LAYOUT;
    const peers = orderLanes(iterative);
    const narrow = placeLanes(peers, 0);
    const wide = placeLanes(peers, 900);
    expect(wide.width).toBeGreaterThan(narrow.width);
    expect(wide.width).toBeLessThanOrEqual(900 + 1);
    const huge = placeLanes(peers, 100_000);
    for (let i = 1; i < huge.xs.length; i++) expect(huge.xs[i] - huge.xs[i - 1]).toBeLessThanOrEqual(L.maxLaneGap + 1);
    expect(placeLanes([], 500)).toEqual({ xs: [], width: 2 * L.pad });
  });

  it('use the measured fonts: narrower text, closer lanes', () => {
    const peers = orderLanes(iterative);
    const narrowFont = (text: string, font: Parameters<typeof estimateTextWidth>[1]) => estimateTextWidth(text, font) * 0.8;
    expect(placeLanes(peers, 0, narrowFont).width).toBeLessThan(placeLanes(peers, 0).width);
  });
});

describe('arrows', () => {
  it('are one row per step in time order, from and to the right lanes', () => {
    const layout = layoutSequence(iterative, 700);
    const x = new Map(layout.lanes.map((l) => [l.peer.name, l.x]));
    expect(layout.rows).toHaveLength(8);
    expect(layout.rows.map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const ys = layout.rows.map((r) => r.y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    expect(new Set(ys).size).toBe(ys.length);
    expect(layout.rows[1]).toMatchObject({ kind: 'query', x1: x.get('dns.poly.edu'), x2: x.get('a.root-servers.net') });
    expect(layout.rows[2]).toMatchObject({ kind: 'response', x1: x.get('a.root-servers.net'), x2: x.get('dns.poly.edu') });
    expect(layout.rows[7]).toMatchObject({ kind: 'response', x1: x.get('dns.poly.edu'), x2: x.get('cis.poly.edu') });
    // Iterative: every arrow after the first starts or ends at the resolver.
    const r = x.get('dns.poly.edu');
    expect(layout.rows.every((row) => row.x1 === r || row.x2 === r)).toBe(true);
    // Recursive: the query goes down the chain root -> TLD -> authoritative.
    const rec = layoutSequence(recursive, 700);
    const rx = new Map(rec.lanes.map((l) => [l.peer.name, l.x]));
    expect(rec.rows[2]).toMatchObject({ x1: rx.get('a.root-servers.net'), x2: rx.get('a.edu-servers.net') });
    expect(rec.rows[3]).toMatchObject({ x1: rx.get('a.edu-servers.net'), x2: rx.get('dns.cs.umass.edu') });
  });

  it('fit in the picture: every lane and label inside its width, the last row inside its height', () => {
    for (const avail of [0, 300, 640, 1200]) {
      const layout = layoutSequence(iterative, avail);
      const L = SEQUENCE_LAYOUT;
      expect(layout.width).toBeGreaterThanOrEqual((layout.lanes.length - 1) * L.minLaneGap);
      for (const lane of layout.lanes) {
        expect(lane.x).toBeGreaterThan(0);
        expect(lane.x).toBeLessThan(layout.width);
      }
      for (const row of layout.rows) {
        const w = row.label.length * ESTIMATED_CHAR_PX.label;
        const left = row.labelAnchor === 'middle' ? row.labelX - w / 2 : row.labelAnchor === 'start' ? row.labelX : row.labelX - w;
        expect(left).toBeGreaterThanOrEqual(L.pad - 0.001);
        expect(left + w).toBeLessThanOrEqual(layout.width - L.pad + 0.001);
        expect(row.y).toBeLessThan(layout.height);
      }
    }
  });

  it('put a cache hit as a mark on the resolver lane with its text beside it', () => {
    const hit = lookup([step(0.04, 'query', client, resolver, 'A gaia.cs.umass.edu.', 5), step(0.28, 'cache-hit', resolver, resolver, 'cache: gaia.cs.umass.edu. A: 1 record, 3599 s left'), step(0.38, 'response', resolver, client, 'NOERROR: A 128.119.245.12', 5)]);
    const layout = layoutSequence(hit, 600);
    const mark = layout.rows[1];
    expect(mark.kind).toBe('cache-hit');
    expect(mark.x1).toBe(mark.x2);
    expect(mark.x1).toBe(layout.lanes[1].x);
    // The resolver is the last lane: the text reads leftwards, towards the room there is.
    expect(mark.labelAnchor).toBe('end');
    expect(mark.label.startsWith('2  cache: gaia.cs.umass.edu. A')).toBe(true);
  });

  it('keep steps logged at the same millisecond in their logged order', () => {
    const a = step(1, 'query', resolver, root, 'first');
    const b = step(1, 'response', root, resolver, 'second');
    const c = step(0.5, 'query', client, resolver, 'zeroth');
    expect(stepsInTimeOrder([a, b, c]).map((s) => s.summary)).toEqual(['zeroth', 'first', 'second']);
  });
});

describe('arrow labels', () => {
  it('leave out the message ID and repeat no question in a reply', () => {
    expect(arrowLabel({ kind: 'query', summary: 'Query 0x6f28 A gaia.cs.umass.edu. (no recursion)' })).toBe('A gaia.cs.umass.edu., RD=0');
    expect(arrowLabel({ kind: 'query', summary: 'Query 0xeb30 A gaia.cs.umass.edu.' })).toBe('A gaia.cs.umass.edu., RD=1');
    expect(arrowLabel({ kind: 'response', summary: 'Response 0x6f28 A gaia.cs.umass.edu.: referral to edu. (a.edu-servers.net.)' })).toBe('referral to edu. (a.edu-servers.net.)');
    expect(arrowLabel({ kind: 'response', summary: 'Response 0xdc29 A gaia.cs.umass.edu.: A 128.119.245.12' })).toBe('A 128.119.245.12');
    expect(arrowLabel({ kind: 'response', summary: 'Response NOTIFY 0x0001 SOA umass.edu.: NOERROR' })).toBe('NOERROR');
    // The resolver's own lines have no prefix and stay as they are.
    expect(arrowLabel({ kind: 'response', summary: 'NOERROR: A 128.119.245.12' })).toBe('NOERROR: A 128.119.245.12');
    expect(arrowLabel({ kind: 'timeout', summary: 'no reply in 2000 ms' })).toBe('no reply: no reply in 2000 ms');
  });

  it('are cut past ARROW_LABEL_MAX_CHARS, and to the picture when it is narrower', () => {
    const long = `Response 0x0001 TXT x.: ${'t'.repeat(200)}`;
    const label = arrowLabel({ kind: 'response', summary: long });
    expect(label).toHaveLength(ARROW_LABEL_MAX_CHARS);
    expect(label.endsWith('…')).toBe(true);
    expect(arrowLabel({ kind: 'response', summary: `Response 0x0001 TXT x.: ${'t'.repeat(ARROW_LABEL_MAX_CHARS)}` })).toHaveLength(ARROW_LABEL_MAX_CHARS);
    expect(arrowLabel({ kind: 'response', summary: `Response 0x0001 TXT x.: ${'t'.repeat(ARROW_LABEL_MAX_CHARS - 1)}` }).endsWith('…')).toBe(false);
    const placed = placeLabel('x'.repeat(100), 50, 200);
    expect(placed.label.length * ESTIMATED_CHAR_PX.label).toBeLessThanOrEqual(200 - 2 * SEQUENCE_LAYOUT.pad);
    expect(placed.label.endsWith('…')).toBe(true);
  });

  it('cutText marks the cut and handles tiny room', () => {
    expect(cutText('abcdef', 6)).toBe('abcdef');
    expect(cutText('abcdef', 4)).toBe('abc…');
    expect(cutText('abcdef', 1)).toBe('…');
    expect(cutText('abcdef', 0)).toBe('');
  });
});
