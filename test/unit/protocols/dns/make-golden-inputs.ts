// Writes the inputs of the DNS golden cases (test/unit/protocols/golden/dns/*.in). Run it once
// when a case is added, then `UPDATE_GOLDEN=1 npx vitest run test/unit/protocols/golden.test.ts`
// and review the .spans it writes:
//
//   node bin/run-ts.mjs test/unit/protocols/dns/make-golden-inputs.ts
//
// Responses are what the shipped zones answered when the case was made (the stored .in files
// stay as they are if the zones change later); queries are built like dig's; the malformed cases
// are written byte by byte.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { concatBytes } from '../../../../src/protocols/core/bytes';
import { RR_TYPE, encodeMessage, makeQuery, withLengthPrefix } from '../../../../src/protocols/dns';
import { PacketBuilder, ask } from './helpers';

const OUT = fileURLToPath(new URL('../golden/dns', import.meta.url));

/** dig's default query: RD set, EDNS with a 1232-octet payload. */
const digQuery = (id: number, name: string, type: number) => encodeMessage(makeQuery(id, name, type, { recursionDesired: true, ednsPayload: 1232 }));

const cases: Record<string, Uint8Array> = {
  'udp-c2s-query-gaia': digQuery(0x1a2b, 'gaia.cs.umass.edu.', RR_TYPE.A),
  'udp-s2c-answer-gaia': ask('dns.cs.umass.edu', 'gaia.cs.umass.edu.', RR_TYPE.A, { id: 0x3c4d }).wire,
  'udp-s2c-referral-root': ask('a.root-servers.net', 'gaia.cs.umass.edu.', RR_TYPE.A, { id: 0x5e6f }).wire,
  'udp-s2c-nxdomain': ask('dns.cs.umass.edu', 'gaya.cs.umass.edu.', RR_TYPE.A, { id: 0x0707 }).wire,
  'udp-s2c-mx-hamburger': ask('ns.hamburger.edu', 'hamburger.edu.', RR_TYPE.MX, { id: 0x2525 }).wire,
  'udp-s2c-cname-ibm': ask('ns1.ibm.com', 'www.ibm.com.', RR_TYPE.A, { id: 0x1b1b }).wire,
  'udp-s2c-ptr-massey': ask('ns1.massey.ac.nz', '201.128.123.130.in-addr.arpa.', RR_TYPE.PTR, { id: 0x0201 }).wire,
  'udp-s2c-truncated-yahoo': ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { id: 0x7c7c }).wire,
  'tcp-c2s-two-queries': concatBytes([
    withLengthPrefix(encodeMessage(makeQuery(0x7c7d, 'yahoo.com.', RR_TYPE.TXT, { recursionDesired: false }))),
    withLengthPrefix(encodeMessage(makeQuery(0x7c7e, 'www.yahoo.com.', RR_TYPE.AAAA, { recursionDesired: false }))),
  ]),
  'tcp-s2c-txt-yahoo': withLengthPrefix(ask('ns1.yahoo.com', 'yahoo.com.', RR_TYPE.TXT, { id: 0x7c7d, transport: 'tcp' }).wire),
  // A length prefix announcing 29 octets, then only the header before the connection ends.
  'tcp-c2s-cut-after-prefix': new PacketBuilder().u16(29).header(0x4242, 0x0100, 1, 0, 0, 0).build(),
  // The question's name is a pointer to itself.
  'udp-c2s-pointer-loop': new PacketBuilder().header(0x6666, 0x0100, 1, 0, 0, 0).pointer(12).u16(1).u16(1).build(),
  // "www" then a pointer forward, to a name after it.
  'udp-c2s-forward-pointer': new PacketBuilder().header(0x6667, 0x0100, 1, 0, 0, 0).name(['www'], false).pointer(20).u16(1).u16(1).name(['example']).build(),
  // A label length octet of 64.
  'udp-c2s-label-64': new PacketBuilder().header(0x6668, 0x0100, 1, 0, 0, 0).u8(64).name(['x'.repeat(63)]).u16(1).u16(1).build(),
  // The header announces 2 answers that are not there.
  'udp-s2c-count-exceeds': new PacketBuilder().header(0x6669, 0x8180, 1, 2, 0, 0).name(['gaia', 'cs', 'umass', 'edu']).u16(1).u16(1).build(),
  // An A record whose RDLENGTH says 40 where only 4 octets follow.
  'udp-s2c-rdlength-past-end': new PacketBuilder()
    .header(0x666a, 0x8400, 1, 1, 0, 0)
    .name(['gaia', 'cs', 'umass', 'edu'])
    .u16(1)
    .u16(1)
    .pointer(12)
    .u16(1)
    .u16(1)
    .u32(3600)
    .u16(40)
    .u8(128, 119, 245, 12)
    .build(),
  // Eleven octets: one short of a header.
  'udp-c2s-truncated-header': new PacketBuilder().u16(0x666b).u16(0x0100).u16(1).u16(0).u16(0).u8(0).build(),
};

for (const [name, bytes] of Object.entries(cases)) {
  writeFileSync(path.join(OUT, `${name}.in`), bytes);
  console.log(`${name}.in: ${bytes.length} bytes`);
}
