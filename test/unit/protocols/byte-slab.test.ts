// The slab the capture's framers copy messages into and the server serializes responses into:
// copies are exact and independent of the source, allocations never overlap, a copy longer than SLAB_MAX_COPY_BYTES gets its own buffer, and a full slab is replaced
// without touching the copies already made from it.

import { describe, expect, it } from 'vitest';
import { ByteSlab, SLAB_BYTES, SLAB_MAX_COPY_BYTES } from '../../../src/protocols/core/byte-slab';

function pattern(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

describe('ByteSlab', () => {
  it('copies a range exactly, and the copy does not change with its source', () => {
    const slab = new ByteSlab();
    const source = pattern(100, 1);
    const copy = slab.copy(source, 10, 70);
    expect(copy).toEqual(source.slice(10, 70));
    source.fill(0);
    expect(copy).toEqual(pattern(100, 1).slice(10, 70));
  });

  it(`shares one slab for copies up to SLAB_MAX_COPY_BYTES (${SLAB_MAX_COPY_BYTES}), and gives a longer one a buffer of its own`, () => {
    const slab = new ByteSlab();
    const a = slab.copy(pattern(SLAB_MAX_COPY_BYTES, 2), 0, SLAB_MAX_COPY_BYTES);
    const b = slab.copy(pattern(10, 3), 0, 10);
    expect(a.buffer).toBe(b.buffer);
    expect(a.buffer.byteLength).toBe(SLAB_BYTES);
    const big = slab.copy(pattern(SLAB_MAX_COPY_BYTES + 1, 4), 0, SLAB_MAX_COPY_BYTES + 1);
    expect(big.buffer.byteLength).toBe(SLAB_MAX_COPY_BYTES + 1);
    expect(big).toEqual(pattern(SLAB_MAX_COPY_BYTES + 1, 4));
  });

  it(`starts a new slab when SLAB_BYTES (${SLAB_BYTES}) are used, leaving earlier copies intact`, () => {
    const slab = new ByteSlab();
    const copies: Array<{ copy: Uint8Array; seed: number }> = [];
    for (let seed = 0; seed < (2 * SLAB_BYTES) / 1000 + 1; seed++) copies.push({ copy: slab.copy(pattern(1000, seed), 0, 1000), seed });
    expect(new Set(copies.map((c) => c.copy.buffer)).size).toBe(3);
    for (const { copy, seed } of copies) expect(copy).toEqual(pattern(1000, seed));
  });

  it('allocates zeroed views that no later allocation overlaps, a long one in a buffer of its own', () => {
    const slab = new ByteSlab();
    const a = slab.alloc(13);
    const b = slab.alloc(100);
    expect([...a, ...b].every((x) => x === 0)).toBe(true);
    a.fill(0xaa);
    b.fill(0xbb);
    const c = slab.alloc(50);
    expect([...c].every((x) => x === 0)).toBe(true);
    expect(a.every((x) => x === 0xaa) && b.every((x) => x === 0xbb)).toBe(true);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + a.length);
    expect(slab.alloc(SLAB_MAX_COPY_BYTES + 1).buffer.byteLength).toBe(SLAB_MAX_COPY_BYTES + 1);
  });
});

