import { describe, expect, it } from 'vitest';
import { utf8ToBytes, bytesToLatin1 } from '../../../src/protocols/core/bytes';
import { LineSplitter, type LinePiece } from '../../../src/protocols/core/line-splitter';

const text = (b: Uint8Array) => bytesToLatin1(b);
const describePieces = (pieces: LinePiece[]) => pieces.map((p) => (p.kind === 'line' ? `${p.terminator}:${text(p.bytes)}` : `cut:${text(p.bytes)}`));

function splitInChunks(maxLine: number, input: string, sizes: number[]): string[] {
  const bytes = utf8ToBytes(input);
  const splitter = new LineSplitter(maxLine);
  const out: string[] = [];
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const size = Math.max(1, sizes[i++ % sizes.length]);
    out.push(...describePieces(splitter.split(bytes.subarray(at, at + size))));
    at += size;
  }
  return out;
}

describe('LineSplitter', () => {
  it('splits CRLF and bare LF lines and reports content length', () => {
    const s = new LineSplitter(100);
    const pieces = s.split(utf8ToBytes('one\r\ntwo\nthree'));
    expect(pieces).toEqual([
      { kind: 'line', bytes: utf8ToBytes('one\r\n'), contentLength: 3, terminator: 'CRLF' },
      { kind: 'line', bytes: utf8ToBytes('two\n'), contentLength: 3, terminator: 'LF' },
    ]);
    expect(s.buffered).toBe(5);
    expect(text(s.take())).toBe('three');
    expect(s.buffered).toBe(0);
  });

  it('keeps a chunk without a line end until a later chunk ends it', () => {
    const s = new LineSplitter(100);
    expect(s.split(utf8ToBytes('hel'))).toEqual([]);
    expect(s.split(utf8ToBytes('lo\r'))).toEqual([]);
    expect(describePieces(s.split(utf8ToBytes('\nnext')))).toEqual(['CRLF:hello\r\n']);
    expect(s.buffered).toBe(4);
  });

  it('treats a CR split from its LF across chunks as CRLF', () => {
    const s = new LineSplitter(100);
    s.split(utf8ToBytes('abc\r'));
    const [line] = s.split(utf8ToBytes('\n'));
    expect(line).toMatchObject({ kind: 'line', terminator: 'CRLF', contentLength: 3 });
  });

  it('accepts a line of exactly maxLine bytes, terminator included', () => {
    const s = new LineSplitter(8);
    expect(describePieces(s.split(utf8ToBytes('123456\r\n')))).toEqual(['CRLF:123456\r\n']);
    expect(describePieces(s.split(utf8ToBytes('1234567\n')))).toEqual(['LF:1234567\n']);
  });

  it('cuts a line one byte past maxLine at exactly maxLine bytes', () => {
    const s = new LineSplitter(8);
    expect(describePieces(s.split(utf8ToBytes('1234567\r\n')))).toEqual(['cut:1234567\r', 'LF:\n']);
    expect(describePieces(s.split(utf8ToBytes('123456789')))).toEqual(['cut:12345678']);
    expect(s.buffered).toBe(1);
  });

  it('cuts a long run into maxLine pieces in stream order with the lines around it', () => {
    const s = new LineSplitter(4);
    expect(describePieces(s.split(utf8ToBytes('ab\nxxxxxxxxyy\ncd\n')))).toEqual(['LF:ab\n', 'cut:xxxx', 'cut:xxxx', 'LF:yy\n', 'LF:cd\n']);
  });

  it('cuts at the same place however the stream is chunked', () => {
    const input = 'short\r\n' + 'x'.repeat(25) + '\r\nmid line\n' + 'y'.repeat(9) + '\n' + 'tail';
    const whole = splitInChunks(10, input, [input.length]);
    expect(whole).toEqual(['CRLF:short\r\n', 'cut:xxxxxxxxxx', 'cut:xxxxxxxxxx', 'CRLF:xxxxx\r\n', 'LF:mid line\n', 'LF:yyyyyyyyy\n']);
    for (const sizes of [[1], [2], [3], [7], [10], [11], [1, 4, 9], [13, 2]]) {
      expect(splitInChunks(10, input, sizes)).toEqual(whole);
    }
  });

  it('push() groups the same split into lines and cut bytes', () => {
    const s = new LineSplitter(4);
    const out = s.push(utf8ToBytes('ab\nxxxxxyz\n'));
    expect(out.lines.map((l) => text(l.bytes))).toEqual(['ab\n', 'xyz\n']);
    expect(text(out.overlong!)).toBe('xxxx');
    expect(s.push(utf8ToBytes('ok\n'))).toEqual({ lines: [{ bytes: utf8ToBytes('ok\n'), contentLength: 2, terminator: 'LF' }] });
  });

  it('hands out pieces within a chunk as views of it and keeps its own copy of what it holds', () => {
    // The capture splits every byte of every stream: a piece within one chunk is not copied, so
    // the caller copies what it keeps. What the splitter holds across calls is its own, so the
    // caller may reuse the chunk's memory once split() returns.
    const s = new LineSplitter(100);
    const buf = utf8ToBytes('ab\ncd');
    const [line] = s.split(buf);
    expect(line.bytes.buffer).toBe(buf.buffer);
    expect(text(line.bytes)).toBe('ab\n');
    buf.fill(0x21);
    const tail = utf8ToBytes('e\n');
    const [spanning] = s.split(tail);
    tail.fill(0x21);
    expect(spanning.bytes.buffer).not.toBe(buf.buffer);
    expect(text(spanning.bytes)).toBe('cde\n');
    const rest = utf8ToBytes('rest');
    s.split(rest);
    rest.fill(0x21);
    expect(text(s.take())).toBe('rest');
  });

  it('rejects a maxLine that is not a positive integer', () => {
    expect(() => new LineSplitter(0)).toThrow(RangeError);
    expect(() => new LineSplitter(1.5)).toThrow(/positive integer/);
    expect(() => new LineSplitter(Number.NaN)).toThrow(RangeError);
  });
});
