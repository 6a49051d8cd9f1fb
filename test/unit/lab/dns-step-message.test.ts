// The facts a lookup step keeps of its DNS message (src/main/lab/dns/step-message.ts), read from
// queries and replies built as the lab's servers build them.

import { describe, expect, it } from 'vitest';
import { DNS_CLASS_IN, type DnsMessage, type DnsRecord, RCODE, RR_TYPE, makeOpt, makeQuery, replySkeleton, summarizeDnsModel } from '../../../src/protocols/dns';
import { stepMessageOf } from '../../../src/main/lab/dns/step-message';

const GAIA = 'gaia.cs.umass.edu.';

function record(name: string, type: number, data: DnsRecord['data']): DnsRecord {
  return { name, type, class: DNS_CLASS_IN, ttl: 3600, data };
}

function reply(query: DnsMessage, rcode: number, sections: Partial<Pick<DnsMessage, 'answers' | 'authorities' | 'additionals'>>, aa = false): DnsMessage {
  const r = { ...replySkeleton(query, { ra: false, rcode }), ...sections };
  r.flags.aa = aa;
  return r;
}

describe('the facts of a step’s message', () => {
  const query = makeQuery(0x6f28, GAIA, RR_TYPE.A, { recursionDesired: false });

  it('of a query: its ID, its question and its RD bit, and nothing a reply has', () => {
    expect(stepMessageOf(query)).toEqual({ id: 0x6f28, question: { name: GAIA, type: 'A' }, recursionDesired: false });
    expect(stepMessageOf(makeQuery(7, 'www.ibm.com', RR_TYPE.AAAA))).toEqual({ id: 7, question: { name: 'www.ibm.com.', type: 'AAAA' }, recursionDesired: true });
    expect(stepMessageOf({ ...query, questions: [] }).question).toBeNull();
  });

  it('of a referral: the zone and the name servers it sends the asker to', () => {
    const referral = reply(query, RCODE.NOERROR, {
      authorities: [record('edu.', RR_TYPE.NS, { kind: 'NS', host: 'a.edu-servers.net.' }), record('edu.', RR_TYPE.NS, { kind: 'NS', host: 'b.edu-servers.net.' })],
      additionals: [record('a.edu-servers.net.', RR_TYPE.A, { kind: 'A', address: '192.5.6.30' })],
    });
    const facts = stepMessageOf(referral);
    expect(facts).toEqual({
      id: 0x6f28,
      question: { name: GAIA, type: 'A' },
      recursionDesired: false,
      rcode: 'NOERROR',
      referral: { zone: 'edu.', nameServers: ['a.edu-servers.net.', 'b.edu-servers.net.'] },
      outcome: 'referral to edu. (a.edu-servers.net., b.edu-servers.net.)',
    });
    // The outcome is the packet list's words after the question.
    expect(summarizeDnsModel(referral)).toBe(`Response 0x6f28 A ${GAIA}: ${facts.outcome}`);
  });

  it('of an answer: its RCODE and what it brought, and no referral', () => {
    const answer = reply(query, RCODE.NOERROR, { answers: [record(GAIA, RR_TYPE.A, { kind: 'A', address: '128.119.245.12' })] }, true);
    expect(stepMessageOf(answer)).toEqual({ id: 0x6f28, question: { name: GAIA, type: 'A' }, recursionDesired: false, rcode: 'NOERROR', outcome: 'A 128.119.245.12' });
    // A truncated reply says so, as its packet-list row does: the resolver asks again over TCP as a step of its own.
    const truncated = { ...answer, flags: { ...answer.flags, tc: true } };
    expect(stepMessageOf(truncated).outcome).toMatch(/truncated \(TC\): retry over TCP/);
  });

  it('of a negative reply or an error: its RCODE by name, the extended bits of EDNS included (RFC 6891 §6.1.3)', () => {
    const soa = record('umass.edu.', RR_TYPE.SOA, { kind: 'SOA', mname: 'dns.cs.umass.edu.', rname: 'hostmaster.cs.umass.edu.', serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 300 });
    expect(stepMessageOf(reply(query, RCODE.NXDOMAIN, { authorities: [soa] }, true))).toMatchObject({ rcode: 'NXDOMAIN', outcome: 'NXDOMAIN (no such name)' });
    const badVersion = reply(query, 0, { additionals: [makeOpt(1232, { extendedRcode: 1 })] });
    expect(stepMessageOf(badVersion)).toMatchObject({ rcode: 'BADVERS' });
    expect(stepMessageOf(badVersion).referral).toBeUndefined();
  });
});
