// The zone model: the rules a zone must keep before a server loads it, and the lookups the
// authority makes in it.

import { describe, expect, it } from 'vitest';
import { RR_TYPE, type ZoneLoad, formatZoneProblem, loadZone } from '../../../../src/protocols/dns';

const HEAD = '$TTL 1h\n@ SOA ns hostmaster 1 1h 15m 2w 300\n@ NS ns\nns A 10.0.0.1\n';

function load(body: string, head = HEAD): ZoneLoad {
  return loadZone(head + body, { origin: 'example.edu.', file: 'example.edu.zone' });
}

function errors(body: string, head = HEAD): string[] {
  const r = load(body, head);
  return r.ok ? [] : r.errors.map(formatZoneProblem);
}

function warnings(body: string): string[] {
  return load(body).warnings.map(formatZoneProblem);
}

describe('zone rules', () => {
  it('loads a well-formed zone with no problems', () => {
    const r = load('www A 10.0.0.2\n');
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('needs an SOA at the apex, only one, and nowhere else', () => {
    expect(errors('', '$TTL 1\n@ NS ns\nns A 10.0.0.1\n')).toEqual(['example.edu.zone:2:1: no SOA record at the zone\'s apex example.edu.: every zone starts with one (RFC 1035 §5.2)']);
    expect(errors('@ SOA ns2 hostmaster 2 1 1 1 1\n')).toEqual(['example.edu.zone:5:1: a second SOA record at example.edu.: a zone has exactly one (RFC 1035 §5.2)']);
    expect(errors('sub SOA ns hostmaster 2 1 1 1 1\n')[0]).toContain(':5:1: an SOA record at sub.example.edu.');
  });

  it('needs NS records at the apex', () => {
    expect(errors('', '$TTL 1\n@ SOA ns hostmaster 1 1 1 1 1\nns A 10.0.0.1\n')).toEqual(['example.edu.zone:2:1: no NS records at the apex example.edu.: a zone must name its name servers (RFC 1035 §5.2)']);
  });

  it('keeps every name inside the origin', () => {
    expect(errors('www.other.edu. A 10.0.0.9\n')).toEqual(['example.edu.zone:5:1: www.other.edu. is outside this zone (example.edu.): every name in the file must end in the origin']);
  });

  it('a CNAME stands alone at its name (RFC 1034 §3.6.2)', () => {
    expect(errors('www CNAME web\nwww A 10.0.0.3\nweb A 10.0.0.4\n')).toEqual([
      'example.edu.zone:6:1: www.example.edu. is an alias (CNAME at line 5), so it can hold no other data: move this A record to the canonical name web.example.edu.',
    ]);
    expect(errors('www CNAME web\nwww CNAME web2\n')).toEqual(['example.edu.zone:6:1: www.example.edu. has two CNAME records: an alias points to exactly one canonical name']);
    expect(errors('@ CNAME web\n')[0]).toContain('example.edu. is an alias');
  });

  it('keeps only NS and glue at and below a delegation', () => {
    expect(errors('cs NS dns.cs\ndns.cs A 10.1.0.1\ngaia.cs A 10.1.0.2\n')).toEqual([]);
    expect(warnings('cs NS dns.cs\ndns.cs A 10.1.0.1\ngaia.cs A 10.1.0.2\n')).toEqual([
      'example.edu.zone:7:1: warning: gaia.cs.example.edu. lies inside the delegated zone cs.example.edu. and no NS record of this zone names it: it is not glue, and a server here never gives it out (only the addresses of name servers belong below a delegation)',
    ]);
    expect(errors('cs NS dns.cs\ndns.cs A 10.1.0.1\ncs MX 10 mail\n')[0]).toContain(':7:1: this MX record of cs.example.edu. is at or below the delegation of cs.example.edu.');
    expect(errors('cs NS dns.cs\ndns.cs A 10.1.0.1\nlab.cs NS ns.lab.cs\n')[0]).toContain(':7:1: lab.cs.example.edu. is below the delegation of cs.example.edu.');
  });

  it('needs glue for a name server that lies inside the zone it serves', () => {
    expect(errors('cs NS dns.cs\n')).toEqual([
      'example.edu.zone:5:1: dns.cs.example.edu. serves cs.example.edu. and lies inside it, so nobody can look its address up there: add its A record to this zone as glue',
    ]);
    // A server elsewhere needs none.
    expect(errors('cs NS ns.other.edu.\n')).toEqual([]);
  });

  it('warns about duplicates, differing TTLs in one set, and MX or NS pointing to an alias', () => {
    expect(warnings('www A 10.0.0.2\nwww A 10.0.0.2\n')).toEqual(['example.edu.zone:6:1: warning: the same A record for www.example.edu. a second time; it is ignored (RFC 2181 §5)']);
    expect(warnings('www 60 A 10.0.0.2\nwww 30 A 10.0.0.3\n')[0]).toContain('records of one set share one TTL');
    const r = load('www 60 A 10.0.0.2\nwww 30 A 10.0.0.3\n');
    expect(r.ok && r.zone.rrset('www.example.edu.', RR_TYPE.A)?.records.map((x) => x.ttl)).toEqual([30, 30]);
    expect(warnings('@ MX 10 mail\nmail CNAME ns\n')[0]).toContain('MX points to mail.example.edu., which is an alias (CNAME)');
    expect(warnings('@ NS ns2\n')[0]).toContain('the name server ns2.example.edu. is inside this zone but has no A or AAAA record here');
  });

  it('reports file errors and zone errors together, in line order', () => {
    expect(errors('www A 1.2.3\nwww.other.edu. A 10.0.0.9\n')).toEqual([
      'example.edu.zone:5:7: "1.2.3" is not an IPv4 address (four numbers 0-255 separated by dots)',
      'example.edu.zone:6:1: www.other.edu. is outside this zone (example.edu.): every name in the file must end in the origin',
    ]);
  });
});

describe('lookups in a zone', () => {
  const r = load('www A 10.0.0.2\nWWW A 10.0.0.3\na.b.c A 10.0.0.4\ncs NS dns.cs\ndns.cs A 10.1.0.1\n');
  if (!r.ok) throw new Error(r.errors.map(formatZoneProblem).join('\n'));
  const zone = r.zone;

  it('finds RRsets case-insensitively, whole', () => {
    expect(zone.rrset('Www.Example.EDU', RR_TYPE.A)?.records.map((x) => x.data)).toEqual([
      { kind: 'A', address: '10.0.0.2' },
      { kind: 'A', address: '10.0.0.3' },
    ]);
    expect(zone.rrset('www.example.edu.', RR_TYPE.MX)).toBeUndefined();
    expect(zone.rrsets('example.edu.').map((s) => s.type)).toEqual([RR_TYPE.NS, RR_TYPE.SOA]);
  });

  it('tells names that exist, empty non-terminals included, from names that do not', () => {
    expect(zone.nameExists('a.b.c.example.edu.')).toBe(true);
    expect(zone.nameExists('b.c.example.edu.')).toBe(true);
    expect(zone.nameExists('c.example.edu.')).toBe(true);
    expect(zone.nameExists('d.example.edu.')).toBe(false);
  });

  it('finds the delegation above a name, with its glue', () => {
    const cut = zone.delegationFor('gaia.cs.example.edu.');
    expect(cut?.name).toBe('cs.example.edu.');
    expect(cut?.glue.map((g) => g.name)).toEqual(['dns.cs.example.edu.']);
    expect(zone.delegationFor('cs.example.edu.')?.name).toBe('cs.example.edu.');
    expect(zone.delegationFor('www.example.edu.')).toBeNull();
    expect(zone.delegationFor('example.edu.')).toBeNull();
    expect(zone.delegations()).toHaveLength(1);
  });

  it('gives negative answers the lower of the SOA TTL and its minimum (RFC 2308 §5)', () => {
    expect(zone.negativeTtl).toBe(300);
    const low = loadZone('$TTL 60\n@ SOA ns hostmaster 1 1 1 1 300\n@ NS ns\nns A 10.0.0.1\n', { origin: 'x.', file: 'x.zone' });
    expect(low.ok && low.zone.negativeTtl).toBe(60);
  });
});
