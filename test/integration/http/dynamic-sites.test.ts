// The pages the server computes: the course's form handler (page1exec), the shop that keeps a
// cart through cookies with its database in the data folder, the uploads area (PUT, DELETE), and
// the page behind Basic authentication.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CART_MAX_ITEMS } from '../../../src/main/lab/http/sites/cart-store';
import { FORM_ECHO_MAX_SHOWN_CHARS } from '../../../src/main/lab/http/sites/form-echo';
import { UPLOAD_MAX_NAME_BYTES } from '../../../src/main/lab/http/sites/uploads';
import { bodyText, get, header, request, startLab, useLabs } from './helpers';

useLabs();

function post(host: string, target: string, contentType: string | null, body: string | Buffer, extra: string[] = []): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const head = [`POST ${target} HTTP/1.1`, `Host: ${host}`, ...(contentType ? [`Content-Type: ${contentType}`] : []), `Content-Length: ${bytes.length}`, ...extra, 'Connection: close', '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}

function put(target: string, body: string | Buffer, extra: string[] = []): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([Buffer.from([`PUT ${target} HTTP/1.1`, 'Host: www.somesite.com', `Content-Length: ${bytes.length}`, ...extra, 'Connection: close', '', ''].join('\r\n'), 'latin1'), bytes]);
}

/** "value @ where found" for one field name, from the page's table of every field. */
function rowsFor(html: string, name: string): string[] {
  return [...html.matchAll(/<tr><td>\d+<\/td><td><code>([^<]*)<\/code><\/td><td>(?:<code>)?([^<]*)(?:<\/code>)?<\/td><td>([^<]*)<\/td><\/tr>/g)].filter((m) => m[1] === name).map((m) => `${m[2]} @ ${m[3]}`);
}

describe('form input: www.somesite.com/page1exec', () => {
  it('shows var1 and var2 from the query string of a GET, at both of the course paths', async () => {
    const t = await startLab();
    for (const route of ['/page1exec', '/path/page1exec']) {
      const r = await request(t.port('www.somesite.com'), get('www.somesite.com', `${route}?var1=value1&var2=hello+world%21`));
      expect(r.response.status).toBe(200);
      const html = bodyText(r.response);
      expect(rowsFor(html, 'var1')[0]).toBe('value1 @ the query string in the request line (after &#34;?&#34;)');
      expect(rowsFor(html, 'var2')[0]).toMatch(/^hello world! @ the query string/);
      expect(html).toContain('Content-Length</td><td><code>(none)');
      expect(header(r.response, 'cache-control')).toBe('no-store');
    }
  });

  it('shows the fields of a urlencoded POST body with the Content-Type and Content-Length it saw', async () => {
    const t = await startLab();
    const r = await request(t.port('www.somesite.com'), post('www.somesite.com', '/page1exec', 'application/x-www-form-urlencoded', 'var1=value1&var2=value2&extra=%C3%A9t%C3%A9'));
    const html = bodyText(r.response);
    expect(rowsFor(html, 'var1')).toEqual(['value1 @ the body, application/x-www-form-urlencoded']);
    expect(rowsFor(html, 'extra')).toEqual(['été @ the body, application/x-www-form-urlencoded']);
    expect(html).toContain('Content-Type</td><td><code>application/x-www-form-urlencoded');
    expect(html).toContain('Content-Length</td><td><code>43');
  });

  it('shows the parts of a multipart POST body, files with their name, type and size', async () => {
    const t = await startLab();
    const b = 'XyZzy42';
    const body = [`--${b}`, 'Content-Disposition: form-data; name="var1"', '', 'value1', `--${b}`, 'Content-Disposition: form-data; name="var2"', '', 'value2', `--${b}`, 'Content-Disposition: form-data; name="upload"; filename="note.txt"', 'Content-Type: text/plain', '', 'hi <b>', `--${b}--`, ''].join('\r\n');
    const r = await request(t.port('www.somesite.com'), post('www.somesite.com', '/page1exec', `multipart/form-data; boundary=${b}`, body));
    const html = bodyText(r.response);
    expect(rowsFor(html, 'var1')).toEqual(['value1 @ the body, multipart/form-data part 1']);
    expect(rowsFor(html, 'var2')).toEqual(['value2 @ the body, multipart/form-data part 2']);
    expect(html).toContain('file &#34;note.txt&#34; (text/plain, 6 bytes): hi &#60;b&#62;');
    expect(html).not.toContain('<b>');
  });

  it('reads a chunked POST body, and shows a body that is no form as text', async () => {
    const t = await startLab();
    const chunked = 'POST /page1exec HTTP/1.1\r\nHost: www.somesite.com\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nvar1=\r\n6\r\nchunky\r\n0\r\n\r\n';
    const r = await request(t.port('www.somesite.com'), chunked);
    expect(rowsFor(bodyText(r.response), 'var1')).toEqual(['chunky @ the body, application/x-www-form-urlencoded']);
    expect(bodyText(r.response)).toContain('Transfer-Encoding</td><td><code>chunked');
    const plain = await request(t.port('www.somesite.com'), post('www.somesite.com', '/page1exec', 'text/plain', 'var1=not-a-form'));
    expect(bodyText(plain.response)).toContain('not a form encoding');
    expect(bodyText(plain.response)).toContain('var1=not-a-form');
  });

  it(`cuts a value longer than FORM_ECHO_MAX_SHOWN_CHARS (${FORM_ECHO_MAX_SHOWN_CHARS}) and says how much was left out`, async () => {
    const t = await startLab();
    const at = await request(t.port('www.somesite.com'), post('www.somesite.com', '/page1exec', 'application/x-www-form-urlencoded', `var1=${'a'.repeat(FORM_ECHO_MAX_SHOWN_CHARS)}`));
    expect(bodyText(at.response)).not.toContain('more characters not shown');
    const over = await request(t.port('www.somesite.com'), post('www.somesite.com', '/page1exec', 'application/x-www-form-urlencoded', `var1=${'a'.repeat(FORM_ECHO_MAX_SHOWN_CHARS + 1)}`));
    expect(bodyText(over.response)).toContain('(1 more characters not shown)');
  });

  it('refuses PUT on the form handler with 405 and Allow', async () => {
    const t = await startLab();
    const r = await request(t.port('www.somesite.com'), put('/page1exec', 'x'));
    expect(r.response.status).toBe(405);
    expect(header(r.response, 'allow')).toBe('GET, HEAD, POST, OPTIONS');
  });
});

describe('the shop: a cart kept through Set-Cookie and Cookie', () => {
  it('gives a first visit a new cookie, makes the database entry at the first add, finds the cart by the cookie later, and keeps it across a lab restart', async () => {
    const first = await startLab();
    const port = first.port('www.amazon.com');
    const visit = await request(port, get('www.amazon.com', '/cart'));
    expect(visit.response.status).toBe(200);
    const setCookie = header(visit.response, 'set-cookie')!;
    expect(setCookie).toMatch(/^session-id=[0-9a-f]{16}; Max-Age=\d+; Path=\/; HttpOnly$/);
    const id = /session-id=([0-9a-f]+)/.exec(setCookie)![1];
    expect(bodyText(visit.response)).toContain('no cookie named');
    const dbFile = path.join(first.dir, 'sites-data', 'www.amazon.com', 'carts.json');
    // Looking stores nothing: the entry is made by the first item added.
    expect(fs.existsSync(dbFile)).toBe(false);
    const again = await request(port, get('www.amazon.com', '/cart', [`Cookie: session-id=${id}`]));
    expect(header(again.response, 'set-cookie')).toBeUndefined();
    expect(bodyText(again.response)).toContain('an ID this server gave you earlier');

    const add = await request(port, post('www.amazon.com', '/cart/add', 'application/x-www-form-urlencoded', 'item=mug', [`Cookie: session-id=${id}`]));
    expect(add.response.status).toBe(303);
    expect(header(add.response, 'location')).toBe('/cart');
    expect(header(add.response, 'set-cookie')).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(dbFile, 'utf8')).carts.map((c: { id: string }) => c.id)).toEqual([id]);
    await request(port, post('www.amazon.com', '/cart/add', 'application/x-www-form-urlencoded', 'item=cable', [`Cookie: other=1; session-id=${id}`]));
    await request(port, post('www.amazon.com', '/cart/add', 'application/x-www-form-urlencoded', 'item=mug', [`Cookie: session-id=${id}`]));
    await request(port, post('www.amazon.com', '/cart/remove', 'application/x-www-form-urlencoded', 'item=cable', [`Cookie: session-id=${id}`]));

    const cart = await request(port, get('www.amazon.com', '/cart', [`Cookie: session-id=${id}`]));
    const html = bodyText(cart.response);
    expect(html).toContain('<td>Mug printed with the TCP header</td><td>2</td><td>$24.00</td>');
    expect(html).not.toContain('Ethernet patch cable');
    expect(html).toContain('found that entry');

    // Without the cookie: someone else's (new) cart.
    const stranger = await request(port, get('www.amazon.com', '/cart'));
    expect(header(stranger.response, 'set-cookie')).not.toContain(id);
    expect(bodyText(stranger.response)).toContain('The cart is empty.');

    await first.lab.stop();
    const second = await startLab({ dataDir: first.dir, portOffset: first.offset });
    const after = await request(second.port('www.amazon.com'), get('www.amazon.com', '/cart', [`Cookie: session-id=${id}`]));
    expect(bodyText(after.response)).toContain('<td>Mug printed with the TCP header</td><td>2</td>');
  });

  it('stores no cart for visitors who only look: 50 cookieless HEADs and GETs create none', async () => {
    const t = await startLab();
    const port = t.port('www.amazon.com');
    for (let i = 0; i < 50; i++) {
      const r = await request(port, get('www.amazon.com', '/cart', [], i % 2 === 0 ? 'HEAD' : 'GET'), i % 2 === 0 ? 'HEAD' : 'GET');
      expect(header(r.response, 'set-cookie')).toMatch(/^session-id=[0-9a-f]{16};/);
    }
    const removeFirst = await request(port, post('www.amazon.com', '/cart/remove', 'application/x-www-form-urlencoded', 'item=mug'));
    expect(bodyText(removeFirst.response)).toContain('had no Mug printed with the TCP header to remove');
    expect(fs.existsSync(path.join(t.dir, 'sites-data', 'www.amazon.com', 'carts.json'))).toBe(false);
  }, 30_000);

  it('starts a new cart for a cookie the database does not know, and refuses unknown items and non-form bodies', async () => {
    const t = await startLab();
    const port = t.port('www.amazon.com');
    const forged = await request(port, get('www.amazon.com', '/cart', ['Cookie: session-id=0000000000000000']));
    expect(header(forged.response, 'set-cookie')).toMatch(/^session-id=/);
    expect(bodyText(forged.response)).toContain('does not know');
    const unknown = await request(port, post('www.amazon.com', '/cart/add', 'application/x-www-form-urlencoded', 'item=yacht'));
    expect(unknown.response.status).toBe(400);
    expect(bodyText(unknown.response)).toContain('textbook, cable, router, mug');
    const json = await request(port, post('www.amazon.com', '/cart/add', 'application/json', '{"item":"mug"}'));
    expect(json.response.status).toBe(415);
    const getAdd = await request(port, get('www.amazon.com', '/cart/add'));
    expect(getAdd.response.status).toBe(405);
    expect(header(getAdd.response, 'allow')).toBe('POST, OPTIONS');
    expect((await request(port, get('www.amazon.com', '/cart/elsewhere'))).response.status).toBe(404);
  });

  it(`keeps at most CART_MAX_ITEMS (${CART_MAX_ITEMS}) items in a cart, dropping the oldest`, async () => {
    const t = await startLab();
    const port = t.port('www.amazon.com');
    const first = await request(port, post('www.amazon.com', '/cart/add', 'application/x-www-form-urlencoded', 'item=textbook'));
    const id = /session-id=([0-9a-f]+)/.exec(header(first.response, 'set-cookie')!)![1];
    for (let i = 0; i < CART_MAX_ITEMS; i++) await request(port, post('www.amazon.com', '/cart/add', 'application/x-www-form-urlencoded', 'item=mug', [`Cookie: session-id=${id}`]));
    const db = JSON.parse(fs.readFileSync(path.join(t.dir, 'sites-data', 'www.amazon.com', 'carts.json'), 'utf8'));
    expect(db.carts[0].items).toHaveLength(CART_MAX_ITEMS);
    expect(db.carts[0].items.every((i: { item: string }) => i.item === 'mug')).toBe(true);
  }, 30_000);
});

describe('uploads: PUT creates or replaces, DELETE removes, confined to the folder', () => {
  it('PUT 201 with Location, GET it back, PUT again 204, DELETE 204, then 404', async () => {
    const t = await startLab();
    const port = t.port('www.somesite.com');
    const created = await request(port, put('/uploads/hello.txt', 'hello'));
    expect(created.response.status).toBe(201);
    expect(header(created.response, 'location')).toBe('/uploads/hello.txt');
    const file = path.join(t.dir, 'sites-data', 'www.somesite.com', 'uploads', 'hello.txt');
    expect(fs.readFileSync(file, 'utf8')).toBe('hello');
    const back = await request(port, get('www.somesite.com', '/uploads/hello.txt'));
    expect(bodyText(back.response)).toBe('hello');
    expect(header(back.response, 'content-type')).toBe('text/plain; charset=utf-8');
    expect(header(back.response, 'etag')).toBeDefined();
    const replaced = await request(port, put('/uploads/hello.txt', 'hello again'));
    expect(replaced.response.status).toBe(204);
    expect(fs.readFileSync(file, 'utf8')).toBe('hello again');
    const listing = await request(port, get('www.somesite.com', '/uploads/'));
    expect(bodyText(listing.response)).toContain('hello.txt');
    expect(bodyText(listing.response)).toContain('README.txt');
    const deleted = await request(port, get('www.somesite.com', '/uploads/hello.txt', [], 'DELETE'));
    expect(deleted.response.status).toBe(204);
    expect(fs.existsSync(file)).toBe(false);
    expect((await request(port, get('www.somesite.com', '/uploads/hello.txt'))).response.status).toBe(404);
    expect((await request(port, get('www.somesite.com', '/uploads/hello.txt', [], 'DELETE'))).response.status).toBe(404);
  });

  it('seeds the folder from the site, and honours If-None-Match: * on PUT', async () => {
    const t = await startLab();
    const port = t.port('www.somesite.com');
    const readme = await request(port, get('www.somesite.com', '/uploads/README.txt'));
    expect(bodyText(readme.response)).toContain('uploads area');
    const noClobber = await request(port, put('/uploads/README.txt', 'gone', ['If-None-Match: *']));
    expect(noClobber.response.status).toBe(412);
  });

  it('refuses climbing out, folders, hidden names and overlong names', async () => {
    const t = await startLab();
    const port = t.port('www.somesite.com');
    const out = await request(port, put('/uploads/../index.html', 'pwned'));
    expect(out.response.status).toBe(400);
    const encoded = await request(port, put('/uploads/..%2Findex.html', 'pwned'));
    expect(encoded.response.status).toBe(400);
    const folder = await request(port, put('/uploads/sub/x.txt', 'x'));
    expect(folder.response.status).toBe(400);
    expect(bodyText(folder.response)).toContain('no folders');
    const hidden = await request(port, put('/uploads/.upload-x', 'x'));
    expect(hidden.response.status).toBe(400);
    expect((await request(port, put(`/uploads/${'n'.repeat(UPLOAD_MAX_NAME_BYTES)}`, 'x'))).response.status).toBe(201);
    expect((await request(port, put(`/uploads/${'n'.repeat(UPLOAD_MAX_NAME_BYTES + 1)}`, 'x'))).response.status).toBe(400);
    expect(fs.readFileSync(path.join(t.dir, 'world', 'sites', 'www.somesite.com', 'index.html'), 'utf8')).not.toContain('pwned');
    // A link planted in the folder is not followed.
    const folderPath = path.join(t.dir, 'sites-data', 'www.somesite.com', 'uploads');
    fs.symlinkSync(path.join(t.dir, 'world', 'world.yaml'), path.join(folderPath, 'link.txt'));
    expect((await request(port, get('www.somesite.com', '/uploads/link.txt'))).response.status).toBe(404);
    expect((await request(port, put('/uploads/link.txt', 'x'))).response.status).toBe(403);
    expect(fs.readFileSync(path.join(t.dir, 'world', 'world.yaml'), 'utf8')).toContain('hosts:');
  });

  it('takes only plain ASCII names, no Windows device names, and answers from the area with a sandbox CSP and nosniff', async () => {
    const t = await startLab();
    const port = t.port('www.somesite.com');
    const refused: Array<[string, string]> = [
      ['CON', 'device name'],
      ['nul.txt', 'device name'],
      ['LPT1', 'device name'],
      ['a%3Ab', 'may hold only'], // ":" (NTFS alternate data streams)
      ['%E2%80%AEtxt.exe', 'may hold only'], // U+202E turns the name around on screen
      ['caf%C3%A9.txt', 'may hold only'],
      ['a%20b', 'may hold only'],
      ['-x', 'may hold only'],
      ['trailing.', 'may not end with'],
    ];
    for (const [name, why] of refused) {
      const r = await request(port, put(`/uploads/${name}`, 'x'));
      expect(r.response.status, name).toBe(400);
      expect(bodyText(r.response).toLowerCase(), name).toContain(why);
      expect(header(r.response, 'content-security-policy'), name).toBe('sandbox');
    }
    for (const name of ['notes.txt', 'Report_2026-11.v2.html', 'a']) expect((await request(port, put(`/uploads/${name}`, '<p>x</p>'))).response.status, name).toBe(201);
    const page = await request(port, get('www.somesite.com', '/uploads/Report_2026-11.v2.html'));
    expect(header(page.response, 'content-security-policy')).toBe('sandbox');
    expect(header(page.response, 'x-content-type-options')).toBe('nosniff');
    const listing = await request(port, get('www.somesite.com', '/uploads/'));
    expect(header(listing.response, 'x-content-type-options')).toBe('nosniff');
    expect(fs.readdirSync(path.join(t.dir, 'sites-data', 'www.somesite.com', 'uploads')).sort()).toEqual(['README.txt', 'Report_2026-11.v2.html', 'a', 'notes.txt']);
  });

  it('413 past the area maxBytes (1 MiB), 411 for a PUT without Content-Length, 405 for POST', async () => {
    const t = await startLab();
    const port = t.port('www.somesite.com');
    const max = 1_048_576;
    expect((await request(port, put('/uploads/max.bin', Buffer.alloc(max)))).response.status).toBe(201);
    const big = await request(port, put('/uploads/big.bin', Buffer.alloc(max + 1)));
    expect(big.response.status).toBe(413);
    expect(bodyText(big.response)).toContain(String(max));
    const noLength = await request(port, 'PUT /uploads/x.txt HTTP/1.1\r\nHost: www.somesite.com\r\nConnection: close\r\n\r\n');
    expect(noLength.response.status).toBe(411);
    const postIt = await request(port, post('www.somesite.com', '/uploads/x.txt', 'text/plain', 'x'));
    expect(postIt.response.status).toBe(405);
    expect(header(postIt.response, 'allow')).toBe('GET, HEAD, PUT, DELETE, OPTIONS');
  });
});

describe('Basic authentication on gaia.cs.umass.edu', () => {
  const page = '/wireshark-labs/protected_pages/HTTP-wireshark-file5.html';
  const basic = (userPass: string) => `Authorization: Basic ${Buffer.from(userPass).toString('base64')}`;

  it('401 with WWW-Authenticate without credentials, 401 again with a wrong password, 200 with the right ones', async () => {
    const t = await startLab();
    const port = t.port('gaia.cs.umass.edu');
    const none = await request(port, get('gaia.cs.umass.edu', page));
    expect(none.response.status).toBe(401);
    expect(header(none.response, 'www-authenticate')).toBe('Basic realm="wireshark-students only", charset="UTF-8"');
    expect(bodyText(none.response)).toContain('no Authorization header');
    const wrong = await request(port, get('gaia.cs.umass.edu', page, [basic('wireshark-students:guess')]));
    expect(wrong.response.status).toBe(401);
    expect(bodyText(wrong.response)).toContain('wrong password');
    const nobody = await request(port, get('gaia.cs.umass.edu', page, [basic('eve:network')]));
    expect(bodyText(nobody.response)).toContain('not a user of this realm');
    const garbage = await request(port, get('gaia.cs.umass.edu', page, ['Authorization: Basic !!!']));
    expect(bodyText(garbage.response)).toContain('not base64');
    const right = await request(port, get('gaia.cs.umass.edu', page, [basic('wireshark-students:network')]));
    expect(right.response.status).toBe(200);
    // The folder itself is protected too, even named without its slash.
    expect((await request(port, get('gaia.cs.umass.edu', '/wireshark-labs/protected_pages'))).response.status).toBe(401);
  });

  it('cannot be dodged with an extra "/", an encoded letter, or a link from outside the protected folder', async () => {
    const t = await startLab();
    const port = t.port('gaia.cs.umass.edu');
    expect((await request(port, get('gaia.cs.umass.edu', '/wireshark-labs//protected_pages/HTTP-wireshark-file5.html'))).response.status).toBe(401);
    expect((await request(port, get('gaia.cs.umass.edu', '/wireshark-labs/%70rotected_pages/HTTP-wireshark-file5.html'))).response.status).toBe(401);
    const root = path.join(t.dir, 'world', 'sites', 'gaia.cs.umass.edu');
    fs.symlinkSync(path.join(root, 'wireshark-labs', 'protected_pages', 'HTTP-wireshark-file5.html'), path.join(root, 'open-door.html'));
    const viaLink = await request(port, get('gaia.cs.umass.edu', '/open-door.html'));
    expect(viaLink.response.status).toBe(401);
    expect(header(viaLink.response, 'www-authenticate')).toContain('wireshark-students only');
  });
});
