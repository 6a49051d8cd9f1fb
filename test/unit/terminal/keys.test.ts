import { describe, expect, test } from 'vitest';
import { KeyDecoder, type Key } from '../../../src/main/lab/terminal/keys';

function decode(...chunks: string[]): Key[] {
  const decoder = new KeyDecoder();
  return chunks.flatMap((chunk) => decoder.decode(chunk));
}

describe('KeyDecoder', () => {
  test('a run of printable text is one key, whatever its script', () => {
    expect(decode('héllo 日本 😀')).toEqual([{ kind: 'text', text: 'héllo 日本 😀' }]);
  });

  test('TAB stays in the text', () => {
    expect(decode('a\tb')).toEqual([{ kind: 'text', text: 'a\tb' }]);
  });

  test.each([
    ['\x01', 'home'],
    ['\x02', 'left'],
    ['\x03', 'interrupt'],
    ['\x04', 'end-of-input'],
    ['\x05', 'end'],
    ['\x06', 'right'],
    ['\x08', 'backspace'],
    ['\x0b', 'kill-to-end'],
    ['\x0c', 'clear-screen'],
    ['\x0e', 'down'],
    ['\x10', 'up'],
    ['\x15', 'kill-to-start'],
    ['\x17', 'kill-word'],
    ['\x1d', 'escape-character'],
    ['\x7f', 'backspace'],
    ['\x1b[A', 'up'],
    ['\x1b[B', 'down'],
    ['\x1b[C', 'right'],
    ['\x1b[D', 'left'],
    ['\x1b[H', 'home'],
    ['\x1b[F', 'end'],
    ['\x1bOA', 'up'],
    ['\x1bOH', 'home'],
    ['\x1b[1~', 'home'],
    ['\x1b[3~', 'delete'],
    ['\x1b[4~', 'end'],
    ['\x1b[1;5C', 'word-right'],
    ['\x1b[1;5D', 'word-left'],
    ['\x1b[1;3D', 'word-left'],
    ['\x1bb', 'word-left'],
    ['\x1bf', 'word-right'],
    ['\x1b\x7f', 'kill-word'],
  ])('%j is %s', (sequence, name) => {
    expect(decode(sequence)).toEqual([{ kind: name }]);
  });

  test('a modified arrow other than Ctrl/Alt Left/Right is the plain arrow', () => {
    expect(decode('\x1b[1;2A')).toEqual([{ kind: 'up' }]);
  });

  test.each([['\x1bOP'], ['\x1b[5~'], ['\x1b[15~'], ['\x1bx'], ['\x00'], ['\x1b'], ['\x1b[2~']])(
    '%j has no binding and is reported whole',
    (sequence) => {
      expect(decode(sequence)).toEqual([{ kind: 'unbound', sequence }]);
    },
  );

  test('an incomplete CSI at the end of a chunk is reported as unbound, not carried over', () => {
    expect(decode('\x1b[1;', 'a')).toEqual([{ kind: 'unbound', sequence: '\x1b[1;' }, { kind: 'text', text: 'a' }]);
  });

  test('C1 control characters are not text', () => {
    expect(decode('a\u009bb')).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'unbound', sequence: '\u009b' },
      { kind: 'text', text: 'b' },
    ]);
  });

  test('CR, LF and CR LF each end one line', () => {
    expect(decode('a\rb\nc\r\nd')).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'enter' },
      { kind: 'text', text: 'b' },
      { kind: 'enter' },
      { kind: 'text', text: 'c' },
      { kind: 'enter' },
      { kind: 'text', text: 'd' },
    ]);
  });

  test('two LFs or two CRs are two line ends (an empty line between)', () => {
    expect(decode('\n\n')).toEqual([{ kind: 'enter' }, { kind: 'enter' }]);
    expect(decode('\r\r')).toEqual([{ kind: 'enter' }, { kind: 'enter' }]);
    expect(decode('\r\n\r\n')).toEqual([{ kind: 'enter' }, { kind: 'enter' }]);
  });

  test('CR at the end of one chunk and LF at the start of the next are one line end', () => {
    expect(decode('a\r', '\nb')).toEqual([{ kind: 'text', text: 'a' }, { kind: 'enter' }, { kind: 'text', text: 'b' }]);
  });

  test('an LF that does not follow a CR in the previous chunk is its own line end', () => {
    expect(decode('a\rb', '\nc')).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'enter' },
      { kind: 'text', text: 'b' },
      { kind: 'enter' },
      { kind: 'text', text: 'c' },
    ]);
  });

  test('bracketed-paste markers are dropped', () => {
    expect(decode('\x1b[200~pasted\x1b[201~')).toEqual([{ kind: 'text', text: 'pasted' }]);
  });

  test('keys and text mix in one chunk in order', () => {
    expect(decode('ab\x1b[Dc\x7f\r')).toEqual([
      { kind: 'text', text: 'ab' },
      { kind: 'left' },
      { kind: 'text', text: 'c' },
      { kind: 'backspace' },
      { kind: 'enter' },
    ]);
  });
});
