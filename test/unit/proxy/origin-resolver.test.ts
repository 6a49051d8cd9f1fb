import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWorldHttpService, resolveOrigin, webHostNames } from '../../../src/main/lab/proxy/origin-resolver';
import { AddressMap } from '../../../src/main/lab/world/address-map';
import { parseWorld } from '../../../src/main/lab/world/world';

const world = parseWorld(`
client: { name: cis.poly.edu, address: 128.238.2.93 }
hosts:
  - name: gaia.cs.umass.edu
    address: 128.119.245.12
    aliases: [gaia]
    services: [{ protocol: http, port: 80 }, { protocol: echo, port: 7 }, { protocol: discard, port: 9 }, { protocol: daytime, port: 13 }]
  - name: www.someschool.edu
    address: 134.126.15.42
    services: [{ protocol: http, port: 80, portSlot: 1081 }]
  - name: cache.poly.edu
    address: 128.238.2.10
    services: [{ protocol: http-proxy, port: 3128 }]
`);
const map = new AddressMap(world, 20_000);
const options = { map, selfHost: world.hosts[2], selfPort: 3128, selfLabPort: 23_128 };

describe('where the web cache may send a request', () => {
  it('maps a world name or course address on a port the host serves to its lab listener', () => {
    expect(resolveOrigin(options, 'gaia.cs.umass.edu', 80)).toEqual({
      kind: 'origin',
      target: { address: '127.0.0.1', port: 20_080, hostname: 'gaia.cs.umass.edu', virtualAddress: '128.119.245.12', virtualPort: 80 },
    });
    expect(resolveOrigin(options, 'GAIA', 80)).toMatchObject({ kind: 'origin', target: { port: 20_080 } });
    expect(resolveOrigin(options, '134.126.15.42', 80)).toMatchObject({ kind: 'origin', target: { port: 21_081, hostname: 'www.someschool.edu' } });
    expect(resolveOrigin(options, 'gaia.cs.umass.edu.', 80)).toMatchObject({ kind: 'origin', target: { port: 20_080, hostname: 'gaia.cs.umass.edu' } });
  });

  it('refuses the servers of other protocols on a web host: the cache speaks HTTP to web servers only', () => {
    for (const [port, protocol] of [[7, 'echo'], [9, 'discard'], [13, 'daytime']] as const) {
      const r = resolveOrigin(options, 'gaia.cs.umass.edu', port);
      expect(r).toMatchObject({ kind: 'refused', status: 502 });
      expect(r.kind === 'refused' && r.reason).toContain(`gaia.cs.umass.edu port ${port} is its ${protocol} server, not a web server`);
    }
    // A test may name its own origin's protocol as HTTP.
    expect(resolveOrigin({ ...options, isHttpService: (s) => isWorldHttpService(s) || s.protocol === 'echo' }, 'gaia.cs.umass.edu', 7)).toMatchObject({ kind: 'origin', target: { port: 20_007 } });
  });

  it('refuses names and addresses outside the world, saying the lab is offline and which hosts it has', () => {
    const r = resolveOrigin(options, 'www.google.com', 80);
    expect(r).toMatchObject({ kind: 'refused', status: 502 });
    expect(r.kind === 'refused' && r.reason).toContain('The lab is offline');
    expect(r.kind === 'refused' && r.reason).toContain('gaia.cs.umass.edu, www.someschool.edu');
    expect(resolveOrigin(options, '8.8.8.8', 80)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('no host of the lab world has the address 8.8.8.8') });
  });

  it('refuses loopback addresses and ports the host does not serve, so nothing but the lab listeners is ever reached', () => {
    for (const host of ['localhost', 'localhost.', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '[::1]']) expect(resolveOrigin(options, host, 20_080)).toMatchObject({ kind: 'refused' });
    expect(resolveOrigin(options, 'gaia.cs.umass.edu', 8080)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('runs no server on port 8080 in the lab world (it runs http on 80, echo on 7, discard on 9, daytime on 13)') });
    expect(resolveOrigin(options, 'gaia.cs.umass.edu', 99_999)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('port must be a number') });
  });

  it('recognises requests for the cache itself', () => {
    expect(resolveOrigin(options, undefined, 80)).toEqual({ kind: 'self' });
    expect(resolveOrigin(options, 'cache.poly.edu', 3128)).toEqual({ kind: 'self' });
    expect(resolveOrigin(options, 'cache.poly.edu', 80)).toEqual({ kind: 'self' });
    expect(resolveOrigin(options, '128.238.2.10', 3128)).toEqual({ kind: 'self' });
    // The cache's own loopback address and port, as a browser opening http://127.0.0.1:23128/ sends it.
    expect(resolveOrigin(options, '127.0.0.1', 23_128)).toEqual({ kind: 'self' });
    expect(resolveOrigin(options, 'localhost', 23_128)).toEqual({ kind: 'self' });
  });

  it('suggests the hosts that run a web server', () => {
    expect(webHostNames(map)).toEqual(['gaia.cs.umass.edu', 'www.someschool.edu']);
  });

  it('finds the web cache in the shipped world, in the client\'s organisation, on the well-known proxy port', () => {
    const shipped = parseWorld(fs.readFileSync(path.join(__dirname, '../../../content/world.yaml'), 'utf8'));
    const cache = shipped.hosts.find((h) => h.services.some((s) => s.protocol === 'http-proxy'));
    expect(cache?.name).toBe('cache.poly.edu');
    expect(cache?.address.split('.').slice(0, 2)).toEqual(shipped.client.address.split('.').slice(0, 2));
    expect(cache?.services).toEqual([{ protocol: 'http-proxy', transport: 'tcp', port: 3128 }]);
    expect(new AddressMap(shipped, 10_000).labPortOf(cache!.services[0])).toBe(13_128);
  });
});
