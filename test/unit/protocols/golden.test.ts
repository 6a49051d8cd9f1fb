// Runs every golden case: the framer and dissector output must equal the stored span log, and
// framing must not depend on how the input was chunked. `UPDATE_GOLDEN=1` rewrites the .spans
// files (review the diff before keeping it).

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getProtocol, hasProtocol, listProtocols } from '../../../src/protocols/registry';
import { compareFeeds, listGoldenCases, readExpected, readInput, renderGolden, renderSpans, writeExpected, SPAN_VALUE_MAX_CHARS, TRAILING_DATA } from './golden';
import { concatBytes } from '../../../src/protocols/core/bytes';

const ROOT = fileURLToPath(new URL('./golden', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const cases = listGoldenCases(ROOT);

describe('span log rendering', () => {
  it('prints one line per node, children indented, values escaped and long ones cut', () => {
    const lines = renderSpans([
      {
        id: 't',
        offset: 0,
        length: 9,
        display: 'Top',
        children: [
          { id: 't.s', offset: 0, length: 7, value: 'a"b\\\r\n', display: 'S' },
          { id: 't.n', offset: 7, length: 2, value: 2, display: 'N', generated: true, expert: { severity: 'note', message: 'hi' } },
          { id: 't.long', offset: 0, length: 0, value: 'x'.repeat(SPAN_VALUE_MAX_CHARS + 1), display: 'L' },
        ],
      },
    ]);
    expect(lines).toEqual([
      'off=0 len=9 t (Top)',
      '  off=0 len=7 t.s="a\\"b\\\\\\r\\n"',
      '  off=7 len=2 t.n=2 generated expert=note:"hi"',
      `  off=0 len=0 t.long="${'x'.repeat(SPAN_VALUE_MAX_CHARS)}…"`,
    ]);
  });
});

describe('golden cases', () => {
  it('has cases for every registered protocol module', () => {
    const withCases = new Set(cases.map((c) => c.protocol));
    for (const m of listProtocols()) expect(withCases.has(m.id), `golden/${m.id}/ has cases`).toBe(true);
  });

  for (const c of cases) {
    describe(`${c.protocol}/${c.name}`, () => {
      const module = getProtocol(c.protocol);
      const input = readInput(c);

      it('names a registered protocol', () => {
        expect(hasProtocol(c.protocol)).toBe(true);
      });

      it('dissects to the stored span log', () => {
        const actual = renderGolden(module, c.transport, c.dir, input);
        if (UPDATE) writeExpected(c, actual);
        const expected = readExpected(c);
        expect(expected, `${c.spansPath} is missing; run with UPDATE_GOLDEN=1 and review it`).not.toBeNull();
        expect(actual).toBe(expected);
      });

      it('frames the same fed whole, byte by byte and with trailing data', () => {
        const feeds = compareFeeds(module, c.transport, c.dir, input);
        expect(feeds.byteByByte).toEqual(feeds.whole);
        expect(feeds.withTrailing.slice(0, feeds.withoutTrailing.length)).toEqual(feeds.withoutTrailing);
        // Nothing is lost or duplicated: the messages hold exactly the bytes fed.
        expect(Array.from(feeds.allBytesWithTrailing)).toEqual(Array.from(concatBytes([input, TRAILING_DATA])));
      });
    });
  }
});
