// The resolution view's picture as numbers: one lane per host a lookup involved (ordered as the
// course draws them: the asking host, the local name server, root, TLD, authoritative), and one
// row per step in time order, each an arrow between two lanes or a mark on one. The SVG in
// DnsLookupsTab only draws what this computes, so the layout is tested without a browser.

import { formatQuestionLine } from '../../protocols/dns/summary';
import type { DnsLookup, DnsLookupStep, DnsPeer, DnsRole } from '../../shared/dns';

/** Left to right, the places in the hierarchy the course's iterated and recursive diagrams show. */
export const DNS_ROLE_ORDER: readonly DnsRole[] = ['client', 'resolver', 'root', 'tld', 'authoritative'];

export const DNS_ROLE_LABEL: Readonly<Record<DnsRole, string>> = {
  client: 'requesting host',
  resolver: 'local DNS server',
  root: 'root',
  tld: 'TLD',
  authoritative: 'authoritative',
};

/** Pixel sizes of the diagram; the CSS of `.dns-seq` uses the same fonts and sizes. */
export const SEQUENCE_LAYOUT = {
  /** Lanes closer than this leave too short an arrow to read its direction. */
  minLaneGap: 90,
  /**
   * With the headers on two rows (a narrow panel, or many lanes), lanes may come this close: the
   * arrow between two neighbours is still several times as long as its head (8 px).
   */
  minStaggeredLaneGap: 56,
  /** The second row of headers sits this far below the first. */
  staggerDrop: 44,
  /** An upper lane's lifeline passes this far at least from a lower header's text. */
  lifelineClearance: 4,
  /** Clear space between the headers of two neighbouring lanes. */
  laneSpacing: 10,
  /** Lanes do not spread further apart than this when the panel is wide. */
  maxLaneGap: 220,
  /** Space kept clear at both ends of a label and at the picture's edges. */
  pad: 6,
  /** Role, name and address above the lanes. */
  headerHeight: 56,
  /** One step per row: its label above, its arrow below. */
  rowHeight: 38,
  /** The arrow sits this far below the top of its row; the label just above it. */
  arrowOffset: 26,
  bottomPad: 14,
  /** A mark's text starts this far from its lane. */
  markTextGap: 14,
} as const;

/** The four kinds of text in the picture, each with its own font in `.dns-seq`. */
export type SequenceFont = 'role' | 'name' | 'address' | 'label';

/** Width in pixels of a text in one of the picture's fonts. */
export type TextMeasure = (text: string, font: SequenceFont) => number;

/**
 * Average character widths of the fonts, measured on DejaVu Sans (a wide font; most others are
 * narrower): used where the real fonts cannot be measured (tests, first paint).
 */
export const ESTIMATED_CHAR_PX: Readonly<Record<SequenceFont, number>> = { role: 6, name: 7.1, address: 6.4, label: 6.7 };

export const estimateTextWidth: TextMeasure = (text, font) => text.length * ESTIMATED_CHAR_PX[font];

/** Characters of an arrow label at most; the step list below the picture has the whole summary. */
export const ARROW_LABEL_MAX_CHARS = 60;

const ELLIPSIS = '…';

export interface SequenceLane {
  /** Stable key: the host's address (its name when it has none). */
  key: string;
  peer: DnsPeer;
  x: number;
  /** Which row its header is on: 0, or 1 (lower) for every other lane when the headers are staggered. */
  tier: 0 | 1;
  /**
   * Where its lifeline starts: right under its own header when no lower header is in the way (so
   * an upper header visibly owns its line), else with the others under both rows.
   */
  lifelineTop: number;
}

export type SequenceRowKind = 'query' | 'response' | 'cache-hit' | 'timeout';

export interface SequenceRow {
  /** 1-based step number, shown on the arrow and in the step list. */
  n: number;
  step: DnsLookupStep;
  kind: SequenceRowKind;
  /** y of the arrow (or the mark). */
  y: number;
  /** From and to lane centres; equal for a mark on one lane (a cache hit). */
  x1: number;
  x2: number;
  /** Text drawn with the arrow, cut to fit the picture. */
  label: string;
  labelX: number;
  labelAnchor: 'start' | 'middle' | 'end';
}

export interface SequenceLayout {
  width: number;
  height: number;
  lanes: SequenceLane[];
  rows: SequenceRow[];
  /** Where the lifelines start (below the lane headers). */
  lifelineTop: number;
  /** The headers are on two rows (every other lane lower), so the lanes could stand closer. */
  staggered: boolean;
}

function laneKey(peer: DnsPeer): string {
  return peer.address || peer.name;
}

function roleRank(role: DnsRole): number {
  const i = DNS_ROLE_ORDER.indexOf(role);
  return i < 0 ? DNS_ROLE_ORDER.length : i;
}

/** Every host of the lookup once, by role, and within a role in the order they first appear. */
export function orderLanes(lookup: Pick<DnsLookup, 'client' | 'steps'>): DnsPeer[] {
  const seen = new Map<string, { peer: DnsPeer; first: number }>();
  const add = (peer: DnsPeer) => {
    const key = laneKey(peer);
    if (!seen.has(key)) seen.set(key, { peer, first: seen.size });
  };
  add(lookup.client);
  for (const s of lookup.steps) {
    add(s.from);
    add(s.to);
  }
  return [...seen.values()].sort((a, b) => roleRank(a.peer.role) - roleRank(b.peer.role) || a.first - b.first).map((e) => e.peer);
}

/** Steps by time; steps logged at the same millisecond keep the order they were logged in. */
export function stepsInTimeOrder(steps: readonly DnsLookupStep[]): DnsLookupStep[] {
  return steps
    .map((step, i) => ({ step, i }))
    .sort((a, b) => a.step.atMs - b.step.atMs || a.i - b.i)
    .map((e) => e.step);
}

/**
 * What an arrow says, shorter than the step's summary, as in the course's pictures: a query
 * between name servers is its question and its RD bit, which tells the two schemes apart (RD=1:
 * each server asks the next one to find the answer for it); a reply between them is what it
 * brought back, without the message ID (in the step list) or the question again. The requesting
 * host's own query and the answer it gets keep the resolver's words: its RD is set in both
 * schemes, and that answer sums up the whole lookup.
 */
export function arrowLabel(step: Pick<DnsLookupStep, 'kind' | 'from' | 'to' | 'summary' | 'message'>): string {
  let text = step.summary.trim();
  const m = step.message;
  if (m && step.from.role !== 'client' && step.to.role !== 'client') {
    if (step.kind === 'response' && m.outcome !== undefined) text = m.outcome;
    else if (step.kind === 'query' && m.question) text = `${formatQuestionLine(m.question.type, m.question.name)}, RD=${m.recursionDesired ? 1 : 0}`;
  }
  if (step.kind === 'timeout' && !/^no reply\b/.test(text)) text = `no reply: ${text}`;
  return cutText(text, ARROW_LABEL_MAX_CHARS);
}

/** The text with at most `max` characters, an ellipsis marking the cut. */
export function cutText(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  return max === 1 ? ELLIPSIS : `${text.slice(0, max - 1)}${ELLIPSIS}`;
}

/** The width a lane's header takes: the widest of its role, name and address. */
export function laneWidth(peer: DnsPeer, measure: TextMeasure = estimateTextWidth): number {
  return Math.ceil(Math.max(measure(DNS_ROLE_LABEL[peer.role], 'role'), measure(peer.name, 'name'), measure(peer.address, 'address')));
}

export interface PlacedLanes {
  xs: number[];
  width: number;
  /** Each lane's header row (see SequenceLane.tier). */
  tiers: Array<0 | 1>;
  staggered: boolean;
}

/** Room left of `availableWidth` shared out over the gaps (each up to maxLaneGap) and the margins. */
function spread(gaps: number[], left: number, right: number, availableWidth: number, lanes: number): { gaps: number[]; left: number; right: number } {
  const L = SEQUENCE_LAYOUT;
  const natural = left + gaps.reduce((a, b) => a + b, 0) + right;
  const extra = availableWidth - natural;
  if (extra <= 0) return { gaps, left, right };
  // Spread as equal columns would: each gap gets a share, each margin half a share.
  const share = extra / lanes;
  const wider = gaps.map((g) => Math.max(g, Math.min(L.maxLaneGap, g + share)));
  const used = wider.reduce((a, b) => a + b, 0);
  const margin = Math.max(0, (availableWidth - used - left - right) / 2);
  return { gaps: wider, left: left + Math.min(margin, L.maxLaneGap / 2), right: right + Math.min(margin, L.maxLaneGap / 2) };
}

function centres(left: number, gaps: readonly number[], right: number): { xs: number[]; width: number } {
  const xs = [Math.round(left)];
  for (const g of gaps) xs.push(Math.round(xs[xs.length - 1] + g));
  return { xs, width: Math.ceil(xs[xs.length - 1] + right) };
}

/**
 * Lane centres: each pair of neighbours far enough apart for their headers not to touch (and at
 * least minLaneGap), then any room left of `availableWidth` shared out, up to maxLaneGap a gap.
 * When that is wider than the room and there are three lanes or more, every other header goes one
 * row lower: then only lanes two apart must keep their headers clear of each other, and
 * neighbours may come as close as minStaggeredLaneGap. A picture still wider than the room scrolls.
 */
export function placeLanes(peers: readonly DnsPeer[], availableWidth: number, measure: TextMeasure = estimateTextWidth): PlacedLanes {
  const L = SEQUENCE_LAYOUT;
  if (peers.length === 0) return { xs: [], width: 2 * L.pad, tiers: [], staggered: false };
  const widths = peers.map((p) => laneWidth(p, measure));
  const last = widths.length - 1;
  const flatGaps = widths.slice(1).map((w, i) => Math.max(L.minLaneGap, (widths[i] + w) / 2 + L.laneSpacing));
  const flatLeft = L.pad + widths[0] / 2;
  const flatRight = L.pad + widths[last] / 2;
  const flatWidth = flatLeft + flatGaps.reduce((a, b) => a + b, 0) + flatRight;
  if (flatWidth <= availableWidth || peers.length < 3) {
    const s = spread(flatGaps, flatLeft, flatRight, availableWidth, peers.length);
    return { ...centres(s.left, s.gaps, s.right), tiers: peers.map(() => 0), staggered: false };
  }
  // Lanes i and i + 2 share a header row: the two gaps between them keep those headers apart.
  const pairNeed = widths.slice(2).map((w, i) => (widths[i] + w) / 2 + L.laneSpacing);
  const gaps = flatGaps.map((_, i) => Math.max(L.minStaggeredLaneGap, (pairNeed[i - 1] ?? 0) / 2, (pairNeed[i] ?? 0) / 2));
  // A lower header wider than the gap beside the edge must not stick out of the picture.
  const left = L.pad + Math.max(widths[0] / 2, widths[1] / 2 - gaps[0]);
  const right = L.pad + Math.max(widths[last] / 2, widths[last - 1] / 2 - gaps[last - 1]);
  const s = spread(gaps, left, right, availableWidth, peers.length);
  return { ...centres(s.left, s.gaps, s.right), tiers: peers.map((_, i) => (i % 2) as 0 | 1), staggered: true };
}

/** The text cut to at most `room` pixels of the label font (monospace: every character as wide). */
function fitLabel(text: string, room: number, charPx: number): string {
  return cutText(text, Math.floor(Math.max(0, room) / charPx));
}

/**
 * Places a label of `text` around `centre` inside [pad, width - pad]: centred when it fits,
 * pushed inwards at an edge, cut when even the whole width is too narrow.
 */
export function placeLabel(text: string, centre: number, width: number, charPx: number = ESTIMATED_CHAR_PX.label): { label: string; x: number } {
  const L = SEQUENCE_LAYOUT;
  const label = fitLabel(text, width - 2 * L.pad, charPx);
  const half = (label.length * charPx) / 2;
  const x = Math.min(width - L.pad - half, Math.max(L.pad + half, centre));
  return { label, x };
}

/** The whole picture for a lookup, spread over `availableWidth` when there is room. */
export function layoutSequence(lookup: Pick<DnsLookup, 'client' | 'steps'>, availableWidth: number, measure: TextMeasure = estimateTextWidth): SequenceLayout {
  const L = SEQUENCE_LAYOUT;
  const peers = orderLanes(lookup);
  const placed = placeLanes(peers, availableWidth, measure);
  const width = placed.width;
  const charPx = measure('0123456789', 'label') / 10 || ESTIMATED_CHAR_PX.label;
  const headerHeight = L.headerHeight + (placed.staggered ? L.staggerDrop : 0);
  const widths = peers.map((p) => laneWidth(p, measure));
  const clearOfLowerHeaders = (i: number) =>
    [i - 1, i + 1].every((j) => j < 0 || j >= peers.length || Math.abs(placed.xs[j] - placed.xs[i]) - widths[j] / 2 >= L.lifelineClearance);
  const lanes: SequenceLane[] = peers.map((peer, i) => ({
    key: laneKey(peer),
    peer,
    x: placed.xs[i],
    tier: placed.tiers[i],
    lifelineTop: placed.staggered && placed.tiers[i] === 0 && clearOfLowerHeaders(i) ? L.headerHeight - 4 : headerHeight - 4,
  }));
  const xOf = new Map(lanes.map((l) => [l.key, l.x]));
  const steps = stepsInTimeOrder(lookup.steps);
  const rows: SequenceRow[] = steps.map((step, i) => {
    const n = i + 1;
    const y = headerHeight + i * L.rowHeight + L.arrowOffset;
    const x1 = xOf.get(laneKey(step.from)) ?? 0;
    const x2 = xOf.get(laneKey(step.to)) ?? 0;
    const text = `${n}  ${arrowLabel(step)}`;
    if (x1 === x2) {
      // A mark on one lane: its text reads rightwards from the mark, or leftwards where there is more room.
      const roomRight = width - x1 - L.markTextGap - L.pad;
      const roomLeft = x1 - L.markTextGap - L.pad;
      const right = roomRight >= roomLeft;
      const label = fitLabel(text, right ? roomRight : roomLeft, charPx);
      return { n, step, kind: step.kind, y, x1, x2, label, labelX: right ? x1 + L.markTextGap : x1 - L.markTextGap, labelAnchor: right ? 'start' : 'end' };
    }
    const at = placeLabel(text, (x1 + x2) / 2, width, charPx);
    return { n, step, kind: step.kind, y, x1, x2, label: at.label, labelX: at.x, labelAnchor: 'middle' };
  });
  return { width, height: headerHeight + steps.length * L.rowHeight + L.bottomPad, lanes, rows, lifelineTop: headerHeight - 4, staggered: placed.staggered };
}

/**
 * A picture a little wider than its box is drawn smaller to fit: at 80 % its names are 9.2 px and
 * its labels 8.8 px, still readable. Below that it keeps this scale and scrolls sideways.
 */
export const MIN_FIT_SCALE = 0.8;

/** How a picture `width` px wide is shown in a box with `room` px: its scale, and whether it scrolls. */
export function sequenceFit(width: number, room: number): { scale: number; scrolls: boolean } {
  if (!(room > 0) || width <= room) return { scale: 1, scrolls: false };
  const scale = room / width;
  return scale >= MIN_FIT_SCALE ? { scale, scrolls: false } : { scale: MIN_FIT_SCALE, scrolls: true };
}
