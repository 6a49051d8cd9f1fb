// content/zones/zones.yaml, checked: which name server (host name, course address, place in the
// hierarchy) serves which zone files, and which host is the students' local name server. The
// main side parses the YAML and hands the plain object to readZoneManifest; checkHierarchy then
// compares the manifest with the loaded zones, so that a delegation names servers that exist and
// its glue gives their real addresses. Problems are values naming the place, never exceptions.

import { parseIPv4 } from './addresses';
import { RR_TYPE } from './message';
import { foldCase, isAtOrBelow, nameKey, normalizeName, parentName } from './names';
import type { Zone } from './zone';

/** Where a server sits in the course's hierarchy (the resolution view draws one lane per server). */
export type NameServerRole = 'root' | 'tld' | 'authoritative';

export interface ManifestZone {
  /** The zone's apex, absolute: `umass.edu.`. */
  origin: string;
  /** The zone file, relative to the manifest's folder. */
  file: string;
}

export interface ManifestServer {
  /** Host name as in the world file, without a final dot: `dns.cs.umass.edu`. */
  name: string;
  address: string;
  role: NameServerRole;
  description?: string;
  /**
   * Where the server listens on loopback, relative to the port offset (the world's portSlot): on
   * loopback the port is all that tells the servers apart, and all of them serve port 53.
   */
  portSlot?: number;
  zones: ManifestZone[];
}

export interface ZoneManifest {
  /** The local (default) name server of the course: it serves no zone, it resolves. */
  resolver: { name: string; address: string; description?: string };
  servers: ManifestServer[];
}

export type ManifestRead = { ok: true; manifest: ZoneManifest } | { ok: false; problems: string[] };

const ROLES: readonly NameServerRole[] = ['root', 'tld', 'authoritative'];
const ZONE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.zone$/;

/** Reads the object parsed from zones.yaml; every problem names its place (`servers[3].zones[0].file`). */
export function readZoneManifest(doc: unknown, file = 'zones.yaml'): ManifestRead {
  const problems: string[] = [];
  const at = (where: string, message: string) => problems.push(`${file}: ${where}: ${message}`);
  if (typeof doc !== 'object' || doc === null) return { ok: false, problems: [`${file}: expected a mapping with resolver and servers`] };
  const d = doc as Record<string, unknown>;
  if (d.version !== 1) at('version', `expected 1, got ${JSON.stringify(d.version)}`);

  const hostName = (value: unknown, where: string): string | null => {
    const n = typeof value === 'string' ? normalizeName(value) : null;
    if (n === null || n === '.') {
      at(where, `expected a host name, got ${JSON.stringify(value)}`);
      return null;
    }
    // Host names are kept as the world file keeps them: lower case, without the final dot.
    return foldCase(n.slice(0, -1));
  };
  const address = (value: unknown, where: string): string | null => {
    if (typeof value !== 'string' || !parseIPv4(value)) {
      at(where, `expected an IPv4 address, got ${JSON.stringify(value)}`);
      return null;
    }
    return value;
  };

  const r = (d.resolver ?? {}) as Record<string, unknown>;
  const resolverName = hostName(r.name, 'resolver.name');
  const resolverAddress = address(r.address, 'resolver.address');

  const servers: ManifestServer[] = [];
  if (!Array.isArray(d.servers)) at('servers', 'expected a list of name servers');
  const names = new Map<string, string>();
  const addresses = new Map<string, string>();
  const origins = new Map<string, string>();
  if (resolverName) names.set(nameKey(resolverName), 'resolver');
  if (resolverAddress) addresses.set(resolverAddress, 'resolver');
  (Array.isArray(d.servers) ? d.servers : []).forEach((raw, i) => {
    const where = `servers[${i}]`;
    if (typeof raw !== 'object' || raw === null) {
      at(where, 'expected a server {name, address, role, zones}');
      return;
    }
    const s = raw as Record<string, unknown>;
    const name = hostName(s.name, `${where}.name`);
    const addr = address(s.address, `${where}.address`);
    const role = s.role as NameServerRole;
    if (!ROLES.includes(role)) at(`${where}.role`, `expected one of ${ROLES.join(', ')}, got ${JSON.stringify(s.role)}`);
    if (name) {
      if (names.has(nameKey(name))) at(`${where}.name`, `${name} is already ${names.get(nameKey(name))}`);
      names.set(nameKey(name), where);
    }
    if (addr) {
      if (addresses.has(addr)) at(`${where}.address`, `${addr} is already the address of ${addresses.get(addr)}`);
      addresses.set(addr, where);
    }
    const zones: ManifestZone[] = [];
    if (!Array.isArray(s.zones) || s.zones.length === 0) at(`${where}.zones`, 'expected a list of zones {origin, file}');
    (Array.isArray(s.zones) ? s.zones : []).forEach((z, j) => {
      const zw = `${where}.zones[${j}]`;
      const zr = (z ?? {}) as Record<string, unknown>;
      const origin = typeof zr.origin === 'string' ? normalizeName(zr.origin) : null;
      if (origin === null) at(`${zw}.origin`, `expected a domain name (\`.\` for the root), got ${JSON.stringify(zr.origin)}`);
      if (typeof zr.file !== 'string' || !ZONE_FILE.test(zr.file)) at(`${zw}.file`, `expected a file name ending in .zone in the manifest's folder, got ${JSON.stringify(zr.file)}`);
      if (origin !== null) {
        if (origins.has(nameKey(origin))) at(`${zw}.origin`, `${origin} is already served by ${origins.get(nameKey(origin))}; the lab runs one server per zone`);
        origins.set(nameKey(origin), where);
      }
      if (origin !== null && typeof zr.file === 'string') zones.push({ origin, file: zr.file });
    });
    if (name && addr && ROLES.includes(role)) {
      const server: ManifestServer = { name, address: addr, role, zones };
      if (typeof s.description === 'string') server.description = s.description.trim();
      if (s.portSlot !== undefined) {
        if (typeof s.portSlot !== 'number' || !Number.isInteger(s.portSlot) || s.portSlot < 1 || s.portSlot > 65535) at(`${where}.portSlot`, `expected a port number from 1 to 65535, got ${JSON.stringify(s.portSlot)}`);
        else server.portSlot = s.portSlot;
      }
      servers.push(server);
    }
  });
  if (!servers.some((s) => s.zones.some((z) => z.origin === '.'))) at('servers', 'no server serves the root zone "."; resolution starts there');
  if (problems.length > 0 || !resolverName || !resolverAddress) return { ok: false, problems };
  const resolver: ZoneManifest['resolver'] = { name: resolverName, address: resolverAddress };
  if (typeof r.description === 'string') resolver.description = r.description.trim();
  return { ok: true, manifest: { resolver, servers } };
}

/** The servers that serve the root zone: where iterative resolution starts (the "root hints"). */
export function rootServers(manifest: ZoneManifest): ManifestServer[] {
  return manifest.servers.filter((s) => s.zones.some((z) => z.origin === '.'));
}

/** The server that serves exactly this zone, if any. */
export function serverForZone(manifest: ZoneManifest, origin: string): ManifestServer | undefined {
  const key = nameKey(origin);
  return manifest.servers.find((s) => s.zones.some((z) => nameKey(z.origin) === key));
}

/** The server with this host name or address, if any (to say which server in the hierarchy sent a message). */
export function findServer(manifest: ZoneManifest, nameOrAddress: string): ManifestServer | undefined {
  const key = nameKey(nameOrAddress);
  return manifest.servers.find((s) => s.address === nameOrAddress || nameKey(s.name) === key);
}

/**
 * Checks that the zones and the manifest tell one story: every zone's apex NS names the server
 * that serves it; every zone but the root is delegated from its parent zone, to that server,
 * with glue (when needed) giving the server's address; every server's own name resolves to its
 * address somewhere in the hierarchy.
 */
export function checkHierarchy(manifest: ZoneManifest, zones: readonly Zone[]): string[] {
  const problems: string[] = [];
  const byOrigin = new Map(zones.map((z) => [nameKey(z.origin), z]));
  const closestZone = (name: string, below = false): Zone | undefined => {
    for (let n: string | null = below ? parentName(nameKey(name)) : nameKey(name); n !== null; n = parentName(n)) {
      const z = byOrigin.get(n);
      if (z) return z;
    }
    return undefined;
  };
  for (const server of manifest.servers) {
    for (const mz of server.zones) {
      const zone = byOrigin.get(nameKey(mz.origin));
      if (!zone) {
        problems.push(`${server.name} serves ${mz.origin}, but no zone ${mz.origin} was loaded from ${mz.file}`);
        continue;
      }
      const apexNs = zone.nameServers?.records.map((r) => (r.data.kind === 'NS' ? nameKey(r.data.host) : '')) ?? [];
      if (!apexNs.includes(nameKey(server.name))) problems.push(`${mz.file}: the NS records of ${mz.origin} do not name ${server.name}, the server that serves it`);
      for (const host of apexNs) {
        if (!manifest.servers.some((s) => nameKey(s.name) === host && s.zones.some((z) => nameKey(z.origin) === nameKey(mz.origin)))) {
          problems.push(`${mz.file}: ${host} is an NS of ${mz.origin} but zones.yaml has no such server for that zone`);
        }
      }
      if (mz.origin === '.') continue;
      const parent = closestZone(mz.origin, true);
      if (!parent) {
        problems.push(`no parent zone of ${mz.origin} is loaded, so nobody delegates to it`);
        continue;
      }
      const cut = parent.rrset(mz.origin, RR_TYPE.NS);
      if (!cut) {
        problems.push(`${parent.file}: ${parent.origin} holds no NS records for ${mz.origin}: the child zone is not delegated`);
        continue;
      }
      const delegatedTo = cut.records.map((r) => (r.data.kind === 'NS' ? nameKey(r.data.host) : ''));
      if (!delegatedTo.includes(nameKey(server.name))) problems.push(`${parent.file}: the delegation of ${mz.origin} does not name ${server.name}`);
    }
  }
  // Each server's name must lead to its address: through glue, or through authoritative data.
  for (const server of manifest.servers) {
    const home = closestZone(server.name);
    if (!home) {
      problems.push(`${server.name}: no loaded zone holds this name, so its address cannot be looked up`);
      continue;
    }
    const a = home.rrset(server.name, RR_TYPE.A);
    const addresses = a?.records.map((r) => (r.data.kind === 'A' ? r.data.address : '')) ?? [];
    if (!addresses.includes(server.address)) {
      problems.push(`${home.file}: ${server.name} should have the A record ${server.address} (its address in zones.yaml)${addresses.length > 0 ? `, not ${addresses.join(', ')}` : ''}`);
    }
    // Glue in every zone that delegates to this server must agree too.
    for (const z of zones) {
      if (z === home || !isAtOrBelow(server.name, z.origin)) continue;
      const glue = z.rrset(server.name, RR_TYPE.A);
      if (glue && !glue.records.some((r) => r.data.kind === 'A' && r.data.address === server.address)) {
        problems.push(`${z.file}: the glue for ${server.name} says ${glue.records.map((r) => (r.data.kind === 'A' ? r.data.address : '?')).join(', ')} but zones.yaml says ${server.address}`);
      }
    }
  }
  return problems;
}
