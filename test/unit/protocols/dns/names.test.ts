import { describe, expect, it } from 'vitest';
import {
  DNS_MAX_LABEL,
  DNS_MAX_NAME,
  compareHierarchyKeys,
  foldCase,
  hierarchyKey,
  sortByHierarchy,
  formatIPv4,
  formatIPv6,
  isAtOrBelow,
  labelText,
  labelsToName,
  nameKey,
  normalizeName,
  parentName,
  parseIPv4,
  parseIPv6,
  parseName,
  relativeName,
  reverseName,
  sameName,
  splitName,
  wireLength,
} from '../../../../src/protocols/dns';

/** A name of exactly `octets` octets in wire form, from labels of 63 and one shorter label. */
function nameOfWireLength(octets: number): string {
  const labels: string[] = [];
  let left = octets - 1; // the root octet
  while (left > 0) {
    const take = Math.min(DNS_MAX_LABEL, left - 1);
    labels.push('a'.repeat(take));
    left -= take + 1;
  }
  return `${labels.join('.')}.`;
}

describe('names in text', () => {
  it('reads absolute names with or without the final dot, and the root', () => {
    const a = parseName('gaia.cs.umass.edu.');
    const b = parseName('gaia.cs.umass.edu');
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.labels.map((l) => labelText(l))).toEqual(['gaia', 'cs', 'umass', 'edu']);
    expect(labelsToName(b.labels)).toBe('gaia.cs.umass.edu.');
    expect(parseName('.')).toEqual({ ok: true, labels: [] });
    expect(labelsToName([])).toBe('.');
  });

  it('escapes octets that are special or unprintable, and reads the escapes back (RFC 1035 §5.1)', () => {
    const label = Uint8Array.from([0x61, 0x2e, 0x62, 0x20, 0x5c, 0x00, 0xff]);
    const text = labelText(label);
    expect(text).toBe('a\\.b\\032\\\\\\000\\255');
    const back = parseName(`${text}.example.`);
    expect(back.ok && Array.from(back.labels[0])).toEqual(Array.from(label));
    expect(normalizeName('\\065bc.example')).toBe('Abc.example.');
  });

  it('refuses empty labels, bad escapes and raw non-ASCII characters', () => {
    expect(parseName('a..b').ok).toBe(false);
    expect(parseName('.a').ok).toBe(false);
    expect(parseName('a\\').ok).toBe(false);
    expect(parseName('a\\25').ok).toBe(false);
    expect(parseName('a\\256.b').ok).toBe(false);
    expect(parseName('crêpes.fr').ok).toBe(false);
    expect(parseName('a b.c').ok).toBe(false);
  });

  it(`takes labels of ${DNS_MAX_LABEL} octets and refuses ${DNS_MAX_LABEL + 1} (RFC 1035 §2.3.4)`, () => {
    expect(parseName(`${'x'.repeat(DNS_MAX_LABEL)}.edu`).ok).toBe(true);
    const long = parseName(`${'x'.repeat(DNS_MAX_LABEL + 1)}.edu`);
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.message).toContain('64 octets');
  });

  it(`takes names of ${DNS_MAX_NAME} octets in wire form and refuses ${DNS_MAX_NAME + 1}`, () => {
    const max = parseName(nameOfWireLength(DNS_MAX_NAME));
    expect(max.ok && wireLength(max.labels)).toBe(DNS_MAX_NAME);
    const over = parseName(nameOfWireLength(DNS_MAX_NAME + 1));
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.message).toContain('256 octets');
  });

  it('compares names case-insensitively, ASCII letters only (RFC 4343)', () => {
    expect(sameName('GAIA.cs.UMass.edu', 'gaia.cs.umass.edu.')).toBe(true);
    expect(nameKey('WWW.IBM.COM')).toBe('www.ibm.com.');
    expect(foldCase('Crêpes')).toBe('crêpes');
    expect(sameName('a\\.b.c.', 'a.b.c.')).toBe(false);
  });

  it('walks names label by label, escaped dots staying inside their label', () => {
    expect(splitName('a\\.b.c.')).toEqual(['a\\.b', 'c']);
    expect(splitName('x\\046y.z.')).toEqual(['x\\046y', 'z']);
    expect(parentName('gaia.cs.umass.edu.')).toBe('cs.umass.edu.');
    expect(parentName('edu.')).toBe('.');
    expect(parentName('.')).toBeNull();
    expect(isAtOrBelow('gaia.cs.umass.edu.', 'umass.edu')).toBe(true);
    expect(isAtOrBelow('umass.edu.', 'umass.edu.')).toBe(true);
    expect(isAtOrBelow('xumass.edu.', 'umass.edu.')).toBe(false);
    expect(isAtOrBelow('a\\.b.umass.edu.', 'umass.edu.')).toBe(true);
    expect(isAtOrBelow('a\\.umass.edu.', 'umass.edu.')).toBe(false);
    expect(isAtOrBelow('anything.', '.')).toBe(true);
    expect(relativeName('gaia.cs.umass.edu.', 'umass.edu.')).toBe('gaia.cs');
    expect(relativeName('umass.edu.', 'umass.edu.')).toBe('@');
    expect(relativeName('www.ibm.com.', 'umass.edu.')).toBe('www.ibm.com.');
  });
});

describe('addresses', () => {
  it('reads and writes IPv4', () => {
    expect(Array.from(parseIPv4('128.119.245.12') ?? [])).toEqual([128, 119, 245, 12]);
    for (const bad of ['128.119.245', '256.1.1.1', '01.2.3.4', '1.2.3.4.5', 'a.b.c.d', '']) expect(parseIPv4(bad)).toBeNull();
    expect(formatIPv4(Uint8Array.from([130, 123, 128, 201]))).toBe('130.123.128.201');
  });

  it('reads every IPv6 text form and writes the RFC 5952 one', () => {
    const cases: Array<[string, string]> = [
      ['2001:4998:24:120d::1:0', '2001:4998:24:120d::1:0'],
      ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['::', '::'],
      ['::1', '::1'],
      ['1::', '1::'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
      ['::ffff:130.123.128.201', '::ffff:827b:80c9'],
    ];
    for (const [input, out] of cases) {
      const bytes = parseIPv6(input);
      expect(bytes, input).not.toBeNull();
      expect(formatIPv6(bytes as Uint8Array)).toBe(out);
    }
    for (const bad of ['1:2:3:4:5:6:7', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9', '::1.2.3']) expect(parseIPv6(bad), bad).toBeNull();
  });

  it('turns an address into the name a reverse lookup asks for', () => {
    expect(reverseName('130.123.128.201')).toBe('201.128.123.130.in-addr.arpa.');
    expect(reverseName('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.');
    expect(reverseName('not an address')).toBeNull();
  });
});

describe('nameKey', () => {
  it('gives plain lower-case names back as they are, and agrees with the full parse', () => {
    for (const name of ['.', 'gaia.cs.umass.edu.', 'a-b_c.example.', `${'a'.repeat(63)}.edu.`]) {
      expect(nameKey(name)).toBe(name);
      expect(nameKey(name)).toBe(foldCase(normalizeName(name)!));
    }
    expect(nameKey('GAIA.cs.UMass.edu')).toBe('gaia.cs.umass.edu.');
    expect(nameKey('gaia.cs.umass.edu')).toBe('gaia.cs.umass.edu.');
  });

  it('takes the full parse for names past the plain limits: a 64-octet label, a name over 255 octets', () => {
    const longLabel = `${'a'.repeat(64)}.edu.`;
    expect(nameKey(longLabel)).toBe(longLabel); // not a valid name: keyed as itself, found nowhere
    expect(normalizeName(longLabel)).toBeNull();
    const label = `${'a'.repeat(62)}.`;
    const at254 = `${label.repeat(4)}${'b'.repeat(2)}.`; // 4 * 63 + 3 = 255 characters
    expect(at254.length).toBe(255);
    expect(normalizeName(at254)).toBeNull();
    expect(nameKey(at254)).toBe(at254);
    const fits = `${label.repeat(4)}b.`; // 254 characters, 255 octets on the wire
    expect(nameKey(fits)).toBe(foldCase(normalizeName(fits)!));
  });
});

describe('the hierarchy order', () => {
  it('puts parents before children and a zone\'s names together, label by label from the root (RFC 4034 §6.1)', () => {
    const names = ['gaia.cs.umass.edu.', 'com.', '.', 'umass.edu.', 'a.edu-servers.net.', 'edu.', 'cs.umass.edu.', 'Hamburger.EDU.'];
    expect(sortByHierarchy(names, (n) => n)).toEqual(['.', 'com.', 'edu.', 'Hamburger.EDU.', 'umass.edu.', 'cs.umass.edu.', 'gaia.cs.umass.edu.', 'a.edu-servers.net.']);
    expect(compareHierarchyKeys(hierarchyKey('edu.'), hierarchyKey('umass.edu.'))).toBeLessThan(0);
    expect(compareHierarchyKeys(hierarchyKey('UMASS.edu'), hierarchyKey('umass.edu.'))).toBe(0);
  });

  it('breaks ties between items of one name with the given order', () => {
    const items = [{ name: 'edu.', type: 'NS' }, { name: 'edu.', type: 'A' }, { name: '.', type: 'NS' }];
    expect(sortByHierarchy(items, (i) => i.name, (a, b) => a.type.localeCompare(b.type)).map((i) => `${i.name} ${i.type}`)).toEqual(['. NS', 'edu. A', 'edu. NS']);
  });
});
