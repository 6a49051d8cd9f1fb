// zones.yaml, checked: mistakes an instructor can make come back as problems naming the place,
// and checkHierarchy catches zones and manifest telling different stories.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Zone, checkHierarchy, loadZone, readZoneManifest } from '../../../../src/protocols/dns';
import { ZONES_DIR, shippedHierarchy } from './helpers';

const shipped = () => parse(readFileSync(path.join(ZONES_DIR, 'zones.yaml'), 'utf8')) as { version: number; resolver: Record<string, unknown>; servers: Array<Record<string, unknown>> };

function problems(edit: (doc: ReturnType<typeof shipped>) => void): string[] {
  const doc = shipped();
  edit(doc);
  const r = readZoneManifest(doc);
  return r.ok ? [] : r.problems;
}

describe('reading zones.yaml', () => {
  it('reads the shipped manifest, host names without the final dot, origins with it', () => {
    const r = readZoneManifest(shipped());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.manifest.servers[0]).toMatchObject({ name: 'a.root-servers.net', address: '198.41.0.4', role: 'root', zones: [{ origin: '.', file: 'root.zone' }, { origin: 'in-addr.arpa.', file: 'in-addr.arpa.zone' }] });
  });

  it('names the place of each mistake', () => {
    expect(problems((d) => (d.version = 2))).toEqual(['zones.yaml: version: expected 1, got 2']);
    expect(problems((d) => (d.servers[1].address = '192.5.6'))).toEqual(['zones.yaml: servers[1].address: expected an IPv4 address, got "192.5.6"']);
    expect(problems((d) => (d.servers[1].name = 'bad..name'))).toEqual(['zones.yaml: servers[1].name: expected a host name, got "bad..name"']);
    expect(problems((d) => (d.servers[1].role = 'primary'))).toEqual(['zones.yaml: servers[1].role: expected one of root, tld, authoritative, got "primary"']);
    expect(problems((d) => (d.servers[2].address = '198.41.0.4'))).toEqual(['zones.yaml: servers[2].address: 198.41.0.4 is already the address of servers[0]']);
    expect(problems((d) => (d.servers[2].name = 'A.ROOT-SERVERS.NET'))).toEqual(['zones.yaml: servers[2].name: a.root-servers.net is already servers[0]']);
    expect(problems((d) => (d.servers[2].zones = [{ origin: 'com.', file: 'com2.zone' }]))).toEqual(['zones.yaml: servers[2].zones[0].origin: com. is already served by servers[1]; the lab runs one server per zone']);
    expect(problems((d) => (d.servers[2].zones = [{ origin: 'edu.', file: '../edu.zone' }]))).toEqual(['zones.yaml: servers[2].zones[0].file: expected a file name ending in .zone in the manifest\'s folder, got "../edu.zone"']);
    expect(problems((d) => (d.servers[2].zones = []))).toEqual(['zones.yaml: servers[2].zones: expected a list of zones {origin, file}']);
    expect(problems((d) => (d.servers = d.servers.slice(1)))).toEqual(['zones.yaml: servers: no server serves the root zone "."; resolution starts there']);
    expect(problems((d) => (d.resolver.address = 'x'))).toEqual(['zones.yaml: resolver.address: expected an IPv4 address, got "x"']);
    expect(readZoneManifest(null)).toEqual({ ok: false, problems: ['zones.yaml: expected a mapping with resolver and servers'] });
  });
});

describe('checking the hierarchy against the zones', () => {
  const { manifest, zones } = shippedHierarchy();
  const replace = (origin: string, text: string): Zone[] =>
    zones.map((z) => {
      if (z.origin !== origin) return z;
      const r = loadZone(text, { origin, file: z.file });
      if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
      return r.zone;
    });
  const edu = readFileSync(path.join(ZONES_DIR, 'edu.zone'), 'utf8');

  it('catches glue that gives a server another address than zones.yaml', () => {
    const found = checkHierarchy(manifest, replace('edu.', edu.replace('128.119.240.1 ', '128.119.240.2 ')));
    expect(found).toEqual(['zones/edu.zone: the glue for dns.cs.umass.edu says 128.119.240.2 but zones.yaml says 128.119.240.1']);
  });

  it('catches a zone nobody delegates to, and a delegation to a server that does not serve the zone', () => {
    const withoutPoly = edu.replace(/^poly .*$/m, '').replace(/^ns1\.poly\.edu\. .*$/m, '');
    expect(checkHierarchy(manifest, replace('edu.', withoutPoly))).toEqual(['zones/edu.zone: edu. holds no NS records for poly.edu.: the child zone is not delegated']);
    const wrongServer = edu.replace('poly                    IN  NS  ns1.poly.edu.', 'poly                    IN  NS  ns.someschool.edu.');
    expect(checkHierarchy(manifest, replace('edu.', wrongServer))).toEqual(['zones/edu.zone: the delegation of poly.edu. does not name ns1.poly.edu']);
  });

  it('catches a zone that zones.yaml lists but that did not load', () => {
    expect(checkHierarchy(manifest, zones.filter((z) => z.origin !== 'org.'))).toEqual(['a.org-servers.net serves org., but no zone org. was loaded from org.zone']);
  });
});
