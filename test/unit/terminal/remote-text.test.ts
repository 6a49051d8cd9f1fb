import { describe, expect, test } from 'vitest';
import { RemoteTextDecoder, visibleControl } from '../../../src/main/lab/terminal/remote-text';

const bytes = (...values: number[]) => new Uint8Array(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('RemoteTextDecoder', () => {
  test('CR LF passes through; a bare LF becomes CR LF', () => {
    const decoder = new RemoteTextDecoder();
    expect(decoder.decode(utf8('220 ready\r\nline two\nend'))).toBe('220 ready\r\nline two\r\nend');
  });

  test('a CR LF split across chunks is not doubled', () => {
    const decoder = new RemoteTextDecoder();
    expect(decoder.decode(utf8('one\r')) + decoder.decode(utf8('\ntwo\n'))).toBe('one\r\ntwo\r\n');
  });

  test('a lone CR is kept (it returns to the start of the row, as on a real terminal)', () => {
    expect(new RemoteTextDecoder().decode(utf8('50%\r75%'))).toBe('50%\r75%');
  });

  test('TAB, BS and BEL keep their meaning', () => {
    expect(new RemoteTextDecoder().decode(bytes(0x61, 0x09, 0x62, 0x08, 0x07))).toBe('a\tb\b\x07');
  });

  test('other C0 controls, DEL and ESC are shown, never obeyed', () => {
    const decoder = new RemoteTextDecoder();
    expect(decoder.decode(bytes(0x00, 0x01, 0x1b, 0x5b, 0x32, 0x4a, 0x7f, 0x0c))).toBe('^@^A^[[2J^?^L');
  });

  test('C1 controls (8-bit CSI and friends) are shown in cat -v style', () => {
    expect(new RemoteTextDecoder().decode(utf8('a\u009b2Jb\u0085'))).toBe('aM-^[2JbM-^E');
    expect(visibleControl(0x9b)).toBe('M-^[');
  });

  test('a UTF-8 character split across chunks comes out whole', () => {
    const decoder = new RemoteTextDecoder();
    const encoded = utf8('é😀');
    const out = [...encoded].map((b) => decoder.decode(bytes(b))).join('');
    expect(out).toBe('é😀');
  });

  test('invalid UTF-8 shows as U+FFFD and decoding goes on', () => {
    expect(new RemoteTextDecoder().decode(bytes(0x61, 0xff, 0x62))).toBe('a\ufffdb');
  });

  test('an incomplete character at the end of the stream is flushed as U+FFFD', () => {
    const decoder = new RemoteTextDecoder();
    expect(decoder.decode(bytes(0x61, 0xe6, 0x97))).toBe('a');
    expect(decoder.flush()).toBe('\ufffd');
    expect(decoder.flush()).toBe('');
  });
});
