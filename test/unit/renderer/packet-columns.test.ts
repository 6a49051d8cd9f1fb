import { describe, expect, it } from 'vitest';
import type { MessageSummary } from '../../../src/shared/capture';
import {
  CELL_PADDING_PX,
  INITIAL_EXTENTS,
  MAX_ENDPOINT_CHARS,
  MIN_ENDPOINT_CHARS,
  MIN_INFO_CHARS,
  MIN_RESIZED_COLUMN_PX,
  MIN_TIME_CHARS,
  PACKET_COLUMNS,
  columnLayout,
  extendExtents,
} from '../../../src/renderer/lib/packet-columns';

const pad = `${CELL_PADDING_PX}px`;

function row(over: Partial<MessageSummary> = {}): Pick<MessageSummary, 'id' | 't' | 'source' | 'destination' | 'protocol' | 'length'> {
  return { id: 1, t: 31_479, source: 'cis.poly.edu:45762', destination: 'gaia.cs.umass.edu:13', protocol: 'daytime', length: 43, ...over };
}

/** The track sizes of a template, one per column, split at top-level spaces. */
function tracks(template: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of template) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ' ' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function track(template: string, id: string): string {
  return tracks(template)[PACKET_COLUMNS.findIndex((c) => c.id === id)];
}

describe('packet list columns', () => {
  it('has one track per column, Info last and taking the rest', () => {
    const { template } = columnLayout(INITIAL_EXTENTS);
    expect(tracks(template)).toHaveLength(PACKET_COLUMNS.length);
    expect(PACKET_COLUMNS.map((c) => c.id)).toEqual(['num', 'time', 'source', 'destination', 'protocol', 'length', 'pair', 'info']);
    expect(track(template, 'info')).toBe(`minmax(calc(${MIN_INFO_CHARS}ch + ${pad}), 1fr)`);
  });

  it('gives Source and Destination room for the widest end seen, whole', () => {
    const e = extendExtents(INITIAL_EXTENTS, row({ source: 'www-net.cs.umass.edu:49152', destination: 'gaia.cs.umass.edu:80' }));
    expect(e.endpointChars).toBe('www-net.cs.umass.edu:49152'.length);
    const { template } = columnLayout(e);
    // One ch of air after the longest name; may shrink to the floor when the pane is narrow.
    expect(track(template, 'source')).toBe(`minmax(calc(${MIN_ENDPOINT_CHARS}ch + ${pad}), calc(${'www-net.cs.umass.edu:49152'.length + 1}ch + ${pad}))`);
    expect(track(template, 'destination')).toBe(track(template, 'source'));
    // Before any message, the lab's own names fit: gaia.cs.umass.edu:13 is 20 characters.
    expect(track(columnLayout(INITIAL_EXTENTS).template, 'source')).toContain('calc(21ch');
  });

  it('caps an endpoint column at MAX_ENDPOINT_CHARS (the tooltip has the rest)', () => {
    const long = `${'a'.repeat(60)}.example:80`;
    const e = extendExtents(INITIAL_EXTENTS, row({ source: long }));
    expect(e.endpointChars).toBe(MAX_ENDPOINT_CHARS);
    expect(track(columnLayout(e).template, 'source')).toContain(`calc(${MAX_ENDPOINT_CHARS + 1}ch`);
    const justUnder = extendExtents(INITIAL_EXTENTS, row({ destination: 'h'.repeat(MAX_ENDPOINT_CHARS - 1) }));
    expect(justUnder.endpointChars).toBe(MAX_ENDPOINT_CHARS - 1);
  });

  it('keeps five digits before the point in Time, and grows past them', () => {
    expect(track(columnLayout(INITIAL_EXTENTS).template, 'time')).toBe(`calc(${MIN_TIME_CHARS}ch + ${pad})`);
    // 114.2 s (the width that was cut) and 99999.999 s fit the floor.
    expect(extendExtents(INITIAL_EXTENTS, row({ t: 114_200 })).timeChars).toBe(MIN_TIME_CHARS);
    expect(extendExtents(INITIAL_EXTENTS, row({ t: 99_999_999 })).timeChars).toBe(MIN_TIME_CHARS);
    const dayPlus = extendExtents(INITIAL_EXTENTS, row({ t: 100_000_000 }));
    expect(dayPlus.timeChars).toBe(MIN_TIME_CHARS + 1);
    expect(track(columnLayout(dayPlus).template, 'time')).toBe(`calc(${MIN_TIME_CHARS + 1}ch + ${pad})`);
  });

  it('sizes No., Length and Pair from the numbers seen, never below their header', () => {
    const small = columnLayout(extendExtents(INITIAL_EXTENTS, row({ id: 7, length: 12 }))).template;
    expect(track(small, 'num')).toBe(`calc(4ch + ${pad})`);
    expect(track(small, 'length')).toBe(`calc(7ch + ${pad})`);
    expect(track(small, 'pair')).toBe(`calc(5ch + ${pad})`);
    const big = columnLayout(extendExtents(INITIAL_EXTENTS, row({ id: 1_234_567, length: 123_456_789 }))).template;
    expect(track(big, 'num')).toBe(`calc(7ch + ${pad})`);
    expect(track(big, 'length')).toBe(`calc(9ch + ${pad})`);
    // "← #1234567"
    expect(track(big, 'pair')).toBe(`calc(10ch + ${pad})`);
  });

  it('returns the same extents object when a row grows nothing (no re-layout)', () => {
    const e = extendExtents(INITIAL_EXTENTS, row());
    expect(extendExtents(e, row({ id: 2, t: 31_500 }))).toBe(e);
    expect(extendExtents(e, row({ protocol: 'discard' }))).toBe(e);
    expect(extendExtents(e, row({ protocol: 'longerprotocol' }))).not.toBe(e);
  });

  it('uses a resized column’s pixel width, never below the floor, and never resizes Info', () => {
    const layout = columnLayout(INITIAL_EXTENTS, { source: 222.4, time: 3, info: 500 });
    expect(track(layout.template, 'source')).toBe('222px');
    expect(track(layout.template, 'time')).toBe(`${MIN_RESIZED_COLUMN_PX}px`);
    expect(track(layout.template, 'info')).toContain('1fr');
    expect(track(columnLayout(INITIAL_EXTENTS, { time: MIN_RESIZED_COLUMN_PX + 1 }).template, 'time')).toBe(`${MIN_RESIZED_COLUMN_PX + 1}px`);
  });

  it('states the narrowest row as the sum of every track’s minimum', () => {
    const { minWidth } = columnLayout(INITIAL_EXTENTS, { length: 80 });
    expect(minWidth).toBe(
      `calc(calc(4ch + ${pad}) + calc(${MIN_TIME_CHARS}ch + ${pad}) + calc(${MIN_ENDPOINT_CHARS}ch + ${pad}) + calc(${MIN_ENDPOINT_CHARS}ch + ${pad}) + calc(9ch + ${pad}) + 80px + calc(5ch + ${pad}) + calc(${MIN_INFO_CHARS}ch + ${pad}))`,
    );
  });
});
