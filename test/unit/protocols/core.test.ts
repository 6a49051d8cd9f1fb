import { describe, expect, it } from 'vitest';
import { assertNever } from '../../../src/protocols/core/assert-never';
import { utf8ToBytes } from '../../../src/protocols/core/bytes';
import { formatRfcReference, parseRfcReference } from '../../../src/protocols/core/rfc';
import { reachableStates, transition, type TransitionTable } from '../../../src/protocols/core/state-machine';
import { byteCount, displayText, ELLIPSIS, previewText, summarizeBytes, SUMMARY_MAX_CHARS } from '../../../src/protocols/core/summary';
import { UDP_MAX_PAYLOAD_IPV4 } from '../../../src/protocols/core/udp';
import { lineSpans, missingLineEndExpert, terminatorNode } from '../../../src/protocols/core/line-spans';
import { defineFields } from '../../../src/protocols/core/field';

describe('summaries', () => {
  it('quotes the bytes with control characters escaped and counts them', () => {
    expect(summarizeBytes(utf8ToBytes('hello\r\n'))).toBe('"hello\\r\\n" (7 bytes)');
    expect(summarizeBytes(utf8ToBytes('\x00\t'))).toBe('"\\x00\\t" (2 bytes)');
    expect(summarizeBytes(utf8ToBytes('a'))).toBe('"a" (1 byte)');
    expect(summarizeBytes(new Uint8Array(0))).toBe('"" (0 bytes)');
    expect(summarizeBytes(utf8ToBytes('x'), 'line cut')).toBe('"x" (1 byte, line cut)');
  });

  it('keeps exactly SUMMARY_MAX_CHARS characters and cuts one more with an ellipsis', () => {
    const fits = 'a'.repeat(SUMMARY_MAX_CHARS);
    expect(previewText(utf8ToBytes(fits))).toBe(fits);
    expect(previewText(utf8ToBytes(fits + 'b'))).toBe(fits + ELLIPSIS);
  });

  it('never splits an escape when cutting', () => {
    const text = 'a'.repeat(SUMMARY_MAX_CHARS - 1) + '\r\n';
    expect(previewText(utf8ToBytes(text))).toBe('a'.repeat(SUMMARY_MAX_CHARS - 1) + ELLIPSIS);
    const binary = new Uint8Array(SUMMARY_MAX_CHARS).fill(0xff);
    const shown = previewText(binary);
    expect(shown.endsWith(ELLIPSIS)).toBe(true);
    expect(shown.slice(0, -1)).toMatch(/^(\\xff)+$/);
  });

  it('previews a printable run, the escapes after it and UTF-8 at the cut alike', () => {
    expect(previewText(utf8ToBytes('ab\r\ncd'))).toBe('ab\\r\\ncd');
    expect(previewText(utf8ToBytes('\tab'))).toBe('\\tab');
    expect(previewText(utf8ToBytes('a'.repeat(SUMMARY_MAX_CHARS - 1) + 'é'))).toBe('a'.repeat(SUMMARY_MAX_CHARS - 1) + 'é');
    expect(previewText(utf8ToBytes('a'.repeat(SUMMARY_MAX_CHARS) + 'é'))).toBe('a'.repeat(SUMMARY_MAX_CHARS) + ELLIPSIS);
    expect(previewText(utf8ToBytes('a'.repeat(SUMMARY_MAX_CHARS) + '\r\n'))).toBe('a'.repeat(SUMMARY_MAX_CHARS) + ELLIPSIS);
  });

  it('shows UTF-8 as text and invalid UTF-8 as hex bytes', () => {
    expect(displayText(utf8ToBytes('café'))).toBe('café');
    expect(displayText(new Uint8Array([0x61, 0xff, 0x0a]))).toBe('a\\xff\\n');
    // A character cut in two at the end of a whole message is not valid UTF-8.
    expect(displayText(new Uint8Array([0x63, 0xc3]))).toBe('c\\xc3');
  });

  it('previews a maximal datagram without decoding all of it', () => {
    const big = new Uint8Array(UDP_MAX_PAYLOAD_IPV4).fill(0x41);
    expect(summarizeBytes(big)).toBe(`"${'A'.repeat(SUMMARY_MAX_CHARS)}${ELLIPSIS}" (65507 bytes)`);
  });

  it('counts bytes in words', () => {
    expect(byteCount(0)).toBe('0 bytes');
    expect(byteCount(1)).toBe('1 byte');
    expect(byteCount(2)).toBe('2 bytes');
  });
});

describe('UDP limit', () => {
  it('is 65535 minus the IPv4 and UDP headers', () => {
    expect(UDP_MAX_PAYLOAD_IPV4).toBe(65507);
  });
});

describe('state machine helper', () => {
  type S = 'a' | 'b' | 'c';
  type E = 'go' | 'stop';
  const table: TransitionTable<S, E> = { a: { go: 'b' }, b: { stop: 'c' }, c: {} };

  it('moves along the table and reports a move it does not allow as a value', () => {
    expect(transition(table, 'a', 'go')).toEqual({ ok: true, from: 'a', to: 'b' });
    expect(transition(table, 'a', 'stop')).toEqual({ ok: false, from: 'a', error: '"stop" is not allowed in state "a"' });
    expect(transition(table, 'x' as S, 'go')).toEqual({ ok: false, from: 'x', error: 'unknown state "x"' });
  });

  it('lists reachable states', () => {
    expect(reachableStates(table, 'a')).toEqual(new Set(['a', 'b', 'c']));
    expect(reachableStates(table, 'b')).toEqual(new Set(['b', 'c']));
  });

  it('assertNever names the unexpected value', () => {
    expect(() => assertNever('zap' as never, 'state')).toThrow('Unexpected state: "zap"');
  });
});

describe('RFC references', () => {
  it('parses a document and an optional section', () => {
    expect(parseRfcReference('RFC 862')).toEqual({ rfc: 862 });
    expect(parseRfcReference('RFC 5321 §4.5.3.1.6')).toEqual({ rfc: 5321, section: '4.5.3.1.6' });
    expect(parseRfcReference('RFC 9112 §B.2')).toEqual({ rfc: 9112, section: 'B.2' });
    expect(parseRfcReference('rfc 862')).toBeNull();
    expect(parseRfcReference('RFC 0')).toBeNull();
    expect(parseRfcReference('see RFC 862')).toBeNull();
  });

  it('formats what it parses back to the same text', () => {
    for (const ref of ['RFC 862', 'RFC 5321 §4.1.1']) expect(formatRfcReference(parseRfcReference(ref)!)).toBe(ref);
  });
});

describe('line spans', () => {
  it('finds every line and a last one without a terminator', () => {
    expect(lineSpans(utf8ToBytes('a\r\n\nbc'))).toEqual([
      { offset: 0, contentLength: 1, terminator: 'CRLF', length: 3 },
      { offset: 3, contentLength: 0, terminator: 'LF', length: 1 },
      { offset: 4, contentLength: 2, terminator: null, length: 2 },
    ]);
    expect(lineSpans(new Uint8Array(0))).toEqual([]);
    // A lone CR in the middle is content, not a line end.
    expect(lineSpans(utf8ToBytes('a\rb\n'))[0]).toEqual({ offset: 0, contentLength: 3, terminator: 'LF', length: 4 });
  });

  it('flags a bare LF and says why a line end is missing', () => {
    const F = defineFields({ 't.end': { name: 'End', blurb: 'line end' } });
    const [crlf, lf, none] = lineSpans(utf8ToBytes('a\r\nb\nc'));
    expect(terminatorNode(F['t.end'], crlf)).toMatchObject({ offset: 1, length: 2, value: 'CRLF' });
    expect(terminatorNode(F['t.end'], crlf)?.expert).toBeUndefined();
    expect(terminatorNode(F['t.end'], lf)).toMatchObject({ offset: 4, length: 1, value: 'LF', expert: { severity: 'note' } });
    expect(terminatorNode(F['t.end'], none)).toBeNull();
    expect(missingLineEndExpert(crlf, { transport: 'tcp' }, 10)).toBeUndefined();
    expect(missingLineEndExpert(none, { transport: 'tcp', partial: true }, 10)?.message).toMatch(/connection ended/);
    expect(missingLineEndExpert(none, { transport: 'tcp' }, 10)?.message).toMatch(/within 10 bytes/);
    expect(missingLineEndExpert(none, { transport: 'udp' }, 10)).toBeUndefined();
  });
});
