// Names typed in `open` and `http` are looked up through the lab's resolver, visibly: one line says
// what it answered (or that its cache did), the query is a real exchange the capture and the
// resolution view show, and only when DNS gives no address does the lab's host list answer.

import { beforeEach, describe, expect, test } from 'vitest';
import { useTerminalLab, withZoneEdited } from './dns-terminal';
import { DNS_QUERY_TIMEOUT_MS } from '../../../src/main/lab/dns/dns-exchange';

const CONNECTED = "Escape character is '^]'.";
const CS_ZONE = 'cs.umass.edu.zone';

const t = useTerminalLab();

beforeEach(async () => {
  await t.lab.api.flushResolverCache(null);
});

/** Runs `run` with cs.umass.edu's zone changed by `edit`, then puts the shipped text back. */
function withZoneEdit(edit: (text: string) => string, run: () => Promise<void>): Promise<void> {
  return withZoneEdited(t, CS_ZONE, edit, run);
}

describe('open NAME PORT', () => {
  test('asks the resolver first and says so, then connects; the second time the answer comes from its cache', async () => {
    const out = await t.term.typed('open gaia.cs.umass.edu 7', CONNECTED);
    expect(out).toMatch(/\n;; gaia\.cs\.umass\.edu -> 128\.119\.245\.12 \(asked dns\.poly\.edu, [\d.]+ ms\)\nTrying 128\.119\.245\.12\.\.\.\nConnected to gaia\.cs\.umass\.edu \(128\.119\.245\.12\)\./);
    const again = await t.term.typed('open gaia.cs.umass.edu 7', CONNECTED);
    expect(again).toContain(";; gaia.cs.umass.edu -> 128.119.245.12 (from dns.poly.edu's cache)\nTrying 128.119.245.12...");
  });

  test("the query is a real exchange: the student's machine asks dns.poly.edu in the capture, and the resolution view has the lookup", async () => {
    const before = (await t.lab.api.listConnections()).filter((c) => c.protocol === 'dns' && c.client.hostname === 'cis.poly.edu' && c.server.hostname === 'dns.poly.edu').length;
    await t.term.typed('open www-net.cs.umass.edu 80', CONNECTED);
    const flows = (await t.lab.api.listConnections()).filter((c) => c.protocol === 'dns' && c.client.hostname === 'cis.poly.edu' && c.server.hostname === 'dns.poly.edu');
    expect(flows.length).toBeGreaterThan(before);
    const lookup = (await t.lab.api.listDnsLookups()).filter((l) => l.question === 'www-net.cs.umass.edu. A').at(-1);
    expect(lookup).toMatchObject({ client: { name: 'cis.poly.edu', role: 'client' }, rcode: 'NOERROR', fromCache: false });
    expect(lookup?.answers).toEqual([expect.stringMatching(/^www-net\.cs\.umass\.edu\. \d+ A 128\.119\.240\.84$/)]);
    // The resolver walked the tree for it: root, edu, then the authoritative server.
    expect(lookup?.steps.filter((s) => s.kind === 'query').map((s) => s.to.name)).toEqual(expect.arrayContaining(['dns.poly.edu', 'a.root-servers.net', 'a.edu-servers.net', 'dns.cs.umass.edu']));
  });

  test('an alias is followed to its address', async () => {
    const out = await t.term.typed('open www.massey.ac.nz 80', CONNECTED);
    expect(out).toMatch(/;; www\.massey\.ac\.nz -> proxy\.massey\.ac\.nz -> 130\.123\.128\.201 \(asked dns\.poly\.edu, [\d.]+ ms\)\n/);
    expect(out).toContain('Connected to www.massey.ac.nz (130.123.128.201).');
  });

  test('the address comes from DNS: a zone that moves gaia to another address sends the connection there', async () => {
    await withZoneEdit(
      (text) => text.replace(/^gaia(\s+IN\s+A\s+)128\.119\.245\.12/m, 'gaia$1128.119.240.84'),
      async () => {
        const out = await t.term.typed('open gaia.cs.umass.edu 80', CONNECTED);
        expect(out).toMatch(/;; gaia\.cs\.umass\.edu -> 128\.119\.240\.84 \(asked dns\.poly\.edu/);
        expect(out).toContain('Connected to www-net.cs.umass.edu (128.119.240.84).');
      },
    );
  });

  test("a name DNS does not know but the lab world does: NXDOMAIN, then the lab's host list, said in the line", async () => {
    await withZoneEdit(
      (text) => text.replace(/^www-net\s.*$/m, ''),
      async () => {
        const out = await t.term.typed('open www-net.cs.umass.edu 80', CONNECTED);
        expect(out).toContain(";; www-net.cs.umass.edu -> 128.119.240.84 (from the lab's host list: dns.poly.edu knows no such name (NXDOMAIN))\nTrying 128.119.240.84...");
        expect(out).toContain('Connected to www-net.cs.umass.edu (128.119.240.84).');
      },
    );
  });

  test("a stopped resolver: the lab's host list at once, and the line says why", async () => {
    await t.lab.api.stopService('dns.poly.edu/dns/udp');
    try {
      const started = Date.now();
      const out = await t.term.typed('open gaia.cs.umass.edu 7', CONNECTED);
      // It did not wait for a reply that cannot come: any wait for one lasts DNS_QUERY_TIMEOUT_MS.
      expect(Date.now() - started).toBeLessThan(DNS_QUERY_TIMEOUT_MS);
      expect(out).toContain(";; gaia.cs.umass.edu -> 128.119.245.12 (from the lab's host list: dns.poly.edu is stopped)\nTrying 128.119.245.12...");
    } finally {
      await t.lab.api.startService('dns.poly.edu/dns/udp');
    }
  });

  test('a name neither DNS nor the world knows is an unknown host, after the line that says what DNS said', async () => {
    const out = await t.term.typed('open nosuch.cs.umass.edu 80');
    expect(out).toMatch(/;; nosuch\.cs\.umass\.edu: no address \(dns\.poly\.edu knows no such name \(NXDOMAIN\), [\d.]+ ms\)\nopen: unknown host 'nosuch\.cs\.umass\.edu' — try 'hosts'\n/);
  });

  test('a name whose address no lab host has is said so, not called unknown', async () => {
    const out = await t.term.typed('open www.ibm.com 80');
    expect(out).toMatch(/;; www\.ibm\.com -> servereast\.backup2\.ibm\.com -> 129\.42\.38\.10 \(asked dns\.poly\.edu, [\d.]+ ms\)\n/);
    expect(out).toContain("open: www.ibm.com is 129.42.38.10 in DNS, but no host of the lab world has that address, so nothing answers there ('hosts' lists the lab's hosts)");
  });

  test("the student's own machine is in DNS too, and is still you", async () => {
    const out = await t.term.typed('open cis.poly.edu 80');
    expect(out).toMatch(/;; cis\.poly\.edu -> 128\.238\.2\.93 \(asked dns\.poly\.edu, [\d.]+ ms\)\nopen: cis\.poly\.edu \(128\.238\.2\.93\) is you/);
  });

  test('addresses and localhost skip DNS', async () => {
    const byAddress = await t.term.typed('open 128.119.245.12 7', CONNECTED);
    expect(byAddress).not.toContain(';;');
    expect(byAddress).toContain('Trying 128.119.245.12...');
    const loopback = await t.term.typed(`open localhost ${t.offset + 7}`, CONNECTED);
    expect(loopback).not.toContain(';;');
  });
});

describe('http URL', () => {
  test('looks the host up through the resolver before it connects', async () => {
    const out = await t.term.typed('http http://gaia.cs.umass.edu/');
    expect(out).toMatch(/\n;; gaia\.cs\.umass\.edu -> 128\.119\.245\.12 \(asked dns\.poly\.edu, [\d.]+ ms\)\n\* new TCP connection to gaia\.cs\.umass\.edu \(128\.119\.245\.12\) port 80/);
    expect(out).toContain('< HTTP/1.1 200 OK');
  });

  test('through a proxy it is the proxy name that is looked up', async () => {
    const out = await t.term.typed('http -x cache.poly.edu:3128 http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html');
    expect(out).toMatch(/;; cache\.poly\.edu -> 128\.238\.2\.10 \(asked dns\.poly\.edu, [\d.]+ ms\)\n\* new TCP connection to the proxy cache\.poly\.edu/);
    expect(out).not.toContain(';; gaia.cs.umass.edu');
  });

  test('a host no one knows', async () => {
    const out = await t.term.typed('http http://nosuch.cs.umass.edu/');
    expect(out).toMatch(/;; nosuch\.cs\.umass\.edu: no address \(dns\.poly\.edu knows no such name \(NXDOMAIN\), [\d.]+ ms\)\nhttp: unknown host 'nosuch\.cs\.umass\.edu'/);
  });
});
