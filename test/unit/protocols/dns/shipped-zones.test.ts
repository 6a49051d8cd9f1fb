// content/zones: every zone file parses cleanly, zones.yaml and the zones tell one story, and the
// hierarchy resolves the course's names, step by step, to the addresses content/world.yaml gives.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LAB_TOP_LEVEL_DOMAINS, RR_TYPE, checkHierarchy, findServer, formatZoneProblem, loadZone, reverseName, rootServers, serverForZone } from '../../../../src/protocols/dns';
import { WORLD_FILE, ZONES_DIR, type WalkStep, loadManifest, shippedHierarchy, walk } from './helpers';

const addressesOf = (name: string, type: number = RR_TYPE.A) =>
  walk(name, type)
    .answers.filter((r) => r.type === type)
    .map((r) => (r.data.kind === 'A' || r.data.kind === 'AAAA' ? r.data.address : r.data.kind === 'PTR' ? r.data.host : r.data.kind === 'MX' ? r.data.exchange : ''));

describe('the shipped zone files', () => {
  const manifest = loadManifest();
  const listed = manifest.servers.flatMap((s) => s.zones);

  it('are all listed in zones.yaml, and every file zones.yaml names exists', () => {
    const files = readdirSync(ZONES_DIR).filter((f) => f.endsWith('.zone')).sort();
    expect(listed.map((z) => z.file).sort()).toEqual(files);
  });

  for (const z of listed) {
    it(`${z.file} loads with no error and no warning`, () => {
      const r = loadZone(readFileSync(path.join(ZONES_DIR, z.file), 'utf8'), { origin: z.origin, file: `zones/${z.file}` });
      const problems = r.ok ? r.warnings : [...r.errors, ...r.warnings];
      expect(problems.map(formatZoneProblem)).toEqual([]);
    });
  }

  it('end in the top-level domains the zone parser knows (it warns about relative targets ending in one)', () => {
    const tlds = new Set(listed.filter((z) => z.origin !== '.').map((z) => z.origin.toLowerCase().split('.').at(-2)));
    expect([...tlds].sort()).toEqual([...LAB_TOP_LEVEL_DOMAINS].sort());
  });

  it('agree with zones.yaml: each zone delegated to the server that serves it, with glue giving its address', () => {
    const h = shippedHierarchy();
    expect(checkHierarchy(h.manifest, h.zones)).toEqual([]);
  });

  it('have the root, the TLDs and the course\'s domains', () => {
    const origins = listed.map((z) => z.origin);
    for (const o of ['.', 'com.', 'edu.', 'org.', 'fr.', 'nz.', 'ac.nz.', 'umass.edu.', 'cs.umass.edu.', 'poly.edu.', 'someschool.edu.', 'hamburger.edu.', 'crepes.fr.', 'massey.ac.nz.', 'ibm.com.', 'amazon.com.', 'yahoo.com.', 'somesite.com.', '123.130.in-addr.arpa.']) {
      expect(origins).toContain(o);
    }
    expect(rootServers(manifest).map((s) => `${s.name} ${s.address}`)).toEqual(['a.root-servers.net 198.41.0.4']);
    expect(serverForZone(manifest, 'cs.umass.edu')?.name).toBe('dns.cs.umass.edu');
    expect(findServer(manifest, '192.5.6.31')?.role).toBe('tld');
    expect(manifest.resolver).toMatchObject({ name: 'dns.poly.edu', address: '128.238.29.22' });
  });
});

describe('resolving the course\'s names through the hierarchy', () => {
  it('gaia.cs.umass.edu in the course\'s three steps: root, edu, dns.cs.umass.edu', () => {
    const steps: WalkStep[] = [];
    const answer = walk('gaia.cs.umass.edu.', RR_TYPE.A, steps);
    expect(steps.map((s) => `${s.server}: ${s.outcome}`)).toEqual(['a.root-servers.net: referral', 'a.edu-servers.net: referral', 'dns.cs.umass.edu: answer']);
    expect(answer.flags.aa).toBe(true);
    expect(answer.answers.map((r) => r.data)).toEqual([{ kind: 'A', address: '128.119.245.12' }]);
  });

  it('www.amazon.com: root, com, amazon.com (the course\'s first approximation)', () => {
    const steps: WalkStep[] = [];
    expect(walk('www.amazon.com.', RR_TYPE.A, steps).answers.map((r) => r.data)).toEqual([{ kind: 'A', address: '205.251.242.103' }]);
    expect(steps.map((s) => s.server)).toEqual(['a.root-servers.net', 'a.gtld-servers.net', 'ns1.amazon.com']);
  });

  it('www.massey.ac.nz: one step more, through ac.nz, and an alias of proxy.massey.ac.nz', () => {
    const steps: WalkStep[] = [];
    const m = walk('www.massey.ac.nz.', RR_TYPE.A, steps);
    expect(steps.map((s) => s.server)).toEqual(['a.root-servers.net', 'ns1.dns.net.nz', 'ns.ac.nz', 'ns1.massey.ac.nz']);
    expect(m.answers.map((r) => r.data)).toEqual([
      { kind: 'CNAME', target: 'proxy.massey.ac.nz.' },
      { kind: 'A', address: '130.123.128.201' },
    ]);
  });

  it('130.123.128.201 resolves back to proxy.massey.ac.nz (the course\'s reverse example)', () => {
    const steps: WalkStep[] = [];
    const name = reverseName('130.123.128.201') as string;
    expect(walk(name, RR_TYPE.PTR, steps).answers.map((r) => r.data)).toEqual([{ kind: 'PTR', host: 'proxy.massey.ac.nz.' }]);
    // The in-addr.arpa referral has no glue, so the server's own name is resolved on the way.
    expect(steps.map((s) => `${s.server} ${s.name}`)).toEqual([
      'a.root-servers.net 201.128.123.130.in-addr.arpa.',
      'a.root-servers.net ns1.massey.ac.nz.',
      'ns1.dns.net.nz ns1.massey.ac.nz.',
      'ns.ac.nz ns1.massey.ac.nz.',
      'ns1.massey.ac.nz ns1.massey.ac.nz.',
      'ns1.massey.ac.nz 201.128.123.130.in-addr.arpa.',
    ]);
  });

  it('the other reverse maps name the world\'s hosts', () => {
    expect(addressesOf(reverseName('128.119.245.12') as string, RR_TYPE.PTR)).toEqual(['gaia.cs.umass.edu.']);
    expect(addressesOf(reverseName('128.238.2.93') as string, RR_TYPE.PTR)).toEqual(['cis.poly.edu.']);
  });

  it('www.ibm.com is really servereast.backup2.ibm.com', () => {
    const m = walk('www.ibm.com.', RR_TYPE.A);
    expect(m.answers.map((r) => `${r.name} ${r.data.kind === 'CNAME' ? r.data.target : r.data.kind === 'A' ? r.data.address : ''}`)).toEqual([
      'www.ibm.com. servereast.backup2.ibm.com.',
      'servereast.backup2.ibm.com. 129.42.38.10',
    ]);
  });

  it('mail for bob@hamburger.edu and alice@crepes.fr finds its servers through MX', () => {
    expect(addressesOf('hamburger.edu.', RR_TYPE.MX)).toEqual(['mail.hamburger.edu.']);
    expect(addressesOf('mail.hamburger.edu.')).toEqual(['203.0.113.25']);
    expect(addressesOf('crepes.fr.', RR_TYPE.MX)).toEqual(['mail.crepes.fr.']);
    expect(addressesOf('mail.crepes.fr.')).toEqual(['198.51.100.25']);
  });

  it('www.yahoo.com has several addresses (load distribution)', () => {
    expect(addressesOf('www.yahoo.com.')).toHaveLength(4);
  });

  it('a name under org does not exist (NXDOMAIN from the org server)', () => {
    const steps: WalkStep[] = [];
    walk('www.nowhere.org.', RR_TYPE.A, steps);
    expect(steps.at(-1)).toMatchObject({ server: 'a.org-servers.net', outcome: 'nxdomain' });
  });

  it('every host of content/world.yaml resolves to its address there', () => {
    const world = parse(readFileSync(WORLD_FILE, 'utf8')) as { client: { name: string; address: string }; hosts: Array<{ name: string; address: string }> };
    const hosts = [world.client, ...world.hosts];
    expect(hosts.length).toBeGreaterThan(5);
    for (const h of hosts) expect(addressesOf(`${h.name}.`), h.name).toEqual([h.address]);
  });

  it('every name server resolves to its address in zones.yaml', () => {
    for (const s of shippedHierarchy().manifest.servers) expect(addressesOf(`${s.name}.`), s.name).toEqual([s.address]);
    expect(addressesOf('dns.poly.edu.')).toEqual(['128.238.29.22']);
  });
});
