// DnsRuntime.saveZone when the disk fails it: the zone file is written to `<file>.saving` and
// renamed over the old one; a failed write or rename leaves no `.saving` file behind, the old file
// and the zones the server answers from unchanged, and an error that names the file.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DnsRuntime } from '../../../src/main/lab/dns/dns-runtime';
import { addDnsHosts } from '../../../src/main/lab/dns/dns-services';
import { dnsWorldHosts, loadDnsWorld, zonesDir } from '../../../src/main/lab/dns/dns-world';
import { defaultContentDir } from '../../../src/main/lab/lab';
import { LabClientRegistry } from '../../../src/main/lab/services/lab-clients';
import { AddressMap } from '../../../src/main/lab/world/address-map';
import { parseWorld } from '../../../src/main/lab/world/world';

/** No server is started here, so any port offset does. */
const PORT_OFFSET = 40_000;

let dir: string;
let runtime: DnsRuntime;

beforeEach(() => {
  // A copy of the lab's content: the test damages its zones folder.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-save-zone-'));
  fs.cpSync(defaultContentDir(), dir, { recursive: true });
  const world = parseWorld(fs.readFileSync(path.join(dir, 'world.yaml'), 'utf8'), 'world.yaml');
  const dnsWorld = loadDnsWorld(dir);
  if (!dnsWorld) throw new Error(`no zones/zones.yaml in ${dir}`);
  addDnsHosts(world, dnsWorldHosts(dnsWorld.manifest));
  runtime = new DnsRuntime({ world: dnsWorld, worldDir: dir, map: new AddressMap(world, PORT_OFFSET), labClients: new LabClientRegistry(), now: Date.now });
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A zone file of the lab, its path and its text, with one more A record that loads cleanly. */
function someZone(): { file: string; target: string; original: string; edited: string } {
  const file = runtime.listZones().find((z) => z.problems.length === 0)!.file;
  const original = runtime.readZone(file);
  return { file, target: path.join(zonesDir(dir), file), original, edited: `${original}\nsaved-by-test 60 IN A 192.0.2.61\n` };
}

describe('saveZone when the disk fails it', () => {
  it('a rename that fails leaves no .saving file, names the file, and the server keeps its old zones', () => {
    const { file, target, edited } = someZone();
    const before = runtime.listZones();
    // A folder where the file was: rename(2) cannot put a file over it (EISDIR), even for root.
    fs.rmSync(target);
    fs.mkdirSync(target);
    expect(() => runtime.saveZone(file, edited)).toThrow(`could not save ${target}: EISDIR`);
    expect(fs.existsSync(`${target}.saving`)).toBe(false);
    expect(runtime.listZones()).toEqual(before);
  });

  it('a write that fails half way (disk full) leaves no .saving file and the old file as it was', () => {
    const { file, target, original, edited } = someZone();
    const realWrite = fs.writeFileSync;
    vi.spyOn(fs, 'writeFileSync').mockImplementationOnce((where, data) => {
      realWrite(where, String(data).slice(0, 10));
      throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC' });
    });
    expect(() => runtime.saveZone(file, edited)).toThrow(`could not save ${target}: ENOSPC: no space left on device, write`);
    expect(fs.existsSync(`${target}.saving`)).toBe(false);
    expect(fs.readFileSync(target, 'utf8')).toBe(original);
    // The disk is back: the same save goes through.
    expect(runtime.saveZone(file, edited).ok).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe(edited);
    expect(fs.existsSync(`${target}.saving`)).toBe(false);
  });
});
