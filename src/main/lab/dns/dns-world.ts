// The DNS part of the world, read from the data folder's zones/: the manifest (which server serves
// which zone files, and the local resolver), every zone file loaded and checked, and the world hosts
// the name servers become (each with a `dns` service on UDP and TCP), so the address map, the
// servers panel and the capture know them like any other host.

import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DNS_PORT, type ManifestServer, type Zone, type ZoneManifest, type ZoneProblem, checkHierarchy, loadProblems, loadZone, readZoneManifest, zoneProblemInfo } from '../../../protocols/dns';
import type { ZoneFileInfo } from '../../../shared/dns';
import type { WorldHost } from '../world/world';

export const ZONES_FOLDER = 'zones';
export const ZONE_MANIFEST_FILE = 'zones.yaml';

/** The protocol name of name servers and the resolver in the world and the capture. */
export const DNS_PROTOCOL = 'dns';

export interface LoadedZoneFile {
  server: ManifestServer;
  origin: string;
  file: string;
  /** Null when the file has errors: the server then runs without that zone. */
  zone: Zone | null;
  problems: ZoneProblem[];
}

export interface DnsWorld {
  manifest: ZoneManifest;
  files: LoadedZoneFile[];
  /** Problems between zones and the manifest (delegations, glue), in sentences. */
  hierarchyProblems: string[];
}

export function zonesDir(worldDir: string): string {
  return path.join(worldDir, ZONES_FOLDER);
}

function readZoneText(worldDir: string, file: string): string | null {
  try {
    return fs.readFileSync(path.join(zonesDir(worldDir), file), 'utf8');
  } catch {
    return null;
  }
}

export function loadZoneFile(server: ManifestServer, origin: string, file: string, text: string | null): LoadedZoneFile {
  const shown = `${ZONES_FOLDER}/${file}`;
  if (text === null) {
    return { server, origin, file, zone: null, problems: [{ severity: 'error', file: shown, line: 1, column: 1, message: `${shown} is missing from the data folder` }] };
  }
  const load = loadZone(text, { origin, file: shown });
  return { server, origin, file, zone: load.ok ? load.zone : null, problems: loadProblems(load) };
}

/**
 * Reads zones/zones.yaml and every zone file it names. A broken manifest is an error (the lab
 * cannot know its name servers); a broken zone file is not: its server runs without that zone
 * and the zone editor shows the problems at their lines. A world without zones/zones.yaml has no
 * DNS (null): an instructor's world for the Web alone needs none.
 */
export function loadDnsWorld(worldDir: string): DnsWorld | null {
  const manifestPath = path.join(zonesDir(worldDir), ZONE_MANIFEST_FILE);
  if (!fs.existsSync(manifestPath)) return null;
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    throw new Error(`${manifestPath}: ${(err as Error).message}`);
  }
  const read = readZoneManifest(doc, `${ZONES_FOLDER}/${ZONE_MANIFEST_FILE}`);
  if (!read.ok) throw new Error(`the DNS manifest has problems:\n  ${read.problems.join('\n  ')}`);
  const files = read.manifest.servers.flatMap((server) => server.zones.map((z) => loadZoneFile(server, z.origin, z.file, readZoneText(worldDir, z.file))));
  return { manifest: read.manifest, files, hierarchyProblems: hierarchyProblemsOf(read.manifest, files) };
}

export function hierarchyProblemsOf(manifest: ZoneManifest, files: readonly LoadedZoneFile[]): string[] {
  return checkHierarchy(manifest, files.flatMap((f) => (f.zone ? [f.zone] : [])));
}

/** The world hosts of the DNS: the resolver on the default port (10053), each server on its slot. */
export function dnsWorldHosts(manifest: ZoneManifest): WorldHost[] {
  const services = (portSlot?: number) =>
    (['udp', 'tcp'] as const).map((transport) => ({ protocol: DNS_PROTOCOL, transport, port: DNS_PORT, ...(portSlot !== undefined ? { portSlot } : {}) }));
  const resolver: WorldHost = { name: manifest.resolver.name, address: manifest.resolver.address, aliases: [], services: services() };
  if (manifest.resolver.description) resolver.description = manifest.resolver.description;
  return [
    resolver,
    ...manifest.servers.map((s, i): WorldHost => {
      const host: WorldHost = { name: s.name, address: s.address, aliases: [], services: services(s.portSlot ?? DEFAULT_DNS_SLOT_BASE + i + 1) };
      if (s.description) host.description = s.description;
      return host;
    }),
  ];
}

/** A server without a portSlot in zones.yaml gets 5300 + its place in the list (5301 for the first). */
export const DEFAULT_DNS_SLOT_BASE = 5300;

export function zoneFileInfo(f: LoadedZoneFile): ZoneFileInfo {
  return {
    file: f.file,
    origin: f.origin,
    server: f.server.name,
    role: f.server.role,
    records: f.zone ? f.zone.allRRsets().reduce((n, s) => n + s.records.length, 0) : 0,
    problems: f.problems.map(zoneProblemInfo),
  };
}
