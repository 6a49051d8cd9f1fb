import { describe, expect, test } from 'vitest';
import { advance, codePointWidth, normalize, stringWidth } from '../../../src/main/lab/terminal/cell-width';
import { OutputColumn } from '../../../src/main/lab/terminal/output-column';

describe('cell widths', () => {
  test.each([
    ['a', 1],
    ['é', 1],
    ['日', 2],
    ['한', 2],
    ['Ａ', 2], // fullwidth A
    ['\u0301', 0], // combining acute
    ['\u200b', 0], // zero-width space
    ['😀', 1], // xterm.js 6's default Unicode 6 table counts emoji as one cell
  ])('%j is %i cells', (ch, width) => {
    expect(codePointWidth(ch.codePointAt(0)!)).toBe(width);
  });

  test('stringWidth sums code point widths', () => {
    expect(stringWidth('ab日本e\u0301')).toBe(7);
  });

  test('a glyph that does not fit goes to the next row; the margin is "wrap pending"', () => {
    expect(advance({ row: 0, col: 9 }, 1, 10)).toEqual({ row: 0, col: 10 });
    expect(advance({ row: 0, col: 9 }, 2, 10)).toEqual({ row: 1, col: 2 });
    expect(advance({ row: 0, col: 10 }, 1, 10)).toEqual({ row: 1, col: 1 });
    expect(advance({ row: 0, col: 4 }, 0, 10)).toEqual({ row: 0, col: 4 });
    expect(normalize({ row: 0, col: 10 }, 10)).toEqual({ row: 1, col: 0 });
    expect(normalize({ row: 0, col: 9 }, 10)).toEqual({ row: 0, col: 9 });
  });
});

describe('OutputColumn', () => {
  test('follows text, wraps, and goes back to 0 on CR', () => {
    const column = new OutputColumn(10);
    column.track('Name: ');
    expect(column.column).toBe(6);
    column.track('abcd');
    expect(column.column).toBe(10);
    column.track('e');
    expect(column.column).toBe(1);
    column.track('\r\n');
    expect(column.atLineStart).toBe(true);
  });

  test('LF alone keeps the column; BS and TAB move as xterm.js moves them', () => {
    const column = new OutputColumn(20);
    column.track('abc\n');
    expect(column.column).toBe(3);
    column.track('\b');
    expect(column.column).toBe(2);
    column.track('\t');
    expect(column.column).toBe(8);
    column.track('\t\t\t');
    expect(column.column).toBe(19);
  });

  test('escape sequences take no cells; home and column moves are followed', () => {
    const column = new OutputColumn(80);
    column.track('\x1b[1mbold\x1b[0m');
    expect(column.column).toBe(4);
    column.track('\x1b[H\x1b[2J');
    expect(column.column).toBe(0);
    column.track('\x1b[12G');
    expect(column.column).toBe(11);
  });

  test('resize clamps the column to the new last column, as xterm.js clamps the cursor', () => {
    const column = new OutputColumn(20);
    column.track('x'.repeat(15));
    column.resize(10);
    expect(column.column).toBe(9);
    column.resize(30);
    expect(column.column).toBe(9);
  });
});
