// The line discipline xterm.js lacks: local echo and editing of one input line, in the manner of
// readline. Pure: it is fed keys and returns the ANSI text to write plus what the line produced.
//
// The editor owns the region of the screen from where its prompt starts to the end of its line
// (which may wrap over several rows). It knows the terminal width, lays the prompt and the line out
// cell by cell exactly as the terminal will (cell-width.ts), and moves the cursor with relative
// CSI moves. It never leaves the terminal in its "wrap pending" state after writing, because a
// cursor move from that state lands one column short in xterm (the cursor is first clamped to the
// last column).

import { advance, codePointWidth, normalize, type CellPosition } from './cell-width';
import type { Key } from './keys';
import { LineHistory } from './line-history';

/**
 * Longest line, in code points. 8192 is about Apache's default request-line limit (8190 bytes,
 * LimitRequestLine) and nginx's 8 KiB header buffers: a longer line is of no use against the lab's
 * servers. Typing or pasting past it is refused with a bell.
 */
export const MAX_LINE_LENGTH = 8192;

const BELL = '\x07';
const ERASE_BELOW = '\x1b[J';
const CLEAR_SCREEN = '\x1b[H\x1b[2J';

export type EditorEvent =
  /** Enter: the completed line, without its line end. */
  | { kind: 'line'; text: string }
  /** Ctrl-C: the line was cancelled. */
  | { kind: 'interrupt' }
  /** Ctrl-D on an empty line. */
  | { kind: 'end-of-input' }
  /** Ctrl-]. */
  | { kind: 'escape-character' }
  /** Ctrl-L cleared the screen and redrew the prompt at the top-left corner. */
  | { kind: 'screen-cleared' };

export interface EditorResult {
  /** Text to write to the terminal (echo, cursor movement, bells). */
  output: string;
  event?: EditorEvent;
}

export interface LineEditorOptions {
  cols: number;
  prompt?: string;
  history?: LineHistory;
  maxLength?: number;
}

/** What a code point looks like on screen: TAB and other controls in caret notation. */
function displayOf(char: string): string {
  const code = char.codePointAt(0)!;
  if (code < 0x20) return '^' + String.fromCharCode(code + 0x40);
  if (code === 0x7f) return '^?';
  return char;
}

function isZeroWidth(char: string | undefined): boolean {
  return char !== undefined && codePointWidth(char.codePointAt(0)!) === 0;
}

function compare(a: CellPosition, b: CellPosition): number {
  return a.row !== b.row ? a.row - b.row : a.col - b.col;
}

/** Relative cursor movement between two on-screen positions. */
function moveCursor(from: CellPosition, to: CellPosition): string {
  let out = '';
  const rows = to.row - from.row;
  if (rows < 0) out += rows === -1 ? '\x1b[A' : `\x1b[${-rows}A`;
  if (rows > 0) out += rows === 1 ? '\x1b[B' : `\x1b[${rows}B`;
  const cols = to.col - from.col;
  if (cols < 0) out += cols === -1 ? '\x1b[D' : `\x1b[${-cols}D`;
  if (cols > 0) out += cols === 1 ? '\x1b[C' : `\x1b[${cols}C`;
  return out;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Screen positions of the prompt and line, computed for one state of the editor. */
class Layout {
  /** `raw[k]`: position before glyph k (prompt glyphs first, then one per code point of the line). */
  private readonly raw: CellPosition[];

  constructor(
    private readonly promptLength: number,
    glyphs: readonly string[],
    start: CellPosition,
    private readonly cols: number,
  ) {
    this.raw = [start];
    let pos = start;
    for (const glyph of glyphs) {
      for (const cell of glyph) pos = advance(pos, codePointWidth(cell.codePointAt(0)!), cols);
      this.raw.push(pos);
    }
  }

  /** Where the cursor shows when it stands before code point `index` of the line. */
  at(index: number): CellPosition {
    return normalize(this.raw[this.promptLength + index]!, this.cols);
  }

  get start(): CellPosition {
    return normalize(this.raw[0]!, this.cols);
  }

  /** True when the last glyph ended exactly at the right margin. */
  get endsAtMargin(): boolean {
    return this.raw.length > 1 && this.raw[this.raw.length - 1]!.col >= this.cols;
  }
}

export class LineEditor {
  private chars: string[] = [];
  private cursor = 0;
  private promptGlyphs: string[] = [];
  /** Where `show` started drawing; may equal `cols` (wrap pending). */
  private drawColumn = 0;
  private visible = false;
  private cols: number;
  private history: LineHistory;
  /** Position in history while browsing; `history.length` means the line being typed. */
  private historyIndex = 0;
  /** The line being typed, kept while browsing history. */
  private draft: string[] = [];
  private readonly maxLength: number;

  constructor(options: LineEditorOptions) {
    this.cols = Math.max(1, Math.floor(options.cols));
    this.history = options.history ?? new LineHistory();
    this.historyIndex = this.history.length;
    this.maxLength = options.maxLength ?? MAX_LINE_LENGTH;
    this.setPrompt(options.prompt ?? '');
  }

  /** The line typed so far. */
  get text(): string {
    return this.chars.join('');
  }

  /** Cursor position in code points from the start of the line. */
  get cursorIndex(): number {
    return this.cursor;
  }

  get isVisible(): boolean {
    return this.visible;
  }

  /** Plain text (no escape sequences). Takes effect at the next `show`. */
  setPrompt(prompt: string): void {
    this.promptGlyphs = Array.from(prompt, displayOf);
  }

  /** Switches to another history (the shell and a connection each keep their own). */
  useHistory(history: LineHistory): void {
    this.history = history;
    this.historyIndex = history.length;
    this.draft = [];
  }

  /** Forgets the line without touching the screen (the session discards it, e.g. on disconnect). */
  reset(): void {
    this.chars = [];
    this.cursor = 0;
    this.historyIndex = this.history.length;
    this.draft = [];
    this.visible = false;
  }

  /**
   * Draws prompt and line (the editor must be hidden) from where the terminal cursor now is,
   * `startColumn` cells into its row, and puts the cursor at the editing position.
   */
  show(startColumn = 0): string {
    this.drawColumn = startColumn;
    this.visible = true;
    const layout = this.layout();
    const glyphs = this.glyphs();
    return glyphs.join('') + this.settleAtEnd(layout, glyphs.length > 0) + moveCursor(layout.at(this.chars.length), layout.at(this.cursor));
  }

  /** Erases prompt and line, leaving the cursor where `show` started drawing. */
  hide(): string {
    if (!this.visible) return '';
    this.visible = false;
    const layout = this.layout();
    if (this.promptGlyphs.length === 0 && this.chars.length === 0) return '';
    return moveCursor(layout.at(this.cursor), layout.start) + ERASE_BELOW;
  }

  /** Column where the prompt starts, as last drawn. */
  get startColumn(): number {
    return this.drawColumn;
  }

  /**
   * The terminal is now `cols` wide. xterm.js 6 by default does not reflow the rows that hold the
   * cursor (`reflowCursorLine: false`, "shells usually handle this themselves"): those rows stay
   * where they were, cut at the new width, with the cursor on its row. So the editor goes up to
   * the row its prompt started on and draws everything again for the new width, as readline does.
   * `emptyStartColumn` is where an editor with nothing drawn now starts (the caller follows the
   * output column through the resize).
   */
  resize(cols: number, emptyStartColumn: number): string {
    const newCols = Math.max(1, Math.floor(cols));
    if (!this.visible || (this.promptGlyphs.length === 0 && this.chars.length === 0)) {
      this.cols = newCols;
      this.drawColumn = emptyStartColumn;
      return '';
    }
    if (newCols === this.cols) return '';
    const old = this.layout();
    const rowsUp = old.at(this.cursor).row - old.start.row;
    let start = old.start.col;
    this.cols = newCols;
    let out = moveCursor({ row: rowsUp, col: 0 }, { row: 0, col: 0 }) + '\r';
    if (start >= newCols) {
      // What came before the prompt now fills its row: the prompt goes to the next one.
      out += '\n';
      start = 0;
    } else if (start > 0) {
      out += `\x1b[${start}C`;
    }
    this.visible = false;
    return out + ERASE_BELOW + this.show(start);
  }

  handleKey(key: Key): EditorResult {
    switch (key.kind) {
      case 'text':
        return { output: this.insert(key.text) };
      case 'enter':
        return this.commit();
      case 'interrupt':
        return this.interrupt();
      case 'end-of-input':
        if (this.chars.length === 0) return { output: '', event: { kind: 'end-of-input' } };
        return { output: this.deleteForward() };
      case 'escape-character':
        return { output: '', event: { kind: 'escape-character' } };
      case 'clear-screen':
        this.visible = false;
        return { output: CLEAR_SCREEN + this.show(0), event: { kind: 'screen-cleared' } };
      case 'backspace':
        return { output: this.deleteBackward() };
      case 'delete':
        return { output: this.deleteForward() };
      case 'left':
        return { output: this.moveTo(this.previousBoundary(this.cursor)) };
      case 'right':
        return { output: this.moveTo(this.nextBoundary(this.cursor)) };
      case 'home':
        return { output: this.moveTo(0) };
      case 'end':
        return { output: this.moveTo(this.chars.length) };
      case 'word-left':
        return { output: this.moveTo(this.wordStartBefore(this.cursor)) };
      case 'word-right':
        return { output: this.moveTo(this.wordEndAfter(this.cursor)) };
      case 'kill-to-start':
        return { output: this.replace(0, this.cursor, [], 0) };
      case 'kill-to-end':
        return { output: this.replace(this.cursor, this.chars.length, [], this.cursor) };
      case 'kill-word':
        return { output: this.killWordBackward() };
      case 'up':
        return { output: this.recall(-1) };
      case 'down':
        return { output: this.recall(+1) };
      case 'unbound':
        return { output: BELL };
    }
  }

  private glyphs(): string[] {
    return [...this.promptGlyphs, ...this.chars.map(displayOf)];
  }

  private layout(): Layout {
    return new Layout(this.promptGlyphs.length, this.glyphs(), { row: 0, col: this.drawColumn }, this.cols);
  }

  /**
   * After drawing up to the end of the line: if that end is exactly at the right margin, the
   * terminal is in "wrap pending" state; a space and a backspace take it to the next row for real
   * (and keep the rows joined for xterm's reflow).
   */
  private settleAtEnd(layout: Layout, wroteSomething: boolean): string {
    return wroteSomething && layout.endsAtMargin ? ' \b' : '';
  }

  /**
   * Replaces code points [from, to) with `replacement` and puts the cursor at `newCursor`,
   * redrawing from the first changed cell to the end of the line.
   */
  private replace(from: number, to: number, replacement: string[], newCursor: number): string {
    if (from === to && replacement.length === 0) return newCursor === this.cursor ? '' : this.moveTo(newCursor);
    const before = this.layout();
    const oldCursor = before.at(this.cursor);
    const oldEnd = before.at(this.chars.length);
    this.chars.splice(from, to - from, ...replacement);
    this.cursor = newCursor;
    return this.redrawFrom(from, oldCursor, oldEnd);
  }

  private redrawFrom(from: number, oldCursor: CellPosition, oldEnd: CellPosition): string {
    if (!this.visible) return '';
    const after = this.layout();
    const tail = this.chars.slice(from).map(displayOf).join('');
    const newEnd = after.at(this.chars.length);
    let out = moveCursor(oldCursor, after.at(from)) + tail;
    out += this.settleAtEnd(after, tail.length > 0);
    if (compare(newEnd, oldEnd) < 0) out += ERASE_BELOW;
    return out + moveCursor(newEnd, after.at(this.cursor));
  }

  private insert(text: string): string {
    const incoming = Array.from(text);
    const room = this.maxLength - this.chars.length;
    const accepted = incoming.slice(0, Math.max(0, room));
    const refused = accepted.length < incoming.length;
    const out = accepted.length > 0 ? this.replace(this.cursor, this.cursor, accepted, this.cursor + accepted.length) : '';
    return out + (refused ? BELL : '');
  }

  private deleteBackward(): string {
    if (this.cursor === 0) return BELL;
    const from = this.previousBoundary(this.cursor);
    return this.replace(from, this.cursor, [], from);
  }

  private deleteForward(): string {
    if (this.cursor >= this.chars.length) return BELL;
    return this.replace(this.cursor, this.nextBoundary(this.cursor), [], this.cursor);
  }

  /** Ctrl-W as in a Unix tty: the spaces before the cursor and the word before them. */
  private killWordBackward(): string {
    let from = this.cursor;
    while (from > 0 && /\s/u.test(this.chars[from - 1]!)) from--;
    while (from > 0 && !/\s/u.test(this.chars[from - 1]!)) from--;
    if (from === this.cursor) return BELL;
    return this.replace(from, this.cursor, [], from);
  }

  private moveTo(index: number): string {
    if (index === this.cursor) return '';
    const layout = this.layout();
    const out = moveCursor(layout.at(this.cursor), layout.at(index));
    this.cursor = index;
    return this.visible ? out : '';
  }

  /** A combining mark moves and deletes together with the code point before it. */
  private previousBoundary(index: number): number {
    let i = Math.max(0, index - 1);
    while (i > 0 && isZeroWidth(this.chars[i])) i--;
    return i;
  }

  private nextBoundary(index: number): number {
    let i = Math.min(this.chars.length, index + 1);
    while (i < this.chars.length && isZeroWidth(this.chars[i])) i++;
    return i;
  }

  private wordStartBefore(index: number): number {
    let i = index;
    while (i > 0 && !WORD_CHAR.test(this.chars[i - 1]!)) i--;
    while (i > 0 && WORD_CHAR.test(this.chars[i - 1]!)) i--;
    return i;
  }

  private wordEndAfter(index: number): number {
    let i = index;
    while (i < this.chars.length && !WORD_CHAR.test(this.chars[i]!)) i++;
    while (i < this.chars.length && WORD_CHAR.test(this.chars[i]!)) i++;
    return i;
  }

  private recall(direction: -1 | 1): string {
    const target = this.historyIndex + direction;
    if (target < 0 || target > this.history.length) return BELL;
    if (this.historyIndex === this.history.length) this.draft = this.chars.slice();
    this.historyIndex = target;
    const line = target === this.history.length ? this.draft : Array.from(this.history.at(target)!);
    return this.replace(0, this.chars.length, line, line.length);
  }

  private commit(): EditorResult {
    const text = this.text;
    this.history.add(text);
    const output = this.finishLine('');
    return { output, event: { kind: 'line', text } };
  }

  private interrupt(): EditorResult {
    return { output: this.finishLine('^C'), event: { kind: 'interrupt' } };
  }

  /** Puts the cursor after the line, writes `mark`, and ends the row; the editor is then hidden. */
  private finishLine(mark: string): string {
    let out = '';
    if (this.visible) {
      const layout = this.layout();
      out += moveCursor(layout.at(this.cursor), layout.at(this.chars.length));
      // A line that ended at the right margin has already put the cursor on a fresh row.
      const onFreshRow = layout.endsAtMargin;
      out += mark + (onFreshRow && mark === '' ? '' : '\r\n');
    }
    this.reset();
    return out;
  }
}
