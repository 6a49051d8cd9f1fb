// The slab the server serializes responses into: allocations are zeroed and never overlap, one
// longer than SLAB_MAX_ALLOC_BYTES gets its own buffer, and a full slab is replaced without touching
// what was already handed out from it.

import { describe, expect, it } from 'vitest';
import { ByteSlab, SLAB_BYTES, SLAB_MAX_ALLOC_BYTES } from '../../../src/protocols/core/byte-slab';

function pattern(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

describe('ByteSlab', () => {
  it(`shares one slab for allocations up to SLAB_MAX_ALLOC_BYTES (${SLAB_MAX_ALLOC_BYTES}), and gives a longer one a buffer of its own`, () => {
    const slab = new ByteSlab();
    const a = slab.alloc(SLAB_MAX_ALLOC_BYTES);
    const b = slab.alloc(10);
    expect(a.buffer).toBe(b.buffer);
    expect(a.buffer.byteLength).toBe(SLAB_BYTES);
    const big = slab.alloc(SLAB_MAX_ALLOC_BYTES + 1);
    expect(big.buffer.byteLength).toBe(SLAB_MAX_ALLOC_BYTES + 1);
  });

  it(`starts a new slab when SLAB_BYTES (${SLAB_BYTES}) are used, leaving what was handed out intact`, () => {
    const slab = new ByteSlab();
    const views: Array<{ view: Uint8Array; seed: number }> = [];
    for (let seed = 0; seed < (2 * SLAB_BYTES) / 1000 + 1; seed++) {
      const view = slab.alloc(1000);
      view.set(pattern(1000, seed));
      views.push({ view, seed });
    }
    expect(new Set(views.map((v) => v.view.buffer)).size).toBe(3);
    for (const { view, seed } of views) expect(view).toEqual(pattern(1000, seed));
  });

  it('allocates zeroed views that no later allocation overlaps', () => {
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
  });
});
