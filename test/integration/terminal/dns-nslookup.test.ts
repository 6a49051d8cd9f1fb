// The terminal's nslookup against a real lab: the default server and others, A (with AAAA), MX,
// CNAME, reverse lookups, NXDOMAIN, a referral from the root, and a stopped server.

import { describe, expect, test } from 'vitest';
import { useTerminalLab } from './dns-terminal';

const t = useTerminalLab();

/** What nslookup printed: from its Server line to the prompt. */
function body(out: string): string {
  return out.slice(out.indexOf('Server:'), out.lastIndexOf('protolab> '));
}

describe('nslookup', () => {
  test('a name: the local resolver, a non-authoritative answer with its address', async () => {
    expect(body(await t.term.typed('nslookup gaia.cs.umass.edu'))).toBe(
      ['Server:\t\tdns.poly.edu', `Address:\t128.238.29.22#53 (lab: 127.0.0.1#${t.offset + 53})`, '', 'Non-authoritative answer:', 'Name:\tgaia.cs.umass.edu', 'Address: 128.119.245.12', '', ''].join('\n'),
    );
  });

  test('an alias: the canonical name, then its address', async () => {
    expect(body(await t.term.typed('nslookup www.ibm.com'))).toContain('Non-authoritative answer:\nwww.ibm.com\tcanonical name = servereast.backup2.ibm.com.\nName:\tservereast.backup2.ibm.com\nAddress: 129.42.38.10\n');
  });

  test('A and AAAA records both, as nslookup asks for both', async () => {
    const out = body(await t.term.typed('nslookup www.yahoo.com'));
    expect(out.match(/Name:\twww\.yahoo\.com\n/g)).toHaveLength(5);
    expect(out).toContain('Address: 2001:4998:24:120d::1:0');
  });

  test('-type=MX: the mail exchanger of hamburger.edu', async () => {
    expect(body(await t.term.typed('nslookup -type=MX hamburger.edu'))).toContain('Non-authoritative answer:\nhamburger.edu\tmail exchanger = 10 mail.hamburger.edu.\n');
  });

  test('an address is looked up in reverse', async () => {
    expect(body(await t.term.typed('nslookup 130.123.128.201'))).toContain('201.128.123.130.in-addr.arpa\tname = proxy.massey.ac.nz.\n');
  });

  test("a name that does not exist: ** server can't find ...: NXDOMAIN", async () => {
    expect(body(await t.term.typed('nslookup nosuch.cs.umass.edu'))).toContain("** server can't find nosuch.cs.umass.edu: NXDOMAIN\n");
  });

  test('a second word names the server: the authoritative server answers without the non-authoritative heading', async () => {
    const out = body(await t.term.typed('nslookup -type=NS umass.edu dns.cs.umass.edu'));
    expect(out).toContain(`Server:\t\tdns.cs.umass.edu\nAddress:\t128.119.240.1#53 (lab: 127.0.0.1#${t.offset + 5308})\n\numass.edu\tnameserver = dns.cs.umass.edu.\n`);
    expect(out).not.toContain('Non-authoritative');
  });

  test('the root server has no answer but says where to look', async () => {
    const out = body(await t.term.typed('nslookup -norecurse gaia.cs.umass.edu a.root-servers.net'));
    expect(out).toContain("*** Can't find gaia.cs.umass.edu: No answer\n\nAuthoritative answers can be found from:\nedu\tnameserver = a.edu-servers.net.\na.edu-servers.net\tinternet address = 192.5.6.31\n");
  });

  test('-port= with 127.0.0.1, and -vc over TCP', async () => {
    const out = body(await t.term.typed(`nslookup -vc -port=${t.offset + 5313} -type=PTR 130.123.128.201 127.0.0.1`));
    expect(out).toContain(`Server:\t\tns1.massey.ac.nz\nAddress:\t130.123.1.1#53 (lab: 127.0.0.1#${t.offset + 5313})`);
    expect(out).toContain('name = proxy.massey.ac.nz.');
  });

  test('wrong usage, unknown servers and a stopped server', async () => {
    expect(await t.term.typed('nslookup')).toContain('\nusage: nslookup [-type=TYPE] [-port=PORT] [-norecurse] [-vc] NAME [SERVER]  (there is no interactive mode here)\n');
    expect(await t.term.typed('nslookup gaia.cs.umass.edu nowhere.example')).toContain("nslookup: 'nowhere.example' is not a host of the lab world");
    await t.lab.api.stopService('dns.cs.umass.edu/dns/udp');
    try {
      const out = await t.term.typed('nslookup gaia.cs.umass.edu dns.cs.umass.edu');
      expect(out).toContain(';; connection timed out; no servers could be reached');
      expect(out).toContain(`;; (no reply from dns.cs.umass.edu (128.119.240.1, lab port ${t.offset + 5308}) within 2 s: its DNS service is stopped; start it in the Servers pane)`);
    } finally {
      await t.lab.api.startService('dns.cs.umass.edu/dns/udp');
    }
  });
});
