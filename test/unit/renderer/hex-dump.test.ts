import { describe, expect, it } from 'vitest';
import { HEX_BYTES_PER_ROW, HEX_NARROW_BYTES_PER_ROW, asciiChar, bytesPerRowFor, formatOffset, hexByte, hexRow, hexRowCount, hexRowWidth, inRange, offsetDigits, rowOfOffset } from '../../../src/renderer/lib/hex-dump';
import { utf8ToBytes } from '../../../src/protocols/core/bytes';

describe('hex dump', () => {
  it('puts 16 bytes on a row and counts rows across the boundary', () => {
    expect(HEX_BYTES_PER_ROW).toBe(16);
    expect(hexRowCount(0)).toBe(0);
    expect(hexRowCount(1)).toBe(1);
    expect(hexRowCount(16)).toBe(1);
    expect(hexRowCount(17)).toBe(2);
  });

  it('formats bytes as two hex digits and printable ASCII or a dot', () => {
    expect(hexByte(0)).toBe('00');
    expect(hexByte(0x0d)).toBe('0d');
    expect(hexByte(255)).toBe('ff');
    expect(asciiChar(0x41)).toBe('A');
    expect(asciiChar(0x20)).toBe(' ');
    expect(asciiChar(0x7e)).toBe('~');
    expect(asciiChar(0x7f)).toBe('.');
    expect(asciiChar(0x0a)).toBe('.');
    expect(asciiChar(0xe9)).toBe('.');
  });

  it('widens the offset column only when the message needs it', () => {
    expect(offsetDigits(0)).toBe(4);
    expect(offsetDigits(0x10000)).toBe(4);
    expect(offsetDigits(0x10001)).toBe(5);
    expect(formatOffset(0x30, 4)).toBe('0030');
  });

  it('lays out a row with its offsets, hex and ASCII', () => {
    const bytes = utf8ToBytes('GET / HTTP/1.1\r\nHost: x\r\n');
    const first = hexRow(bytes, 0);
    expect(first.offset).toBe(0);
    expect(first.cells).toHaveLength(16);
    expect(first.cells.map((c) => c.ascii).join('')).toBe('GET / HTTP/1.1..');
    expect(first.cells[14]).toEqual({ index: 14, hex: '0d', ascii: '.' });
    const last = hexRow(bytes, 1);
    expect(last.offset).toBe(16);
    expect(last.cells.map((c) => c.hex).join(' ')).toBe('48 6f 73 74 3a 20 78 0d 0a');
    expect(hexRow(bytes, 5).cells).toEqual([]);
  });

  it('tests highlight ranges as half-open and finds the row of an offset', () => {
    const range = { start: 4, end: 8 };
    expect(inRange(range, 3)).toBe(false);
    expect(inRange(range, 4)).toBe(true);
    expect(inRange(range, 7)).toBe(true);
    expect(inRange(range, 8)).toBe(false);
    expect(inRange(null, 4)).toBe(false);
    expect(rowOfOffset(15)).toBe(0);
    expect(rowOfOffset(16)).toBe(1);
  });

  it('puts 8 bytes on a row in a pane too narrow for 16, so the ASCII column stays in view', () => {
    const ch = 7.2; // DejaVu Sans Mono at 12 px
    const full = hexRowWidth(16, 4, ch);
    // About 510 px, the figure the details half's default width was chosen for.
    expect(full).toBeGreaterThan(480);
    expect(full).toBeLessThan(540);
    expect(bytesPerRowFor(full, 4, ch)).toBe(HEX_BYTES_PER_ROW);
    expect(bytesPerRowFor(full - 1, 4, ch)).toBe(HEX_NARROW_BYTES_PER_ROW);
    // Eight bytes fit the details half's floor beside the DNS panel.
    expect(hexRowWidth(8, 4, ch)).toBeLessThan(330);
    // A longer offset needs more room.
    expect(bytesPerRowFor(full, 6, ch)).toBe(HEX_NARROW_BYTES_PER_ROW);
    // Not measured yet: the usual 16.
    expect(bytesPerRowFor(0, 4, ch)).toBe(HEX_BYTES_PER_ROW);
    expect(bytesPerRowFor(400, 4, 0)).toBe(HEX_BYTES_PER_ROW);
  });

  it('lays out and counts rows of 8', () => {
    const bytes = utf8ToBytes('GET / HTTP/1.1\r\nHost: x\r\n');
    expect(hexRowCount(bytes.length, 8)).toBe(4);
    expect(hexRowCount(8, 8)).toBe(1);
    expect(hexRowCount(9, 8)).toBe(2);
    expect(hexRow(bytes, 1, 8)).toMatchObject({ offset: 8 });
    expect(hexRow(bytes, 1, 8).cells.map((c) => c.ascii).join('')).toBe('TP/1.1..');
    expect(rowOfOffset(15, 8)).toBe(1);
    expect(rowOfOffset(16, 8)).toBe(2);
  });
});
