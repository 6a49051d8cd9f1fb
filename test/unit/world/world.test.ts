import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AddressMap } from '../../../src/main/lab/world/address-map';
import { MAX_HOSTNAME_LENGTH, MAX_LABEL_LENGTH, MAX_PORT, WorldError, isHostname, parseWorld } from '../../../src/main/lab/world/world';

const shipped = fs.readFileSync(path.join(__dirname, '../../../content/world.yaml'), 'utf8');

function world(hosts: string): string {
  return `client: { name: cis.poly.edu, address: 128.238.2.93 }\nhosts:\n${hosts}`;
}

describe('world file', () => {
  it('parses the shipped world with gaia.cs.umass.edu at the course address', () => {
    const w = parseWorld(shipped);
    const gaia = w.hosts.find((h) => h.name === 'gaia.cs.umass.edu');
    expect(gaia?.address).toBe('128.119.245.12');
    expect(gaia?.services).toContainEqual({ protocol: 'echo', transport: 'tcp', port: 7 });
    expect(w.client).toEqual({ name: 'cis.poly.edu', address: '128.238.2.93' });
  });

  it('names the place of each mistake', () => {
    expect(() => parseWorld(world('  - { name: a.edu, address: 300.1.1.1 }'))).toThrow(/hosts\[0\]\.address: '300\.1\.1\.1' is not an IPv4 address/);
    expect(() => parseWorld(world('  - { name: a.edu, address: 1.1.1.1, services: [{ protocol: echo, port: 0 }] }'))).toThrow(/services\[0\]\.port: expected a port number from 1 to 65535/);
    expect(() => parseWorld(world(`  - { name: a.edu, address: 1.1.1.1, services: [{ protocol: echo, port: ${MAX_PORT + 1} }] }`))).toThrow(WorldError);
    expect(() => parseWorld(world('  - { name: a.edu, address: 1.1.1.1, services: [{ protocol: echo, port: 7, transport: sctp }] }'))).toThrow(/expected tcp or udp/);
    expect(() => parseWorld(world('  - { name: a.edu, address: 1.1.1.1 }\n  - { name: a.edu, address: 1.1.1.2 }'))).toThrow(/already used/);
    expect(() => parseWorld(world('  - { name: a.edu, address: 1.1.1.1 }\n  - { name: b.edu, address: 1.1.1.1 }'))).toThrow(/already the address of a.edu/);
    expect(() => parseWorld(world('  - { name: a.edu, address: 1.1.1.1, services: [{ protocol: echo, port: 7 }, { protocol: daytime, port: 7 }] }'))).toThrow(/two services on 7\/tcp/);
    expect(() => parseWorld('hosts: [')).toThrow(/not valid YAML/);
  });

  it('crosses the host name limits of RFC 1035', () => {
    const label = 'a'.repeat(MAX_LABEL_LENGTH);
    expect(isHostname(`${label}.edu`)).toBe(true);
    expect(isHostname(`${label}a.edu`)).toBe(false);
    const long = Array.from({ length: 64 }, () => 'abc').join('.'); // 255 chars
    expect(long.length).toBeGreaterThan(MAX_HOSTNAME_LENGTH);
    expect(isHostname(long)).toBe(false);
    expect(isHostname(long.slice(0, MAX_HOSTNAME_LENGTH))).toBe(true);
  });
});

describe('address map', () => {
  const map = new AddressMap(parseWorld(shipped), 10_000);

  it('maps world names and addresses to loopback at offset + well-known port', () => {
    expect(map.resolve('gaia.cs.umass.edu', 7)).toMatchObject({ address: '127.0.0.1', port: 10007, virtualAddress: '128.119.245.12' });
    expect(map.resolve('128.119.245.12', 13)).toMatchObject({ address: '127.0.0.1', port: 10013 });
    expect(map.resolve('GAIA.CS.UMASS.EDU.', 7)).toMatchObject({ port: 10007 });
    expect(map.resolve('gaia.cs.umass.edu', 7, 'udp')).toMatchObject({ port: 10007, service: { transport: 'udp' } });
  });

  it('takes loopback literally and recognises the lab port behind it', () => {
    expect(map.resolve('127.0.0.1', 10007)).toMatchObject({ address: '127.0.0.1', port: 10007, virtualAddress: '128.119.245.12', service: { protocol: 'echo' } });
    expect(map.resolve('localhost', 4000)).toMatchObject({ address: '127.0.0.1', port: 4000, virtualAddress: '127.0.0.1' });
  });

  it('refuses unknown hosts, bad ports, and ports that map past 65535', () => {
    expect(map.resolve('www.nowhere.example', 80)).toEqual({ error: "unknown host 'www.nowhere.example'" });
    expect(map.resolve('10.1.2.3', 80)).toEqual({ error: 'no host in the lab world has the address 10.1.2.3' });
    expect(map.resolve('gaia.cs.umass.edu', 0)).toHaveProperty('error');
    expect(map.resolve('gaia.cs.umass.edu', MAX_PORT + 1)).toHaveProperty('error');
    expect(new AddressMap(parseWorld(shipped), 60_000).resolve('gaia.cs.umass.edu', 8080)).toEqual({ error: 'port 8080 maps to 68080, past the last port; lower --port-offset' });
  });

  it('places a service with a portSlot at portOffset + slot', () => {
    const m = new AddressMap(parseWorld(world('  - { name: a.edu, address: 1.1.1.1, services: [{ protocol: echo, port: 7, portSlot: 2345 }] }')), 10_000);
    expect(m.resolve('a.edu', 7)).toMatchObject({ port: 12345 });
    expect(m.bindingAtLabPort(12345)?.host.name).toBe('a.edu');
    expect(new AddressMap(m.world, 20_000).resolve('a.edu', 7)).toMatchObject({ port: 22345 });
  });
});
