import { describe, expect, it } from 'vitest';
import { MAX_COMPOSE_CHARS, composeToKeystrokes } from '../../../src/renderer/lib/compose';
import { COMPOSE_EXAMPLES } from '../../../src/renderer/lib/compose-examples';

describe('composeToKeystrokes', () => {
  it('types every line followed by Enter (CR)', () => {
    expect(composeToKeystrokes('HELO crepes.fr\nQUIT')).toEqual({ ok: true, keys: 'HELO crepes.fr\rQUIT\r', lines: 2 });
  });

  it('treats a final newline as the end of the last line, so a blank line stays one blank line', () => {
    // An HTTP request ends with an empty line: two newlines at the end give one extra Enter.
    expect(composeToKeystrokes('GET / HTTP/1.1\nHost: x\n\n')).toEqual({ ok: true, keys: 'GET / HTTP/1.1\rHost: x\r\r', lines: 3 });
    expect(composeToKeystrokes('hello\n')).toEqual({ ok: true, keys: 'hello\r', lines: 1 });
  });

  it('accepts CRLF and CR line ends from pasted text', () => {
    expect(composeToKeystrokes('a\r\nb\rc')).toEqual({ ok: true, keys: 'a\rb\rc\r', lines: 3 });
  });

  it('refuses empty text and text over MAX_COMPOSE_CHARS', () => {
    expect(composeToKeystrokes('')).toEqual({ ok: false, error: 'nothing to send: write a message first' });
    expect(composeToKeystrokes('x'.repeat(MAX_COMPOSE_CHARS)).ok).toBe(true);
    const over = composeToKeystrokes('x'.repeat(MAX_COMPOSE_CHARS + 1));
    expect(over.ok).toBe(false);
  });

  it('has examples that compose, each with a connect hint', () => {
    for (const ex of COMPOSE_EXAMPLES) {
      const r = composeToKeystrokes(ex.text);
      expect(r.ok, ex.id).toBe(true);
      expect(ex.connectHint).toMatch(/^open \S+ \d+$/);
    }
    const http = composeToKeystrokes(COMPOSE_EXAMPLES.find((e) => e.id === 'http-get')!.text);
    expect(http.ok && http.keys.endsWith('\r\r')).toBe(true);
  });
});
