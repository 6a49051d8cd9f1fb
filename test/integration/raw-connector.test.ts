import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, defaultContentDir } from '../../src/main/lab/lab';
import { freePortOffset } from '../support/ports';

let lab: Lab;
let dir: string;
let offset: number;
let screen = '';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-rc-'));
  offset = await freePortOffset();
  lab = await Lab.start({ dataDir: dir, contentDir: defaultContentDir(), portOffset: offset });
  lab.api.on('terminal', ({ data }) => (screen += data));
});

afterAll(async () => {
  await lab.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function typed(line: string, expectText: string | RegExp): Promise<string> {
  const { terminalId } = await lab.api.openTerminal({ cols: 100, rows: 30 });
  screen = '';
  await lab.api.terminalInput(terminalId, `${line}\r`);
  const end = Date.now() + 5000;
  while (!(typeof expectText === 'string' ? screen.includes(expectText) : expectText.test(screen))) {
    if (Date.now() > end) throw new Error(`never saw ${expectText} in ${JSON.stringify(screen)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  await lab.api.closeTerminal(terminalId);
  return screen;
}

describe('the terminal through the lab connector', () => {
  it('says an unknown host is unknown, the way telnet does', async () => {
    await typed('open www.nowhere.example 80', "unknown host 'www.nowhere.example'");
  });

  it('says a refused connection is refused (a port gaia does not serve)', async () => {
    await typed('open gaia.cs.umass.edu 8', 'Connection refused');
  });

  it('reaches a service by its world address and reports where it really went', async () => {
    const out = await typed('open 128.119.245.12 13', 'Connection closed by foreign host');
    expect(out).toContain('Trying 128.119.245.12');
    expect(out).toContain(`127.0.0.1:${offset + 13}`);
  });

  it('lists the world with hosts', async () => {
    const out = await typed('hosts', 'gaia.cs.umass.edu');
    expect(out).toContain('128.119.245.12');
    expect(out).toContain(String(offset + 7));
  });
});
