import { describe, expect, it } from 'vitest';
import { MAX_FILTER_LENGTH, matchesFilter, parseDisplayFilter, type DisplayFilter } from '../../../src/renderer/lib/display-filter';

const smtp = { protocol: 'smtp', summary: 'MAIL FROM:<alice@crepes.fr>', source: 'cis.poly.edu:49152', destination: 'hamburger.edu:25' };
const http = { protocol: 'http', summary: 'GET /index.html HTTP/1.1', source: 'cis.poly.edu:49153', destination: 'gaia.cs.umass.edu:80' };
const daytime = { protocol: 'daytime', summary: 'Tuesday, February 22, 2022 17:37:43-PST', source: 'gaia.cs.umass.edu:13', destination: 'cis.poly.edu:40000' };

function parse(text: string): DisplayFilter | null {
  const r = parseDisplayFilter(text);
  if (!r.ok) throw new Error(r.error);
  return r.filter;
}

describe('display filter', () => {
  it('matches everything when empty', () => {
    expect(parse('   ')).toBeNull();
    expect(matchesFilter(null, smtp)).toBe(true);
  });

  it('matches a protocol name or text in the info, source and destination columns, ignoring case', () => {
    expect(matchesFilter(parse('smtp'), smtp)).toBe(true);
    expect(matchesFilter(parse('smtp'), http)).toBe(false);
    expect(matchesFilter(parse('index.html'), http)).toBe(true);
    expect(matchesFilter(parse('HAMBURGER'), smtp)).toBe(true);
    expect(matchesFilter(parse('gaia'), daytime)).toBe(true);
  });

  it('takes proto: for an exact protocol, so a word in the summary does not count', () => {
    const f = parse('proto:http');
    expect(matchesFilter(f, http)).toBe(true);
    // "HTTP/1.1" is in the summary, but proto: asks for the protocol only.
    expect(matchesFilter(parse('proto:smtp'), http)).toBe(false);
    expect(matchesFilter(parse('protocol:SMTP'), smtp)).toBe(true);
  });

  it('keeps quoted phrases whole and requires every term', () => {
    expect(parse('"MAIL FROM" alice')?.terms).toEqual([
      { kind: 'text', text: 'mail from', negated: false },
      { kind: 'text', text: 'alice', negated: false },
    ]);
    expect(matchesFilter(parse('"MAIL FROM" alice'), smtp)).toBe(true);
    expect(matchesFilter(parse('"MAIL FROM" bob'), smtp)).toBe(false);
  });

  it('negates a term with !', () => {
    const f = parse('!daytime');
    expect(matchesFilter(f, daytime)).toBe(false);
    expect(matchesFilter(f, smtp)).toBe(true);
    expect(matchesFilter(parse('!proto:http cis.poly.edu'), smtp)).toBe(true);
    expect(matchesFilter(parse('!proto:http cis.poly.edu'), http)).toBe(false);
  });

  it('says what is wrong with a malformed filter', () => {
    expect(parseDisplayFilter('"MAIL FROM')).toEqual({ ok: false, error: expect.stringContaining('quote') });
    expect(parseDisplayFilter('proto:')).toEqual({ ok: false, error: expect.stringContaining('protocol name') });
    expect(parseDisplayFilter('!')).toEqual({ ok: false, error: expect.stringContaining('"!"') });
  });

  it('refuses a filter longer than MAX_FILTER_LENGTH', () => {
    expect(parseDisplayFilter('a'.repeat(MAX_FILTER_LENGTH)).ok).toBe(true);
    const r = parseDisplayFilter('a'.repeat(MAX_FILTER_LENGTH + 1));
    expect(r).toEqual({ ok: false, error: `the filter is longer than ${MAX_FILTER_LENGTH} characters` });
  });
});
