import { afterEach, describe, expect, test } from 'vitest';
import { KeyDecoder } from '../../../src/main/lab/terminal/keys';
import { LineEditor, MAX_LINE_LENGTH } from '../../../src/main/lab/terminal/line-editor';
import { HISTORY_LIMIT, LineHistory } from '../../../src/main/lab/terminal/line-history';
import { editorOnScreen, type EditorHarness } from './support/editor-harness';

const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const UP = '\x1b[A';
const DOWN = '\x1b[B';
const BACKSPACE = '\x7f';
const DELETE = '\x1b[3~';
const BELL = '\x07';

let harness: EditorHarness | undefined;
function open(options: Parameters<typeof editorOnScreen>[0] = {}): EditorHarness {
  harness = editorOnScreen(options);
  return harness;
}
afterEach(() => {
  harness?.screen.dispose();
  harness = undefined;
});

describe('typing and echo', () => {
  test('printable text is echoed after the prompt, one write per key at the end of the line', async () => {
    const h = open();
    h.type('a');
    h.type('b');
    h.type('c');
    expect(h.outputs).toEqual(['a', 'b', 'c']);
    expect(h.editor.text).toBe('abc');
    expect(await h.screen.rows()).toEqual(['> abc']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 5 });
  });

  test('text inserted in the middle pushes the rest right', async () => {
    const h = open();
    h.type('ac' + LEFT + 'b');
    expect(h.editor.text).toBe('abc');
    expect(h.editor.cursorIndex).toBe(2);
    expect(await h.screen.rows()).toEqual(['> abc']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 4 });
  });

  test('TAB is kept in the line and shown in caret notation', async () => {
    const h = open();
    h.type('a\tb');
    expect(h.editor.text).toBe('a\tb');
    expect(await h.screen.rows()).toEqual(['> a^Ib']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 6 });
  });

  test('a key with no binding rings the bell and changes nothing', async () => {
    const h = open();
    h.type('ab');
    h.type('\x1bOP'); // F1
    h.type('\x1b[5~'); // Page Up
    expect(h.outputs.slice(-2)).toEqual([BELL, BELL]);
    expect(h.editor.text).toBe('ab');
    expect(await h.screen.rows()).toEqual(['> ab']);
  });
});

describe('deleting', () => {
  test('Backspace deletes before the cursor, at the end and in the middle', async () => {
    const h = open();
    h.type('abcd' + BACKSPACE);
    expect(h.editor.text).toBe('abc');
    expect(await h.screen.rows()).toEqual(['> abc']);
    h.type(LEFT + BACKSPACE);
    expect(h.editor.text).toBe('ac');
    expect(await h.screen.rows()).toEqual(['> ac']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 3 });
  });

  test('Ctrl-H is Backspace too', () => {
    const h = open();
    h.type('ab\x08');
    expect(h.editor.text).toBe('a');
  });

  test('Backspace at the start of the line rings the bell', async () => {
    const h = open();
    h.type('ab\x01' + BACKSPACE);
    expect(h.outputs.at(-1)).toBe(BELL);
    expect(h.editor.text).toBe('ab');
  });

  test('Delete removes the character under the cursor; at the end it rings the bell', async () => {
    const h = open();
    h.type('abc\x01' + DELETE);
    expect(h.editor.text).toBe('bc');
    expect(await h.screen.rows()).toEqual(['> bc']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 2 });
    h.type('\x05' + DELETE);
    expect(h.outputs.at(-1)).toBe(BELL);
  });

  test('Ctrl-U deletes from the start of the line to the cursor', async () => {
    const h = open();
    h.type('hello world' + LEFT.repeat(5) + '\x15');
    expect(h.editor.text).toBe('world');
    expect(h.editor.cursorIndex).toBe(0);
    expect(await h.screen.rows()).toEqual(['> world']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 2 });
  });

  test('Ctrl-K deletes from the cursor to the end', async () => {
    const h = open();
    h.type('hello world' + LEFT.repeat(6) + '\x0b');
    expect(h.editor.text).toBe('hello');
    expect(await h.screen.rows()).toEqual(['> hello']);
  });

  test('Ctrl-W deletes the word before the cursor with the spaces after it', async () => {
    const h = open();
    h.type('open gaia 7 ');
    h.type('\x17');
    expect(h.editor.text).toBe('open gaia ');
    h.type('\x17');
    expect(h.editor.text).toBe('open ');
    expect(await h.screen.rows()).toEqual(['> open']);
    h.type('\x17');
    expect(h.editor.text).toBe('');
    h.type('\x17');
    expect(h.outputs.at(-1)).toBe(BELL);
  });

  test('Alt-Backspace deletes a word too', () => {
    const h = open();
    h.type('GET /index.html\x1b\x7f');
    expect(h.editor.text).toBe('GET ');
  });

  test('Ctrl-D deletes under the cursor on a line that is not empty', () => {
    const h = open();
    h.type('ab' + LEFT + '\x04');
    expect(h.editor.text).toBe('a');
    expect(h.events).toEqual([]);
  });
});

describe('moving', () => {
  test('Left and Right move one character, and stop quietly at either end', async () => {
    const h = open();
    h.type('ab' + LEFT);
    expect(h.outputs.at(-1)).toBe(LEFT);
    h.type(LEFT + LEFT);
    expect(h.editor.cursorIndex).toBe(0);
    expect(h.outputs.at(-1)).toBe('');
    h.type(RIGHT + RIGHT + RIGHT);
    expect(h.editor.cursorIndex).toBe(2);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 4 });
  });

  test('Ctrl-B and Ctrl-F, and the application-mode arrows, move too', () => {
    const h = open();
    h.type('abc\x02\x02');
    expect(h.editor.cursorIndex).toBe(1);
    h.type('\x06');
    expect(h.editor.cursorIndex).toBe(2);
    h.type('\x1bOD');
    expect(h.editor.cursorIndex).toBe(1);
    h.type('\x1bOC');
    expect(h.editor.cursorIndex).toBe(2);
  });

  test.each([
    ['Ctrl-A / Ctrl-E', '\x01', '\x05'],
    ['Home / End (CSI H / F)', '\x1b[H', '\x1b[F'],
    ['Home / End (SS3)', '\x1bOH', '\x1bOF'],
    ['Home / End (keypad 1~ / 4~)', '\x1b[1~', '\x1b[4~'],
    ['Home / End (rxvt 7~ / 8~)', '\x1b[7~', '\x1b[8~'],
  ])('%s go to the start and the end', async (_name, home, end) => {
    const h = open();
    h.type('protolab');
    h.type(home);
    expect(h.editor.cursorIndex).toBe(0);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 2 });
    h.type(end);
    expect(h.editor.cursorIndex).toBe(8);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 10 });
  });

  test('Alt-b / Alt-f and Ctrl-Left / Ctrl-Right move by words', () => {
    const h = open();
    h.type('open gaia.cs 7');
    h.type('\x1bb');
    expect(h.editor.cursorIndex).toBe(13);
    h.type('\x1b[1;5D');
    expect(h.editor.cursorIndex).toBe(10);
    h.type('\x1b[1;5D');
    expect(h.editor.cursorIndex).toBe(5);
    h.type('\x1bf');
    expect(h.editor.cursorIndex).toBe(9);
    h.type('\x1b[1;3C');
    expect(h.editor.cursorIndex).toBe(12);
  });
});

describe('ending a line', () => {
  test('Enter completes the line, moves to a new row and leaves the editor empty', async () => {
    const h = open();
    h.type('open gaia 7' + LEFT.repeat(3) + '\r');
    expect(h.events).toEqual([{ kind: 'line', text: 'open gaia 7' }]);
    expect(h.editor.text).toBe('');
    expect(await h.screen.rows()).toEqual(['> open gaia 7', '>']);
    expect(await h.screen.cursor()).toEqual({ row: 1, col: 2 });
  });

  test('Ctrl-C cancels the line and shows ^C', async () => {
    const h = open();
    h.type('abc' + LEFT + '\x03');
    expect(h.events).toEqual([{ kind: 'interrupt' }]);
    expect(h.editor.text).toBe('');
    expect(await h.screen.rows()).toEqual(['> abc^C', '>']);
  });

  test('Ctrl-D on an empty line reports end of input and writes nothing', () => {
    const h = open();
    h.type('\x04');
    expect(h.events).toEqual([{ kind: 'end-of-input' }]);
    expect(h.outputs).toEqual(['']);
  });

  test('Ctrl-] reports the escape character and keeps the line', () => {
    const h = open();
    h.type('abc\x1d');
    expect(h.events).toEqual([{ kind: 'escape-character' }]);
    expect(h.editor.text).toBe('abc');
  });

  test('Ctrl-L clears the screen and redraws the line at the top', async () => {
    const h = open();
    h.type('one\rtwo\rthr' + LEFT);
    h.type('\x0c');
    expect(h.events.at(-1)).toEqual({ kind: 'screen-cleared' });
    expect(await h.screen.rows()).toEqual(['> thr']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 4 });
  });
});

describe('paste', () => {
  test('a paste with CR, CR LF and LF line ends gives one line per line end', async () => {
    const h = open();
    h.type('GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\rAccept: */*\n\r\npartial');
    expect(h.events).toEqual([
      { kind: 'line', text: 'GET / HTTP/1.1' },
      { kind: 'line', text: 'Host: gaia.cs.umass.edu' },
      { kind: 'line', text: 'Accept: */*' },
      { kind: 'line', text: '' },
    ]);
    expect(h.editor.text).toBe('partial');
    expect(await h.screen.rows()).toEqual(['> GET / HTTP/1.1', '> Host: gaia.cs.umass.edu', '> Accept: */*', '>', '> partial']);
  });

  test('a CR LF split between two chunks is one line end', () => {
    const h = open();
    h.type('one\r');
    h.type('\ntwo\r');
    h.type('\n');
    expect(h.events).toEqual([
      { kind: 'line', text: 'one' },
      { kind: 'line', text: 'two' },
    ]);
  });

  test('a pasted line is inserted at the cursor in one write', async () => {
    const h = open();
    h.type('ad' + LEFT);
    h.type('bc');
    expect(h.editor.text).toBe('abcd');
    expect(await h.screen.rows()).toEqual(['> abcd']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 5 });
  });
});

describe('history', () => {
  test('Up and Down walk the entered lines and come back to the line being typed', async () => {
    const h = open();
    h.type('first\rsecond\rdra');
    h.type(UP);
    expect(h.editor.text).toBe('second');
    expect(await h.screen.cursorRow()).toBe('> second');
    h.type(UP);
    expect(h.editor.text).toBe('first');
    expect(await h.screen.cursorRow()).toBe('> first');
    h.type(UP);
    expect(h.outputs.at(-1)).toBe(BELL);
    expect(h.editor.text).toBe('first');
    h.type(DOWN + DOWN);
    expect(h.editor.text).toBe('dra');
    expect(await h.screen.cursorRow()).toBe('> dra');
    expect(await h.screen.cursor()).toMatchObject({ col: 5 });
    h.type(DOWN);
    expect(h.outputs.at(-1)).toBe(BELL);
  });

  test('Ctrl-P and Ctrl-N browse history as well', () => {
    const h = open();
    h.type('one\rtwo\r\x10\x10');
    expect(h.editor.text).toBe('one');
    h.type('\x0e');
    expect(h.editor.text).toBe('two');
  });

  test('a recalled line can be edited and entered as a new line', () => {
    const h = open();
    h.type('open gaia 7\r' + UP + BACKSPACE + '80\r');
    expect(h.events.at(-1)).toEqual({ kind: 'line', text: 'open gaia 80' });
    h.type(UP);
    expect(h.editor.text).toBe('open gaia 80');
    h.type(UP);
    expect(h.editor.text).toBe('open gaia 7');
  });

  test('blank lines and an immediate repeat are not kept', () => {
    const history = new LineHistory();
    history.add('hosts');
    history.add('hosts');
    history.add('   ');
    history.add('');
    history.add('help');
    expect([history.at(0), history.at(1), history.length]).toEqual(['hosts', 'help', 2]);
  });

  test(`history keeps the last ${HISTORY_LIMIT} lines`, () => {
    const history = new LineHistory();
    for (let i = 0; i <= HISTORY_LIMIT; i++) history.add(`line ${i}`);
    expect(history.length).toBe(HISTORY_LIMIT);
    expect(history.at(0)).toBe('line 1');
    expect(history.at(HISTORY_LIMIT - 1)).toBe(`line ${HISTORY_LIMIT}`);
  });

  test('a history limit that is not a positive integer is refused', () => {
    expect(() => new LineHistory(0)).toThrow(RangeError);
  });

  test('each history is its own: switching keeps them apart', () => {
    const shell = new LineHistory();
    const remote = new LineHistory();
    const editor = new LineEditor({ cols: 40, history: shell });
    const keys = new KeyDecoder();
    const type = (data: string) => keys.decode(data).forEach((k) => editor.handleKey(k));
    type('hosts\r');
    editor.useHistory(remote);
    type('HELO me\r' + UP);
    expect(editor.text).toBe('HELO me');
    editor.useHistory(shell);
    type(UP);
    expect(editor.text).toBe('hosts');
  });
});

describe('characters beyond ASCII', () => {
  test('a character outside the BMP (a surrogate pair) is one step for the cursor', async () => {
    const h = open();
    h.type('a😀b' + LEFT + LEFT + BACKSPACE);
    expect(h.editor.text).toBe('😀b');
    h.type(RIGHT + BACKSPACE);
    expect(h.editor.text).toBe('b');
    expect(await h.screen.rows()).toEqual(['> b']);
  });

  test('wide characters take two cells, and the cursor follows them', async () => {
    const h = open();
    h.type('日本語');
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 8 });
    h.type(LEFT);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 6 });
    h.type('x');
    expect(h.editor.text).toBe('日本x語');
    expect(await h.screen.rows()).toEqual(['> 日本x語']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 7 });
  });

  test('a combining mark moves and is deleted with its base letter', async () => {
    const h = open();
    h.type('cafe\u0301!');
    h.type(LEFT + LEFT);
    expect(h.editor.cursorIndex).toBe(3);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 5 });
    h.type(DELETE);
    expect(h.editor.text).toBe('caf!');
    expect(await h.screen.rows()).toEqual(['> caf!']);
  });
});

describe('lines longer than the terminal is wide', () => {
  test('typing wraps, and Home and End cross rows', async () => {
    const h = open({ cols: 10 });
    h.type('abcdefghijklmnopqrstu');
    expect(await h.screen.rows()).toEqual(['> abcdefgh', 'ijklmnopqr', 'stu']);
    expect(await h.screen.cursor()).toEqual({ row: 2, col: 3 });
    h.type('\x01');
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 2 });
    h.type('0');
    expect(await h.screen.rows()).toEqual(['> 0abcdefg', 'hijklmnopq', 'rstu']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 3 });
    h.type('\x05');
    expect(await h.screen.cursor()).toEqual({ row: 2, col: 4 });
  });

  test('deleting near the start pulls the following rows back and erases what is left over', async () => {
    const h = open({ cols: 10 });
    h.type('abcdefghijk');
    expect(await h.screen.rows()).toEqual(['> abcdefgh', 'ijk']);
    h.type('\x01' + DELETE + DELETE + DELETE + DELETE);
    expect(await h.screen.rows()).toEqual(['> efghijk']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 2 });
  });

  test('Left and Backspace cross from the start of a row to the end of the previous one', async () => {
    const h = open({ cols: 10 });
    h.type('abcdefghij');
    expect(await h.screen.cursor()).toEqual({ row: 1, col: 2 });
    h.type(LEFT + LEFT + LEFT);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 9 });
    h.type(BACKSPACE);
    expect(await h.screen.rows()).toEqual(['> abcdefhi', 'j']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 8 });
  });

  test('a line that ends exactly at the right margin puts the cursor on the next row, and Enter adds no blank row', async () => {
    const h = open({ cols: 10 });
    h.type('abcdefgh');
    expect(await h.screen.cursor()).toEqual({ row: 1, col: 0 });
    h.type(LEFT);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 9 });
    h.type(RIGHT);
    expect(await h.screen.cursor()).toEqual({ row: 1, col: 0 });
    h.type(BACKSPACE);
    expect(await h.screen.rows()).toEqual(['> abcdefg']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 9 });
    h.type('h\r');
    expect(await h.screen.rows()).toEqual(['> abcdefgh', '>']);
  });

  test('a wide character that does not fit at the end of a row goes to the next row whole', async () => {
    const h = open({ cols: 10 });
    h.type('abcdefg語z');
    expect(await h.screen.rows()).toEqual(['> abcdefg', '語z']);
    expect(await h.screen.cursor()).toEqual({ row: 1, col: 3 });
    h.type(LEFT + LEFT);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 9 });
    h.type('\x01' + DELETE);
    expect(await h.screen.rows()).toEqual(['> bcdefg語', 'z']);
  });

  test('history recall of a short line over a long one erases the extra rows', async () => {
    const h = open({ cols: 10 });
    h.type('ls\r' + 'x'.repeat(25) + UP);
    expect(h.editor.text).toBe('ls');
    expect(await h.screen.rows()).toEqual(['> ls', '> ls']);
  });

  test('resize redraws the line for the new width', async () => {
    const h = open({ cols: 20 });
    h.type('0123456789abcdefghijklmnopqrstuvwxyz' + LEFT.repeat(3));
    await h.screen.resize(10, 10);
    h.screen.write(h.editor.resize(10, 0));
    expect(await h.screen.rows()).toEqual(['> 01234567', '89abcdefgh', 'ijklmnopqr', 'stuvwxyz']);
    expect(await h.screen.cursor()).toEqual({ row: 3, col: 5 });
    await h.screen.resize(30, 10);
    h.screen.write(h.editor.resize(30, 0));
    expect(await h.screen.text()).toBe('> 0123456789abcdefghijklmnopqrstuvwxyz');
    h.type('\x05!');
    expect(h.editor.text).toBe('0123456789abcdefghijklmnopqrstuvwxyz!');
    expect(await h.screen.text()).toBe('> 0123456789abcdefghijklmnopqrstuvwxyz!');
  });
});

describe('drawing around other output', () => {
  test('hide erases prompt and line; show draws them back with the cursor where it was', async () => {
    const h = open({ cols: 10 });
    h.type('abcdefghijkl' + LEFT.repeat(4));
    h.screen.write(h.editor.hide());
    expect(await h.screen.rows()).toEqual([]);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 0 });
    h.screen.write('server says hi\r\n');
    h.screen.write(h.editor.show(0));
    expect(await h.screen.rows()).toEqual(['server say', 's hi', '> abcdefgh', 'ijkl']);
    // The cursor stood before 'i', the first cell of the second row of the line.
    expect(await h.screen.cursor()).toEqual({ row: 3, col: 0 });
  });

  test('show can start after text already on the row (a server prompt without a line end)', async () => {
    const h = open({ prompt: '' });
    h.screen.write(h.editor.hide());
    h.screen.write('Name: ');
    h.screen.write(h.editor.show(6));
    h.type('bob' + LEFT);
    expect(await h.screen.rows()).toEqual(['Name: bob']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 8 });
    h.screen.write(h.editor.hide());
    expect(await h.screen.rows()).toEqual(['Name:']);
    expect(await h.screen.cursor()).toEqual({ row: 0, col: 6 });
  });

  test('show right after output that filled its row exactly types on the next row', async () => {
    const h = open({ cols: 10, prompt: '' });
    h.screen.write('0123456789');
    h.screen.write(h.editor.show(10));
    h.type('ab' + LEFT);
    expect(await h.screen.rows()).toEqual(['0123456789', 'ab']);
    expect(await h.screen.cursor()).toEqual({ row: 1, col: 1 });
    h.screen.write(h.editor.hide());
    h.screen.write('more\r\n');
    h.screen.write(h.editor.show(0));
    expect(await h.screen.rows()).toEqual(['0123456789', 'more', 'ab']);
    expect(await h.screen.cursor()).toEqual({ row: 2, col: 1 });
  });

  test('resize moves a prompt that no longer fits after the text before it to the next row', async () => {
    const h = open({ cols: 20, prompt: '' });
    h.screen.write(h.editor.hide());
    h.screen.write('Password for bob: ');
    h.screen.write(h.editor.show(18));
    h.type('secret');
    await h.screen.resize(12, 10);
    const redraw = h.editor.resize(12, 11);
    h.screen.write(redraw);
    expect(h.editor.startColumn).toBe(0);
    expect(await h.screen.rows()).toEqual(['Password for', 'secret']);
    expect(await h.screen.cursor()).toEqual({ row: 1, col: 6 });
  });

  test('hide and show write nothing when prompt and line are empty', () => {
    const h = open({ prompt: '' });
    expect(h.editor.hide()).toBe('');
    expect(h.editor.show(3)).toBe('');
  });

  test('keys handled while hidden change the line but write nothing', () => {
    const h = open();
    h.editor.hide();
    const keys = new KeyDecoder().decode('ab' + LEFT + BACKSPACE);
    expect(keys.map((k) => h.editor.handleKey(k).output)).toEqual(['', '', '']);
    expect(h.editor.text).toBe('b');
  });
});

describe(`line length limit (${MAX_LINE_LENGTH} characters)`, () => {
  test('a line may hold exactly the limit; one more character is refused with a bell', async () => {
    const h = open({ cols: 80, rows: 24 });
    h.type('x'.repeat(MAX_LINE_LENGTH - 1));
    h.type('y');
    expect(h.outputs.at(-1)).toBe('y');
    expect(h.editor.text.length).toBe(MAX_LINE_LENGTH);
    h.type('z');
    expect(h.outputs.at(-1)).toBe(BELL);
    expect(h.editor.text.length).toBe(MAX_LINE_LENGTH);
    expect(h.editor.text.endsWith('xy')).toBe(true);
    h.type(BACKSPACE + 'w');
    expect(h.editor.text.endsWith('xw')).toBe(true);
  });

  test('a paste that crosses the limit keeps what fits, rings once, and later lines are whole again', () => {
    const h = open({ cols: 80, rows: 24 });
    h.type('a'.repeat(MAX_LINE_LENGTH + 10) + '\rnext');
    expect(h.outputs[0]!.endsWith(BELL)).toBe(true);
    expect(h.outputs[0]!.split(BELL).length).toBe(2);
    expect(h.events).toEqual([{ kind: 'line', text: 'a'.repeat(MAX_LINE_LENGTH) }]);
    expect(h.editor.text).toBe('next');
  });

  test('the limit counts code points, not UTF-16 units', () => {
    const editor = new LineEditor({ cols: 80, maxLength: 3 });
    const keys = new KeyDecoder();
    const outputs = keys.decode('😀😀😀😀').map((k) => editor.handleKey(k).output);
    expect(editor.text).toBe('😀😀😀');
    expect(outputs.join('')).toContain(BELL);
  });
});
