// The real-path cache behind static GETs: a resolved path is trusted for REAL_PATH_TTL_MS only,
// at most REAL_PATH_CACHE_MAX_ENTRIES are kept, and with it `locate` still sees at once a file
// that was edited, removed, or replaced by a link leading out of the site.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REAL_PATH_CACHE_MAX_ENTRIES, REAL_PATH_TTL_MS, RealPathCache } from '../../../src/main/lab/http/sites/real-path-cache';
import { locate, urlPathBelow } from '../../../src/main/lab/http/sites/url-path';

describe('RealPathCache', () => {
  it(`trusts a resolved path for REAL_PATH_TTL_MS (${REAL_PATH_TTL_MS} ms) and not a millisecond more`, () => {
    let now = 1_000;
    const cache = new RealPathCache(REAL_PATH_TTL_MS, REAL_PATH_CACHE_MAX_ENTRIES, () => now);
    cache.set('/site\0a.html', '/real/a.html');
    now += REAL_PATH_TTL_MS - 1;
    expect(cache.get('/site\0a.html')).toBe('/real/a.html');
    now += 1;
    expect(cache.get('/site\0a.html')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it(`keeps at most REAL_PATH_CACHE_MAX_ENTRIES (${REAL_PATH_CACHE_MAX_ENTRIES}), forgetting the oldest`, () => {
    const cache = new RealPathCache(REAL_PATH_TTL_MS, REAL_PATH_CACHE_MAX_ENTRIES, () => 0);
    for (let i = 0; i <= REAL_PATH_CACHE_MAX_ENTRIES; i++) cache.set(`k${i}`, `/real/${i}`);
    expect(cache.size).toBe(REAL_PATH_CACHE_MAX_ENTRIES);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k1')).toBe('/real/1');
    expect(cache.get(`k${REAL_PATH_CACHE_MAX_ENTRIES}`)).toBe(`/real/${REAL_PATH_CACHE_MAX_ENTRIES}`);
  });
});

describe('locate with a real-path cache', () => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-realpath-')));
  const root = path.join(base, 'site');
  fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(base, 'secret.txt'), 'outside the site');
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  /** The end of this turn of the event loop, when the cache forgets the lstats taken in it. */
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  it("sees an edit, a removal and a link put in the file's place in the next turn of the event loop", async () => {
    const cache = new RealPathCache();
    const file = path.join(root, 'sub', 'page.html');
    fs.writeFileSync(file, 'one');
    const first = locate(root, ['sub', 'page.html'], cache);
    expect(first).toMatchObject({ kind: 'file', real: file });
    expect(cache.size).toBe(1);

    fs.appendFileSync(file, ' two');
    await nextTurn();
    const edited = locate(root, ['sub', 'page.html'], cache);
    expect(edited.kind === 'file' && edited.stat.size).toBe('one two'.length);

    fs.rmSync(file);
    await nextTurn();
    expect(locate(root, ['sub', 'page.html'], cache).kind).toBe('missing');

    // A link leading out of the site, where the file was: resolved again, and refused.
    fs.symlinkSync(path.join(base, 'secret.txt'), file);
    await nextTurn();
    expect(locate(root, ['sub', 'page.html'], cache).kind).toBe('missing');
  });

  it('looks at a file once per turn: the lookups of one turn share one lstat, the next turn takes a new one', async () => {
    let turnEnds: Array<() => void> = [];
    const cache = new RealPathCache(REAL_PATH_TTL_MS, REAL_PATH_CACHE_MAX_ENTRIES, () => 0, (forget) => turnEnds.push(forget));
    const file = path.join(root, 'sub', 'shared.html');
    fs.writeFileSync(file, 'one');
    locate(root, ['sub', 'shared.html'], cache); // resolves the path; the next lookups take the cached route
    const a = locate(root, ['sub', 'shared.html'], cache);
    fs.appendFileSync(file, ' two'); // within the turn: the requests answered now all arrived before the lstat
    const b = locate(root, ['sub', 'shared.html'], cache);
    expect(a.kind === 'file' && b.kind === 'file' && b.stat).toBe(a.kind === 'file' && a.stat);
    expect(turnEnds).toHaveLength(1); // one end of turn scheduled, however many lookups
    for (const forget of turnEnds) forget();
    turnEnds = [];
    const c = locate(root, ['sub', 'shared.html'], cache);
    expect(c.kind === 'file' && c.stat.size).toBe('one two'.length);
    expect(turnEnds).toHaveLength(1);
    fs.rmSync(file);
  });

  it('gives the same answers as without a cache for folders, links inside the site and missing paths', () => {
    const cache = new RealPathCache();
    fs.writeFileSync(path.join(root, 'index.html'), 'home');
    fs.symlinkSync(path.join(root, 'index.html'), path.join(root, 'alias.html'));
    for (const segments of [['sub'], ['alias.html'], ['alias.html'], ['nope.html'], ['index.html', 'deeper']]) {
      const plain = locate(root, segments);
      expect(locate(root, segments, cache), segments.join('/')).toEqual(plain);
    }
  });
});

describe('urlPathBelow', () => {
  it('is the path of a real file below the root, with "/" separators', () => {
    expect(urlPathBelow(path.join(path.sep, 'srv', 'site'), path.join(path.sep, 'srv', 'site', 'a', 'b.html'))).toBe('/a/b.html');
    expect(urlPathBelow(path.join(path.sep, 'srv', 'site'), path.join(path.sep, 'srv', 'site'))).toBe('/');
    // A sibling whose name starts with the root's is not below it: path.relative says how to get there.
    expect(urlPathBelow(path.join(path.sep, 'srv', 'site'), path.join(path.sep, 'srv', 'site2', 'x'))).toBe('/../site2/x');
  });
});
