// The real xterm.js 6 emulator, headless, as the judge of what the shell's ANSI output looks like.
// Terminal works in Node without a DOM as long as it is never opened; writes are applied
// asynchronously, so every read first waits for them.

import { Terminal } from '@xterm/xterm';

export interface CursorPosition {
  row: number;
  col: number;
}

export class Screen {
  readonly terminal: Terminal;

  constructor(cols: number, rows: number) {
    this.terminal = new Terminal({ cols, rows, scrollback: 1000, allowProposedApi: true });
  }

  /** Hand this to the session as its `write`. */
  readonly write = (data: string): void => {
    this.terminal.write(data);
  };

  async settle(): Promise<void> {
    await new Promise<void>((resolve) => this.terminal.write('', resolve));
  }

  /** Rows of the visible screen with trailing spaces removed, trailing empty rows dropped. */
  async rows(): Promise<string[]> {
    await this.settle();
    const buffer = this.terminal.buffer.active;
    const rows: string[] = [];
    for (let y = 0; y < this.terminal.rows; y++) {
      rows.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true).trimEnd() ?? '');
    }
    while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
    return rows;
  }

  /** Every line from the top of the scrollback, logical lines joined across wraps. */
  async text(): Promise<string> {
    await this.settle();
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < buffer.length; y++) {
      const line = buffer.getLine(y)!;
      const content = line.translateToString(true);
      if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += content;
      else lines.push(content);
    }
    for (let i = 0; i < lines.length; i++) lines[i] = lines[i]!.trimEnd();
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  /**
   * Rows the terminal itself had to wrap (a line longer than the width continued on the next row),
   * from the top of the scrollback. The shell's own messages should never need it.
   */
  async softWrappedRows(): Promise<string[]> {
    await this.settle();
    const buffer = this.terminal.buffer.active;
    const rows: string[] = [];
    for (let y = 1; y < buffer.length; y++) {
      const line = buffer.getLine(y)!;
      if (line.isWrapped) rows.push(buffer.getLine(y - 1)!.translateToString(true) + '|' + line.translateToString(true).trimEnd());
    }
    return rows;
  }

  /** The cursor relative to the top of the visible screen. */
  async cursor(): Promise<CursorPosition> {
    await this.settle();
    const buffer = this.terminal.buffer.active;
    return { row: buffer.cursorY, col: buffer.cursorX };
  }

  /** The visible row the cursor is on, trailing spaces removed. */
  async cursorRow(): Promise<string> {
    const { row } = await this.cursor();
    return (await this.rowsIncludingBlank())[row] ?? '';
  }

  async resize(cols: number, rows: number): Promise<void> {
    await this.settle();
    this.terminal.resize(cols, rows);
  }

  dispose(): void {
    this.terminal.dispose();
  }

  private async rowsIncludingBlank(): Promise<string[]> {
    await this.settle();
    const buffer = this.terminal.buffer.active;
    const rows: string[] = [];
    for (let y = 0; y < this.terminal.rows; y++) rows.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true).trimEnd() ?? '');
    return rows;
  }
}
