import { describe, expect, test } from 'vitest';
import { tokenize } from '../../../src/main/lab/terminal/tokenize';

describe('tokenize', () => {
  test.each([
    ['open gaia.cs.umass.edu 7', ['open', 'gaia.cs.umass.edu', '7']],
    ['  open \t gaia   7  ', ['open', 'gaia', '7']],
    ['', []],
    ['   ', []],
    ['http GET "/a b.html"', ['http', 'GET', '/a b.html']],
    ["say 'it''s'", ['say', 'its']],
    ["say 'a \"quoted\" word'", ['say', 'a "quoted" word']],
    ['say "a \\"quoted\\" word"', ['say', 'a "quoted" word']],
    ['say "back\\\\slash"', ['say', 'back\\slash']],
    ['say "keep \\n as is"', ['say', 'keep \\n as is']],
    ['say a\\ b', ['say', 'a b']],
    ['say pre"mid dle"post', ['say', 'premid dlepost']],
    ["say '' \"\"", ['say', '', '']],
    ['say "日本 語"', ['say', '日本 語']],
  ])('%j', (line, tokens) => {
    expect(tokenize(line)).toEqual({ ok: true, tokens });
  });

  test.each([
    ['say "open', 'unterminated double quote (")'],
    ["say 'open", "unterminated single quote (')"],
    ['say end\\', 'the line ends with a lone backslash'],
  ])('%j is an error', (line, error) => {
    expect(tokenize(line)).toEqual({ ok: false, error });
  });
});
