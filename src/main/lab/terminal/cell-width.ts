// How many terminal cells a code point takes, and where the cursor goes after printing it.
//
// The shell does its own echo and cursor arithmetic (xterm.js has no line discipline), so its idea
// of widths must match the renderer's. The wide and zero-width ranges below are taken from the
// Unicode 6 width table that xterm.js 6 uses by default (src/common/input/UnicodeV6.ts): every range
// we call wide or zero-width, xterm does too. Zero-width ranges are the main combining blocks only;
// anything we do not list counts as one cell, which is what the brief asks as a minimum.

const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initial consonants
  [0x2329, 0x232a], // angle brackets
  [0x2e80, 0x303e], // CJK radicals .. CJK symbols (0x303F is narrow)
  [0x3040, 0xa4cf], // kana, CJK unified ideographs, Yi
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small forms
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6], // fullwidth signs
  [0x20000, 0x2fffd], // CJK extension B and beyond
  [0x30000, 0x3fffd],
];

const ZERO_WIDTH_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x036f], // combining diacritical marks
  [0x0483, 0x0486],
  [0x0488, 0x0489],
  [0x0591, 0x05bd], // Hebrew points
  [0x064b, 0x065e], // Arabic marks
  [0x1dc0, 0x1dca],
  [0x200b, 0x200f], // zero-width space, joiners, direction marks
  [0x202a, 0x202e],
  [0x2060, 0x2063],
  [0x20d0, 0x20ef], // combining marks for symbols
  [0xfe00, 0xfe0f], // variation selectors
  [0xfe20, 0xfe23],
  [0xfeff, 0xfeff], // byte order mark
];

function inRanges(codePoint: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  for (const [first, last] of ranges) {
    if (codePoint >= first && codePoint <= last) return true;
  }
  return false;
}

/** Cells a printable code point occupies: 0 (combining), 1, or 2 (East Asian wide). */
export function codePointWidth(codePoint: number): 0 | 1 | 2 {
  if (codePoint < 0x300) return 1;
  if (inRanges(codePoint, ZERO_WIDTH_RANGES)) return 0;
  if (inRanges(codePoint, WIDE_RANGES)) return 2;
  return 1;
}

/** Terminal cell position. `col === cols` means "just wrote the last column, wrap pending". */
export interface CellPosition {
  row: number;
  col: number;
}

/**
 * Where the cursor stands after printing a glyph of `width` cells at `pos` on a terminal `cols`
 * wide with auto-wrap on. A glyph that does not fit in what is left of the row moves to the next
 * row first, as xterm.js does (a wide glyph never straddles two rows).
 */
export function advance(pos: CellPosition, width: number, cols: number): CellPosition {
  if (width === 0) return pos;
  let { row, col } = pos;
  if (col + width > cols) {
    row += 1;
    col = 0;
  }
  return { row, col: col + width };
}

/** The pending-wrap column is shown by the terminal as the first column of the next row. */
export function normalize(pos: CellPosition, cols: number): CellPosition {
  return pos.col >= cols ? { row: pos.row + 1, col: 0 } : pos;
}

/** Total cells of a plain string with no control characters. */
export function stringWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += codePointWidth(ch.codePointAt(0)!);
  return width;
}
