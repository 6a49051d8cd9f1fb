// The shop's back-end database: bounded, written atomically, read back after a restart, and an
// unreadable file kept aside instead of crashing the shop or being silently overwritten.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CART_MAX_CARTS, CART_MAX_ISSUED_IDS, CART_MAX_ITEMS, CartStore, isCartId } from '../../../src/main/lab/http/sites/cart-store';
import { loadCatalog } from '../../../src/main/lab/http/sites/cart';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-carts-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 0, 1);

describe('CartStore', () => {
  it('creates carts with random IDs, keeps items, and reads them back after a restart', async () => {
    const file = path.join(tempDir(), 'nested', 'carts.json');
    const store = await CartStore.open(file, T0);
    expect(store.size).toBe(0);
    const cart = store.create(T0);
    expect(isCartId(cart.id)).toBe(true);
    store.add(cart, 'mug', T0 + 1);
    store.add(cart, 'cable', T0 + 2);
    store.add(cart, 'mug', T0 + 3);
    expect(store.remove(cart, 'mug', T0 + 4)).toBe(true);
    expect(store.remove(cart, 'yacht', T0 + 5)).toBe(false);
    await store.save();
    const again = await CartStore.open(file, T0);
    expect(again.use(cart.id, T0 + 6)?.items.map((i) => i.item)).toEqual(['mug', 'cable']);
    expect(again.use('ffffffffffffffff', T0)).toBeUndefined();
    // Only the finished file is there: no temporary file left behind.
    expect(fs.readdirSync(path.dirname(file))).toEqual(['carts.json']);
  });

  it(`issues IDs without storing carts, remembers at most CART_MAX_ISSUED_IDS (${CART_MAX_ISSUED_IDS}) of them, and makes the cart under one at create`, async () => {
    const file = path.join(tempDir(), 'carts.json');
    const store = await CartStore.open(file, T0);
    const first = store.issueId();
    expect(isCartId(first)).toBe(true);
    expect(store.wasIssued(first)).toBe(true);
    expect(store.size).toBe(0);
    await store.save();
    expect(fs.existsSync(file)).toBe(false);
    for (let i = 1; i < CART_MAX_ISSUED_IDS; i++) store.issueId();
    expect(store.wasIssued(first)).toBe(true);
    const last = store.issueId(); // one past the limit: the oldest is forgotten
    expect(store.wasIssued(first)).toBe(false);
    const cart = store.create(T0, last);
    expect(cart.id).toBe(last);
    expect(store.wasIssued(last)).toBe(false);
    expect(store.size).toBe(1);
    expect(() => store.create(T0, last)).toThrow(/exists already/);
  });

  it(`keeps at most CART_MAX_CARTS (${CART_MAX_CARTS}), evicting the one used longest ago`, async () => {
    const file = path.join(tempDir(), 'carts.json');
    const store = await CartStore.open(file, T0);
    const first = store.create(T0);
    const second = store.create(T0 + 1);
    for (let i = 2; i < CART_MAX_CARTS; i++) store.create(T0 + i);
    expect(store.size).toBe(CART_MAX_CARTS);
    store.use(first.id, T0 + CART_MAX_CARTS); // first is now the most recently used
    store.create(T0 + CART_MAX_CARTS + 1);
    expect(store.size).toBe(CART_MAX_CARTS);
    expect(store.use(second.id, T0)).toBeUndefined();
    expect(store.use(first.id, T0)).toBeDefined();
    await store.save();
    const again = await CartStore.open(file, T0);
    expect(again.size).toBe(CART_MAX_CARTS);
  });

  it(`keeps at most CART_MAX_ITEMS (${CART_MAX_ITEMS}) in a cart, dropping the oldest`, async () => {
    const store = await CartStore.open(path.join(tempDir(), 'carts.json'), T0);
    const cart = store.create(T0);
    store.add(cart, 'textbook', T0);
    for (let i = 0; i < CART_MAX_ITEMS - 1; i++) store.add(cart, 'mug', T0 + 1 + i);
    expect(cart.items).toHaveLength(CART_MAX_ITEMS);
    expect(cart.items[0].item).toBe('textbook');
    store.add(cart, 'mug', T0 + CART_MAX_ITEMS);
    expect(cart.items).toHaveLength(CART_MAX_ITEMS);
    expect(cart.items.some((i) => i.item === 'textbook')).toBe(false);
  });

  it('moves an unreadable database aside and starts empty, saying so', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'carts.json');
    for (const bad of ['{ not json', '{"version":1,"carts":[{"id":"x"}]}', '{"version":7,"carts":[]}']) {
      fs.writeFileSync(file, bad);
      const store = await CartStore.open(file, T0);
      expect(store.size).toBe(0);
      expect(store.loadProblem).toContain('could not be read');
      expect(fs.existsSync(file)).toBe(false);
      const aside = fs.readdirSync(dir).find((n) => n.startsWith('carts.json.unreadable-'))!;
      expect(fs.readFileSync(path.join(dir, aside), 'utf8')).toBe(bad);
      fs.rmSync(path.join(dir, aside));
    }
  });

  it('writes one change after another, never two at once, each write covering all earlier changes', async () => {
    const file = path.join(tempDir(), 'carts.json');
    const store = await CartStore.open(file, T0);
    const carts = Array.from({ length: 20 }, (_, i) => store.create(T0 + i));
    await Promise.all(carts.map((c, i) => {
      store.add(c, 'mug', T0 + 100 + i);
      return store.save();
    }));
    const db = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(db.carts).toHaveLength(20);
    expect(db.carts.every((c: { items: unknown[] }) => c.items.length === 1)).toBe(true);
  });
});

describe('loadCatalog', () => {
  it('reads the shipped catalogue and refuses a broken one, naming the entry', async () => {
    const shipped = await loadCatalog(path.join(process.cwd(), 'content', 'sites', 'www.amazon.com', 'catalog.json'));
    expect(shipped.items.map((i) => i.id)).toEqual(['textbook', 'cable', 'router', 'mug']);
    const file = path.join(tempDir(), 'catalog.json');
    fs.writeFileSync(file, JSON.stringify({ currency: 'USD', items: [{ id: 'a', name: 'A', priceCents: 1 }, { id: 'a', name: 'B', priceCents: 2 }] }));
    await expect(loadCatalog(file)).rejects.toThrow(/items\[1\]: the id a is used twice/);
    fs.writeFileSync(file, JSON.stringify({ currency: 'USD', items: [{ id: 'Bad Id', name: 'A', priceCents: 1 }] }));
    await expect(loadCatalog(file)).rejects.toThrow(/items\[0\] must be/);
    await expect(loadCatalog(path.join(tempDir(), 'none.json'))).rejects.toThrow(/no such file/);
  });
});
