import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureBatch, MessageSummary } from '../../src/shared/capture';
import { base64ToBytes, bytesToLatin1 } from '../../src/protocols/core/bytes';
import { CaptureJournal } from '../../src/main/lab/capture/journal';
import { Lab, MAX_TERMINALS, MAX_TERMINAL_INPUT, defaultContentDir } from '../../src/main/lab/lab';
import { freePortOffset } from '../support/ports';

const labs: Lab[] = [];
const dirs: string[] = [];

async function startLab(extra: Partial<Parameters<typeof Lab.start>[0]> = {}): Promise<{ lab: Lab; offset: number; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-lab-'));
  dirs.push(dir);
  const offset = extra.portOffset ?? (await freePortOffset());
  const lab = await Lab.start({ dataDir: dir, contentDir: defaultContentDir(), portOffset: offset, ...extra });
  labs.push(lab);
  return { lab, offset, dir };
}

afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.stop();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function collectMessages(lab: Lab): MessageSummary[] {
  const seen: MessageSummary[] = [];
  lab.api.on('capture', (b: CaptureBatch) => seen.push(...b.messages));
  return seen;
}

async function until<T>(probe: () => T | undefined | false, what: string | (() => string), ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function tcpExchange(port: number, send: string, expectBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write(send));
    let got = '';
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (got.length >= expectBytes) s.end();
    });
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
}

describe('the lab core', () => {
  it('starts every service of the world on 127.0.0.1 at offset + well-known port', async () => {
    const { lab, offset } = await startLab();
    expect(lab.serviceInfos().every((s) => s.state === 'listening')).toBe(true);
    // gaia.cs.umass.edu is the default host of its protocols: no portSlot, the well-known ports.
    const services = lab.serviceInfos().filter((s) => s.hostname === 'gaia.cs.umass.edu');
    expect(services.map((s) => s.id).sort()).toEqual(
      ['gaia.cs.umass.edu/daytime/tcp', 'gaia.cs.umass.edu/daytime/udp', 'gaia.cs.umass.edu/discard/tcp', 'gaia.cs.umass.edu/echo/tcp', 'gaia.cs.umass.edu/echo/udp', 'gaia.cs.umass.edu/http/tcp'].sort(),
    );
    for (const s of services) {
      expect(s).toMatchObject({ state: 'listening', address: '127.0.0.1', port: offset + s.wellKnownPort, virtualAddress: '128.119.245.12' });
    }
  });

  it('captures an echo exchange as a paired request and response, with the bytes in the journal', async () => {
    const { lab, offset } = await startLab();
    const live = collectMessages(lab);
    expect(await tcpExchange(offset + 7, 'hello\r\n', 7)).toBe('hello\r\n');
    const [req, res] = await until(() => (live.length >= 2 ? live : false), 'two messages');
    expect(req).toMatchObject({ protocol: 'echo', dir: 'c2s', role: 'request', length: 7, destination: 'gaia.cs.umass.edu:7' });
    expect(req.source).toMatch(/^cis\.poly\.edu:\d+$/);
    expect(res).toMatchObject({ dir: 's2c', role: 'response', responseTo: req.id });
    const detail = await lab.api.getMessage(res.id);
    expect(bytesToLatin1(base64ToBytes(detail!.bytes))).toBe('hello\r\n');
    expect(detail!.conn).toMatchObject({ protocol: 'echo', transport: 'tcp', serviceId: 'gaia.cs.umass.edu/echo/tcp' });
    const listed = await lab.api.listMessages(req.id, 2);
    expect(listed.map((m) => m.id)).toEqual([req.id, res.id]);
    expect(listed[0].answeredBy).toBe(res.id);
    const end = Date.now() + 5000;
    let closed;
    while (!(closed = (await lab.api.listConnections()).find((c) => c.state === 'closed')) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    // tcpExchange ends its side first, once the echo is back: the client sent the first FIN.
    expect(closed).toMatchObject({ state: 'closed', closedBy: 'client' });
  });

  it('captures UDP datagrams as a flow and answers them', async () => {
    const { lab, offset } = await startLab();
    const live = collectMessages(lab);
    const sock = dgram.createSocket('udp4');
    const reply = await new Promise<string>((resolve) => {
      sock.on('message', (m) => resolve(m.toString()));
      sock.send('ping', offset + 7, '127.0.0.1');
    });
    sock.close();
    expect(reply).toBe('ping');
    await until(() => live.length >= 2, 'the datagrams');
    expect(live.slice(0, 2).map((m) => [m.transport, m.dir, m.role])).toEqual([
      ['udp', 'c2s', 'request'],
      ['udp', 's2c', 'response'],
    ]);
  });

  it('reports a port in use by naming the service and port, and starts the rest', async () => {
    const offset = await freePortOffset();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: offset + 7, exclusive: true }, () => r()));
    try {
      const { lab } = await startLab({ portOffset: offset });
      const echo = lab.serviceInfos().find((s) => s.id === 'gaia.cs.umass.edu/echo/tcp')!;
      expect(echo.state).toBe('failed');
      expect(echo.error).toContain(`gaia.cs.umass.edu echo (tcp) could not listen on 127.0.0.1:${offset + 7}`);
      expect(echo.error).toContain('already uses that port');
      expect(lab.serviceInfos().filter((s) => s.state === 'listening')).toHaveLength(lab.serviceInfos().length - 1);
    } finally {
      blocker.close();
    }
  });

  it('stops and restarts a service from the API and says so in a services event', async () => {
    const { lab, offset } = await startLab();
    const events: string[] = [];
    lab.api.on('services', (list) => events.push(list.find((s) => s.id === 'gaia.cs.umass.edu/daytime/tcp')!.state));
    expect((await lab.api.stopService('gaia.cs.umass.edu/daytime/tcp')).state).toBe('stopped');
    // Events are coalesced (one per turn of the event loop), so each state is awaited before the next change.
    await until(() => events.at(-1) === 'stopped', () => `a stopped event, saw ${JSON.stringify(events)}`);
    await expect(tcpExchange(offset + 13, '', 1)).rejects.toThrow(/ECONNREFUSED/);
    expect((await lab.api.startService('gaia.cs.umass.edu/daytime/tcp')).state).toBe('listening');
    await until(() => events.at(-1) === 'listening', () => `a listening event, saw ${JSON.stringify(events)}`);
    expect(await tcpExchange(offset + 13, '', 10)).toMatch(/\d{4}/);
    await expect(lab.api.stopService('nope')).rejects.toThrow(/no service 'nope'/);
  });

  it('drives a terminal: open gaia.cs.umass.edu 7, a line, its echo, all captured once', async () => {
    const { lab } = await startLab();
    const live = collectMessages(lab);
    let screen = '';
    lab.api.on('terminal', ({ data }) => (screen += data));
    const { terminalId } = await lab.api.openTerminal({ cols: 80, rows: 24 });
    await lab.api.terminalInput(terminalId, 'open gaia.cs.umass.edu 7\r');
    await until(() => screen.includes('Connected to gaia.cs.umass.edu'), 'the connection');
    await lab.api.terminalInput(terminalId, 'hello lab\r');
    await until(() => live.length >= 2, 'the echo');
    // One request and one response: the lab's own client side is not tapped a second time.
    await new Promise((r) => setTimeout(r, 100));
    expect(live.map((m) => m.summary).filter((s) => s.includes('hello lab'))).toHaveLength(2);
    expect(screen.split('hello lab').length).toBeGreaterThanOrEqual(3); // typed echo + server echo
    await lab.api.closeTerminal(terminalId);
    await expect(lab.api.terminalInput(terminalId, 'x')).rejects.toThrow(/was closed/);
  });

  it('bounds terminals and terminal input', async () => {
    const { lab } = await startLab();
    const ids: string[] = [];
    for (let i = 0; i < MAX_TERMINALS; i++) ids.push((await lab.api.openTerminal({ cols: 80, rows: 24 })).terminalId);
    await expect(lab.api.openTerminal({ cols: 80, rows: 24 })).rejects.toThrow(/at most/);
    await expect(lab.api.terminalInput(ids[0], 'x'.repeat(MAX_TERMINAL_INPUT + 1))).rejects.toThrow(/limited/);
    await lab.api.terminalInput(ids[0], 'x'.repeat(MAX_TERMINAL_INPUT));
  });

  it('flushes the journal on stop, so a reopened journal has every message', async () => {
    const { lab, offset, dir } = await startLab();
    const live = collectMessages(lab);
    await tcpExchange(offset + 7, 'one\r\ntwo\r\n', 10);
    await until(() => live.length >= 4, 'four messages');
    const journalPath = lab.snapshot().capture.journalPath;
    await lab.stop();
    expect(journalPath.startsWith(path.join(dir, 'captures'))).toBe(true);
    const types = [...CaptureJournal.read(journalPath)].map((r) => (r.kind === 'event' ? r.event.type : r.kind));
    expect(types).toContain('open');
    expect(types).toContain('close');
    expect(types.filter((t) => t === 'message')).toHaveLength(live.length);
  });

  it('reset restores the shipped world', async () => {
    const { lab } = await startLab();
    fs.writeFileSync(lab.data.worldFile, fs.readFileSync(lab.data.worldFile, 'utf8').replace(/- protocol: discard[\s\S]*?transport: tcp\n/, ''));
    const snap = await lab.api.resetData();
    expect(snap.services.some((s) => s.protocol === 'discard')).toBe(true);
    expect(snap.services.every((s) => s.state === 'listening')).toBe(true);
  });

  it('marks services whose port would pass 65535 as failed, and starts nothing on a wrapped port', async () => {
    const { lab } = await startLab({ portOffset: 65_530 });
    const infos = lab.serviceInfos();
    expect(infos.find((s) => s.id === 'gaia.cs.umass.edu/echo/tcp')).toMatchObject({ state: 'failed' });
    expect(infos.find((s) => s.id === 'gaia.cs.umass.edu/echo/tcp')!.error).toContain('past the last port 65535');
    expect(infos.find((s) => s.id === 'gaia.cs.umass.edu/echo/udp')!.state).toBe('failed');
    expect(infos.filter((s) => s.state === 'listening')).toHaveLength(0);
  });

  it('reports two hosts that would share a loopback port instead of dropping one', async () => {
    const content = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-content-'));
    dirs.push(content);
    fs.writeFileSync(
      path.join(content, 'world.yaml'),
      'client: { name: cis.poly.edu, address: 128.238.2.93 }\nhosts:\n' +
        '  - { name: a.example.edu, address: 10.0.0.1, services: [{ protocol: echo, port: 7 }] }\n' +
        '  - { name: b.example.edu, address: 10.0.0.2, services: [{ protocol: echo, port: 7 }] }\n',
    );
    const { lab } = await startLab({ contentDir: content });
    const [a, b] = lab.serviceInfos();
    expect(a).toMatchObject({ hostname: 'a.example.edu', state: 'listening' });
    expect(b).toMatchObject({ hostname: 'b.example.edu', state: 'failed' });
    expect(b.error).toContain('which a.example.edu echo already uses; give one of them its own portSlot');
  });

  it('runs resets one at a time and leaves nothing listening after a stop that races them', async () => {
    const { lab, offset } = await startLab();
    const first = lab.api.resetData();
    const second = lab.api.resetData();
    const stopped = lab.stop();
    await Promise.allSettled([first, second]);
    await stopped;
    await expect(tcpExchange(offset + 7, 'x', 1)).rejects.toThrow(/ECONNREFUSED/);
    await expect(tcpExchange(offset + 13, '', 1)).rejects.toThrow(/ECONNREFUSED/);
    await expect(lab.api.startService('gaia.cs.umass.edu/echo/tcp')).rejects.toThrow(/stopping/);
  });

  it('answers a start and a stop issued together, in order', async () => {
    const { lab, offset } = await startLab();
    await lab.api.stopService('gaia.cs.umass.edu/echo/tcp');
    const [started, stopped] = await Promise.all([lab.api.startService('gaia.cs.umass.edu/echo/tcp'), lab.api.stopService('gaia.cs.umass.edu/echo/tcp')]);
    expect(started.state).toBe('listening');
    expect(stopped.state).toBe('stopped');
    await expect(tcpExchange(offset + 7, 'x', 1)).rejects.toThrow(/ECONNREFUSED/);
  });
});
