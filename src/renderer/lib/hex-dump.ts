// The bytes pane's layout: offsets, hex and ASCII columns, 16 bytes a row like Wireshark and
// `hexdump -C`. Pure, so the unit tests check it and the pane only renders what this computes.

/** Bytes per dump row; 16 keeps offsets round in hex and matches Wireshark's bytes pane. */
export const HEX_BYTES_PER_ROW = 16;

/** Extra gap after this many bytes inside a row, so the eye can count to 16. */
export const HEX_GROUP_SIZE = 8;

/** Smallest offset width in hex digits; wider when the message needs it. */
const MIN_OFFSET_DIGITS = 4;

export function hexRowCount(length: number): number {
  return Math.ceil(Math.max(0, length) / HEX_BYTES_PER_ROW);
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

export function hexRow(bytes: Uint8Array, row: number): HexRow {
  const offset = row * HEX_BYTES_PER_ROW;
  const end = Math.min(bytes.length, offset + HEX_BYTES_PER_ROW);
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
export function rowOfOffset(offset: number): number {
  return Math.floor(Math.max(0, offset) / HEX_BYTES_PER_ROW);
}
