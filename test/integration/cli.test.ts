import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { defaultContentDir } from '../../src/main/lab/data-dir';
import { parseWorld } from '../../src/main/lab/world/world';
import { dnsWorldHosts, loadDnsWorld } from '../../src/main/lab/dns/dns-world';
import { freePortOffset } from '../support/ports';
import { requireTool } from '../support/tools';

const BIN = path.join(__dirname, '../../bin/protolab.mjs');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const nl = stdout.indexOf('\n');
      if (nl >= 0) resolve(stdout.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before a line: ${stderr}`)));
  });
  firstLine.catch(() => {}); // awaited only by the tests that expect a line
  return { child, firstLine, exited, out: () => stdout, err: () => stderr };
}

describe('protolab serve', () => {
  it('prints one ready line with --json, serves, and exits 0 on SIGTERM after flushing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-cli-'));
    dirs.push(dataDir);
    const pcap = path.join(dataDir, 'live.pcapng');
    const offset = await freePortOffset();
    const p = run(['serve', '--json', '--data-dir', dataDir, '--port-offset', String(offset), '--pcapng', pcap]);
    const ready = JSON.parse(await p.firstLine);
    expect(ready).toMatchObject({ ready: true, dataDir, pcapng: pcap });
    expect(ready.services).toContainEqual({ protocol: 'echo', transport: 'tcp', hostname: 'gaia.cs.umass.edu', address: '127.0.0.1', port: offset + 7 });
    // Every service of the shipped world, each on its own port, the DNS hierarchy's included.
    const world = parseWorld(fs.readFileSync(path.join(defaultContentDir(), 'world.yaml'), 'utf8'));
    const dns = dnsWorldHosts(loadDnsWorld(defaultContentDir())!.manifest);
    expect(ready.services).toHaveLength([...world.hosts, ...dns].flatMap((h) => h.services).length);
    expect(ready.services).toContainEqual({ protocol: 'dns', transport: 'udp', hostname: 'dns.poly.edu', address: '127.0.0.1', port: offset + 53 });
    expect(new Set(ready.services.map((s: { port: number; transport: string }) => `${s.transport}/${s.port}`)).size).toBe(ready.services.length);

    const echoed = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: offset + 7 }, () => s.end('bye\r\n'));
      let got = '';
      s.on('data', (d) => (got += d));
      s.on('close', () => resolve(got));
    });
    expect(echoed).toBe('bye\r\n');

    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.out().trim().split('\n')).toHaveLength(1);
    const journals = fs.readdirSync(path.join(dataDir, 'captures'));
    expect(journals.some((f) => f.endsWith('.journal'))).toBe(true);
    expect(fs.statSync(pcap).size).toBeGreaterThan(200);

    // Wireshark dissects the lab's capture by the world's addresses and standard ports.
    const tshark = requireTool('tshark');
    if (tshark) {
      const fields = execFileSync(tshark, ['-r', pcap, '-Y', 'echo', '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'tcp.dstport', '-e', 'echo.data'], { encoding: 'utf8' });
      const rows = fields.trim().split('\n').map((l) => l.split('\t'));
      expect(rows[0]).toEqual(['128.238.2.93', '128.119.245.12', '7', Buffer.from('bye\r\n').toString('hex')]);
    }
  });

  it('runs as `npx protolab` from the project', () => {
    const out = execFileSync('npx', ['--no-install', 'protolab', '--help'], { encoding: 'utf8', cwd: path.join(__dirname, '../..') });
    expect(out).toContain('protolab serve');
  });

  it('says what is wrong with its arguments', async () => {
    const p = run(['serve', '--port-offset', 'ten']);
    expect(await p.exited).toBe(1);
    expect(p.err()).toContain("--port-offset expects a whole number, got 'ten'");
    const q = run(['frobnicate']);
    expect(await q.exited).toBe(2);
    expect(q.err()).toContain("unknown command 'frobnicate'");
  });
});
