// Follows the cursor column through the text the session writes outside the line editor (command
// output, bytes from a server), so the editor knows where its prompt starts. A server may send a
// partial line ("Password: ") and the student's typing continues right after it, as in readline.

import { advance, codePointWidth } from './cell-width';

const ESC = '\x1b';
/** xterm.js default tab stops: every 8 columns. */
const TAB_WIDTH = 8;

export class OutputColumn {
  /** Equals `cols` right after the last column was written (wrap pending). */
  private visual = 0;

  constructor(private cols: number) {}

  get column(): number {
    return this.visual;
  }

  get atLineStart(): boolean {
    return this.visual === 0;
  }

  /**
   * xterm.js does not reflow the rows that hold the cursor (reflowCursorLine is off by default);
   * it keeps the cursor on its row and clamps it to the last column of the new width.
   */
  resize(cols: number): void {
    if (cols === this.cols) return;
    this.cols = cols;
    this.visual = Math.min(this.visual, cols - 1);
  }

  /** The cursor is now at `column` (e.g. the line editor moved its prompt). */
  set(column: number): void {
    this.visual = column;
  }

  /** Call after writing a line end (CR LF) directly. */
  lineStart(): void {
    this.visual = 0;
  }

  track(text: string): void {
    for (let i = 0; i < text.length; ) {
      const ch = text[i]!;
      if (ch === ESC) {
        i = this.skipEscape(text, i);
        continue;
      }
      const codePoint = text.codePointAt(i)!;
      i += codePoint > 0xffff ? 2 : 1;
      if (ch === '\r') {
        this.lineStart();
      } else if (ch === '\n') {
        // LF moves down and keeps the column (xterm.js with convertEol off, its default).
      } else if (ch === '\b') {
        this.visual = Math.max(0, Math.min(this.visual, this.cols - 1) - 1);
      } else if (ch === '\t') {
        const from = Math.min(this.visual, this.cols - 1);
        const stop = Math.min(this.cols - 1, (Math.floor(from / TAB_WIDTH) + 1) * TAB_WIDTH);
        this.visual = stop;
      } else if (codePoint >= 0x20 && codePoint !== 0x7f && !(codePoint >= 0x80 && codePoint < 0xa0)) {
        this.visual = advance({ row: 0, col: this.visual }, codePointWidth(codePoint), this.cols).col;
      }
    }
  }

  /** Skips an escape sequence; the few that move the cursor to a known column are followed. */
  private skipEscape(text: string, start: number): number {
    if (text[start + 1] !== '[') return Math.min(text.length, start + 2);
    let i = start + 2;
    while (i < text.length && /[0-9;?]/.test(text[i]!)) i++;
    const params = text.slice(start + 2, i);
    const final = text[i];
    if (final === 'H' || final === 'f') {
      // Cursor position: only "home" and row;col forms are written by the shell.
      const col = Number(params.split(';')[1] ?? '1') || 1;
      this.visual = Math.min(col - 1, this.cols - 1);
    } else if (final === 'G') {
      const col = Number(params) || 1;
      this.visual = Math.min(col - 1, this.cols - 1);
    }
    return Math.min(text.length, i + 1);
  }
}
