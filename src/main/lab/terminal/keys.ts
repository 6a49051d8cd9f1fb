// Turns what xterm.js's onData delivers (typed text, control characters, ESC sequences for the
// special keys, pasted text with any mix of line ends) into editing keys.
//
// Sequences are the ones xterm.js sends in its default modes (normal cursor keys `ESC [ A`,
// application cursor keys `ESC O A`, `ESC [ n ~` for the editing keypad, `ESC [ 1 ; m X` with
// modifiers). xterm.js delivers each sequence whole in one onData call, so a lone ESC at the end of
// a chunk is the Escape key itself, not the start of a split sequence.

export type KeyName =
  | 'enter'
  | 'backspace'
  | 'delete'
  | 'left'
  | 'right'
  | 'up'
  | 'down'
  | 'home'
  | 'end'
  | 'word-left'
  | 'word-right'
  /** Ctrl-U: delete from the start of the line to the cursor. */
  | 'kill-to-start'
  /** Ctrl-K: delete from the cursor to the end of the line. */
  | 'kill-to-end'
  /** Ctrl-W: delete the word before the cursor. */
  | 'kill-word'
  /** Ctrl-C. */
  | 'interrupt'
  /** Ctrl-D: end of input on an empty line, otherwise delete. */
  | 'end-of-input'
  /** Ctrl-]: telnet's escape character. */
  | 'escape-character'
  /** Ctrl-L. */
  | 'clear-screen';

export type Key =
  /** Printable text, possibly many code points (a paste); may contain TAB. */
  | { kind: 'text'; text: string }
  | { kind: KeyName }
  /** A control character or sequence with no binding; `sequence` is what was received. */
  | { kind: 'unbound'; sequence: string };

const CONTROL_KEYS: Readonly<Record<string, KeyName>> = {
  '\x01': 'home', // Ctrl-A
  '\x02': 'left', // Ctrl-B
  '\x03': 'interrupt', // Ctrl-C
  '\x04': 'end-of-input', // Ctrl-D
  '\x05': 'end', // Ctrl-E
  '\x06': 'right', // Ctrl-F
  '\x08': 'backspace', // Ctrl-H, what some terminals send for Backspace
  '\x0b': 'kill-to-end', // Ctrl-K
  '\x0c': 'clear-screen', // Ctrl-L
  '\x0e': 'down', // Ctrl-N
  '\x10': 'up', // Ctrl-P
  '\x15': 'kill-to-start', // Ctrl-U
  '\x17': 'kill-word', // Ctrl-W
  '\x1d': 'escape-character', // Ctrl-]
  '\x7f': 'backspace', // what xterm.js sends for Backspace
};

/** Final byte of `ESC [ ... X` or `ESC O X`. */
const CURSOR_FINALS: Readonly<Record<string, KeyName>> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
};

/** `ESC [ n ~` editing keypad. */
const TILDE_KEYS: Readonly<Record<string, KeyName>> = {
  '1': 'home',
  '7': 'home',
  '4': 'end',
  '8': 'end',
  '3': 'delete',
};

/** Alt+letter as xterm.js sends it (ESC prefix), readline's meta bindings. */
const META_KEYS: Readonly<Record<string, KeyName>> = {
  b: 'word-left',
  f: 'word-right',
  '\x7f': 'kill-word',
};

/** Bracketed paste markers (DEC mode 2004); the shell does not enable the mode, but tolerates them. */
const PASTE_MARKERS = new Set(['200~', '201~']);

function isPrintable(codePoint: number): boolean {
  return codePoint === 0x09 || (codePoint >= 0x20 && codePoint !== 0x7f && !(codePoint >= 0x80 && codePoint < 0xa0));
}

export class KeyDecoder {
  /** The previous chunk ended in CR: an LF at the start of this one completes a CR LF, not a second Enter. */
  private afterCR = false;

  decode(data: string): Key[] {
    const keys: Key[] = [];
    let i = 0;
    if (this.afterCR && data.startsWith('\n')) i = 1;
    this.afterCR = false;
    while (i < data.length) {
      const ch = data[i]!;
      if (ch === '\r' || ch === '\n') {
        keys.push({ kind: 'enter' });
        i += ch === '\r' && data[i + 1] === '\n' ? 2 : 1;
        if (ch === '\r' && i === data.length) this.afterCR = true;
        continue;
      }
      if (ch === '\x1b') {
        i = this.decodeEscape(data, i, keys);
        continue;
      }
      const start = i;
      while (i < data.length) {
        const codePoint = data.codePointAt(i)!;
        if (!isPrintable(codePoint)) break;
        i += codePoint > 0xffff ? 2 : 1;
      }
      if (i > start) {
        keys.push({ kind: 'text', text: data.slice(start, i) });
        continue;
      }
      const name = CONTROL_KEYS[ch];
      keys.push(name ? { kind: name } : { kind: 'unbound', sequence: ch });
      i += 1;
    }
    return keys;
  }

  private decodeEscape(data: string, start: number, keys: Key[]): number {
    const next = data[start + 1];
    if (next === '[') {
      let i = start + 2;
      while (i < data.length && /[0-9;:<=>?]/.test(data[i]!)) i++;
      while (i < data.length && /[ -/]/.test(data[i]!)) i++;
      const final = data[i];
      const end = Math.min(data.length, i + 1);
      const params = data.slice(start + 2, i);
      if (final === '~' && PASTE_MARKERS.has(params + final)) return end;
      const name = final === '~' ? TILDE_KEYS[params] : this.cursorKey(params, final);
      keys.push(name ? { kind: name } : { kind: 'unbound', sequence: data.slice(start, end) });
      return end;
    }
    if (next === 'O' && start + 2 < data.length) {
      const name = CURSOR_FINALS[data[start + 2]!];
      const end = start + 3;
      keys.push(name ? { kind: name } : { kind: 'unbound', sequence: data.slice(start, end) });
      return end;
    }
    if (next !== undefined) {
      const name = META_KEYS[next];
      const end = start + 1 + (data.codePointAt(start + 1)! > 0xffff ? 2 : 1);
      keys.push(name ? { kind: name } : { kind: 'unbound', sequence: data.slice(start, end) });
      return end;
    }
    keys.push({ kind: 'unbound', sequence: '\x1b' });
    return start + 1;
  }

  /** `ESC [ A` or with a modifier `ESC [ 1 ; 5 D` (Ctrl) / `ESC [ 1 ; 3 D` (Alt): word moves. */
  private cursorKey(params: string, final: string | undefined): KeyName | undefined {
    if (final === undefined) return undefined;
    const name = CURSOR_FINALS[final];
    if (!name || params === '') return name;
    const modifier = params.split(';')[1];
    const withWordModifier = modifier === '5' || modifier === '3';
    if (withWordModifier && name === 'left') return 'word-left';
    if (withWordModifier && name === 'right') return 'word-right';
    return params.startsWith('1') ? name : undefined;
  }
}
