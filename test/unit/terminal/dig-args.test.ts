// How dig and nslookup read their arguments: names, types, servers, options, and every way of
// calling them wrongly (one line each: a usage line or a clear error).

import { describe, expect, test } from 'vitest';
import { DNS_MAX_LABEL, DNS_MAX_NAME, RR_TYPE } from '../../../src/protocols/dns';
import { DIG_SYNOPSIS, parseDigArgs, type DigArgs, type DigInvocation } from '../../../src/main/lab/terminal/commands/dig-args';
import { NSLOOKUP_SYNOPSIS, parseNslookupArgs, type NslookupArgs, type NslookupInvocation } from '../../../src/main/lab/terminal/commands/nslookup-args';

function dig(line: string): DigInvocation {
  const parsed = parseDigArgs(line.split(' ').filter((a) => a !== ''));
  if (!parsed.ok || parsed.help) throw new Error(`expected an invocation, got ${JSON.stringify(parsed)}`);
  return parsed.invocation;
}

function digLine(line: string): string {
  const parsed: DigArgs = parseDigArgs(line.split(' ').filter((a) => a !== ''));
  if (parsed.ok) throw new Error(`expected a refusal, got ${JSON.stringify(parsed)}`);
  return parsed.line;
}

function nslookup(line: string): NslookupInvocation {
  const parsed = parseNslookupArgs(line.split(' ').filter((a) => a !== ''));
  if (!parsed.ok) throw new Error(`expected an invocation, got ${parsed.line}`);
  return parsed.invocation;
}

function nslookupLine(line: string): string {
  const parsed: NslookupArgs = parseNslookupArgs(line.split(' ').filter((a) => a !== ''));
  if (parsed.ok) throw new Error(`expected a refusal, got ${JSON.stringify(parsed)}`);
  return parsed.line;
}

/** A name of `labels` labels of `size` letters under com. */
function longName(labels: number, size: number): string {
  return [...Array.from({ length: labels }, () => 'a'.repeat(size)), 'com'].join('.');
}

describe('dig arguments', () => {
  test('a name alone asks for its A record from the default server, recursively, over UDP, with EDNS', () => {
    expect(dig('gaia.cs.umass.edu')).toEqual({ name: 'gaia.cs.umass.edu.', type: RR_TYPE.A, recurse: true, tcp: false, trace: false, short: false, edns: true });
  });

  test('the type may follow or precede the name, in any case, or come with -t', () => {
    expect(dig('hamburger.edu MX').type).toBe(RR_TYPE.MX);
    expect(dig('mx hamburger.edu')).toMatchObject({ name: 'hamburger.edu.', type: RR_TYPE.MX });
    expect(dig('-t aaaa www.yahoo.com')).toMatchObject({ name: 'www.yahoo.com.', type: RR_TYPE.AAAA });
    expect(dig('umass.edu SOA').type).toBe(RR_TYPE.SOA);
    expect(dig('yahoo.com TXT').type).toBe(RR_TYPE.TXT);
    expect(dig('umass.edu TYPE2').type).toBe(RR_TYPE.NS);
    // A name that looks like a type is still the name when the other word is the type.
    expect(dig('a mx')).toMatchObject({ name: 'a.', type: RR_TYPE.MX });
  });

  test('@SERVER, -p and the + options, each also with no in front', () => {
    expect(dig('gaia.cs.umass.edu @dns.cs.umass.edu +norecurse +tcp')).toMatchObject({ server: 'dns.cs.umass.edu', recurse: false, tcp: true });
    expect(dig('gaia.cs.umass.edu +norec +vc').recurse).toBe(false);
    expect(dig('gaia.cs.umass.edu +norec +rec').recurse).toBe(true);
    expect(dig('gaia.cs.umass.edu @127.0.0.1 -p 10053')).toMatchObject({ server: '127.0.0.1', port: 10053 });
    expect(dig('gaia.cs.umass.edu +trace +short +noedns')).toMatchObject({ trace: true, short: true, edns: false });
    expect(dig('gaia.cs.umass.edu +TCP').tcp).toBe(true);
  });

  test('-x turns an address into its in-addr.arpa (or ip6.arpa) name and asks for PTR', () => {
    expect(dig('-x 130.123.128.201')).toMatchObject({ name: '201.128.123.130.in-addr.arpa.', type: RR_TYPE.PTR, reverseOf: '130.123.128.201' });
    expect(dig('-x ::1').name).toBe(`${'0.'.repeat(31).replace(/^/, '1.')}ip6.arpa.`);
    expect(dig('-x 130.123.128.201 +short').short).toBe(true);
  });

  test('-h asks for the help', () => {
    expect(parseDigArgs(['-h'])).toEqual({ ok: true, help: true });
    expect(parseDigArgs(['--help'])).toEqual({ ok: true, help: true });
  });

  test('called without a name, or with too many words, it shows the one usage line', () => {
    const usage = `usage: ${DIG_SYNOPSIS}`;
    expect(digLine('')).toBe(usage);
    expect(digLine('+short')).toBe(usage);
    expect(digLine('gaia.cs.umass.edu A extra')).toBe(usage);
    expect(digLine('-x 130.123.128.201 gaia.cs.umass.edu PTR')).toBe(usage);
    expect(digLine('-t MX hamburger.edu MX')).toBe(usage);
    expect(usage).not.toContain('\n');
  });

  test('unknown types and options, and options without their value, are named', () => {
    expect(digLine('gaia.cs.umass.edu BOGUS')).toBe("dig: 'BOGUS' is not a record type (try A, AAAA, NS, CNAME, MX, TXT, SOA, PTR)");
    expect(digLine('-t BOGUS gaia.cs.umass.edu')).toContain("'BOGUS' is not a record type");
    expect(digLine('gaia.cs.umass.edu +bogus')).toBe("dig: unknown option '+bogus' ('dig -h' lists the options)");
    expect(digLine('gaia.cs.umass.edu +tcp=1')).toContain("unknown option '+tcp=1'");
    expect(digLine('gaia.cs.umass.edu -q')).toContain("unknown option '-q'");
    expect(digLine('gaia.cs.umass.edu @')).toContain("'@' needs a server");
    expect(digLine('gaia.cs.umass.edu @a @b')).toBe('dig: one server at a time (@a and @b)');
    expect(digLine('-x')).toBe('dig: -x needs an address after it');
    expect(digLine('gaia.cs.umass.edu -p')).toBe('dig: -p needs a port number after it');
    expect(digLine('-x 1.2.3')).toBe("dig: '1.2.3' is not an IPv4 or IPv6 address");
  });

  test('a port is 1 to 65535', () => {
    expect(dig('x @127.0.0.1 -p 65535').port).toBe(65535);
    expect(dig('x @127.0.0.1 -p 1').port).toBe(1);
    expect(digLine('x @127.0.0.1 -p 65536')).toBe("dig: '65536' is not a port number (1-65535)");
    expect(digLine('x @127.0.0.1 -p 0')).toContain("'0' is not a port number");
    expect(digLine('x @127.0.0.1 -p http')).toContain("'http' is not a port number");
  });

  test(`a label may have ${DNS_MAX_LABEL} octets, not one more (RFC 1035 §2.3.4)`, () => {
    expect(dig(`${'a'.repeat(DNS_MAX_LABEL)}.com`).name).toBe(`${'a'.repeat(DNS_MAX_LABEL)}.com.`);
    expect(digLine(`${'a'.repeat(DNS_MAX_LABEL + 1)}.com`)).toMatch(/is not a domain name: label of 64 octets: at most 63/);
  });

  test(`a name may have ${DNS_MAX_NAME} octets in wire form, not one more`, () => {
    // 3 labels of 63 (64 octets each with the length byte) + 'com' (4) + the root (1) = 197; with a 4th label of 57: 255.
    const fits = `${'b'.repeat(57)}.${longName(3, 63)}`;
    expect(dig(fits).name).toBe(`${fits}.`);
    expect(digLine(`${'b'.repeat(58)}.${longName(3, 63)}`)).toMatch(/is not a domain name: name of 256 octets in wire form: at most 255/);
  });

  test('empty labels are refused', () => {
    expect(digLine('gaia..umass.edu')).toMatch(/is not a domain name: empty label/);
  });
});

describe('nslookup arguments', () => {
  test('a name alone asks the default server for A (and AAAA) records', () => {
    expect(nslookup('gaia.cs.umass.edu')).toEqual({ typed: 'gaia.cs.umass.edu', name: 'gaia.cs.umass.edu.', type: RR_TYPE.A, defaultType: true, recurse: true, tcp: false });
  });

  test('-type= (or -query=, -q=) names the type; the second word is the server', () => {
    expect(nslookup('-type=MX hamburger.edu')).toMatchObject({ type: RR_TYPE.MX, defaultType: false });
    expect(nslookup('-query=ns umass.edu')).toMatchObject({ type: RR_TYPE.NS });
    expect(nslookup('-q=TXT yahoo.com')).toMatchObject({ type: RR_TYPE.TXT });
    expect(nslookup('-type=A gaia.cs.umass.edu').defaultType).toBe(false);
    expect(nslookup('gaia.cs.umass.edu dns.cs.umass.edu')).toMatchObject({ server: 'dns.cs.umass.edu' });
    expect(nslookup('-port=15308 -norecurse -vc gaia.cs.umass.edu 127.0.0.1')).toMatchObject({ server: '127.0.0.1', port: 15308, recurse: false, tcp: true });
  });

  test('an address is looked up in reverse', () => {
    expect(nslookup('130.123.128.201')).toMatchObject({ typed: '130.123.128.201', name: '201.128.123.130.in-addr.arpa.', type: RR_TYPE.PTR, defaultType: false });
    expect(nslookup('-type=PTR 130.123.128.201').name).toBe('201.128.123.130.in-addr.arpa.');
  });

  test('no name (there is no interactive mode), too many words, unknown options and types: one line each', () => {
    const usage = `usage: ${NSLOOKUP_SYNOPSIS}  (there is no interactive mode here)`;
    expect(nslookupLine('')).toBe(usage);
    expect(nslookupLine('a b c')).toBe(usage);
    expect(nslookupLine('-type=BOGUS x')).toBe("nslookup: 'BOGUS' is not a record type (try A, AAAA, NS, CNAME, MX, TXT, SOA, PTR)");
    expect(nslookupLine('-debug x')).toBe("nslookup: unknown option '-debug' (try -type=MX, -port=PORT, -norecurse, -vc)");
    expect(nslookupLine('-type x')).toContain("unknown option '-type'");
    expect(nslookupLine('-port=65536 x')).toBe("nslookup: '65536' is not a port number (1-65535)");
    expect(nslookup('-port=65535 x').port).toBe(65535);
    expect(nslookupLine(`${'a'.repeat(DNS_MAX_LABEL + 1)}.com`)).toMatch(/^nslookup: '.*' is not a domain name: label of 64 octets/);
  });
});
