import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, defaultContentDir } from '../../../src/main/lab/lab';
import type { MessageSummary } from '../../../src/shared/capture';
import { freePortOffset } from '../../support/ports';

let lab: Lab;
let dir: string;
let offset: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-cache-id-'));
  offset = await freePortOffset();
  lab = await Lab.start({ dataDir: dir, contentDir: defaultContentDir(), portOffset: offset });
});

afterAll(async () => {
  await lab.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function viaCache(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port: offset + 3128 }, () => s.write(`GET ${url} HTTP/1.1\r\nHost: ${new URL(url).host}\r\nConnection: close\r\n\r\n`));
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
}

describe('the web cache in the capture', () => {
  it('appears as cache.poly.edu when it fetches from an origin, and the student as cis.poly.edu', async () => {
    const reply = await viaCache('http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html');
    expect(reply).toMatch(/^HTTP\/1\.1 200/);
    let messages: MessageSummary[] = [];
    const end = Date.now() + 5000;
    while (Date.now() < end) {
      messages = await lab.api.listMessages(1, 100);
      if (messages.filter((m) => m.protocol === 'http' && m.role === 'request').length >= 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const requests = messages.filter((m) => m.protocol === 'http' && m.role === 'request');
    const toCache = requests.find((m) => m.destination.startsWith('cache.poly.edu:3128'));
    const toOrigin = requests.find((m) => m.destination.startsWith('gaia.cs.umass.edu:80'));
    expect(toCache?.source).toMatch(/^cis\.poly\.edu:\d+$/);
    expect(toOrigin?.source).toMatch(/^cache\.poly\.edu:\d+$/);
    const conn = (await lab.api.listConnections()).find((c) => c.id === toOrigin!.connId);
    expect(conn?.client).toMatchObject({ hostname: 'cache.poly.edu', virtualAddress: '128.238.2.10' });
  });
});
