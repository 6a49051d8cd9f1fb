// The master-file parser (RFC 1035 §5): each directive and syntax rule, and each error with the
// line and column an editor underlines.

import { describe, expect, it } from 'vitest';
import {
  DNS_MAX_CHARACTER_STRING,
  endsWithUnescapedDot,
  DNS_MAX_RDLENGTH,
  DNS_MAX_TTL,
  type DnsRecord,
  LAB_TOP_LEVEL_DOMAINS,
  RR_TYPE,
  type ZoneProblem,
  formatRecord,
  formatZoneProblem,
  parseTtl,
  loadZone,
  parseZoneFile,
} from '../../../../src/protocols/dns';

const FILE = 'zones/umass.edu.zone';

function parse(text: string, origin = 'umass.edu.') {
  return parseZoneFile(text, { file: FILE, origin });
}

function records(text: string, origin = 'umass.edu.'): DnsRecord[] {
  const r = parse(text, origin);
  expect(r.problems.map(formatZoneProblem)).toEqual([]);
  return r.records.map((x) => x.record);
}

function lines(text: string, origin = 'umass.edu.'): string[] {
  return records(text, origin).map((r) => formatRecord(r));
}

function problems(text: string, origin = 'umass.edu.'): string[] {
  return parse(text, origin).problems.map(formatZoneProblem);
}

describe('directives and names', () => {
  it('$ORIGIN, @ and relative names; absolute names stay as they are', () => {
    expect(lines('$TTL 60\n@ IN A 1.2.3.4\nwww IN A 1.2.3.5\nwww.cs IN A 1.2.3.6\ngaia.cs.umass.edu. IN A 1.2.3.7\n$ORIGIN cs.umass.edu.\ndns IN A 1.2.3.8\n')).toEqual([
      'umass.edu.\t60\tIN\tA\t1.2.3.4',
      'www.umass.edu.\t60\tIN\tA\t1.2.3.5',
      'www.cs.umass.edu.\t60\tIN\tA\t1.2.3.6',
      'gaia.cs.umass.edu.\t60\tIN\tA\t1.2.3.7',
      'dns.cs.umass.edu.\t60\tIN\tA\t1.2.3.8',
    ]);
  });

  it('a relative $ORIGIN is relative to the current one; the root origin gives names one dot', () => {
    expect(lines('$TTL 1\n$ORIGIN cs\ngaia A 1.1.1.1\n')).toEqual(['gaia.cs.umass.edu.\t1\tIN\tA\t1.1.1.1']);
    expect(lines('$TTL 1\n$ORIGIN .\nedu NS a.edu-servers.net.\n', '.')).toEqual(['edu.\t1\tIN\tNS\ta.edu-servers.net.']);
  });

  it('$TTL sets the TTL of records without one; without $TTL the last TTL written carries on', () => {
    expect(lines('$TTL 1h\na A 1.1.1.1\nb 5 A 1.1.1.2\nc A 1.1.1.3\n')).toEqual([
      'a.umass.edu.\t3600\tIN\tA\t1.1.1.1',
      'b.umass.edu.\t5\tIN\tA\t1.1.1.2',
      'c.umass.edu.\t3600\tIN\tA\t1.1.1.3',
    ]);
    expect(lines('a 30 A 1.1.1.1\nb A 1.1.1.2\n')).toEqual(['a.umass.edu.\t30\tIN\tA\t1.1.1.1', 'b.umass.edu.\t30\tIN\tA\t1.1.1.2']);
  });

  it('reads TTLs in seconds and in BIND units', () => {
    expect(parseTtl('3600')).toBe(3600);
    expect(parseTtl('1h30m')).toBe(5400);
    expect(parseTtl('1W2D')).toBe(9 * 86400);
    expect(parseTtl('1x')).toBeNull();
    expect(parseTtl('h')).toBeNull();
  });

  it('takes TTL and class in either order, or neither', () => {
    expect(lines('$TTL 9\na 10 IN A 1.1.1.1\nb IN 20 A 1.1.1.2\nc IN A 1.1.1.3\nd 30 A 1.1.1.4\n').map((l) => l.split('\t')[1])).toEqual(['10', '20', '9', '30']);
  });

  it('a line starting with white space belongs to the owner of the line before', () => {
    expect(lines('$TTL 1\nwww A 1.1.1.1\n    A 1.1.1.2\n\tMX 10 mail\n')).toEqual([
      'www.umass.edu.\t1\tIN\tA\t1.1.1.1',
      'www.umass.edu.\t1\tIN\tA\t1.1.1.2',
      'www.umass.edu.\t1\tIN\tMX\t10 mail.umass.edu.',
    ]);
  });

  it('parentheses continue a record over lines, with comments inside (the SOA of every zone)', () => {
    const soa = records('$TTL 1\n@ IN SOA dns.cs hostmaster ( ; primary, mailbox\n  2024090101 ; serial\n  1h 15m\n  2w\n  300 ) ; minimum\n');
    expect(soa).toEqual([
      {
        name: 'umass.edu.',
        type: RR_TYPE.SOA,
        class: 1,
        ttl: 1,
        data: { kind: 'SOA', mname: 'dns.cs.umass.edu.', rname: 'hostmaster.umass.edu.', serial: 2024090101, refresh: 3600, retry: 900, expire: 1209600, minimum: 300 },
      },
    ]);
  });

  it('comments and blank lines are ignored, CRLF line ends too', () => {
    expect(lines('; a comment\r\n\r\n$TTL 1 ; one second\r\n  ; indented comment\r\nwww A 1.1.1.1 ; the web server\r\n')).toEqual(['www.umass.edu.\t1\tIN\tA\t1.1.1.1']);
  });

  it('reads quoted TXT strings with spaces, semicolons, quotes and \\DDD escapes, several per record', () => {
    const [r] = records('$TTL 1\n@ TXT "v=spf1 -all; really" "say \\"hi\\"" plain \\065\\066 "\\255"\n');
    expect(r.data.kind).toBe('TXT');
    if (r.data.kind !== 'TXT') return;
    const text = (b: Uint8Array) => Array.from(b, (c) => String.fromCharCode(c)).join('');
    expect(r.data.strings.map(text)).toEqual(['v=spf1 -all; really', 'say "hi"', 'plain', 'AB', '\xff']);
    expect(formatRecord(r)).toBe('umass.edu.\t1\tIN\tTXT\t"v=spf1 -all; really" "say \\"hi\\"" "plain" "AB" "\\255"');
  });

  it('reads every type the lab serves', () => {
    expect(
      lines(
        '$TTL 1\n@ NS dns.cs\n@ MX 10 mx\nwww CNAME web\nweb A 128.119.8.148\nweb AAAA 2001:DB8::1\n12.245 PTR gaia.cs.umass.edu.\n@ TXT "x"\n',
      ),
    ).toEqual([
      'umass.edu.\t1\tIN\tNS\tdns.cs.umass.edu.',
      'umass.edu.\t1\tIN\tMX\t10 mx.umass.edu.',
      'www.umass.edu.\t1\tIN\tCNAME\tweb.umass.edu.',
      'web.umass.edu.\t1\tIN\tA\t128.119.8.148',
      'web.umass.edu.\t1\tIN\tAAAA\t2001:db8::1',
      '12.245.umass.edu.\t1\tIN\tPTR\tgaia.cs.umass.edu.',
      'umass.edu.\t1\tIN\tTXT\t"x"',
    ]);
  });

  it('reads any type in the generic form of RFC 3597 §5', () => {
    expect(lines('$TTL 1\n@ TYPE65280 \\# 3 0a0b0c\n@ HINFO \\# 0\n@ TYPE99 \\# 2 0a 0b\n')).toEqual([
      'umass.edu.\t1\tIN\tTYPE65280\t\\# 3 0a0b0c',
      'umass.edu.\t1\tIN\tHINFO\t\\# 0',
      'umass.edu.\t1\tIN\tTYPE99\t\\# 2 0a0b',
    ]);
  });
});

describe('errors, with line and column', () => {
  it('MX without its host name', () => {
    const text = '$TTL 1\n\n@ IN SOA dns hostmaster 1 1 1 1 1\n\n\n\n\n\n\n\n\n@   IN  MX  10\n';
    expect(problems(text)).toEqual([`${FILE}:12:13: MX needs a preference and a host name`]);
    const p = parse(text).problems[0] as ZoneProblem;
    expect(p).toMatchObject({ line: 12, column: 13, length: 2, severity: 'error' });
  });

  it('every kind of mistake, each at its place', () => {
    const cases: Array<[string, string]> = [
      ['$TTL 1\nwww A 1.2.3\n', ':2:7: "1.2.3" is not an IPv4 address'],
      ['$TTL 1\nwww AAAA 1.2.3.4\n', ':2:10: "1.2.3.4" is not an IPv6 address'],
      ['$TTL 1\nwww FOO 1.2.3.4\n', ':2:5: "FOO" is not a record type'],
      ['$TTL 1\nwww CH A 1.2.3.4\n', ':2:5: class CH: the lab serves only class IN'],
      ['www A 1.2.3.4\n', ':1:5: no TTL for this record'],
      ['$TTL 1\n  A 1.2.3.4\n', ':2:3: this line starts with white space'],
      ['$TTL 1\n@ SOA a b ( 1 2 3\n', ':2:11: this "(" is never closed'],
      ['$TTL 1\n@ SOA a b ( 1 ( 2 3 4 5 )\n', ':2:15: a second "("'],
      ['$TTL 1\nwww A 1.2.3.4 )\n', ':2:15: a ")" without a "("'],
      ['$TTL 1\n@ TXT "no end\n', ':2:7: this quoted string has no closing quote'],
      ['$INCLUDE other.zone\n', ':1:1: $INCLUDE is not supported'],
      ['$GENERATE 1-9 a$ A 1.1.1.$\n', ':1:1: unknown directive $GENERATE'],
      ['$TTL\n', ':1:1: $TTL needs exactly one time'],
      ['$TTL soon\n', ':1:6: the $TTL "soon" is not a time'],
      ['$TTL 1\nwww A 1.2.3.4 5.6.7.8\n', ':2:15: unexpected "5.6.7.8" after the A data'],
      ['$TTL 1\nwww MX ten mail\n', ':2:8: the MX preference must be a number from 0 to 65535'],
      ['$TTL 1\nwww MX 65536 mail\n', ':2:8: the MX preference must be a number from 0 to 65535'],
      ['$TTL 1\n@ SOA a b 1 2 3 4\n', ':2:17: SOA needs seven fields'],
      ['$TTL 1\n@ SOA a b x 2 3 4 5\n', ':2:11: the serial must be a number'],
      [`$TTL 1\n${'x'.repeat(64)} A 1.2.3.4\n`, ':2:1: the owner xxxx'],
      ['$TTL 1\na..b A 1.2.3.4\n', ':2:1: the owner a..b is not a valid name'],
      ['$TTL 1\nwww CNAME "quoted"\n', ':2:11: the CNAME target is a name, not a quoted string'],
      ['$TTL 1\n@ TXT\n', ':2:3: TXT needs at least one string'],
      ['$TTL 1\n@ OPT \\# 0\n', ':2:3: OPT is a pseudo-record'],
      ['$TTL 1\n@ SRV 0 5 5060 sip\n', ':2:3: the lab\'s zones hold A, AAAA, NS, CNAME, PTR, MX, TXT and SOA records; write SRV in the generic form'],
      ['$TTL 1\n@ TYPE65280 \\# 3 0a0b\n', ':2:16: the length says 3 octets but 2 follow'],
      ['$TTL 1\n@ TYPE65280 \\# 1 zz\n', ':2:18: the data after the length must be hexadecimal'],
      ['$TTL 1\n@ TYPE65280 \\#\n', ':2:13: the generic form needs a length'],
      ['$TTL 1\nwww\n', ':2:1: a record needs a type'],
    ];
    for (const [text, expected] of cases) {
      const found = problems(text);
      expect(found.length, text).toBeGreaterThan(0);
      expect(found[0], text).toContain(`${FILE}${expected}`);
    }
  });

  it('names relative to no origin are an error', () => {
    const r = parseZoneFile('$TTL 1\nwww A 1.2.3.4\n@ A 1.2.3.4\n', { file: 'f.zone' });
    expect(r.problems.map(formatZoneProblem)).toEqual([
      'f.zone:2:1: the owner www is relative (no final dot) but no $ORIGIN was given',
      'f.zone:3:1: "@" stands for the origin, but no $ORIGIN was given',
    ]);
  });

  it('reads on after an error, so one pass reports every broken line', () => {
    const r = parse('$TTL 1\nwww A 1.2.3\nok A 1.2.3.4\nmail MX 10\n');
    expect(r.problems.map((p) => p.line)).toEqual([2, 4]);
    expect(r.records.map((x) => x.record.name)).toEqual(['ok.umass.edu.']);
    expect(r.records[0]).toMatchObject({ line: 3, column: 1 });
  });
});

describe('limits', () => {
  it(`takes a TTL of ${DNS_MAX_TTL} and refuses ${DNS_MAX_TTL + 1} (RFC 2181 §8)`, () => {
    expect(records(`a ${DNS_MAX_TTL} A 1.1.1.1\n`)[0].ttl).toBe(DNS_MAX_TTL);
    expect(problems(`a ${DNS_MAX_TTL + 1} A 1.1.1.1\n`)[0]).toContain(`:1:3: the TTL of ${DNS_MAX_TTL + 1} seconds is more than ${DNS_MAX_TTL}`);
  });

  it(`takes a TXT string of ${DNS_MAX_CHARACTER_STRING} octets and refuses ${DNS_MAX_CHARACTER_STRING + 1}`, () => {
    expect(records(`$TTL 1\n@ TXT "${'a'.repeat(DNS_MAX_CHARACTER_STRING)}"\n`)).toHaveLength(1);
    expect(problems(`$TTL 1\n@ TXT "${'a'.repeat(DNS_MAX_CHARACTER_STRING + 1)}"\n`)[0]).toContain(':2:7: a TXT string of 256 octets');
    // Non-ASCII text counts in UTF-8 octets: 128 "é" are 256 octets.
    expect(problems(`$TTL 1\n@ TXT "${'é'.repeat(128)}"\n`)[0]).toContain('256 octets');
  });

  it(`takes generic data of ${DNS_MAX_RDLENGTH} octets and refuses a length of ${DNS_MAX_RDLENGTH + 1}`, () => {
    const hex = '00'.repeat(DNS_MAX_RDLENGTH);
    expect(records(`$TTL 1\n@ TYPE65280 \\# ${DNS_MAX_RDLENGTH} ${hex}\n`)[0].data).toMatchObject({ kind: 'raw' });
    expect(problems(`$TTL 1\n@ TYPE65280 \\# ${DNS_MAX_RDLENGTH + 1} ${hex}00\n`)[0]).toContain(`is not a length from 0 to ${DNS_MAX_RDLENGTH}`);
  });
});

describe('a final dot', () => {
  it('makes a name absolute unless a backslash escapes it (RFC 1035 §5.1)', () => {
    expect(endsWithUnescapedDot('gaia.cs.umass.edu.')).toBe(true);
    expect(endsWithUnescapedDot('gaia')).toBe(false);
    expect(endsWithUnescapedDot('a\\.')).toBe(false);
    expect(endsWithUnescapedDot('a\\\\.')).toBe(true);
    expect(endsWithUnescapedDot('a\\\\\\.')).toBe(false);
  });
});

describe('a target without its final dot that looks absolute (the most common zone-file mistake)', () => {
  const warning = (text: string, meant: string, origin = 'umass.edu.') => `${text} has no final dot, so it is relative to ${origin}: it means ${meant}; write ${text}. if you meant that name`;

  it('a CNAME target ending in the origin\'s name: a warning on the target, and the record is still read as written', () => {
    const r = parse('$TTL 60\nalias IN CNAME www.umass.edu\n');
    expect(r.problems).toEqual([
      { severity: 'warning', file: FILE, line: 2, column: 16, length: 13, message: warning('www.umass.edu', 'www.umass.edu.umass.edu.') },
    ]);
    expect(r.records.map((x) => formatRecord(x.record))).toEqual(['alias.umass.edu.\t60\tIN\tCNAME\twww.umass.edu.umass.edu.']);
    expect(formatZoneProblem(r.problems[0])).toBe(`${FILE}:2:16: warning: ${warning('www.umass.edu', 'www.umass.edu.umass.edu.')}`);
  });

  it('MX, NS, PTR and both SOA names are targets too; a name ending in another TLD of the lab also warns', () => {
    const text = [
      '$TTL 60',
      '@ SOA dns.cs.umass.edu hostmaster.umass.edu 1 3600 900 1209600 300',
      '@ NS dns.cs.umass.edu',
      '@ MX 10 mail.hamburger.edu',
      '1.2 PTR gaia.cs.umass.edu',
      '@ NS a.gtld-servers.net',
      '',
    ].join('\n');
    expect(problems(text)).toEqual([
      `${FILE}:2:7: warning: ${warning('dns.cs.umass.edu', 'dns.cs.umass.edu.umass.edu.')}`,
      `${FILE}:2:24: warning: ${warning('hostmaster.umass.edu', 'hostmaster.umass.edu.umass.edu.')}`,
      `${FILE}:3:6: warning: ${warning('dns.cs.umass.edu', 'dns.cs.umass.edu.umass.edu.')}`,
      `${FILE}:4:9: warning: ${warning('mail.hamburger.edu', 'mail.hamburger.edu.umass.edu.')}`,
      `${FILE}:5:9: warning: ${warning('gaia.cs.umass.edu', 'gaia.cs.umass.edu.umass.edu.')}`,
      `${FILE}:6:6: warning: ${warning('a.gtld-servers.net', 'a.gtld-servers.net.umass.edu.')}`,
    ]);
  });

  it('follows $ORIGIN, and the origin\'s name is compared without regard to case', () => {
    expect(problems('$TTL 60\n$ORIGIN cs.umass.edu.\nalias CNAME Gaia.CS.Umass.Edu\n')).toEqual([
      `${FILE}:3:13: warning: ${warning('Gaia.CS.Umass.Edu', 'Gaia.CS.Umass.Edu.cs.umass.edu.', 'cs.umass.edu.')}`,
    ]);
  });

  it('relative targets meant as relative, absolute targets, owners and the root zone get no warning', () => {
    expect(problems('$TTL 60\n@ SOA dns.cs hostmaster 1 3600 900 1209600 300\n@ NS dns.cs\n@ MX 10 mx\nwww CNAME web\nalias CNAME www.umass.edu.\nweb A 1.2.3.4\n')).toEqual([]);
    // "edu" under the root means edu.: nothing is appended that could be doubled.
    expect(problems('$TTL 60\nedu NS a.edu-servers.net\n', '.')).toEqual([]);
    // An owner is not a target (it would be reported as a name in the zone anyway).
    expect(problems('$TTL 60\nwww.umass.edu A 1.2.3.4\n')).toEqual([]);
  });

  it('a warning, not an error: the zone still loads, and the warning comes with it', () => {
    const text = '$TTL 60\n@ SOA dns.cs.umass.edu. hostmaster.umass.edu. 1 3600 900 1209600 300\n@ NS dns.cs.umass.edu.\nalias CNAME www.umass.edu\ndns.cs A 128.119.240.1\n';
    const loaded = loadZone(text, { origin: 'umass.edu.', file: FILE });
    expect(loaded.ok).toBe(true);
    expect(loaded.warnings.map((w) => [w.line, w.column, w.length, w.message])).toEqual([[4, 13, 13, warning('www.umass.edu', 'www.umass.edu.umass.edu.')]]);
  });

  it('knows the lab\'s top-level domains', () => {
    expect([...LAB_TOP_LEVEL_DOMAINS].sort()).toEqual(['arpa', 'com', 'edu', 'fr', 'net', 'nz', 'org']);
  });
});
