// The shop's back-end database of the course's cookie example: one entry per cookie value, holding
// that visitor's cart. A JSON file in the lab's data folder, so a student can open it and see what
// the server remembers about them. Loaded at start; every change is written whole to a temporary
// file that then replaces the old one (rename is atomic), so a crash never leaves half a file.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Carts kept; creating one more evicts the one used longest ago. Bounds the file for a lab of many sessions. */
export const CART_MAX_CARTS = 1_000;

/** Items (one per "add") in one cart; adding one more drops the oldest. */
export const CART_MAX_ITEMS = 100;

/**
 * IDs handed out in a cookie whose cart does not exist yet, remembered (in memory only) so the
 * visitor keeps the ID until the first "add" creates the cart. The oldest are forgotten first; a
 * forgotten one just gets a new ID, as its cart was empty anyway.
 */
export const CART_MAX_ISSUED_IDS = 10_000;

/** Format of the file (its `version` field). */
export const CART_DATABASE_VERSION = 1;

/** Cart IDs as this server makes them: 16 hex digits (64 random bits). */
const CART_ID = /^[0-9a-f]{16}$/;

export interface CartItem {
  item: string;
  /** When it was added (ms since the epoch). */
  added: number;
}

export interface Cart {
  id: string;
  created: number;
  updated: number;
  items: CartItem[];
}

interface CartFile {
  version: number;
  carts: Array<{ id: string; created: string; updated: string; items: Array<{ item: string; added: string }> }>;
}

export function isCartId(text: string): boolean {
  return CART_ID.test(text);
}

function parseTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** The carts of a file, or why it cannot be read. */
function parseCartFile(text: string): { carts: Cart[] } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { error: `not JSON: ${(err as Error).message}` };
  }
  const d = doc as Partial<CartFile> | null;
  if (typeof d !== 'object' || d === null || d.version !== CART_DATABASE_VERSION || !Array.isArray(d.carts)) return { error: `expected { "version": ${CART_DATABASE_VERSION}, "carts": [...] }` };
  const carts: Cart[] = [];
  for (const [i, raw] of d.carts.entries()) {
    const created = parseTime(raw?.created);
    const updated = parseTime(raw?.updated);
    if (typeof raw?.id !== 'string' || !isCartId(raw.id) || created === null || updated === null || !Array.isArray(raw.items)) return { error: `carts[${i}] is not { id, created, updated, items }` };
    const items: CartItem[] = [];
    for (const [j, it] of raw.items.entries()) {
      const added = parseTime(it?.added);
      if (typeof it?.item !== 'string' || added === null) return { error: `carts[${i}].items[${j}] is not { item, added }` };
      items.push({ item: it.item, added });
    }
    carts.push({ id: raw.id, created, updated, items: items.slice(-CART_MAX_ITEMS) });
  }
  return { carts: carts.slice(-CART_MAX_CARTS) };
}

export class CartStore {
  /** Insertion order is least recently used first: a used cart is moved to the end. */
  private readonly carts = new Map<string, Cart>();
  /** IDs issued and not yet used for a cart, oldest first. */
  private readonly issued = new Set<string>();
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private writeCount = 0;

  private constructor(
    readonly file: string,
    /** Why the file on disk could not be read (it was moved aside), for the log. */
    readonly loadProblem: string | null,
  ) {}

  /** Loads the database; a file that cannot be read is kept beside it as `.unreadable-<time>` and the shop starts empty. */
  static async open(file: string, now: number): Promise<CartStore> {
    let text: string | null = null;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === null) return new CartStore(file, null);
    const parsed = parseCartFile(text);
    if ('error' in parsed) {
      const aside = `${file}.unreadable-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
      await fs.rename(file, aside);
      return new CartStore(file, `${file} could not be read (${parsed.error}); it was moved to ${aside} and the shop starts with no carts`);
    }
    const store = new CartStore(file, null);
    for (const cart of [...parsed.carts].sort((a, b) => a.updated - b.updated)) store.carts.set(cart.id, cart);
    return store;
  }

  get size(): number {
    return this.carts.size;
  }

  /** The cart with this ID, marked as used now; undefined for an ID the database does not have. */
  use(id: string, now: number): Cart | undefined {
    const cart = this.carts.get(id);
    if (!cart) return undefined;
    this.carts.delete(id);
    cart.updated = now;
    this.carts.set(id, cart);
    this.dirty = true;
    return cart;
  }

  /**
   * A fresh random ID for a visitor without a cart. Nothing is stored for it: a visit that only
   * looks (a crawler, a HEAD) must not fill the database, so the cart is made by the first `create`.
   */
  issueId(): string {
    let id: string;
    do id = randomBytes(8).toString('hex');
    while (this.carts.has(id) || this.issued.has(id));
    this.issued.add(id);
    if (this.issued.size > CART_MAX_ISSUED_IDS) this.issued.delete(this.issued.values().next().value as string);
    return id;
  }

  /** Whether `id` was issued by issueId (and is remembered still) and has no cart yet. */
  wasIssued(id: string): boolean {
    return this.issued.has(id);
  }

  /**
   * A new, empty cart, under `id` when given (one from issueId) or a fresh random ID; past
   * CART_MAX_CARTS the least recently used one goes.
   */
  create(now: number, id = this.issueId()): Cart {
    if (this.carts.has(id)) throw new Error(`a cart ${id} exists already`);
    this.issued.delete(id);
    const cart: Cart = { id, created: now, updated: now, items: [] };
    this.carts.set(id, cart);
    while (this.carts.size > CART_MAX_CARTS) this.carts.delete(this.carts.keys().next().value as string);
    this.dirty = true;
    return cart;
  }

  add(cart: Cart, item: string, now: number): void {
    cart.items.push({ item, added: now });
    if (cart.items.length > CART_MAX_ITEMS) cart.items.splice(0, cart.items.length - CART_MAX_ITEMS);
    cart.updated = now;
    this.dirty = true;
  }

  /** Removes the most recently added one of `item`; false when the cart has none. */
  remove(cart: Cart, item: string, now: number): boolean {
    for (let i = cart.items.length - 1; i >= 0; i--) {
      if (cart.items[i].item === item) {
        cart.items.splice(i, 1);
        cart.updated = now;
        this.dirty = true;
        return true;
      }
    }
    return false;
  }

  /** Writes the changes so far; resolves once they are on disk. Writes never overlap, and one write covers every change before it. */
  save(): Promise<void> {
    const run = this.writing.then(() => (this.dirty ? this.writeNow() : undefined));
    this.writing = run.catch(() => {});
    return run;
  }

  /** Waits for every write asked for so far. */
  flush(): Promise<void> {
    return this.writing;
  }

  private async writeNow(): Promise<void> {
    this.dirty = false;
    const doc: CartFile = {
      version: CART_DATABASE_VERSION,
      carts: [...this.carts.values()].map((c) => ({
        id: c.id,
        created: new Date(c.created).toISOString(),
        updated: new Date(c.updated).toISOString(),
        items: c.items.map((i) => ({ item: i.item, added: new Date(i.added).toISOString() })),
      })),
    };
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp-${process.pid}-${++this.writeCount}`;
    try {
      const handle = await fs.open(temp, 'w');
      try {
        await handle.writeFile(`${JSON.stringify(doc, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, this.file);
    } catch (err) {
      this.dirty = true;
      await fs.rm(temp, { force: true });
      throw err;
    }
  }
}
