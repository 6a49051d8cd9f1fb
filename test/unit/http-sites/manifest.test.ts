// sites.yaml as the server reads it: the shipped manifest parses into what the server needs, and
// each kind of mistake is refused with a message that names the place.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSitesManifest } from '../../../src/main/lab/http/sites/manifest';

const SITES = fileURLToPath(new URL('../../../content/sites', import.meta.url));
const folders = { sitesDir: '/lab/world/sites', dataDir: '/lab' };

function manifest(hosts: string, top = 'version: 1\ndefaultHost: a.edu\n'): string {
  return `${top}hosts:\n${hosts}`;
}

describe('the shipped sites.yaml', () => {
  const m = parseSitesManifest(fs.readFileSync(path.join(SITES, 'sites.yaml'), 'utf8'), folders);

  it('lists the course hosts with their roots under the sites folder and gaia as the default', () => {
    expect(m.defaultHost).toBe('gaia.cs.umass.edu');
    expect(m.hosts.map((h) => h.name)).toEqual(['www.someschool.edu', 'gaia.cs.umass.edu', 'www-net.cs.umass.edu', 'www.massey.ac.nz', 'www.somesite.com', 'www.amazon.com']);
    expect(m.hosts[0].root).toBe('/lab/world/sites/www.someschool.edu');
    expect(m.hosts[0].index).toEqual(['index.html', 'home.index']);
    expect(m.hosts[1].index).toEqual(['index.html']);
  });

  it('merges the media types, a host entry winning, with lowercase extensions', () => {
    const school = m.hosts[0];
    expect(school.mimeTypes.get('.index')).toBe('text/html; charset=utf-8');
    expect(school.mimeTypes.get('.jpg')).toBe('image/jpeg');
    expect(school.fallbackMimeType).toBe('application/octet-stream');
  });

  it('puts writable files under the data folder and read-only ones under the root', () => {
    const shop = m.hosts.find((h) => h.name === 'www.amazon.com')!;
    expect(shop.dynamic[0]).toMatchObject({ path: '/cart', handler: 'cart', methods: ['GET', 'HEAD', 'POST'], options: { catalog: '/lab/world/sites/www.amazon.com/catalog.json', database: '/lab/sites-data/www.amazon.com/carts.json', cookie: 'session-id' } });
    const somesite = m.hosts.find((h) => h.name === 'www.somesite.com')!;
    expect(somesite.uploads[0]).toEqual({ prefix: '/uploads/', folder: '/lab/sites-data/www.somesite.com/uploads', seedFrom: '/lab/world/sites/www.somesite.com/uploads', maxBytes: 1048576 });
    const gaia = m.hosts.find((h) => h.name === 'gaia.cs.umass.edu')!;
    expect(gaia.auth[0]).toMatchObject({ prefix: '/wireshark-labs/protected_pages/', scheme: 'Basic', realm: 'wireshark-students only' });
    expect(gaia.redirects).toEqual([{ from: '/old-page.html', to: '/wireshark-labs/HTTP-wireshark-file1.html', status: 301 }]);
  });
});

describe('mistakes in sites.yaml', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['bad YAML', 'hosts: [', /sites\.yaml: not valid YAML/],
    ['a wrong version', 'version: 2\ndefaultHost: a.edu\nhosts: []\n', /sites\.yaml: version: expected 1, got 2/],
    ['no hosts', 'version: 1\ndefaultHost: a.edu\nhosts: []\n', /sites\.yaml: hosts: expected a list of at least one host/],
    ['a default host not listed', manifest('  - { name: b.edu, root: b }\n'), /defaultHost: a\.edu is not one of the hosts listed/],
    ['a root that climbs out', manifest('  - { name: a.edu, root: ../etc }\n'), /hosts\[0\]\.root: '\.\.\/etc' must be a plain relative path/],
    ['an absolute root', manifest('  - { name: a.edu, root: /etc }\n'), /hosts\[0\]\.root: '\/etc' must be a plain relative path/],
    ['a host listed twice', manifest('  - { name: a.edu, root: a }\n  - { name: A.EDU, root: b }\n'), /hosts\[1\]\.name: a\.edu is listed twice/],
    ['a bad host name', manifest('  - { name: "a_b!", root: a }\n'), /hosts\[0\]\.name: 'a_b!' is not a host name/],
    ['a redirect status', manifest('  - { name: a.edu, root: a, redirects: [{ from: /x, to: /y, status: 200 }] }\n'), /hosts\[0\]\.redirects\[0\]\.status: expected one of 301, 302, 303, 307, 308, got 200/],
    ['a redirect from a relative path', manifest('  - { name: a.edu, root: a, redirects: [{ from: x, to: /y }] }\n'), /redirects\[0\]\.from: 'x' must be an absolute path/],
    ['an unknown handler', manifest('  - { name: a.edu, root: a, dynamic: [{ path: /x, handler: php, methods: [GET] }] }\n'), /dynamic\[0\]\.handler: unknown handler "php"; the server has form-echo, cart/],
    ['an unknown method', manifest('  - { name: a.edu, root: a, dynamic: [{ path: /x, handler: form-echo, methods: [GET, PATCH] }] }\n'), /dynamic\[0\]\.methods\[1\]: 'PATCH' is not one of GET, HEAD, POST, PUT, DELETE, OPTIONS/],
    ['a cart without options', manifest('  - { name: a.edu, root: a, dynamic: [{ path: /cart, handler: cart, methods: [GET] }] }\n'), /dynamic\[0\]\.options: expected the cart options/],
    ['a cookie name with a space', manifest('  - { name: a.edu, root: a, dynamic: [{ path: /cart, handler: cart, methods: [GET], options: { catalog: c.json, database: d.json, cookie: "my id" } }] }\n'), /options\.cookie: 'my id' is not a valid cookie name/],
    ['an uploads prefix without "/"', manifest('  - { name: a.edu, root: a, uploads: [{ prefix: /up, folder: up, maxBytes: 10 }] }\n'), /uploads\[0\]\.prefix: '\/up' is a prefix and must end with "\/"/],
    ['an uploads folder that climbs out', manifest('  - { name: a.edu, root: a, uploads: [{ prefix: /up/, folder: ../../tmp, maxBytes: 10 }] }\n'), /uploads\[0\]\.folder: '\.\.\/\.\.\/tmp' must be a plain relative path/],
    ['a zero maxBytes', manifest('  - { name: a.edu, root: a, uploads: [{ prefix: /up/, folder: up, maxBytes: 0 }] }\n'), /uploads\[0\]\.maxBytes: expected a whole number of at least 1, got 0/],
    ['an auth scheme other than Basic', manifest('  - { name: a.edu, root: a, auth: [{ prefix: /p/, scheme: Digest, realm: r, users: [{ name: u, password: p }] }] }\n'), /auth\[0\]\.scheme: only Basic \(RFC 7617\) is implemented/],
    ['a user name with a colon', manifest('  - { name: a.edu, root: a, auth: [{ prefix: /p/, scheme: Basic, realm: r, users: [{ name: "u:v", password: p }] }] }\n'), /users\[0\]\.name: a Basic user name cannot contain ":"/],
    ['a media type that is not one', manifest('  - { name: a.edu, root: a, mimeTypes: { .txt: "plain text" } }\n'), /mimeTypes\.\.txt: 'plain text' is not a media type/],
  ];
  for (const [what, text, message] of cases) {
    it(`refuses ${what}, naming the place`, () => {
      expect(() => parseSitesManifest(text, folders)).toThrow(message);
    });
  }
});
