// The packet list's columns and their widths. Widths follow what the columns have had to show
// (the widest endpoint seen, the largest message number), measured in `ch` of the list's monospace
// font, so `gaia.cs.umass.edu:13` fits whole instead of a fixed share that cuts it. Where the pane
// is too narrow, Source and Destination give way first (down to a floor), then the list scrolls
// sideways; Info always takes what is left. A column the student resized keeps its pixel width.

import type { MessageSummary } from '../../shared/capture';
import { formatSeconds } from './format';

export type PacketColumnId = 'num' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'pair' | 'info';

export interface PacketColumn {
  id: PacketColumnId;
  label: string;
  /** Header tooltip: what the column shows. */
  title: string;
  align: 'left' | 'right';
  /** Info takes the rest of the row and has no handle of its own. */
  resizable: boolean;
}

export const PACKET_COLUMNS: readonly PacketColumn[] = [
  { id: 'num', label: 'No.', title: 'Message number, in capture order. The bar on the left shows the direction: blue client → server, green server → client.', align: 'right', resizable: true },
  { id: 'time', label: 'Time', title: 'Seconds since the capture started, when the message’s first byte was seen', align: 'right', resizable: true },
  { id: 'source', label: 'Source', title: 'Where the message came from: host name (or address) and port in the lab world', align: 'left', resizable: true },
  { id: 'destination', label: 'Destination', title: 'Where the message went: host name (or address) and port in the lab world', align: 'left', resizable: true },
  { id: 'protocol', label: 'Protocol', title: 'The application-layer protocol the message was read as', align: 'left', resizable: true },
  { id: 'length', label: 'Length', title: 'Bytes in the message', align: 'right', resizable: true },
  { id: 'pair', label: 'Pair', title: 'Request and response: → #n is the answer to this request, ← #n the request this answers, → ✕ no answer came before the connection ended', align: 'left', resizable: true },
  { id: 'info', label: 'Info', title: 'The message in one line; hover a row for the whole text, click it for every field', align: 'left', resizable: false },
];

/** Horizontal padding of one cell, both sides together; matches `.packet-grid > div` in styles.css. */
export const CELL_PADDING_PX = 10;

/**
 * Time column characters at least: five digits before the point and three after ("12345.678"),
 * so a capture left running for more than a day (99999 s is about 27.7 hours) keeps its column.
 */
export const MIN_TIME_CHARS = 9;

/**
 * Source/Destination shrink to this before the list scrolls sideways ("cis.poly.e…", whole in
 * the tooltip). With the servers panel shown on a 1440 px window the list has about 600 px; these
 * floors and MIN_INFO_CHARS keep every column in that without a sideways scrollbar.
 */
export const MIN_ENDPOINT_CHARS = 10;

/**
 * Widest Source/Destination column the content may ask for. A DNS name may be 253 characters
 * (RFC 1035 §2.3.4); a column that wide would push Info out of sight, so longer ends are cut with
 * the whole text in the tooltip.
 */
export const MAX_ENDPOINT_CHARS = 40;

/** Info keeps at least this many characters; below it the list scrolls sideways. */
export const MIN_INFO_CHARS = 16;

/** A resized column is never narrower than this, so its handle stays reachable. */
export const MIN_RESIZED_COLUMN_PX = 24;

/**
 * Header labels are set in the bold UI font, whose letters run wider than the monospace `ch` the
 * tracks are measured in; one `ch` more than the label's length keeps it whole ("No." needs 4).
 */
function headerFloor(id: PacketColumnId): number {
  return PACKET_COLUMNS.find((c) => c.id === id)!.label.length + 1;
}

/** What the columns have had to show so far; widths only grow, so the layout does not jitter while scrolling. */
export interface ColumnExtents {
  idDigits: number;
  timeChars: number;
  endpointChars: number;
  protocolChars: number;
  lengthDigits: number;
}

/** Before the first message: room for the lab's own names (`gaia.cs.umass.edu:13` is 20 characters). */
export const INITIAL_EXTENTS: ColumnExtents = {
  idDigits: 1,
  timeChars: MIN_TIME_CHARS,
  endpointChars: 20,
  protocolChars: 0,
  lengthDigits: 1,
};

/** The extents after also showing `m`; the same object when nothing grew. */
export function extendExtents(e: ColumnExtents, m: Pick<MessageSummary, 'id' | 't' | 'source' | 'destination' | 'protocol' | 'length'>): ColumnExtents {
  const next: ColumnExtents = {
    idDigits: Math.max(e.idDigits, String(m.id).length),
    timeChars: Math.max(e.timeChars, formatSeconds(m.t).length),
    endpointChars: Math.max(e.endpointChars, Math.min(MAX_ENDPOINT_CHARS, Math.max(m.source.length, m.destination.length))),
    protocolChars: Math.max(e.protocolChars, m.protocol.length),
    lengthDigits: Math.max(e.lengthDigits, String(m.length).length),
  };
  const same = (Object.keys(next) as (keyof ColumnExtents)[]).every((k) => next[k] === e[k]);
  return same ? e : next;
}

/** Pixel widths the student set by dragging a header edge. */
export type ColumnOverrides = Partial<Record<PacketColumnId, number>>;

export interface ColumnLayout {
  /** For `grid-template-columns`; `ch` resolves in the grid's own (monospace) font. */
  template: string;
  /** The narrowest a row may be (every track at its minimum); below it the list scrolls sideways. */
  minWidth: string;
}

function chars(n: number): string {
  return `calc(${n}ch + ${CELL_PADDING_PX}px)`;
}

export function columnLayout(e: ColumnExtents, overrides: ColumnOverrides = {}): ColumnLayout {
  // One ch more than the widest end, so a whole name does not touch the next column.
  const endpoint = chars(Math.max(MIN_ENDPOINT_CHARS, Math.min(MAX_ENDPOINT_CHARS, e.endpointChars) + 1));
  const fixed = (n: number) => ({ min: chars(n), size: chars(n) });
  const auto: Record<PacketColumnId, { min: string; size: string }> = {
    num: fixed(Math.max(headerFloor('num'), e.idDigits)),
    time: fixed(Math.max(MIN_TIME_CHARS, headerFloor('time'), e.timeChars)),
    source: { min: chars(MIN_ENDPOINT_CHARS), size: `minmax(${chars(MIN_ENDPOINT_CHARS)}, ${endpoint})` },
    destination: { min: chars(MIN_ENDPOINT_CHARS), size: `minmax(${chars(MIN_ENDPOINT_CHARS)}, ${endpoint})` },
    protocol: fixed(Math.max(headerFloor('protocol'), e.protocolChars)),
    length: fixed(Math.max(headerFloor('length'), e.lengthDigits)),
    // "← #" and the largest message number seen: any pair marker so far fits.
    pair: fixed(Math.max(headerFloor('pair'), 3 + e.idDigits)),
    info: { min: chars(MIN_INFO_CHARS), size: `minmax(${chars(MIN_INFO_CHARS)}, 1fr)` },
  };
  const tracks = PACKET_COLUMNS.map((c) => {
    const px = overrides[c.id];
    if (!c.resizable || px === undefined) return auto[c.id];
    const size = `${Math.max(MIN_RESIZED_COLUMN_PX, Math.round(px))}px`;
    return { min: size, size };
  });
  return { template: tracks.map((t) => t.size).join(' '), minWidth: `calc(${tracks.map((t) => t.min).join(' + ')})` };
}
