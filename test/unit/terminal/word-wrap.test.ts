import { describe, expect, test } from 'vitest';
import { stringWidth } from '../../../src/main/lab/terminal/cell-width';
import { MIN_COLUMN_CELLS, MIN_HANGING_TEXT_CELLS, wrapDefinitions, wrapLine, wrapText } from '../../../src/main/lab/terminal/word-wrap';

const BANNER_LINE = 'Protolab terminal: a telnet-style client for the servers this lab runs on your machine.';

/** Words of a text, in order, whatever the spacing. */
function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

describe('wrapLine', () => {
  test('a line that fits is returned unchanged, inner runs of spaces included', () => {
    expect(wrapLine('HOST   ADDRESS  SERVICES', 80)).toEqual(['HOST   ADDRESS  SERVICES']);
    expect(wrapLine('exactly ten', 11)).toEqual(['exactly ten']);
    expect(wrapLine('', 20)).toEqual(['']);
  });

  test('a long line breaks between words, never inside one (the banner at 76 columns)', () => {
    expect(wrapLine(BANNER_LINE, 76)).toEqual([
      'Protolab terminal: a telnet-style client for the servers this lab runs on',
      'your machine.',
    ]);
  });

  test('one cell narrower than the line moves the last word down', () => {
    expect(wrapLine('exactly ten', 10)).toEqual(['exactly', 'ten']);
  });

  test('for any width, rows fit and keep every word whole and in order', () => {
    const text = 'Keys: Up/Down recall earlier lines, Ctrl-A/Ctrl-E go to start/end, Ctrl-U/Ctrl-W erase, Ctrl-C cancels.';
    const longest = Math.max(...words(text).map((w) => w.length));
    for (let width = longest; width <= text.length + 1; width++) {
      const rows = wrapLine(text, width);
      for (const row of rows) expect(stringWidth(row), `width ${width}: ${row}`).toBeLessThanOrEqual(width);
      expect(rows.flatMap(words), `width ${width}`).toEqual(words(text));
    }
  });

  test("continuation rows keep the line's own indent", () => {
    expect(wrapLine('    connection, Ctrl-D on an empty line half-closes it', 30)).toEqual([
      '    connection, Ctrl-D on an',
      '    empty line half-closes it',
    ]);
  });

  test('an explicit hanging indent is used instead', () => {
    expect(wrapLine('Keys: Up/Down recall earlier lines', 20, { hangingIndent: '      ' })).toEqual(['Keys: Up/Down recall', '      earlier lines']);
  });

  test(`the hanging indent is dropped when it would leave fewer than ${MIN_HANGING_TEXT_CELLS} cells`, () => {
    const indent = ' '.repeat(6);
    const text = `${indent}aaaa bbbb cccc dddd`;
    const kept = indent.length + MIN_HANGING_TEXT_CELLS;
    expect(wrapLine(text, kept)).toEqual([`${indent}aaaa bbbb`, `${indent}cccc dddd`]);
    expect(wrapLine(text, kept - 1)).toEqual([`${indent}aaaa bbbb`, 'cccc dddd']);
  });

  test('a word that does not fit after its own indent is cut there, not moved below an empty row', () => {
    expect(wrapLine('      abcdefghijkl', 12)).toEqual(['      abcdef', 'ghijkl']);
  });

  test('a word wider than the row is cut at the row end', () => {
    expect(wrapLine('see http://gaia.cs.umass.edu/kurose_ross/interactive/', 20)).toEqual([
      'see',
      'http://gaia.cs.umass',
      '.edu/kurose_ross/int',
      'eractive/',
    ]);
  });

  test('a wide character never straddles two rows, and a row too narrow for one still progresses', () => {
    expect(wrapLine('日本語日本語', 5)).toEqual(['日本', '語日', '本語']);
    expect(wrapLine('日本', 1)).toEqual(['日', '本']);
  });

  test('text already on the row (firstColumn) counts: a word that no longer fits starts a fresh row', () => {
    expect(wrapLine('Ada and Bob!', 20, { firstColumn: 7 })).toEqual(['Ada and Bob!']);
    expect(wrapLine('Ada and Bob!', 20, { firstColumn: 10 })).toEqual(['Ada and', 'Bob!']);
    // No room for even the first word: the first row is empty, so the line end moves down first.
    expect(wrapLine('telnet-style', 20, { firstColumn: 15 })).toEqual(['', 'telnet-style']);
    expect(wrapLine('x', 20, { firstColumn: 20 })).toEqual(['', 'x']);
  });
});

describe('wrapText', () => {
  test('each line (LF or CR LF) is wrapped on its own; only the first starts at firstColumn', () => {
    expect(wrapText('one two three\r\n  four five six\nseven', 14, 4)).toEqual(['one two', 'three', '  four five', '  six', 'seven']);
  });
});

describe('wrapDefinitions', () => {
  const items = [
    { term: 'help [COMMAND]', text: 'list the commands, or show how to use one' },
    { term: 'hosts', text: 'list the hosts' },
  ];

  test('terms in a column, texts wrapped in the column beside them', () => {
    expect(wrapDefinitions(items, 50)).toEqual([
      '  help [COMMAND]  list the commands, or show how',
      '                  to use one',
      '  hosts           list the hosts',
    ]);
  });

  test('termWidth lines several lists up', () => {
    expect(wrapDefinitions([{ term: 'Ctrl-]', text: 'close' }], 50, { termWidth: 14 })).toEqual(['  Ctrl-]          close']);
  });

  test(`narrower than ${MIN_COLUMN_CELLS} cells for the text, each text goes under its term`, () => {
    const textColumn = 2 + 'help [COMMAND]'.length + 2;
    expect(wrapDefinitions(items, textColumn + MIN_COLUMN_CELLS)[0]).toBe('  help [COMMAND]  list the commands,');
    expect(wrapDefinitions(items, textColumn + MIN_COLUMN_CELLS - 1)).toEqual([
      '  help [COMMAND]',
      '    list the commands, or show how to',
      '    use one',
      '  hosts',
      '    list the hosts',
    ]);
  });
});
