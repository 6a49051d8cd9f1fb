// The bytes pane's layout: offsets, hex and ASCII columns, 16 bytes a row like Wireshark and
// `hexdump -C`, or 8 in a pane too narrow for 16 (beside the DNS panel). Pure, so the unit tests
// check it and the pane only renders what this computes.

/** Bytes per dump row; 16 keeps offsets round in hex and matches Wireshark's bytes pane. */
export const HEX_BYTES_PER_ROW = 16;

/** Bytes per row in a narrow pane: still round in hex, and the ASCII column stays in view. */
export const HEX_NARROW_BYTES_PER_ROW = 8;

/**
 * Horizontal sizes of a row, as `.hex-*` in styles.css sets them: in `ch` of the 12 px monospace,
 * and in px. A row is its padding, the offset and its gap, a cell per byte (2.6 ch) with one ch
 * more between the two halves of a 16-byte row, the gap, the ASCII column's border and padding,
 * and a ch per byte.
 */
export const HEX_ROW_METRICS = { padPx: 20, offsetGapPx: 14, byteCh: 2.6, groupGapCh: 1, bytesGapPx: 14, asciiLeadPx: 11, scrollbarPx: 10 } as const;

/** Extra gap after this many bytes inside a row, so the eye can count to 16. */
export const HEX_GROUP_SIZE = 8;

/** Smallest offset width in hex digits; wider when the message needs it. */
const MIN_OFFSET_DIGITS = 4;

export function hexRowCount(length: number, perRow: number = HEX_BYTES_PER_ROW): number {
  return Math.ceil(Math.max(0, length) / perRow);
}

/** Pixel width of a row of `perRow` bytes with `digits` offset digits, for a monospace `ch` of `chPx`. */
export function hexRowWidth(perRow: number, digits: number, chPx: number): number {
  const M = HEX_ROW_METRICS;
  const group = perRow > HEX_GROUP_SIZE ? M.groupGapCh : 0;
  return M.padPx + digits * chPx + M.offsetGapPx + (perRow * M.byteCh + group) * chPx + M.bytesGapPx + M.asciiLeadPx + perRow * chPx + M.scrollbarPx;
}

/** 16 bytes a row when the pane fits such a row, else 8 (which then scrolls sideways only in a very narrow pane). */
export function bytesPerRowFor(paneWidth: number, digits: number, chPx: number): number {
  if (!(paneWidth > 0) || !(chPx > 0)) return HEX_BYTES_PER_ROW;
  return hexRowWidth(HEX_BYTES_PER_ROW, digits, chPx) <= paneWidth ? HEX_BYTES_PER_ROW : HEX_NARROW_BYTES_PER_ROW;
}

/** Hex digits the offset column needs for a message of this length (at least 4). */
export function offsetDigits(length: number): number {
  const last = Math.max(0, length - 1);
  return Math.max(MIN_OFFSET_DIGITS, last.toString(16).length);
}

export function formatOffset(offset: number, digits: number): string {
  return offset.toString(16).padStart(digits, '0');
}

export function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** Printable ASCII (0x20..0x7e) as itself, everything else as a dot. */
export function asciiChar(byte: number): string {
  return byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.';
}

export interface HexCell {
  /** Offset of the byte in the message. */
  index: number;
  hex: string;
  ascii: string;
}

export interface HexRow {
  offset: number;
  cells: HexCell[];
}

export function hexRow(bytes: Uint8Array, row: number, perRow: number = HEX_BYTES_PER_ROW): HexRow {
  const offset = row * perRow;
  const end = Math.min(bytes.length, offset + perRow);
  const cells: HexCell[] = [];
  for (let i = offset; i < end; i++) cells.push({ index: i, hex: hexByte(bytes[i]), ascii: asciiChar(bytes[i]) });
  return { offset, cells };
}

/** A highlighted byte range, half-open: [start, end). */
export interface ByteRange {
  start: number;
  end: number;
}

export function inRange(range: ByteRange | null, index: number): boolean {
  return range !== null && index >= range.start && index < range.end;
}

/** The row a byte offset lives in, to scroll a highlighted range into view. */
export function rowOfOffset(offset: number, perRow: number = HEX_BYTES_PER_ROW): number {
  return Math.floor(Math.max(0, offset) / perRow);
}
