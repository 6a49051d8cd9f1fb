// A zone: the records one authority serves for one part of the name space, from its apex (the
// origin, which holds the SOA and the zone's own NS records) down to its delegations (NS records
// below the apex, where a child zone begins and this zone only keeps a pointer to the child's
// servers, plus "glue": the addresses of those servers when their names lie inside the child).
//
// buildZone checks the rules a zone must keep before any server loads it: one SOA at the apex,
// NS at the apex, every name inside the origin, a CNAME alone at its name (RFC 1034 §3.6.2,
// RFC 2181 §10.1), nothing but NS and glue at or below a delegation, glue for every name server
// that lies inside the zone it serves.

import { type DnsRecord, type DnsRdata, RR_TYPE, typeName } from './message';
import { foldCase, isAtOrBelow, nameKey, parentName } from './names';
import { formatRdata } from './presentation';
import { type ZoneFileRecord, type ZoneProblem, type ZoneProblemSeverity, parseZoneFile } from './zone-file';

/** The records of one name and type: what a server answers with, always whole (RFC 2181 §5). */
export interface RRset {
  name: string;
  type: number;
  /** One TTL for the set (RFC 2181 §5.2); the lowest when the file gave several. */
  ttl: number;
  records: DnsRecord[];
}

/** A child zone cut: the NS records at its name and the glue addresses kept for them. */
export interface Delegation {
  name: string;
  ns: RRset;
  /** A and AAAA RRsets at or below the cut for the name servers the NS records name. */
  glue: RRset[];
}

export type SoaData = Extract<DnsRdata, { kind: 'SOA' }>;

export class Zone {
  /** RRsets by name key, then by type. */
  private readonly nodes = new Map<string, Map<number, RRset>>();
  /** Every name with data and every name between them and the apex (empty non-terminals). */
  private readonly existing = new Set<string>();
  private readonly cuts = new Map<string, Delegation>();

  constructor(
    /** The apex, absolute: `umass.edu.`. */
    readonly origin: string,
    readonly file: string,
    rrsets: readonly RRset[],
  ) {
    const apex = nameKey(origin);
    for (const set of rrsets) {
      const key = nameKey(set.name);
      let node = this.nodes.get(key);
      if (!node) this.nodes.set(key, (node = new Map()));
      node.set(set.type, set);
      for (let n: string | null = key; n !== null && isAtOrBelow(n, apex); n = parentName(n)) this.existing.add(n);
    }
    for (const [key, node] of this.nodes) {
      const ns = node.get(RR_TYPE.NS);
      if (key === apex || !ns) continue;
      this.cuts.set(key, { name: ns.name, ns, glue: [] });
    }
    for (const cut of this.cuts.values()) {
      for (const r of cut.ns.records) {
        if (r.data.kind !== 'NS' || !isAtOrBelow(r.data.host, cut.name)) continue;
        for (const t of [RR_TYPE.A, RR_TYPE.AAAA]) {
          const g = this.rrset(r.data.host, t);
          if (g && !cut.glue.includes(g)) cut.glue.push(g);
        }
      }
    }
  }

  private get apexKey(): string {
    return nameKey(this.origin);
  }

  get soa(): DnsRecord {
    const set = this.rrset(this.origin, RR_TYPE.SOA);
    // buildZone refuses a zone without its SOA, so the set is always there.
    if (!set) throw new Error(`zone ${this.origin} has no SOA`);
    return set.records[0];
  }

  get soaData(): SoaData {
    return this.soa.data as SoaData;
  }

  /** The TTL of negative answers: the SOA's own TTL or its MINIMUM field, whichever is lower (RFC 2308 §5). */
  get negativeTtl(): number {
    return Math.min(this.soa.ttl, this.soaData.minimum);
  }

  /** The apex NS RRset. */
  get nameServers(): RRset | undefined {
    return this.rrset(this.origin, RR_TYPE.NS);
  }

  /** Whether the name lies at or below the apex. */
  contains(name: string): boolean {
    return isAtOrBelow(name, this.origin);
  }

  rrset(name: string, type: number): RRset | undefined {
    return this.nodes.get(nameKey(name))?.get(type);
  }

  /** Every RRset at the name, in type order. */
  rrsets(name: string): RRset[] {
    const node = this.nodes.get(nameKey(name));
    return node ? [...node.values()].sort((a, b) => a.type - b.type) : [];
  }

  /** The name has records, or names below it do (an empty non-terminal: NODATA, not NXDOMAIN). */
  nameExists(name: string): boolean {
    return this.existing.has(nameKey(name));
  }

  /** The highest delegation at or above `name` (below the apex), or null: where a referral starts. */
  delegationFor(name: string): Delegation | null {
    if (!this.contains(name)) return null;
    const chain: string[] = [];
    for (let n: string | null = nameKey(name); n !== null && n !== this.apexKey; n = parentName(n)) chain.push(n);
    for (let i = chain.length - 1; i >= 0; i--) {
      const cut = this.cuts.get(chain[i]);
      if (cut) return cut;
    }
    return null;
  }

  delegations(): Delegation[] {
    return [...this.cuts.values()];
  }

  /** All RRsets, apex first, then by name and type. */
  allRRsets(): RRset[] {
    const sets: RRset[] = [];
    for (const node of this.nodes.values()) sets.push(...node.values());
    const apex = this.apexKey;
    return sets.sort((a, b) => {
      const ka = nameKey(a.name);
      const kb = nameKey(b.name);
      if (ka !== kb) return ka === apex ? -1 : kb === apex ? 1 : ka < kb ? -1 : 1;
      return a.type - b.type;
    });
  }

  /** Names the zone holds data for (not counting empty non-terminals). */
  names(): string[] {
    return [...new Set(this.allRRsets().map((s) => s.name))];
  }
}

export type ZoneLoad =
  | { ok: true; zone: Zone; warnings: ZoneProblem[] }
  | { ok: false; errors: ZoneProblem[]; warnings: ZoneProblem[] };

/** Every problem a load found, errors first, then warnings (a zone that loaded has warnings only). */
export function loadProblems(load: ZoneLoad): ZoneProblem[] {
  return load.ok ? load.warnings : [...load.errors, ...load.warnings];
}

interface Placed {
  record: DnsRecord;
  line: number;
  column: number;
}

/** Groups records into RRsets and checks the zone's rules. */
export function buildZone(origin: string, placed: readonly ZoneFileRecord[], file = 'zone'): ZoneLoad {
  const problems: ZoneProblem[] = [];
  const report = (p: Placed | null, message: string, severity: ZoneProblemSeverity = 'error') =>
    problems.push({ severity, file, line: p?.line ?? 1, column: p?.column ?? 1, message });
  const apex = nameKey(origin);

  // RRsets, in file order, with where each record was written.
  const sets = new Map<string, { set: RRset; at: Placed[] }>();
  const seenData = new Set<string>();
  for (const p of placed) {
    const r = p.record;
    if (!isAtOrBelow(r.name, origin)) {
      report(p, `${r.name} is outside this zone (${origin}): every name in the file must end in the origin`);
      continue;
    }
    const key = `${nameKey(r.name)}|${r.type}`;
    const dataKey = `${key}|${foldCase(formatRdata(r.data))}`;
    if (seenData.has(dataKey)) {
      report(p, `the same ${typeName(r.type)} record for ${r.name} a second time; it is ignored (RFC 2181 §5)`, 'warning');
      continue;
    }
    seenData.add(dataKey);
    const entry = sets.get(key);
    if (!entry) {
      sets.set(key, { set: { name: r.name, type: r.type, ttl: r.ttl, records: [r] }, at: [p] });
      continue;
    }
    if (r.ttl !== entry.set.ttl) {
      report(p, `this ${typeName(r.type)} record has TTL ${r.ttl} but the others of ${r.name} have ${entry.set.ttl}: records of one set share one TTL (RFC 2181 §5.2); the lower is used`, 'warning');
      entry.set.ttl = Math.min(entry.set.ttl, r.ttl);
    }
    entry.set.records.push(r);
    entry.at.push(p);
  }
  // A TTL lowered by a later record applies to the whole set.
  for (const { set } of sets.values()) set.records = set.records.map((r) => (r.ttl === set.ttl ? r : { ...r, ttl: set.ttl }));

  const byName = new Map<string, Array<{ set: RRset; at: Placed[] }>>();
  for (const e of sets.values()) {
    const k = nameKey(e.set.name);
    const list = byName.get(k) ?? [];
    list.push(e);
    byName.set(k, list);
  }

  // The apex: one SOA, some NS.
  const apexSets = byName.get(apex) ?? [];
  const soa = apexSets.find((e) => e.set.type === RR_TYPE.SOA);
  if (!soa) report(placed[0] ?? null, `no SOA record at the zone's apex ${origin}: every zone starts with one (RFC 1035 §5.2)`);
  else if (soa.set.records.length > 1) report(soa.at[1], `a second SOA record at ${origin}: a zone has exactly one (RFC 1035 §5.2)`);
  if (!apexSets.some((e) => e.set.type === RR_TYPE.NS)) report(soa?.at[0] ?? placed[0] ?? null, `no NS records at the apex ${origin}: a zone must name its name servers (RFC 1035 §5.2)`);
  for (const e of sets.values()) {
    if (e.set.type === RR_TYPE.SOA && nameKey(e.set.name) !== apex) report(e.at[0], `an SOA record at ${e.set.name}: the SOA belongs only at the apex ${origin}`);
  }

  // CNAME stands alone (RFC 1034 §3.6.2, RFC 2181 §10.1).
  for (const list of byName.values()) {
    const cname = list.find((e) => e.set.type === RR_TYPE.CNAME);
    if (!cname) continue;
    if (cname.set.records.length > 1) report(cname.at[1], `${cname.set.name} has two CNAME records: an alias points to exactly one canonical name`);
    for (const other of list) {
      if (other === cname) continue;
      report(other.at[0], `${cname.set.name} is an alias (CNAME at line ${cname.at[0].line}), so it can hold no other data: move this ${typeName(other.set.type)} record to the canonical name ${formatRdata(cname.set.records[0].data)}`);
    }
  }

  // Delegations: only NS at the cut, only glue addresses at or below it.
  const cuts = [...byName.entries()].filter(([k, list]) => k !== apex && list.some((e) => e.set.type === RR_TYPE.NS)).map(([k]) => k);
  const cutAbove = (name: string): string | null => {
    let found: string | null = null;
    for (const c of cuts) if (isAtOrBelow(name, c) && (found === null || isAtOrBelow(found, c))) found = c;
    return found;
  };
  const glueNames = new Set<string>();
  for (const c of cuts) {
    const ns = byName.get(c)?.find((e) => e.set.type === RR_TYPE.NS);
    // A cut below another cut is itself an error (reported below); its glue does not matter.
    if (!ns || cutAbove(c) !== c) continue;
    ns.set.records.forEach((r, i) => {
      if (r.data.kind !== 'NS') return;
      const host = r.data.host;
      if (!isAtOrBelow(host, c)) return;
      glueNames.add(nameKey(host));
      const has = byName.get(nameKey(host))?.some((e) => e.set.type === RR_TYPE.A || e.set.type === RR_TYPE.AAAA);
      if (!has) {
        report(ns.at[i], `${host} serves ${ns.set.name} and lies inside it, so nobody can look its address up there: add its A record to this zone as glue`);
      }
    });
  }
  // Any server this zone names (at the apex or at a cut) may have its address kept below a cut:
  // "sibling glue", e.g. the root keeps a.edu-servers.net under net for the edu delegation.
  for (const e of sets.values()) {
    if (e.set.type !== RR_TYPE.NS) continue;
    for (const r of e.set.records) if (r.data.kind === 'NS') glueNames.add(nameKey(r.data.host));
  }
  for (const [k, list] of byName) {
    if (k === apex) continue;
    const cut = cutAbove(k);
    if (cut === null) continue;
    for (const e of list) {
      const t = e.set.type;
      if (k === cut && t === RR_TYPE.NS) continue;
      if (t === RR_TYPE.A || t === RR_TYPE.AAAA) {
        if (!glueNames.has(k)) report(e.at[0], `${e.set.name} lies inside the delegated zone ${byName.get(cut)?.[0].set.name ?? cut} and no NS record of this zone names it: it is not glue, and a server here never gives it out (only the addresses of name servers belong below a delegation)`, 'warning');
        continue;
      }
      if (t === RR_TYPE.NS) {
        report(e.at[0], `${e.set.name} is below the delegation of ${byName.get(cut)?.[0].set.name ?? cut}: delegate it from that child zone, not from here`);
        continue;
      }
      report(e.at[0], `this ${typeName(t)} record of ${e.set.name} is at or below the delegation of ${byName.get(cut)?.[0].set.name ?? cut}, which belongs to the child zone: a server here answers with a referral instead, so put the record in the child's zone file`);
    }
  }

  // Targets that are aliases inside the zone (RFC 2181 §10.3), and apex servers without an address.
  for (const e of sets.values()) {
    e.set.records.forEach((r, i) => {
      const target = r.data.kind === 'NS' ? r.data.host : r.data.kind === 'MX' ? r.data.exchange : null;
      if (target === null || !isAtOrBelow(target, origin)) return;
      const targetSets = byName.get(nameKey(target)) ?? [];
      if (targetSets.some((t) => t.set.type === RR_TYPE.CNAME)) {
        report(e.at[i], `${typeName(r.type)} points to ${target}, which is an alias (CNAME): ${typeName(r.type)} must name the canonical host (RFC 2181 §10.3)`, 'warning');
      } else if (r.data.kind === 'NS' && nameKey(e.set.name) === apex && cutAbove(nameKey(target)) === null && !targetSets.some((t) => t.set.type === RR_TYPE.A || t.set.type === RR_TYPE.AAAA)) {
        report(e.at[i], `the name server ${target} is inside this zone but has no A or AAAA record here`, 'warning');
      }
    });
  }

  const errors = problems.filter((p) => p.severity === 'error').sort((a, b) => a.line - b.line || a.column - b.column);
  const warnings = problems.filter((p) => p.severity === 'warning').sort((a, b) => a.line - b.line || a.column - b.column);
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, zone: new Zone(soa ? soa.set.name : origin, file, [...sets.values()].map((e) => e.set)), warnings };
}

export interface LoadZoneOptions {
  /** The zone's apex; also the origin before any $ORIGIN line. */
  origin: string;
  /** Shown in problems, e.g. `zones/umass.edu.zone`. */
  file?: string;
}

/** Parses a zone file and builds the zone; all problems come back with line and column. */
export function loadZone(text: string, options: LoadZoneOptions): ZoneLoad {
  const file = options.file ?? 'zone';
  const parsed = parseZoneFile(text, { file, origin: options.origin });
  const fileErrors = parsed.problems.filter((p) => p.severity === 'error');
  const fileWarnings = parsed.problems.filter((p) => p.severity === 'warning');
  const built = buildZone(options.origin, parsed.records, file);
  const warnings = [...fileWarnings, ...built.warnings].sort((a, b) => a.line - b.line || a.column - b.column);
  if (fileErrors.length > 0 || !built.ok) {
    const errors = [...fileErrors, ...(built.ok ? [] : built.errors)].sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, errors, warnings };
  }
  return { ok: true, zone: built.zone, warnings };
}
