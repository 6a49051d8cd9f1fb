// The authoritative lookup (RFC 1034 §4.3.2) on the shipped zones: answers, referrals with glue,
// negative answers with the SOA, CNAME chasing, truncation, and the queries a server refuses.

import { describe, expect, it } from 'vitest';
import {
  DNS_EDNS_MIN_PAYLOAD,
  DNS_EDNS_SERVER_PAYLOAD,
  DNS_MAX_CNAME_CHAIN,
  DNS_UDP_MAX,
  type DnsMessage,
  RCODE,
  RR_TYPE,
  ZoneSet,
  answerQuery,
  decodeMessage,
  encodeMessage,
  fitResponse,
  fullRcode,
  isAuthoritativeFor,
  loadZone,
  makeOpt,
  makeQuery,
  responseSizeLimit,
  typeName,
} from '../../../../src/protocols/dns';
import { ask, shippedHierarchy } from './helpers';

const summary = (m: DnsMessage) => ({
  answers: m.answers.map((r) => `${r.name} ${r.ttl} ${typeName(r.type)}`),
  authorities: m.authorities.map((r) => `${r.name} ${r.ttl} ${typeName(r.type)}`),
  additionals: m.additionals.map((r) => `${r.name} ${r.ttl} ${typeName(r.type)}`),
});

describe('answers', () => {
  it('answers with authority for data in its zone (AA set), with the NS and their addresses', () => {
    const r = ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A, { id: 0x0102 });
    expect(r.outcome).toBe('answer');
    expect(r.zone).toBe('cs.umass.edu.');
    expect(r.response.id).toBe(0x0102);
    expect(r.response.flags).toMatchObject({ qr: true, aa: true, tc: false, rd: false, ra: false, rcode: RCODE.NOERROR });
    expect(r.response.answers.map((a) => a.data)).toEqual([{ kind: 'A', address: '128.119.245.12' }]);
    expect(summary(r.response)).toEqual({
      answers: ['gaia.cs.umass.edu. 3600 A'],
      authorities: ['cs.umass.edu. 3600 NS'],
      additionals: ['dns.cs.umass.edu. 3600 A'],
    });
  });

  it('copies RD and the question as the client wrote it (case kept, RFC 1035 §7.3)', () => {
    const r = ask('dns.cs.umass.edu', 'GAIA.CS.umass.edu.', RR_TYPE.A, { rd: true });
    expect(r.response.flags.rd).toBe(true);
    expect(r.response.questions[0].name).toBe('GAIA.CS.umass.edu.');
    expect(r.response.answers[0].name).toBe('gaia.cs.umass.edu.');
  });

  it('answers MX with the mail server\'s address in the additional section', () => {
    const r = ask('ns.hamburger.edu', 'hamburger.edu.', RR_TYPE.MX);
    expect(r.response.answers.map((a) => a.data)).toEqual([{ kind: 'MX', preference: 10, exchange: 'mail.hamburger.edu.' }]);
    expect(r.response.additionals.map((a) => `${a.name} ${a.data.kind === 'A' ? a.data.address : ''}`)).toEqual(['mail.hamburger.edu. 203.0.113.25', 'ns.hamburger.edu. 203.0.113.2']);
  });

  it('answers NS at the apex without repeating it in the authority section', () => {
    const r = ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.NS);
    expect(summary(r.response)).toEqual({ answers: ['yahoo.com. 3600 NS'], authorities: [], additionals: ['ns1.yahoo.com. 3600 A'] });
  });

  it('answers ANY with every set at the name', () => {
    const r = ask('ns.hamburger.edu', 'hamburger.edu.', RR_TYPE.ANY);
    expect(r.response.answers.map((a) => typeName(a.type))).toEqual(['NS', 'SOA', 'MX']);
  });

  it('turns the order of several addresses round from one query to the next (load distribution)', () => {
    const zones = shippedHierarchy().servers.get('ns1.yahoo.com') as ZoneSet;
    const order = (rotation: number) => answerQuery(makeQuery(1, 'www.yahoo.com', RR_TYPE.A), zones, { transport: 'udp', rotation })?.response.answers.map((a) => (a.data.kind === 'A' ? a.data.address : ''));
    expect(order(0)).toEqual(['98.137.11.163', '98.137.11.164', '74.6.143.25', '74.6.143.26']);
    expect(order(1)).toEqual(['98.137.11.164', '74.6.143.25', '74.6.143.26', '98.137.11.163']);
    expect(order(5)).toEqual(order(1));
  });
});

describe('CNAME', () => {
  it('puts the alias in the answer and chases it inside the zone (www.ibm.com)', () => {
    const r = ask('ns1.ibm.com', 'www.ibm.com.', RR_TYPE.A);
    expect(r.outcome).toBe('answer');
    expect(r.cnameChain).toEqual(['servereast.backup2.ibm.com.']);
    expect(r.response.answers.map((a) => a.data)).toEqual([
      { kind: 'CNAME', target: 'servereast.backup2.ibm.com.' },
      { kind: 'A', address: '129.42.38.10' },
    ]);
    expect(r.response.flags.aa).toBe(true);
  });

  it('answers a question for the CNAME itself with just the CNAME', () => {
    const r = ask('ns1.ibm.com', 'www.ibm.com.', RR_TYPE.CNAME);
    expect(r.response.answers.map((a) => typeName(a.type))).toEqual(['CNAME']);
    expect(r.cnameChain).toEqual([]);
  });

  it('ends the chain with NODATA (NOERROR and the SOA) when the canonical name lacks the type', () => {
    const r = ask('ns1.massey.ac.nz', 'www.massey.ac.nz.', RR_TYPE.MX);
    expect(r.outcome).toBe('nodata');
    expect(summary(r.response)).toEqual({ answers: ['www.massey.ac.nz. 3600 CNAME'], authorities: ['massey.ac.nz. 300 SOA'], additionals: [] });
  });

  const zoneOf = (text: string) => {
    const z = loadZone(`$TTL 60\n@ SOA ns h 1 1 1 1 30\n@ NS ns\nns A 10.0.0.1\n${text}`, { origin: 'lab.test.', file: 'lab.test.zone' });
    if (!z.ok) throw new Error(z.errors.map((e) => e.message).join('; '));
    return new ZoneSet([z.zone]);
  };

  it('stops at a canonical name outside the zone and leaves the rest to the resolver', () => {
    const r = answerQuery(makeQuery(1, 'www.lab.test', RR_TYPE.A), zoneOf('www CNAME www.ibm.com.\n'), { transport: 'udp' });
    expect(r?.outcome).toBe('answer');
    expect(r?.response.answers.map((a) => typeName(a.type))).toEqual(['CNAME']);
    expect(r?.reason).toContain('outside lab.test.');
  });

  it('sets NXDOMAIN when the chain leads to a name that does not exist (RFC 6604)', () => {
    const r = answerQuery(makeQuery(1, 'www.lab.test', RR_TYPE.A), zoneOf('www CNAME gone\n'), { transport: 'udp' });
    expect(r?.response.flags.rcode).toBe(RCODE.NXDOMAIN);
    expect(r?.response.answers.map((a) => typeName(a.type))).toEqual(['CNAME']);
  });

  it(`follows ${DNS_MAX_CNAME_CHAIN} aliases and stops at a longer chain or a loop`, () => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `c${i} CNAME c${i + 1}\n`).join('') + `c${n} A 10.0.0.9\n`;
    const ok = answerQuery(makeQuery(1, 'c0.lab.test', RR_TYPE.A), zoneOf(chain(DNS_MAX_CNAME_CHAIN)), { transport: 'udp' });
    expect(ok?.response.answers.at(-1)?.data).toEqual({ kind: 'A', address: '10.0.0.9' });
    expect(ok?.cnameChain).toHaveLength(DNS_MAX_CNAME_CHAIN);
    const long = answerQuery(makeQuery(1, 'c0.lab.test', RR_TYPE.A), zoneOf(chain(DNS_MAX_CNAME_CHAIN + 1)), { transport: 'udp' });
    expect(long?.response.answers.every((a) => a.type === RR_TYPE.CNAME)).toBe(true);
    // The CNAME the chain is cut at goes too, so the resolver can go on from its target.
    expect(long?.response.answers).toHaveLength(DNS_MAX_CNAME_CHAIN + 1);
    expect(long?.cnameChain).toHaveLength(DNS_MAX_CNAME_CHAIN + 1);
    expect(long?.reason).toContain('loop or run longer');
    const loop = answerQuery(makeQuery(1, 'a.lab.test', RR_TYPE.A), zoneOf('a CNAME b\nb CNAME a\n'), { transport: 'udp' });
    expect(loop?.response.answers.map((a) => a.name)).toEqual(['a.lab.test.', 'b.lab.test.']);
  });
});

describe('referrals', () => {
  it('refers from the root to edu, with the edu server\'s address as glue (AA clear)', () => {
    const r = ask('a.root-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A);
    expect(r.outcome).toBe('referral');
    expect(r.referral).toBe('edu.');
    expect(r.response.flags.aa).toBe(false);
    expect(r.response.answers).toEqual([]);
    expect(r.response.authorities.map((a) => a.data)).toEqual([{ kind: 'NS', host: 'a.edu-servers.net.' }]);
    expect(r.response.additionals.map((a) => a.data)).toEqual([{ kind: 'A', address: '192.5.6.31' }]);
  });

  it('refers from edu to umass.edu, and from nz to ac.nz to massey.ac.nz', () => {
    expect(ask('a.edu-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A).referral).toBe('umass.edu.');
    expect(ask('ns1.dns.net.nz', 'www.massey.ac.nz.', RR_TYPE.A).referral).toBe('ac.nz.');
    expect(ask('ns.ac.nz', 'www.massey.ac.nz.', RR_TYPE.A).referral).toBe('massey.ac.nz.');
  });

  it('refers for the delegation point itself and for the glue names below it', () => {
    expect(ask('a.gtld-servers.net', 'amazon.com.', RR_TYPE.NS).outcome).toBe('referral');
    expect(ask('a.gtld-servers.net', 'ns1.amazon.com.', RR_TYPE.A).outcome).toBe('referral');
  });

  it('gives no glue for servers outside the zone (the reverse tree)', () => {
    const r = ask('a.root-servers.net', '201.128.123.130.in-addr.arpa.', RR_TYPE.PTR);
    expect(r.referral).toBe('123.130.in-addr.arpa.');
    expect(r.response.additionals).toEqual([]);
  });

  it('answers from the most specific zone a server holds', () => {
    // dns.cs.umass.edu holds umass.edu and cs.umass.edu: no referral to itself.
    expect(ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A).zone).toBe('cs.umass.edu.');
    expect(ask('dns.cs.umass.edu', 'www.umass.edu.', RR_TYPE.A).zone).toBe('umass.edu.');
  });
});

describe('negative answers', () => {
  it('NXDOMAIN with the SOA in the authority section, at the negative-caching TTL', () => {
    const r = ask('dns.cs.umass.edu', 'gaya.cs.umass.edu.', RR_TYPE.A);
    expect(r.outcome).toBe('nxdomain');
    expect(r.response.flags).toMatchObject({ aa: true, rcode: RCODE.NXDOMAIN });
    expect(summary(r.response)).toEqual({ answers: [], authorities: ['cs.umass.edu. 300 SOA'], additionals: [] });
  });

  it('NXDOMAIN from the root for a top-level domain that does not exist', () => {
    const r = ask('a.root-servers.net', 'gaia.cs.umass.ed.', RR_TYPE.A);
    expect(r.outcome).toBe('nxdomain');
    expect(summary(r.response).authorities).toEqual(['. 86400 SOA']);
  });

  it('NODATA: NOERROR, no answer, the SOA', () => {
    const r = ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.AAAA);
    expect(r.outcome).toBe('nodata');
    expect(r.response.flags).toMatchObject({ aa: true, rcode: RCODE.NOERROR });
    expect(summary(r.response)).toEqual({ answers: [], authorities: ['cs.umass.edu. 300 SOA'], additionals: [] });
  });

  it('NODATA for an empty non-terminal (a name with names below it but no records)', () => {
    const r = ask('ns1.ibm.com', 'backup2.ibm.com.', RR_TYPE.A);
    expect(r.outcome).toBe('nodata');
  });
});

describe('queries a server does not answer normally', () => {
  const zones = () => shippedHierarchy().servers.get('dns.cs.umass.edu') as ZoneSet;

  it('REFUSED for a name in none of its zones (it does no recursion)', () => {
    const r = ask('dns.cs.umass.edu', 'www.amazon.com.', RR_TYPE.A, { rd: true });
    expect(r.outcome).toBe('refused');
    expect(r.response.flags).toMatchObject({ rcode: RCODE.REFUSED, aa: false, ra: false, rd: true });
    expect(r.response.questions).toHaveLength(1);
  });

  it('never answers a response', () => {
    const q = makeQuery(1, 'gaia.cs.umass.edu', RR_TYPE.A);
    q.flags.qr = true;
    expect(answerQuery(q, zones(), { transport: 'udp' })).toBeNull();
  });

  it('NOTIMP for other opcodes, FORMERR for zero or two questions or an OPT question, REFUSED for class CH and zone transfers', () => {
    const cases: Array<[DnsMessage, string, number]> = [];
    const notify = makeQuery(1, 'cs.umass.edu', RR_TYPE.SOA);
    notify.flags.opcode = 4;
    cases.push([notify, 'notimp', RCODE.NOTIMP]);
    const none = makeQuery(1, 'cs.umass.edu', RR_TYPE.A);
    none.questions = [];
    cases.push([none, 'formerr', RCODE.FORMERR]);
    const two = makeQuery(1, 'cs.umass.edu', RR_TYPE.A);
    two.questions.push({ name: 'gaia.cs.umass.edu.', type: 1, class: 1 });
    cases.push([two, 'formerr', RCODE.FORMERR]);
    cases.push([makeQuery(1, 'cs.umass.edu', RR_TYPE.OPT), 'formerr', RCODE.FORMERR]);
    cases.push([makeQuery(1, 'version.bind', RR_TYPE.TXT, { class: 3 }), 'refused', RCODE.REFUSED]);
    cases.push([makeQuery(1, 'cs.umass.edu', RR_TYPE.AXFR), 'refused', RCODE.REFUSED]);
    cases.push([makeQuery(1, 'cs.umass.edu', 254), 'notimp', RCODE.NOTIMP]);
    for (const [q, outcome, rcode] of cases) {
      const r = answerQuery(q, zones(), { transport: 'udp' });
      expect(r?.outcome).toBe(outcome);
      expect(r?.response.flags.rcode).toBe(rcode);
      expect(decodeMessage(r?.wire ?? new Uint8Array()).ok).toBe(true);
    }
  });

  it('BADVERS, in the OPT record\'s extended RCODE, for an EDNS version above 0 (RFC 6891 §6.1.3)', () => {
    const q = makeQuery(1, 'gaia.cs.umass.edu', RR_TYPE.A);
    q.additionals.push(makeOpt(1232, { version: 1 }));
    const r = answerQuery(q, zones(), { transport: 'udp' });
    expect(r?.outcome).toBe('badvers');
    expect(r && fullRcode(r.response)).toBe(RCODE.BADVERS);
    expect(r?.response.additionals).toHaveLength(1);
    const v0 = answerQuery(makeQuery(1, 'gaia.cs.umass.edu', RR_TYPE.A, { ednsPayload: 1232 }), zones(), { transport: 'udp' });
    expect(v0?.outcome).toBe('answer');
  });

  it('says which names it is authoritative for', () => {
    expect(isAuthoritativeFor(zones(), 'gaia.cs.umass.edu')).toBe(true);
    expect(isAuthoritativeFor(zones(), 'www.amazon.com')).toBe(false);
  });
});

describe('fitting the response to its transport', () => {
  it(`truncates (TC) over UDP without EDNS when the answer exceeds ${DNS_UDP_MAX} octets; TCP gets it whole`, () => {
    const udp = ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT);
    expect(udp.fit).toBe('truncated');
    expect(udp.limit).toBe(DNS_UDP_MAX);
    expect(udp.response.flags.tc).toBe(true);
    expect(udp.response.answers).toEqual([]);
    expect(udp.response.questions).toHaveLength(1);
    expect(udp.wire.length).toBeLessThanOrEqual(DNS_UDP_MAX);
    const tcp = ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { transport: 'tcp' });
    expect(tcp.fit).toBe('whole');
    expect(tcp.response.answers).toHaveLength(8);
    expect(tcp.wire.length).toBeGreaterThan(DNS_UDP_MAX);
  });

  it('fits in one datagram when the client announces a larger size with EDNS, echoing an OPT record', () => {
    const r = ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { ednsPayload: 1232 });
    expect(r.fit).toBe('whole');
    expect(r.response.flags.tc).toBe(false);
    const opt = r.response.additionals.at(-1);
    expect(opt?.type).toBe(RR_TYPE.OPT);
    expect(opt?.class).toBe(DNS_EDNS_SERVER_PAYLOAD);
  });

  it(`reads a payload size under ${DNS_EDNS_MIN_PAYLOAD} as ${DNS_EDNS_MIN_PAYLOAD}, and caps a large one at ${DNS_EDNS_SERVER_PAYLOAD}`, () => {
    const q = (size: number) => makeQuery(1, 'a.example', RR_TYPE.A, { ednsPayload: size });
    expect(responseSizeLimit(q(256), 'udp')).toBe(DNS_EDNS_MIN_PAYLOAD);
    expect(responseSizeLimit(q(DNS_EDNS_MIN_PAYLOAD + 1), 'udp')).toBe(DNS_EDNS_MIN_PAYLOAD + 1);
    expect(responseSizeLimit(q(DNS_EDNS_SERVER_PAYLOAD + 1), 'udp')).toBe(DNS_EDNS_SERVER_PAYLOAD);
    expect(responseSizeLimit(makeQuery(1, 'a.example', RR_TYPE.A), 'udp')).toBe(DNS_UDP_MAX);
    expect(responseSizeLimit(q(256), 'tcp')).toBe(65535);
    const small = ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { ednsPayload: 256 });
    expect(small.fit).toBe('truncated');
    expect(small.response.additionals.map((a) => a.type)).toEqual([RR_TYPE.OPT]);
  });

  it(`keeps a response of exactly ${DNS_UDP_MAX} octets and truncates one of ${DNS_UDP_MAX + 1}`, () => {
    const base = ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { transport: 'tcp' }).response;
    // Trim the last TXT string until the whole message is exactly 512 octets.
    const sized = (n: number): DnsMessage => {
      const m = structuredClone(base);
      m.additionals = [];
      m.authorities = [];
      const last = m.answers[m.answers.length - 1];
      if (last.data.kind !== 'TXT') throw new Error('expected TXT');
      const over = encodeMessage(m).length - n;
      last.data.strings = [last.data.strings[0].subarray(0, last.data.strings[0].length - over)];
      return m;
    };
    expect(encodeMessage(sized(DNS_UDP_MAX)).length).toBe(DNS_UDP_MAX);
    expect(fitResponse(sized(DNS_UDP_MAX), DNS_UDP_MAX, false).fit).toBe('whole');
    expect(fitResponse(sized(DNS_UDP_MAX + 1), DNS_UDP_MAX, false).fit).toBe('truncated');
  });

  it('drops extra addresses before truncating an answer, but never the glue of a referral', () => {
    const m = ask('ns.hamburger.edu', 'hamburger.edu.', RR_TYPE.MX).response;
    const whole = encodeMessage(m).length;
    const withoutAdditional = encodeMessage({ ...m, additionals: [] }).length;
    const fitted = fitResponse(m, withoutAdditional, false);
    expect(fitted.fit).toBe('additional-dropped');
    expect(fitted.response.flags.tc).toBe(false);
    expect(fitted.response.answers).toHaveLength(1);
    expect(whole).toBeGreaterThan(withoutAdditional);
    expect(fitResponse(m, withoutAdditional, true).fit).toBe('truncated');
  });
});

describe('every response is well-formed on the wire', () => {
  it('decodes to the response model it was encoded from', () => {
    const h = shippedHierarchy();
    for (const [server, zones] of h.servers) {
      for (const zone of zones.zones) {
        for (const set of zone.allRRsets()) {
          for (const type of [set.type, RR_TYPE.A, RR_TYPE.MX]) {
            const r = answerQuery(makeQuery(7, set.name, type, { recursionDesired: false }), zones, { transport: 'udp' });
            const d = decodeMessage(r?.wire ?? new Uint8Array(), { transport: 'udp' });
            expect(d.ok, `${server} ${set.name} ${typeName(type)}`).toBe(true);
            if (d.ok) expect(d.message).toEqual(r?.response);
          }
        }
      }
    }
  });
});
