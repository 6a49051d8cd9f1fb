// Word wrapping for the shell's own messages (banner, help, hints, tables). The terminal would
// break a long line at the last column, in the middle of a word ("yo|ur machine"); the shell knows
// the width, so it breaks between words instead. Bytes a server sent are never passed through here:
// they are shown exactly as they came.
//
// Text is plain: widths are counted in terminal cells with the same table the line editor uses.

import { codePointWidth, stringWidth } from './cell-width';

/**
 * Fewest cells a table column of wrapped text may have (the summaries in `help`, the services in
 * `hosts`). Narrower, it holds a word or two per row, so the table is stacked instead: each text
 * under its term. 20 cells hold "(lab port 10007)" whole.
 */
export const MIN_COLUMN_CELLS = 20;

/**
 * Fewest cells left for text after a hanging indent; on a narrower terminal the indent is dropped,
 * since a row of a few letters reads worse than an unindented one. 10 cells hold most words.
 */
export const MIN_HANGING_TEXT_CELLS = 10;

export interface WrapOptions {
  /** Column where the first row starts (text already written on that row). */
  firstColumn?: number;
  /** Put in front of every row after the first. Default: the line's own leading spaces. */
  hangingIndent?: string;
}

/** Splits a word that is wider than `room` cells: the head that fits, and the rest. */
function splitWord(word: string, room: number): [string, string] {
  let used = 0;
  let end = 0;
  for (const ch of word) {
    const w = codePointWidth(ch.codePointAt(0)!);
    // Always take one character, so a row narrower than one wide glyph still makes progress.
    if (used + w > room && end > 0) break;
    used += w;
    end += ch.length;
  }
  return [word.slice(0, end), word.slice(end)];
}

/**
 * Breaks one line (no line ends inside) into rows of at most `width` cells, at spaces. Runs of
 * spaces inside a row are kept (they align tables); spaces at a break are dropped. A word wider than
 * a row is cut. When `firstColumn` leaves no room for the first word, the first row is empty
 * (the caller's line end then moves to a fresh row).
 */
export function wrapLine(line: string, width: number, options: WrapOptions = {}): string[] {
  const leading = /^ */.exec(line)![0];
  let hanging = options.hangingIndent ?? leading;
  if (stringWidth(hanging) + MIN_HANGING_TEXT_CELLS > width) hanging = '';
  const hangingWidth = stringWidth(hanging);

  const rows: string[] = [];
  let row = leading;
  const startsMidRow = (options.firstColumn ?? 0) > 0;
  let used = (options.firstColumn ?? 0) + stringWidth(leading);
  let rowHasWord = false;

  const breakRow = (): void => {
    rows.push(row.trimEnd());
    row = hanging;
    used = hangingWidth;
    rowHasWord = false;
  };

  // Alternating words and runs of spaces: ['word', '  ', 'word', ...].
  const parts = line.slice(leading.length).split(/( +)/);
  for (let i = 0; i < parts.length; i += 2) {
    let word = parts[i]!;
    if (word === '') continue;
    const gap = i > 0 ? parts[i - 1]! : '';
    const wordWidth = stringWidth(word);
    if (rowHasWord) {
      if (used + gap.length + wordWidth <= width) {
        row += gap + word;
        used += gap.length + wordWidth;
        continue;
      }
      breakRow();
    } else if (rows.length === 0 && startsMidRow && used + wordWidth > width && (hangingWidth + wordWidth <= width || used >= width)) {
      // The row was partly used before this line began: a fresh row beats a cut word.
      breakRow();
    }
    // A word wider than the row is cut where the row ends.
    while (used + stringWidth(word) > width) {
      const [head, rest] = splitWord(word, width - used);
      row += head;
      used += stringWidth(head);
      if (rest === '') {
        word = '';
        break;
      }
      breakRow();
      word = rest;
    }
    row += word;
    used += stringWidth(word);
    rowHasWord = true;
  }
  rows.push(row.trimEnd());
  return rows;
}

/** Wraps text that may hold several lines (LF or CR LF); each keeps its own indent when wrapped. */
export function wrapText(text: string, width: number, firstColumn = 0): string[] {
  return text.split(/\r?\n/).flatMap((line, i) => wrapLine(line, width, { firstColumn: i === 0 ? firstColumn : 0 }));
}

/** A term and what it means, e.g. a command's usage and its summary. */
export interface Definition {
  term: string;
  text: string;
}

/** Between the term column and the text column. */
const COLUMN_GAP = '  ';
/** Extra indent of a text placed under its term when the terminal is too narrow for two columns. */
const STACKED_TEXT_INDENT = '  ';

export interface DefinitionLayout {
  /** In front of every term. */
  indent?: string;
  /** Width of the term column, to line up several lists; at least the widest term of this one. */
  termWidth?: number;
}

/**
 * Terms in a column and each text wrapped in its own column beside it:
 *
 *     open HOST PORT  connect to a lab server and type to it
 *                     (like telnet)
 *
 * When the text column would be narrower than MIN_COLUMN_CELLS, each text goes under its term
 * instead, indented a little more.
 */
export function wrapDefinitions(items: readonly Definition[], width: number, layout: DefinitionLayout = {}): string[] {
  const indent = layout.indent ?? '  ';
  const termWidth = Math.max(layout.termWidth ?? 0, ...items.map((item) => stringWidth(item.term)));
  const textColumn = stringWidth(indent) + termWidth + COLUMN_GAP.length;
  const rows: string[] = [];
  if (width - textColumn >= MIN_COLUMN_CELLS) {
    const hangingIndent = ' '.repeat(textColumn);
    for (const { term, text } of items) {
      const padding = ' '.repeat(termWidth - stringWidth(term));
      const [first = '', ...rest] = wrapLine(text, width - textColumn);
      rows.push((indent + term + padding + COLUMN_GAP + first).trimEnd(), ...rest.map((r) => hangingIndent + r));
    }
    return rows;
  }
  for (const { term, text } of items) {
    rows.push(...wrapLine(indent + term, width));
    rows.push(...wrapLine(indent + STACKED_TEXT_INDENT + text, width));
  }
  return rows;
}
