import { describe, expect, it } from 'vitest';
import { evaluateConditional, notModifiedHeaders, notModifiedResponse, parseHttpDate, toHeaderList } from '../../../../src/protocols/http';

const LAST_MODIFIED = parseHttpDate('Tue, 30 Oct 2007 17:00:02 GMT') as number;
const RESOURCE = { etag: '"17dc6-a5c-bf716880"', lastModified: LAST_MODIFIED };
const h = (...pairs: Array<[string, string]>) => toHeaderList(pairs);

describe('conditional GET (RFC 9110 §13)', () => {
  it('proceeds when the request has no conditions', () => {
    expect(evaluateConditional('GET', [], RESOURCE)).toMatchObject({ outcome: 'proceed', decidedBy: null });
  });

  it('answers 304 when If-None-Match lists the current tag, weakly compared', () => {
    expect(evaluateConditional('GET', h(['If-None-Match', '"17dc6-a5c-bf716880"']), RESOURCE)).toMatchObject({ outcome: 'not-modified', status: 304, decidedBy: 'If-None-Match' });
    expect(evaluateConditional('GET', h(['If-None-Match', '"other", W/"17dc6-a5c-bf716880"']), RESOURCE).outcome).toBe('not-modified');
    expect(evaluateConditional('HEAD', h(['If-None-Match', '*']), RESOURCE).outcome).toBe('not-modified');
  });

  it('proceeds when no tag matches, and then ignores If-Modified-Since entirely', () => {
    const d = evaluateConditional('GET', h(['If-None-Match', '"old"'], ['If-Modified-Since', 'Sun, 26 Sep 2010 20:09:20 GMT']), RESOURCE);
    expect(d).toMatchObject({ outcome: 'proceed', decidedBy: 'If-None-Match' });
    expect(d.reason).toMatch(/If-Modified-Since is ignored/);
  });

  it('lets If-None-Match win even when the date alone would say "not modified"... and the other way round', () => {
    // The tag matches although the date is older than Last-Modified: 304.
    expect(evaluateConditional('GET', h(['If-None-Match', RESOURCE.etag], ['If-Modified-Since', 'Mon, 01 Jan 2001 00:00:00 GMT']), RESOURCE).outcome).toBe('not-modified');
  });

  it('answers 304 to If-Modified-Since when the resource has not changed since, and 200 when it has', () => {
    expect(evaluateConditional('GET', h(['If-Modified-Since', 'Tue, 30 Oct 2007 17:00:02 GMT']), RESOURCE)).toMatchObject({ outcome: 'not-modified', decidedBy: 'If-Modified-Since' });
    expect(evaluateConditional('GET', h(['If-Modified-Since', 'Sun, 26 Sep 2010 20:09:20 GMT']), RESOURCE).outcome).toBe('not-modified');
    expect(evaluateConditional('GET', h(['If-Modified-Since', 'Tue, 30 Oct 2007 17:00:01 GMT']), RESOURCE)).toMatchObject({ outcome: 'proceed', decidedBy: 'If-Modified-Since' });
  });

  it('compares whole seconds: a sub-second modification time still matches its own HTTP date', () => {
    expect(evaluateConditional('GET', h(['If-Modified-Since', 'Tue, 30 Oct 2007 17:00:02 GMT']), { lastModified: LAST_MODIFIED + 999 }).outcome).toBe('not-modified');
  });

  it('accepts the obsolete date forms in If-Modified-Since', () => {
    expect(evaluateConditional('GET', h(['If-Modified-Since', 'Tuesday, 30-Oct-07 17:00:02 GMT']), RESOURCE).outcome).toBe('not-modified');
    expect(evaluateConditional('GET', h(['If-Modified-Since', 'Tue Oct 30 17:00:02 2007']), RESOURCE).outcome).toBe('not-modified');
  });

  it('ignores If-Modified-Since that is not a date, is repeated, or comes with another method', () => {
    expect(evaluateConditional('GET', h(['If-Modified-Since', 'yesterday']), RESOURCE)).toMatchObject({ outcome: 'proceed', decidedBy: null });
    expect(evaluateConditional('GET', h(['If-Modified-Since', 'Tue, 30 Oct 2007 17:00:02 GMT'], ['If-Modified-Since', 'Tue, 30 Oct 2007 17:00:02 GMT']), RESOURCE).outcome).toBe('proceed');
    expect(evaluateConditional('POST', h(['If-Modified-Since', 'Tue, 30 Oct 2007 17:00:02 GMT']), RESOURCE).outcome).toBe('proceed');
    expect(evaluateConditional('GET', h(['If-Modified-Since', 'Tue, 30 Oct 2007 17:00:02 GMT']), { etag: '"x"' }).outcome).toBe('proceed');
  });

  it('refuses a PUT with 412 when If-None-Match matches or If-Match does not', () => {
    expect(evaluateConditional('PUT', h(['If-None-Match', '*']), RESOURCE)).toMatchObject({ outcome: 'precondition-failed', status: 412 });
    expect(evaluateConditional('PUT', h(['If-Match', '"old"']), RESOURCE)).toMatchObject({ outcome: 'precondition-failed', decidedBy: 'If-Match' });
    expect(evaluateConditional('PUT', h(['If-Match', RESOURCE.etag]), RESOURCE).outcome).toBe('proceed');
    // If-Match uses the strong comparison: a weak tag never matches.
    expect(evaluateConditional('PUT', h(['If-Match', `W/${RESOURCE.etag}`]), RESOURCE).outcome).toBe('precondition-failed');
    expect(evaluateConditional('DELETE', h(['If-Unmodified-Since', 'Mon, 01 Jan 2001 00:00:00 GMT']), RESOURCE)).toMatchObject({ outcome: 'precondition-failed', decidedBy: 'If-Unmodified-Since' });
  });

  it('builds a 304 that keeps the fields a cache needs and drops the content fields', () => {
    const full = h(['Date', 'x'], ['ETag', '"a"'], ['Last-Modified', 'y'], ['Content-Type', 'text/html'], ['Content-Length', '5'], ['Cache-Control', 'max-age=60'], ['Vary', 'Accept']);
    expect(notModifiedHeaders(full).map((x) => x.name)).toEqual(['Date', 'ETag', 'Cache-Control', 'Vary']);
    expect(notModifiedHeaders(h(['Last-Modified', 'y'])).map((x) => x.name)).toEqual(['Last-Modified']);
    expect(notModifiedResponse(full)).toMatchObject({ status: 304 });
    expect(notModifiedResponse(full).body).toBeUndefined();
  });
});
