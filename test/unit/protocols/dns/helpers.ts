// Shared by the DNS unit tests: the shipped zones loaded as the lab's servers will load them, a
// pure walk down the hierarchy (what the resolver will do, without sockets), and a small builder
// for hand-made (and broken) packets.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  type AuthorityResult,
  type DnsMessage,
  type ZoneManifest,
  emptyFlags,
  makeOpt,
  type Zone,
  RR_TYPE,
  ZoneSet,
  answerQuery,
  decodeMessage,
  formatZoneProblem,
  loadZone,
  makeQuery,
  readZoneManifest,
} from '../../../../src/protocols/dns';

export const ZONES_DIR = fileURLToPath(new URL('../../../../content/zones', import.meta.url));
export const WORLD_FILE = fileURLToPath(new URL('../../../../content/world.yaml', import.meta.url));

export function loadManifest(): ZoneManifest {
  const read = readZoneManifest(parse(readFileSync(path.join(ZONES_DIR, 'zones.yaml'), 'utf8')));
  if (!read.ok) throw new Error(read.problems.join('\n'));
  return read.manifest;
}

export interface ShippedHierarchy {
  manifest: ZoneManifest;
  zones: Zone[];
  /** Each server's zones, by host name. */
  servers: Map<string, ZoneSet>;
  /** Host name by address, for following glue. */
  byAddress: Map<string, string>;
}

let cached: ShippedHierarchy | null = null;

export function shippedHierarchy(): ShippedHierarchy {
  if (cached) return cached;
  const manifest = loadManifest();
  const zones: Zone[] = [];
  const servers = new Map<string, ZoneSet>();
  const byAddress = new Map<string, string>();
  for (const s of manifest.servers) {
    const own: Zone[] = [];
    for (const z of s.zones) {
      const loaded = loadZone(readFileSync(path.join(ZONES_DIR, z.file), 'utf8'), { origin: z.origin, file: `zones/${z.file}` });
      if (!loaded.ok) throw new Error(loaded.errors.map(formatZoneProblem).join('\n'));
      own.push(loaded.zone);
    }
    zones.push(...own);
    servers.set(s.name, new ZoneSet(own));
    byAddress.set(s.address, s.name);
  }
  cached = { manifest, zones, servers, byAddress };
  return cached;
}

/** Asks one shipped server one question (iteratively, RD clear, as a resolver does). */
export function ask(server: string, name: string, type: number, options: { transport?: 'udp' | 'tcp'; ednsPayload?: number; id?: number; rd?: boolean } = {}): AuthorityResult {
  const zones = shippedHierarchy().servers.get(server);
  if (!zones) throw new Error(`no server ${server}`);
  const query = makeQuery(options.id ?? 0x1a2b, name, type, { recursionDesired: options.rd ?? false, ednsPayload: options.ednsPayload });
  const result = answerQuery(query, zones, { transport: options.transport ?? 'udp' });
  if (!result) throw new Error('no answer');
  return result;
}

export interface WalkStep {
  server: string;
  name: string;
  type: number;
  outcome: AuthorityResult['outcome'];
}

/**
 * Resolves a name the way the lab's iterative resolver will: start at a root server, follow
 * referrals (through glue, or by resolving the server's name first when there is none), chase
 * CNAMEs, stop at an answer or a negative answer. Every response goes through the wire and the
 * decoder, as it would on a socket.
 */
export function walk(name: string, type: number, steps: WalkStep[] = [], depth = 0): DnsMessage {
  const h = shippedHierarchy();
  if (depth > 8) throw new Error(`resolution of ${name} nests too deep`);
  let server = h.manifest.servers.find((s) => s.role === 'root')?.name as string;
  for (let hop = 0; hop < 20; hop++) {
    const result = ask(server, name, type);
    steps.push({ server, name, type, outcome: result.outcome });
    const decoded = decodeMessage(result.wire, { transport: 'udp' });
    if (!decoded.ok) throw new Error(`${server} sent a malformed response: ${decoded.error.message}`);
    const m = decoded.message;
    if (result.outcome === 'referral') {
      const ns = m.authorities.filter((r) => r.type === RR_TYPE.NS).map((r) => (r.data.kind === 'NS' ? r.data.host : ''));
      const glue = m.additionals.find((r) => r.type === RR_TYPE.A && ns.some((n) => n.toLowerCase() === r.name.toLowerCase()));
      let address = glue && glue.data.kind === 'A' ? glue.data.address : null;
      if (address === null) {
        const found = walk(ns[0], RR_TYPE.A, steps, depth + 1).answers.find((r) => r.type === RR_TYPE.A);
        address = found && found.data.kind === 'A' ? found.data.address : null;
      }
      const next = address === null ? undefined : h.byAddress.get(address);
      if (!next) throw new Error(`referral from ${server} to ${ns.join(', ')} leads to no lab server (address ${address})`);
      server = next;
      continue;
    }
    const last = m.answers[m.answers.length - 1];
    if (result.outcome === 'answer' && last && last.type === RR_TYPE.CNAME && type !== RR_TYPE.CNAME && last.data.kind === 'CNAME') {
      // The alias leads out of the zone: start again from the root with the canonical name.
      const rest = walk(last.data.target, type, steps, depth + 1);
      return { ...m, answers: [...m.answers, ...rest.answers] };
    }
    return m;
  }
  throw new Error(`resolution of ${name} takes more than 20 steps`);
}

/** Builds packets byte by byte, for inputs no encoder would produce. */
export class PacketBuilder {
  private readonly bytes: number[] = [];

  get length(): number {
    return this.bytes.length;
  }

  header(id: number, flags: number, qd: number, an: number, ns: number, ar: number): this {
    return this.u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
  }

  u8(...values: number[]): this {
    this.bytes.push(...values.map((v) => v & 0xff));
    return this;
  }

  u16(v: number): this {
    return this.u8(v >> 8, v);
  }

  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }

  /** Labels written out in full, ending with the root octet unless `end` is false. */
  name(labels: string[], end = true): this {
    for (const l of labels) this.u8(l.length, ...Array.from(l, (c) => c.charCodeAt(0)));
    if (end) this.u8(0);
    return this;
  }

  pointer(target: number): this {
    return this.u16(0xc000 | target);
  }

  build(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** A small deterministic generator, so a failing random input can be reproduced. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A response with one record of every type the model knows. */
export function everyTypeMessage(): DnsMessage {
  const flags = { ...emptyFlags(), qr: true, aa: true, rd: true };
  return {
    id: 0xabcd,
    flags,
    questions: [{ name: 'gaia.cs.umass.edu.', type: RR_TYPE.A, class: 1 }],
    answers: [
      { name: 'gaia.cs.umass.edu.', type: RR_TYPE.A, class: 1, ttl: 3600, data: { kind: 'A', address: '128.119.245.12' } },
      { name: 'www.yahoo.com.', type: RR_TYPE.AAAA, class: 1, ttl: 60, data: { kind: 'AAAA', address: '2001:4998:24:120d::1:0' } },
      { name: 'www.ibm.com.', type: RR_TYPE.CNAME, class: 1, ttl: 3600, data: { kind: 'CNAME', target: 'servereast.backup2.ibm.com.' } },
      { name: 'hamburger.edu.', type: RR_TYPE.MX, class: 1, ttl: 3600, data: { kind: 'MX', preference: 10, exchange: 'mail.hamburger.edu.' } },
      { name: 'yahoo.com.', type: RR_TYPE.TXT, class: 1, ttl: 3600, data: { kind: 'TXT', strings: [utf8('v=spf1 -all'), new Uint8Array(0), Uint8Array.from([0, 0x22, 0xff])] } },
      { name: '201.128.123.130.in-addr.arpa.', type: RR_TYPE.PTR, class: 1, ttl: 3600, data: { kind: 'PTR', host: 'proxy.massey.ac.nz.' } },
      { name: 'x.example.', type: 65280, class: 1, ttl: 5, data: { kind: 'raw', bytes: Uint8Array.from([1, 2, 3]) } },
    ],
    authorities: [
      { name: 'cs.umass.edu.', type: RR_TYPE.NS, class: 1, ttl: 3600, data: { kind: 'NS', host: 'dns.cs.umass.edu.' } },
      {
        name: 'cs.umass.edu.',
        type: RR_TYPE.SOA,
        class: 1,
        ttl: 300,
        data: { kind: 'SOA', mname: 'dns.cs.umass.edu.', rname: 'hostmaster.cs.umass.edu.', serial: 2024090101, refresh: 3600, retry: 900, expire: 1209600, minimum: 300 },
      },
    ],
    additionals: [
      { name: 'dns.cs.umass.edu.', type: RR_TYPE.A, class: 1, ttl: 3600, data: { kind: 'A', address: '128.119.240.1' } },
      makeOpt(1232, { dnssecOk: true, options: [{ code: 10, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }] }),
    ],
  };
}

