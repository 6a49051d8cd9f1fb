// The lab world as data: hosts, their course addresses and the services they run (DESIGN.md §6).
// Parsed from world.yaml and checked field by field, so an instructor's typo gets a message that
// names the place, not a crash at some later lookup.

import { parse as parseYaml } from 'yaml';
import type { Transport } from '../../../shared/capture';

export interface WorldService {
  protocol: string;
  transport: Transport;
  /** The port in the world (the well-known port: 7, 13, 80, 25, ...). */
  port: number;
  /**
   * Where it listens on loopback, relative to the port offset: portOffset + portSlot. When absent
   * the well-known port is the slot (echo 7 -> 10007). Every host but the default one of a
   * protocol needs a slot of its own (e.g. a second web server: port 80, portSlot 1080 -> 11080).
   */
  portSlot?: number;
}

export interface WorldHost {
  name: string;
  address: string;
  aliases: string[];
  description?: string;
  services: WorldService[];
}

export interface World {
  client: { name: string; address: string };
  hosts: WorldHost[];
}

/** Highest TCP/UDP port number (16-bit field, RFC 793 §3.1 / RFC 768). */
export const MAX_PORT = 65535;

/** RFC 1035 §2.3.4: a name is at most 255 octets; labels at most 63. */
export const MAX_HOSTNAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;

export class WorldError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'WorldError';
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i;

export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

export function isHostname(text: string): boolean {
  if (text.length === 0 || text.length > MAX_HOSTNAME_LENGTH) return false;
  return text.split('.').every((l) => l.length <= MAX_LABEL_LENGTH && LABEL.test(l));
}

function expectString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new WorldError(where, 'expected a non-empty text');
  return value.trim();
}

function expectPort(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PORT) {
    throw new WorldError(where, `expected a port number from 1 to ${MAX_PORT}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function expectName(value: unknown, where: string): string {
  const name = expectString(value, where).toLowerCase();
  if (!isHostname(name)) throw new WorldError(where, `'${name}' is not a host name`);
  return name;
}

function expectAddress(value: unknown, where: string): string {
  const address = expectString(value, where);
  if (!isIPv4(address)) throw new WorldError(where, `'${address}' is not an IPv4 address`);
  return address;
}

function parseService(raw: unknown, where: string): WorldService {
  if (typeof raw !== 'object' || raw === null) throw new WorldError(where, 'expected a service {protocol, port, transport}');
  const r = raw as Record<string, unknown>;
  const transport = r.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'udp') throw new WorldError(`${where}.transport`, `expected tcp or udp, got ${JSON.stringify(transport)}`);
  const service: WorldService = {
    protocol: expectString(r.protocol, `${where}.protocol`).toLowerCase(),
    transport,
    port: expectPort(r.port, `${where}.port`),
  };
  if (r.portSlot !== undefined) service.portSlot = expectPort(r.portSlot, `${where}.portSlot`);
  return service;
}

export function parseWorld(text: string, file = 'world.yaml'): World {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new WorldError(file, `not valid YAML: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null) throw new WorldError(file, 'expected a mapping with client and hosts');
  const d = doc as Record<string, unknown>;
  const c = (d.client ?? {}) as Record<string, unknown>;
  const client = { name: expectName(c.name, `${file}: client.name`), address: expectAddress(c.address, `${file}: client.address`) };
  if (!Array.isArray(d.hosts)) throw new WorldError(`${file}: hosts`, 'expected a list of hosts');

  const names = new Map<string, string>();
  const addresses = new Map<string, string>();
  const hosts = d.hosts.map((raw, i): WorldHost => {
    const at = `${file}: hosts[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new WorldError(at, 'expected a host {name, address, services}');
    const h = raw as Record<string, unknown>;
    const name = expectName(h.name, `${at}.name`);
    const address = expectAddress(h.address, `${at}.address`);
    const aliases = Array.isArray(h.aliases) ? h.aliases.map((a, j) => expectName(a, `${at}.aliases[${j}]`)) : [];
    for (const n of [name, ...aliases]) {
      if (names.has(n)) throw new WorldError(at, `the name ${n} is already used by ${names.get(n)}`);
      names.set(n, name);
    }
    if (addresses.has(address)) throw new WorldError(`${at}.address`, `${address} is already the address of ${addresses.get(address)}`);
    addresses.set(address, name);
    const services = Array.isArray(h.services) ? h.services.map((s, j) => parseService(s, `${at}.services[${j}]`)) : [];
    const seen = new Set<string>();
    for (const s of services) {
      const key = `${s.transport}/${s.port}`;
      if (seen.has(key)) throw new WorldError(`${at}.services`, `two services on ${s.port}/${s.transport}`);
      seen.add(key);
    }
    const host: WorldHost = { name, address, aliases, services };
    if (typeof h.description === 'string') host.description = h.description.trim();
    return host;
  });
  return { client, hosts };
}
