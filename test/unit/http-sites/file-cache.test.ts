// The cache of small files: a hit only while the file is unchanged, nothing over the per-file
// limit, and the least recently used files dropped past the total.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FILE_CACHE_MAX_BYTES, FILE_CACHE_MAX_FILE_BYTES, FileCache } from '../../../src/main/lab/http/sites/file-cache';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-cache-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: number | string): { file: string; stat: fs.Stats; bytes: Buffer } {
  const f = path.join(dir, name);
  fs.writeFileSync(f, typeof bytes === 'string' ? bytes : Buffer.alloc(bytes, 1));
  return { file: f, stat: fs.statSync(f), bytes: fs.readFileSync(f) };
}

describe('FileCache', () => {
  it('hits while the file is unchanged and misses once it changes', () => {
    const cache = new FileCache();
    const a = file('a.html', 'one');
    expect(cache.get(a.file, a.stat)).toBeUndefined();
    cache.set(a.file, a.stat, a.bytes);
    expect(cache.get(a.file, a.stat)).toBe(a.bytes);
    const changed = file('a.html', 'two');
    expect(cache.get(changed.file, changed.stat)).toBeUndefined();
    expect(cache.bytesHeld).toBe(0);
  });

  it(`keeps files up to FILE_CACHE_MAX_FILE_BYTES (${FILE_CACHE_MAX_FILE_BYTES}) only`, () => {
    const cache = new FileCache();
    const at = file('at.bin', FILE_CACHE_MAX_FILE_BYTES);
    const over = file('over.bin', FILE_CACHE_MAX_FILE_BYTES + 1);
    cache.set(at.file, at.stat, at.bytes);
    cache.set(over.file, over.stat, over.bytes);
    expect(cache.get(at.file, at.stat)).toBeDefined();
    expect(cache.get(over.file, over.stat)).toBeUndefined();
  });

  it(`drops the least recently used files past FILE_CACHE_MAX_BYTES (${FILE_CACHE_MAX_BYTES})`, () => {
    const cache = new FileCache();
    const count = FILE_CACHE_MAX_BYTES / FILE_CACHE_MAX_FILE_BYTES;
    const files = Array.from({ length: count }, (_, i) => file(`f${i}.bin`, FILE_CACHE_MAX_FILE_BYTES));
    for (const f of files) cache.set(f.file, f.stat, f.bytes);
    expect(cache.bytesHeld).toBe(FILE_CACHE_MAX_BYTES);
    expect(cache.get(files[0].file, files[0].stat)).toBeDefined(); // now the most recently used
    const extra = file('extra.bin', 1);
    cache.set(extra.file, extra.stat, extra.bytes);
    expect(cache.bytesHeld).toBeLessThanOrEqual(FILE_CACHE_MAX_BYTES);
    expect(cache.get(files[1].file, files[1].stat)).toBeUndefined();
    expect(cache.get(files[0].file, files[0].stat)).toBeDefined();
    expect(cache.get(extra.file, extra.stat)).toBeDefined();
  });
});
