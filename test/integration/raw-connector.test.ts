import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceInfo } from '../../src/shared/lab-api';
import type { CaptureSink } from '../../src/main/lab/capture/tap';
import type { Lab } from '../../src/main/lab/lab';
import { createRawConnector } from '../../src/main/lab/raw-connector';
import { AddressMap } from '../../src/main/lab/world/address-map';
import { parseWorld } from '../../src/main/lab/world/world';
import { startTestLab, type TestLab } from '../support/test-lab';

const ECHO_TCP = 'gaia.cs.umass.edu/echo/tcp';

let testLab: TestLab;
let lab: Lab;
let offset: number;
let screen = '';

beforeAll(async () => {
  testLab = await startTestLab();
  ({ lab, offset } = testLab);
  lab.api.on('terminal', ({ data }) => (screen += data));
});

afterAll(() => testLab.stop());

/** Wide enough that no message of the shell is word-wrapped, so the checks can match whole sentences. */
const WIDE = 200;

async function typed(line: string, expectText: string | RegExp): Promise<string> {
  const { terminalId } = await lab.api.openTerminal({ cols: WIDE, rows: 30 });
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

/** A loopback port nothing listens on right now (and so none of this lab's). */
async function unusedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function withEchoStopped(run: () => Promise<void>): Promise<void> {
  expect((await lab.api.stopService(ECHO_TCP)).state).toBe('stopped');
  try {
    await run();
  } finally {
    expect((await lab.api.startService(ECHO_TCP)).state).toBe('listening');
  }
}

describe('the terminal through the lab connector', () => {
  it('says an unknown host is unknown, the way telnet does', async () => {
    await typed('open www.nowhere.example 80', "unknown host 'www.nowhere.example'");
  });

  it('says when the host named is the student themself', async () => {
    await typed('open cis.poly.edu 7', "open: cis.poly.edu (128.238.2.93) is you: your own machine in this lab world");
  });

  it('reaches a service by its world address and reports where it really went', async () => {
    const out = await typed('open 128.119.245.12 13', 'Connection closed by foreign host');
    expect(out).toContain('Trying 128.119.245.12');
    expect(out).toContain(`(lab: 127.0.0.1:${offset + 13} is where gaia.cs.umass.edu's daytime service really listens)`);
    expect(out).toContain('Connection closed by foreign host.\r\n(the server closed the connection)');
  });

  it("reaches a service by its real loopback port, and says whose port that is", async () => {
    const out = await typed(`open 127.0.0.1 ${offset + 13}`, 'Connection closed by foreign host');
    expect(out).toContain('Connected to gaia.cs.umass.edu (128.119.245.12).');
    expect(out).toContain(`(lab: 127.0.0.1:${offset + 13} is where gaia.cs.umass.edu's daytime service (port 13) really listens)`);
  });

  it('lists the world with hosts, starting with who the student is', async () => {
    const out = await typed('hosts', 'Connect with');
    expect(out).toContain('You are cis.poly.edu (128.238.2.93)');
    expect(out).toContain('128.119.245.12');
    expect(out).toContain(`echo 7/tcp (lab port ${offset + 7})`);
  });

  it('asks for the port when none is given', async () => {
    await typed('open gaia.cs.umass.edu', "open: which port? e.g. open gaia.cs.umass.edu 7 (echo) — 'hosts' lists the ports");
  });
});

describe('why a connection is refused, in the terms of the lab world', () => {
  it('a port the host runs no service on: says so plainly, after a real refusal', async () => {
    const out = await typed('open gaia.cs.umass.edu 79', 'to see what it runs');
    expect(out).toContain('Unable to connect to remote host: Connection refused');
    expect(out).toContain("(gaia.cs.umass.edu runs no service on port 79 in this lab; type 'hosts' to see what it runs)");
    expect(out).not.toContain('may be stopped');
  });

  it('a stopped service: names it and where to start it, by world name and by real port; hosts shows it stopped', async () => {
    await withEchoStopped(async () => {
      const stopped = '(the echo service of gaia.cs.umass.edu is stopped; start it in the Servers pane)';
      expect(await typed('open gaia.cs.umass.edu 7', 'Servers pane')).toContain(stopped);
      expect(await typed(`open 127.0.0.1 ${offset + 7}`, 'Servers pane')).toContain(stopped);
      expect(await typed('hosts', 'Connect with')).toContain(`echo 7/tcp (lab port ${offset + 7}, stopped)`);
    });
    await typed('open gaia.cs.umass.edu 7', "Escape character is '^]'.");
  });

  it("a loopback port that is none of the lab's: nothing listens there", async () => {
    const port = await unusedPort();
    const out = await typed(`open 127.0.0.1 ${port}`, 'Connection refused');
    expect(out).toContain(`(nothing listens on 127.0.0.1:${port}; it is none of the lab's ports, which 'hosts' lists)`);
  });
});

describe('createRawConnector: the world facts behind the shell', () => {
  const world = parseWorld(`
client: { name: cis.poly.edu, address: 128.238.2.93 }
hosts:
  - name: gaia.cs.umass.edu
    address: 128.119.245.12
    services:
      - { protocol: echo, port: 7, transport: tcp }
      - { protocol: daytime, port: 13, transport: tcp }
      - { protocol: daytime, port: 13, transport: udp }
  - name: dns.umass.edu
    address: 128.119.40.186
    aliases: [ns1.umass.edu]
    services:
      - { protocol: dns, port: 53, transport: udp }
`);
  const map = new AddressMap(world, 30_000);
  const unused = (): never => {
    throw new Error('these checks never connect');
  };
  const sink: CaptureSink = { open: unused, data: unused, datagram: unused, close: unused, reset: unused };
  const info = (protocol: string, port: number, transport: 'tcp' | 'udp', state: ServiceInfo['state']): ServiceInfo => ({
    id: `gaia.cs.umass.edu/${protocol}/${transport}`,
    protocol,
    transport,
    hostname: 'gaia.cs.umass.edu',
    virtualAddress: '128.119.245.12',
    wellKnownPort: port,
    address: '127.0.0.1',
    port: 30_000 + port,
    state,
    connections: 0,
    description: protocol,
  });
  // The lab has a server for echo (stopped) and daytime/udp (listening), none for daytime/tcp.
  const connector = createRawConnector({ map: () => map, sink, isLabListener: () => false, serviceInfos: () => [info('echo', 7, 'tcp', 'stopped'), info('daytime', 13, 'udp', 'listening')] });

  it('localHost is the world file\'s client', () => {
    expect(connector.localHost()).toEqual({ name: 'cis.poly.edu', address: '128.238.2.93' });
  });

  it('serviceState tells a stopped service from no service at all', () => {
    expect(connector.serviceState('gaia.cs.umass.edu', 7)).toBe('stopped');
    expect(connector.serviceState('gaia.cs.umass.edu', 80)).toBeUndefined();
    // Only TCP counts: open speaks TCP.
    expect(connector.serviceState('dns.umass.edu', 53)).toBeUndefined();
    expect(connector.serviceState('nowhere.example', 7)).toBeUndefined();
    // A world service the lab has no server for cannot be running.
    expect(connector.serviceState('gaia.cs.umass.edu', 13)).toBe('stopped');
  });

  it("listHosts carries each service's state", () => {
    const gaia = connector.listHosts().find((h) => h.name === 'gaia.cs.umass.edu')!;
    expect(gaia.services).toEqual([
      { protocol: 'echo', port: 7, transport: 'tcp', realPort: 30_007, state: 'stopped' },
      { protocol: 'daytime', port: 13, transport: 'tcp', realPort: 30_013 },
      { protocol: 'daytime', port: 13, transport: 'udp', realPort: 30_013, state: 'listening' },
    ]);
  });

  it("resolve gives the service's world port, also when the real loopback port was typed", async () => {
    expect(await connector.resolve('gaia.cs.umass.edu', 7)).toMatchObject({ hostname: 'gaia.cs.umass.edu', protocol: 'echo', servicePort: 7, virtualPort: 7, port: 30_007 });
    expect(await connector.resolve('127.0.0.1', 30_007)).toMatchObject({ hostname: 'gaia.cs.umass.edu', protocol: 'echo', servicePort: 7, virtualPort: 30_007, port: 30_007 });
    const none = await connector.resolve('gaia.cs.umass.edu', 80);
    expect(none.protocol).toBeUndefined();
    expect(none.servicePort).toBeUndefined();
  });
});
