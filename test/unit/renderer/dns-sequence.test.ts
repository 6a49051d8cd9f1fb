import { describe, expect, it } from 'vitest';
import type { DnsLookup, DnsLookupStep, DnsPeer, DnsStepMessage } from '../../../src/shared/dns';
import { ARROW_LABEL_MAX_CHARS, ESTIMATED_CHAR_PX, MIN_FIT_SCALE, SEQUENCE_LAYOUT, arrowLabel, cutText, estimateTextWidth, laneWidth, layoutSequence, orderLanes, placeLabel, placeLanes, sequenceFit, stepsInTimeOrder } from '../../../src/renderer/lib/dns-sequence';
import { answerFacts, queryFacts, question, referralFacts } from '../../support/dns-steps';

const client: DnsPeer = { name: 'cis.poly.edu', address: '128.238.2.93', role: 'client' };
const resolver: DnsPeer = { name: 'dns.poly.edu', address: '128.238.29.22', role: 'resolver' };
const root: DnsPeer = { name: 'a.root-servers.net', address: '198.41.0.4', role: 'root' };
const tld: DnsPeer = { name: 'a.edu-servers.net', address: '192.5.6.31', role: 'tld' };
const auth: DnsPeer = { name: 'dns.cs.umass.edu', address: '128.119.240.1', role: 'authoritative' };

function step(atMs: number, kind: DnsLookupStep['kind'], from: DnsPeer, to: DnsPeer, summary: string, connectionId?: number, message?: DnsStepMessage): DnsLookupStep {
  return { atMs, kind, from, to, transport: 'udp', summary, ...(connectionId !== undefined ? { connectionId } : {}), ...(message ? { message } : {}) };
}

const gaia = question('A', 'gaia.cs.umass.edu.');

function lookup(steps: DnsLookupStep[], mode: DnsLookup['mode'] = 'iterative'): DnsLookup {
  return { id: 1, question: 'gaia.cs.umass.edu. A', client, mode, startedAt: 0, durationMs: 11.5, rcode: 'NOERROR', answers: [], fromCache: false, steps };
}

/** The iterative lookup of gaia.cs.umass.edu as the lab logged it (steps copied from a real run). */
const iterative = lookup([
  step(0.15, 'query', client, resolver, 'A gaia.cs.umass.edu.', 1, queryFacts(0x1a2b, gaia, true)),
  step(1.19, 'query', resolver, root, 'Query 0x6f28 A gaia.cs.umass.edu. (no recursion)', 2, queryFacts(0x6f28, gaia, false)),
  step(6.69, 'response', root, resolver, 'Response 0x6f28 A gaia.cs.umass.edu.: referral to edu. (a.edu-servers.net.)', 2, referralFacts(0x6f28, gaia, 'edu.', ['a.edu-servers.net.'])),
  step(7.36, 'query', resolver, tld, 'Query 0xee4c A gaia.cs.umass.edu. (no recursion)', 3, queryFacts(0xee4c, gaia, false)),
  step(9.23, 'response', tld, resolver, 'Response 0xee4c A gaia.cs.umass.edu.: referral to umass.edu. (dns.cs.umass.edu.)', 3, referralFacts(0xee4c, gaia, 'umass.edu.', ['dns.cs.umass.edu.'])),
  step(9.39, 'query', resolver, auth, 'Query 0xdc29 A gaia.cs.umass.edu. (no recursion)', 4, queryFacts(0xdc29, gaia, false)),
  step(11.25, 'response', auth, resolver, 'Response 0xdc29 A gaia.cs.umass.edu.: A 128.119.245.12', 4, answerFacts(0xdc29, gaia, 'A 128.119.245.12')),
  step(11.46, 'response', resolver, client, 'NOERROR: A 128.119.245.12', 1, answerFacts(0x1a2b, gaia, 'A 128.119.245.12', true)),
]);

/** The recursive one: each server asks the next. */
const recursive = lookup(
  [
    step(0.02, 'query', client, resolver, 'A gaia.cs.umass.edu.', 6, queryFacts(0x2c4d, gaia, true)),
    step(0.12, 'query', resolver, root, 'Query 0xeb30 A gaia.cs.umass.edu.', 7, queryFacts(0xeb30, gaia, true)),
    step(1.54, 'query', root, tld, 'Query 0x935b A gaia.cs.umass.edu.', 8, queryFacts(0x935b, gaia, true)),
    step(2.15, 'query', tld, auth, 'Query 0x91c5 A gaia.cs.umass.edu.', 9, queryFacts(0x91c5, gaia, true)),
    step(3.2, 'response', auth, tld, 'Response 0x91c5 A gaia.cs.umass.edu.: A 128.119.245.12', 9, answerFacts(0x91c5, gaia, 'A 128.119.245.12', true)),
    step(3.61, 'response', tld, root, 'Response 0x935b A gaia.cs.umass.edu.: A 128.119.245.12', 8, answerFacts(0x935b, gaia, 'A 128.119.245.12', true)),
    step(4.07, 'response', root, resolver, 'Response 0xeb30 A gaia.cs.umass.edu.: A 128.119.245.12', 7, answerFacts(0xeb30, gaia, 'A 128.119.245.12', true)),
    step(16.3, 'response', resolver, client, 'NOERROR: A 128.119.245.12', 6, answerFacts(0x2c4d, gaia, 'A 128.119.245.12', true)),
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

  it('stand far enough apart that neighbouring headers never touch when the room allows one row of headers', () => {
    const L = SEQUENCE_LAYOUT;
    const peers = orderLanes(iterative);
    const widths = peers.map((p) => laneWidth(p));
    const { xs, width, tiers, staggered } = placeLanes(peers, 900);
    expect(staggered).toBe(false);
    expect(tiers).toEqual([0, 0, 0, 0, 0]);
    for (let i = 1; i < xs.length; i++) {
      expect(xs[i] - widths[i] / 2 - (xs[i - 1] + widths[i - 1] / 2)).toBeGreaterThanOrEqual(L.laneSpacing - 1);
      expect(xs[i] - xs[i - 1]).toBeGreaterThanOrEqual(L.minLaneGap - 1);
    }
    expect(xs[0] - widths[0] / 2).toBeGreaterThanOrEqual(L.pad - 1);
    expect(width - (xs[xs.length - 1] + widths[widths.length - 1] / 2)).toBeGreaterThanOrEqual(L.pad - 1);
  });

  it('put every other header one row lower when one row does not fit, so the lanes stand closer', () => {
    const L = SEQUENCE_LAYOUT;
    const peers = orderLanes(iterative);
    const widths = peers.map((p) => laneWidth(p));
    const flat = placeLanes(peers, 900);
    const tight = placeLanes(peers, 0);
    expect(tight.staggered).toBe(true);
    expect(tight.tiers).toEqual([0, 1, 0, 1, 0]);
    expect(tight.width).toBeLessThan(flat.width);
    for (let i = 1; i < tight.xs.length; i++) expect(tight.xs[i] - tight.xs[i - 1]).toBeGreaterThanOrEqual(L.minStaggeredLaneGap - 1);
    // Headers on the same row (two lanes apart) never touch; none sticks out of the picture.
    for (let i = 2; i < tight.xs.length; i++) {
      expect(tight.xs[i] - widths[i] / 2 - (tight.xs[i - 2] + widths[i - 2] / 2)).toBeGreaterThanOrEqual(L.laneSpacing - 1);
    }
    for (let i = 0; i < tight.xs.length; i++) {
      expect(tight.xs[i] - widths[i] / 2).toBeGreaterThanOrEqual(L.pad - 1);
      expect(tight.xs[i] + widths[i] / 2).toBeLessThanOrEqual(tight.width - L.pad + 1);
    }
    // The panel's opening width (440 px, about 400 px of picture) holds five lanes on two rows.
    expect(tight.width).toBeLessThanOrEqual(400);
    // Two lanes never need a second row.
    expect(placeLanes(peers.slice(0, 2), 0).staggered).toBe(false);
  });

  it('switch to two rows exactly where one row stops fitting', () => {
    const peers = orderLanes(iterative);
    const natural = placeLanes(peers, 900);
    // At its natural width (no room left to share out) the one-row picture still fits.
    let w = natural.width;
    while (w > 0 && !placeLanes(peers, w - 1).staggered) w--;
    expect(placeLanes(peers, w).staggered).toBe(false);
    expect(placeLanes(peers, w).width).toBeLessThanOrEqual(w + 1);
    expect(placeLanes(peers, w - 1).staggered).toBe(true);
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
    expect(placeLanes([], 500)).toEqual({ xs: [], width: 2 * L.pad, tiers: [], staggered: false });
  });

  it('use the measured fonts: narrower text, closer lanes', () => {
    const peers = orderLanes(iterative);
    const narrowFont = (text: string, font: Parameters<typeof estimateTextWidth>[1]) => estimateTextWidth(text, font) * 0.8;
    expect(placeLanes(peers, 0, narrowFont).width).toBeLessThan(placeLanes(peers, 0).width);
  });
});

describe('a picture with its headers on two rows', () => {
  const nz1: DnsPeer = { name: 'ns1.dns.net.nz', address: '202.46.190.130', role: 'tld' };
  const nz2: DnsPeer = { name: 'ns.ac.nz', address: '202.46.190.140', role: 'tld' };
  const massey: DnsPeer = { name: 'ns1.massey.ac.nz', address: '130.123.1.1', role: 'authoritative' };
  /** The reverse lookup of 130.123.128.201: a referral without glue sends the resolver down .nz first. */
  const reverse = lookup([
    step(0.04, 'query', client, resolver, 'PTR 201.128.123.130.in-addr.arpa.', 1),
    step(0.28, 'query', resolver, root, 'Query 0x5196 PTR 201.128.123.130.in-addr.arpa. (no recursion)', 2),
    step(31.4, 'response', root, resolver, 'Response 0x5196 PTR 201.128.123.130.in-addr.arpa.: referral to 123.130.in-addr.arpa. (ns1.massey.ac.nz.)', 2),
    step(31.7, 'query', resolver, root, 'Query 0x747e A ns1.massey.ac.nz. (no recursion)', 3),
    step(42.6, 'response', root, resolver, 'Response 0x747e A ns1.massey.ac.nz.: referral to nz. (ns1.dns.net.nz.)', 3),
    step(42.8, 'query', resolver, nz1, 'Query 0xca15 A ns1.massey.ac.nz. (no recursion)', 4),
    step(62.6, 'response', nz1, resolver, 'Response 0xca15 A ns1.massey.ac.nz.: referral to ac.nz. (ns.ac.nz.)', 4),
    step(62.8, 'query', resolver, nz2, 'Query 0x903b A ns1.massey.ac.nz. (no recursion)', 5),
    step(71.8, 'response', nz2, resolver, 'Response 0x903b A ns1.massey.ac.nz.: referral to massey.ac.nz. (ns1.massey.ac.nz.)', 5),
    step(72.1, 'query', resolver, massey, 'Query 0xa1b9 A ns1.massey.ac.nz. (no recursion)', 6),
    step(79.3, 'response', massey, resolver, 'Response 0xa1b9 A ns1.massey.ac.nz.: A 130.123.1.1', 6),
    step(79.5, 'query', resolver, massey, 'Query 0x1c2d PTR 201.128.123.130.in-addr.arpa. (no recursion)', 7),
    step(88.1, 'response', massey, resolver, 'Response 0x1c2d PTR 201.128.123.130.in-addr.arpa.: PTR proxy.massey.ac.nz.', 7),
    step(88.3, 'response', resolver, client, 'NOERROR: PTR proxy.massey.ac.nz.', 1),
  ]);

  it('fits the six lanes of the reverse lookup in about the panel’s opening width', () => {
    const layout = layoutSequence(reverse, 400);
    expect(layout.lanes.map((l) => l.peer.name)).toEqual(['cis.poly.edu', 'dns.poly.edu', 'a.root-servers.net', 'ns1.dns.net.nz', 'ns.ac.nz', 'ns1.massey.ac.nz']);
    expect(layout.staggered).toBe(true);
    // The estimated font (DejaVu Sans) runs wider than the page's measured one; the e2e test checks
    // that the real picture fits the panel's 410 px or so without scrolling.
    expect(layout.width).toBeLessThanOrEqual(420);
    expect(layout.lanes.map((l) => l.tier)).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it('starts the arrows below both rows of headers, and an upper lane’s line right under its own header', () => {
    const L = SEQUENCE_LAYOUT;
    const flat = layoutSequence(iterative, 900);
    const two = layoutSequence(iterative, 0);
    expect(flat.staggered).toBe(false);
    expect(two.staggered).toBe(true);
    expect(two.lifelineTop - flat.lifelineTop).toBe(L.staggerDrop);
    expect(two.rows[0].y - flat.rows[0].y).toBe(L.staggerDrop);
    expect(two.height - flat.height).toBe(L.staggerDrop);
    for (const lane of flat.lanes) expect(lane.lifelineTop).toBe(flat.lifelineTop);
    for (const lane of two.lanes) {
      if (lane.tier === 1) expect(lane.lifelineTop).toBe(two.lifelineTop);
      else expect([L.headerHeight - 4, two.lifelineTop]).toContain(lane.lifelineTop);
    }
    // An upper lane's line starts high only where no lower header covers it.
    const widths = two.lanes.map((l) => laneWidth(l.peer));
    two.lanes.forEach((lane, i) => {
      if (lane.tier !== 0 || lane.lifelineTop === two.lifelineTop) return;
      for (const j of [i - 1, i + 1]) {
        if (j >= 0 && j < two.lanes.length) expect(Math.abs(two.lanes[j].x - lane.x) - widths[j] / 2).toBeGreaterThanOrEqual(L.lifelineClearance);
      }
    });
  });

  it('is wider than the room when even two rows cannot hold the lanes: drawn smaller, then scrolled', () => {
    const many: DnsPeer[] = Array.from({ length: 9 }, (_, i) => ({ name: `ns${i}.very-long-server-name.example`, address: `10.0.0.${i}`, role: 'authoritative' }));
    const big = lookup(many.map((p, i) => step(i + 1, 'query', resolver, p, `Query 0x000${i} A x.example. (no recursion)`, i + 2)));
    const layout = layoutSequence(big, 400);
    expect(layout.staggered).toBe(true);
    expect(layout.width).toBeGreaterThan(400 / MIN_FIT_SCALE);
    expect(sequenceFit(layout.width, 400)).toEqual({ scale: MIN_FIT_SCALE, scrolls: true });
  });

  it('draws a picture that fits at its own size, a slightly wider one smaller, down to MIN_FIT_SCALE', () => {
    expect(sequenceFit(400, 400)).toEqual({ scale: 1, scrolls: false });
    expect(sequenceFit(300, 400)).toEqual({ scale: 1, scrolls: false });
    expect(sequenceFit(440, 400)).toEqual({ scale: 400 / 440, scrolls: false });
    expect(sequenceFit(500, 400)).toEqual({ scale: MIN_FIT_SCALE, scrolls: false });
    expect(sequenceFit(501, 400)).toEqual({ scale: MIN_FIT_SCALE, scrolls: true });
    // Not measured yet: as it is.
    expect(sequenceFit(500, 0)).toEqual({ scale: 1, scrolls: false });
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
      expect(layout.width).toBeGreaterThanOrEqual((layout.lanes.length - 1) * (layout.staggered ? L.minStaggeredLaneGap : L.minLaneGap));
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
  const labels = (l: DnsLookup) => stepsInTimeOrder(l.steps).map(arrowLabel);

  it('give a query between servers its question and RD, a reply between them what it brought, and the host’s own exchange in the resolver’s words', () => {
    expect(labels(iterative)).toEqual([
      'A gaia.cs.umass.edu.',
      'A gaia.cs.umass.edu., RD=0',
      'referral to edu. (a.edu-servers.net.)',
      'A gaia.cs.umass.edu., RD=0',
      'referral to umass.edu. (dns.cs.umass.edu.)',
      'A gaia.cs.umass.edu., RD=0',
      'A 128.119.245.12',
      'NOERROR: A 128.119.245.12',
    ]);
    expect(labels(recursive)).toEqual([
      'A gaia.cs.umass.edu.',
      'A gaia.cs.umass.edu., RD=1',
      'A gaia.cs.umass.edu., RD=1',
      'A gaia.cs.umass.edu., RD=1',
      'A 128.119.245.12',
      'A 128.119.245.12',
      'A 128.119.245.12',
      'NOERROR: A 128.119.245.12',
    ]);
    // The host's query without RD keeps the resolver's words for it.
    expect(arrowLabel(step(0, 'query', client, resolver, 'A x. (no recursion: from the cache only)', 1, queryFacts(1, question('A', 'x.'), false)))).toBe('A x. (no recursion: from the cache only)');
    expect(arrowLabel(step(0, 'timeout', auth, resolver, 'the lab is stopping'))).toBe('no reply: the lab is stopping');
    // Said once, when the reason says it already.
    expect(arrowLabel(step(0, 'timeout', auth, resolver, 'no reply in 2000 ms'))).toBe('no reply in 2000 ms');
    expect(arrowLabel(step(0, 'cache-hit', resolver, resolver, 'cache: gaia.cs.umass.edu. A, 3599 s left'))).toBe('cache: gaia.cs.umass.edu. A, 3599 s left');
  });

  it('come from the message facts, not from the summary’s words', () => {
    const reworded = (l: DnsLookup) => ({ ...l, steps: l.steps.map((s) => ({ ...s, summary: s.from.role === 'client' || s.to.role === 'client' ? s.summary : 'in other words' })) });
    expect(labels(reworded(iterative))).toEqual(labels(iterative));
    expect(labels(reworded(recursive))).toEqual(labels(recursive));
    // A step between servers without facts shows its whole summary.
    expect(arrowLabel(step(0, 'query', resolver, root, 'Query 0x6f28 A gaia.cs.umass.edu. (no recursion)', 2))).toBe('Query 0x6f28 A gaia.cs.umass.edu. (no recursion)');
  });

  it('are cut past ARROW_LABEL_MAX_CHARS, and to the picture when it is narrower', () => {
    const txt = (n: number) => step(0, 'response', auth, resolver, 'Response 0x0001 TXT x.: …', 4, answerFacts(1, question('TXT', 'x.'), 't'.repeat(n)));
    const label = arrowLabel(txt(200));
    expect(label).toHaveLength(ARROW_LABEL_MAX_CHARS);
    expect(label.endsWith('…')).toBe(true);
    expect(arrowLabel(txt(ARROW_LABEL_MAX_CHARS))).toHaveLength(ARROW_LABEL_MAX_CHARS);
    expect(arrowLabel(txt(ARROW_LABEL_MAX_CHARS)).endsWith('…')).toBe(false);
    expect(arrowLabel(txt(ARROW_LABEL_MAX_CHARS + 1)).endsWith('…')).toBe(true);
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
