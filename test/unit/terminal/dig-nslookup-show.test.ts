// nslookup's output, from replies built here: the server lines, "Non-authoritative answer:",
// each record type in nslookup's words, NXDOMAIN, NODATA and a referral.

import { describe, expect, test } from 'vitest';
import { type DnsMessage, type DnsRecord, RCODE, RR_TYPE, makeQuery } from '../../../src/protocols/dns';
import type { DnsServerRef } from '../../../src/main/lab/dns/stub-resolver';
import { nslookupAnswerLines, nslookupRecordLines, nslookupServerLines } from '../../../src/main/lab/terminal/commands/nslookup-show';

const RESOLVER: DnsServerRef = { name: 'dns.poly.edu', address: '128.238.29.22', role: 'resolver', labAddress: '127.0.0.1', labPort: 10053 };

const rr = (name: string, type: number, data: DnsRecord['data'], ttl = 3600): DnsRecord => ({ name, type, class: 1, ttl, data });

function reply(name: string, type: number, parts: { answers?: DnsRecord[]; authorities?: DnsRecord[]; additionals?: DnsRecord[]; rcode?: number; aa?: boolean } = {}): DnsMessage {
  const m = makeQuery(1, name, type);
  m.flags.qr = true;
  m.flags.ra = true;
  m.flags.aa = parts.aa ?? false;
  m.flags.rcode = parts.rcode ?? RCODE.NOERROR;
  m.answers = parts.answers ?? [];
  m.authorities = parts.authorities ?? [];
  m.additionals = parts.additionals ?? [];
  return m;
}

describe('nslookup output', () => {
  test('the server it asked, by name, with the world address and the lab place', () => {
    expect(nslookupServerLines(RESOLVER)).toEqual(['Server:\t\tdns.poly.edu', 'Address:\t128.238.29.22#53 (lab: 127.0.0.1#10053)', '']);
  });

  test('an A record from a resolver is a non-authoritative answer', () => {
    const r = reply('gaia.cs.umass.edu.', RR_TYPE.A, { answers: [rr('gaia.cs.umass.edu.', RR_TYPE.A, { kind: 'A', address: '128.119.245.12' })] });
    expect(nslookupAnswerLines('gaia.cs.umass.edu.', [r])).toEqual(['Non-authoritative answer:', 'Name:\tgaia.cs.umass.edu', 'Address: 128.119.245.12', '']);
  });

  test("an authoritative server's answer has no such heading", () => {
    const r = reply('gaia.cs.umass.edu.', RR_TYPE.A, { aa: true, answers: [rr('gaia.cs.umass.edu.', RR_TYPE.A, { kind: 'A', address: '128.119.245.12' })] });
    expect(nslookupAnswerLines('gaia.cs.umass.edu.', [r])[0]).toBe('Name:\tgaia.cs.umass.edu');
  });

  test('a CNAME is the canonical name, shown once even when the A and AAAA replies both carry it', () => {
    const alias = rr('www.ibm.com.', RR_TYPE.CNAME, { kind: 'CNAME', target: 'servereast.backup2.ibm.com.' });
    const a = reply('www.ibm.com.', RR_TYPE.A, { answers: [alias, rr('servereast.backup2.ibm.com.', RR_TYPE.A, { kind: 'A', address: '129.42.38.10' })] });
    const aaaa = reply('www.ibm.com.', RR_TYPE.AAAA, { answers: [alias] });
    expect(nslookupAnswerLines('www.ibm.com.', [a, aaaa])).toEqual([
      'Non-authoritative answer:',
      'www.ibm.com\tcanonical name = servereast.backup2.ibm.com.',
      'Name:\tservereast.backup2.ibm.com',
      'Address: 129.42.38.10',
      '',
    ]);
  });

  test('each record type in words', () => {
    expect(nslookupRecordLines(rr('hamburger.edu.', RR_TYPE.MX, { kind: 'MX', preference: 10, exchange: 'mail.hamburger.edu.' }))).toEqual(['hamburger.edu\tmail exchanger = 10 mail.hamburger.edu.']);
    expect(nslookupRecordLines(rr('umass.edu.', RR_TYPE.NS, { kind: 'NS', host: 'dns.cs.umass.edu.' }))).toEqual(['umass.edu\tnameserver = dns.cs.umass.edu.']);
    expect(nslookupRecordLines(rr('201.128.123.130.in-addr.arpa.', RR_TYPE.PTR, { kind: 'PTR', host: 'proxy.massey.ac.nz.' }))).toEqual(['201.128.123.130.in-addr.arpa\tname = proxy.massey.ac.nz.']);
    expect(nslookupRecordLines(rr('yahoo.com.', RR_TYPE.TXT, { kind: 'TXT', strings: [new TextEncoder().encode('v=spf1 "x"')] }))).toEqual(['yahoo.com\ttext = "v=spf1 \\"x\\""']);
    expect(nslookupRecordLines(rr('www.yahoo.com.', RR_TYPE.AAAA, { kind: 'AAAA', address: '2001:4998:24:120d::1:0' }))).toEqual(['Name:\twww.yahoo.com', 'Address: 2001:4998:24:120d::1:0']);
    expect(nslookupRecordLines(rr('umass.edu.', RR_TYPE.SOA, { kind: 'SOA', mname: 'dns.cs.umass.edu.', rname: 'hostmaster.umass.edu.', serial: 2024090101, refresh: 3600, retry: 900, expire: 1209600, minimum: 300 }))).toEqual([
      'umass.edu',
      '\torigin = dns.cs.umass.edu',
      '\tmail addr = hostmaster.umass.edu',
      '\tserial = 2024090101',
      '\trefresh = 3600',
      '\tretry = 900',
      '\texpire = 1209600',
      '\tminimum = 300',
    ]);
    expect(nslookupRecordLines(rr('x.', 99, { kind: 'raw', bytes: Uint8Array.of(1, 2) }))).toEqual(['x\tTYPE99 = \\# 2 0102']);
  });

  test("NXDOMAIN and other failures: ** server can't find", () => {
    expect(nslookupAnswerLines('nosuch.cs.umass.edu.', [reply('nosuch.cs.umass.edu.', RR_TYPE.A, { rcode: RCODE.NXDOMAIN })])).toEqual(["** server can't find nosuch.cs.umass.edu: NXDOMAIN", '']);
    expect(nslookupAnswerLines('x.', [reply('x.', RR_TYPE.A, { rcode: RCODE.SERVFAIL })])[0]).toBe("** server can't find x: SERVFAIL");
  });

  test('NODATA: No answer; a referral also says where the answer can be found', () => {
    expect(nslookupAnswerLines('gaia.cs.umass.edu.', [reply('gaia.cs.umass.edu.', RR_TYPE.AAAA)])).toEqual(["*** Can't find gaia.cs.umass.edu: No answer", '']);
    const referral = reply('gaia.cs.umass.edu.', RR_TYPE.A, {
      authorities: [rr('edu.', RR_TYPE.NS, { kind: 'NS', host: 'a.edu-servers.net.' })],
      additionals: [rr('a.edu-servers.net.', RR_TYPE.A, { kind: 'A', address: '192.5.6.31' })],
    });
    expect(nslookupAnswerLines('gaia.cs.umass.edu.', [referral])).toEqual([
      "*** Can't find gaia.cs.umass.edu: No answer",
      '',
      'Authoritative answers can be found from:',
      'edu\tnameserver = a.edu-servers.net.',
      'a.edu-servers.net\tinternet address = 192.5.6.31',
      '',
    ]);
  });
});
