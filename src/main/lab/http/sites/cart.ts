// The shop of the course's cookie example (www.amazon.com in the lab). HTTP keeps no state, so the
// first visit gets `Set-Cookie: session-id=<new ID>`, and the first item added makes an entry under
// that ID in the back-end database; the browser sends `Cookie: session-id=<ID>` with every later
// request, and the server finds the cart by it. GET /cart shows the cart; POST /cart/add and /cart/remove take item=ID.

import fs from 'node:fs/promises';
import { bytesToLatin1 } from '../../../../protocols/core/bytes';
import { parseCookieHeader, serializeSetCookie } from '../../../../protocols/http/cookies';
import { decodeUrlEncoded, multipartBoundary, parseMultipart } from '../../../../protocols/http/forms';
import { getHeader, getHeaderValues, type HttpHeader } from '../../../../protocols/http/headers';
import { parseMediaType } from '../../../../protocols/http/media-type';
import type { HttpResponseInit } from '../../../../protocols/http/persistence';
import { statusResponse } from '../../../../protocols/http/responses';
import type { HttpRequest } from '../../../../protocols/http/server-connection';
import { CartStore, isCartId, type Cart } from './cart-store';
import { escapeHtml, generatedPageHeaders, htmlPage } from './html-page';
import type { CartOptions } from './manifest';

/** How long the browser keeps the cart cookie: 30 days, so a cart outlives closing the browser. */
export const CART_COOKIE_MAX_AGE_S = 30 * 24 * 60 * 60;

export interface CatalogItem {
  id: string;
  name: string;
  priceCents: number;
}

export interface Catalog {
  currency: string;
  items: CatalogItem[];
}

/** Reads and checks the shop's catalogue; the error names the file and the entry. */
export async function loadCatalog(file: string): Promise<Catalog> {
  let doc: unknown;
  try {
    doc = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON: ${(err as Error).message}`}`);
  }
  const d = doc as Partial<Catalog> | null;
  if (typeof d !== 'object' || d === null || typeof d.currency !== 'string' || !/^[A-Z]{3}$/.test(d.currency) || !Array.isArray(d.items)) {
    throw new Error(`${file}: expected { "currency": "USD", "items": [{ "id", "name", "priceCents" }] }`);
  }
  const seen = new Set<string>();
  const items = d.items.map((raw, i) => {
    const it = raw as Partial<CatalogItem> | null;
    if (typeof it?.id !== 'string' || !/^[a-z0-9-]+$/.test(it.id) || typeof it.name !== 'string' || !Number.isSafeInteger(it.priceCents) || (it.priceCents as number) < 0) {
      throw new Error(`${file}: items[${i}] must be { "id": "lowercase-id", "name": "...", "priceCents": whole number }`);
    }
    if (seen.has(it.id)) throw new Error(`${file}: items[${i}]: the id ${it.id} is used twice`);
    seen.add(it.id);
    return { id: it.id, name: it.name, priceCents: it.priceCents as number };
  });
  return { currency: d.currency, items };
}

export class CartShop {
  private readonly money: Intl.NumberFormat;

  constructor(
    readonly routePath: string,
    readonly methods: readonly string[],
    readonly options: CartOptions,
    readonly catalog: Catalog,
    readonly store: CartStore,
  ) {
    this.money = new Intl.NumberFormat('en-US', { style: 'currency', currency: catalog.currency });
  }

  /** What each address of the shop accepts: the cart page reads, the two actions write. */
  allowedAt(subPath: string): string[] | null {
    const own = subPath === '' ? ['GET', 'HEAD'] : subPath === '/add' || subPath === '/remove' ? ['POST'] : null;
    if (own === null) return null;
    return [...own.filter((m) => this.methods.includes(m)), 'OPTIONS'];
  }

  /** Answers a request for the route's path (`subPath` is what follows it: '', '/add', '/remove'). */
  async handle(request: HttpRequest, subPath: string, now: number): Promise<HttpResponseInit> {
    const ctx = { method: request.method, target: request.target };
    const allowed = this.allowedAt(subPath);
    if (allowed === null) return statusResponse(404, ctx);
    if (request.method === 'OPTIONS') return statusResponse(204, { ...ctx, allow: allowed });
    if (!allowed.includes(request.method)) return statusResponse(405, { ...ctx, allow: allowed });

    const sent = this.cookieSent(request.headers);
    const known = sent !== undefined && isCartId(sent) ? this.store.use(sent, now) : undefined;
    // A visitor without a cart gets an ID in a cookie, and nothing is stored until the first add.
    const issuedEarlier = known === undefined && sent !== undefined && this.store.wasIssued(sent);
    const id = known?.id ?? (issuedEarlier ? sent! : this.store.issueId());
    const cart: Cart = known ?? { id, created: now, updated: now, items: [] };
    const cookieHeaders: HttpHeader[] = [];
    if (!known && !issuedEarlier) {
      const cookie = serializeSetCookie({ name: this.options.cookie, value: id, path: '/', maxAge: CART_COOKIE_MAX_AGE_S, httpOnly: true });
      if (!cookie.ok) throw new Error(cookie.error);
      cookieHeaders.push({ name: 'Set-Cookie', value: cookie.value });
    }
    const name = escapeHtml(this.options.cookie);
    const how = known
      ? `Your request carried <code>Cookie: ${name}=${escapeHtml(id)}</code>, and the server found that entry in its database.`
      : issuedEarlier
        ? `Your request carried <code>Cookie: ${name}=${escapeHtml(id)}</code>, an ID this server gave you earlier; nothing has been added under it yet, so its database holds no entry for it until the first item goes in.`
        : sent === undefined
          ? `Your request carried no cookie named <code>${name}</code>, so the server made up the ID <code>${id}</code> and sent it to you in <code>Set-Cookie</code>. The database gets an entry for it when you add the first item.`
          : `Your request carried <code>${name}=${escapeHtml(sent)}</code>, which the database does not know (it may have been evicted or made up), so the server gave you a new ID, <code>${id}</code>, in <code>Set-Cookie</code>.`;

    if (subPath === '') return { status: 200, headers: [...cookieHeaders, ...generatedPageHeaders()], body: this.cartPage(cart, how) };
    const item = this.itemFrom(request);
    if ('problem' in item) return statusResponse(item.status, { ...ctx, detail: item.problem, headers: cookieHeaders });
    let done: string;
    if (subPath === '/add') {
      this.store.add(known ?? this.store.create(now, id), item.id, now);
      done = `Added ${item.name} to cart ${id}.`;
    } else {
      done = known && this.store.remove(known, item.id, now) ? `Removed one ${item.name} from cart ${id}.` : `Cart ${id} had no ${item.name} to remove.`;
    }
    await this.store.save();
    // POST, then redirect, then GET (RFC 9110 §15.4.4): reloading the cart page does not add the item again.
    const page = htmlPage('Cart updated', `<h1>Cart updated</h1>\n<p>${escapeHtml(done)}</p>\n<p>${how}</p>\n<p>See <a href="${escapeHtml(this.routePath)}">your cart</a>.</p>`);
    return { status: 303, headers: [{ name: 'Location', value: this.routePath }, ...cookieHeaders, ...generatedPageHeaders()], body: page };
  }

  private cookieSent(headers: readonly HttpHeader[]): string | undefined {
    for (const value of getHeaderValues(headers, 'cookie')) {
      const pair = parseCookieHeader(value).find((p) => p.name === this.options.cookie);
      if (pair) return pair.value;
    }
    return undefined;
  }

  /** The catalogue item named by the body's `item` field. */
  private itemFrom(request: HttpRequest): CatalogItem | { status: number; problem: string } {
    const contentType = getHeader(request.headers, 'content-type');
    const essence = contentType ? parseMediaType(contentType)?.essence : undefined;
    let value: string | undefined;
    if (essence === undefined || essence === 'application/x-www-form-urlencoded') {
      value = decodeUrlEncoded(bytesToLatin1(request.body)).fields.find((f) => f.name === 'item')?.value;
    } else if (essence === 'multipart/form-data') {
      const boundary = multipartBoundary(contentType);
      const part = boundary ? parseMultipart(request.body, boundary).parts.find((p) => p.name === 'item') : undefined;
      value = part ? new TextDecoder().decode(part.data) : undefined;
    } else {
      return { status: 415, problem: `the shop reads forms (application/x-www-form-urlencoded), not ${contentType}` };
    }
    const ids = this.catalog.items.map((i) => i.id).join(', ');
    if (value === undefined) return { status: 400, problem: `the body has no field "item"; send for example item=${this.catalog.items[0]?.id ?? 'mug'} (the items are ${ids})` };
    const found = this.catalog.items.find((i) => i.id === value);
    return found ?? { status: 400, problem: `the catalogue has no item "${value}"; its items are ${ids}` };
  }

  private cartPage(cart: Cart, how: string): string {
    const counts = new Map<string, number>();
    for (const i of cart.items) counts.set(i.item, (counts.get(i.item) ?? 0) + 1);
    let total = 0;
    const rows = [...counts].map(([id, count]) => {
      const item = this.catalog.items.find((i) => i.id === id);
      const price = item?.priceCents ?? 0;
      total += price * count;
      const remove = `<form method="post" action="${escapeHtml(this.routePath)}/remove"><input type="hidden" name="item" value="${escapeHtml(id)}"><button type="submit">Remove one</button></form>`;
      return `<tr><td>${escapeHtml(item?.name ?? `${id} (no longer sold)`)}</td><td>${count}</td><td>${this.money.format((price * count) / 100)}</td><td>${remove}</td></tr>`;
    });
    const table = rows.length === 0 ? '<p>The cart is empty.</p>' : `<table>\n<tr><th>Item</th><th>Quantity</th><th>Price</th><th></th></tr>\n${rows.join('\n')}\n<tr><th>Total</th><th></th><th>${this.money.format(total / 100)}</th><th></th></tr>\n</table>`;
    return htmlPage(
      `Your cart (${cart.id})`,
      `<h1>Your cart</h1>\n<p>${how}</p>\n${table}\n<p>The server keeps this cart under the ID <code>${cart.id}</code>; your cookie only says which cart is yours.</p>\n<p><a href="/">Back to the shop</a></p>`,
    );
  }
}
