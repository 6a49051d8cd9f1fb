// The renderer's WebSocket bridge against the real wire server (src/main/lab/api/wire-server.ts)
// over real sockets on 127.0.0.1, with the `ws` package standing in for the browser's WebSocket.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { LabApi, LabEventName, LabEvents, LabSnapshot } from '../../../src/shared/lab-api';
import { serveLabApi } from '../../../src/main/lab/api/wire-server';
import type { BridgeStatus, LabBridge } from '../../../src/renderer/bridge/bridge-types';
import { NOT_CONNECTED, type LinkSocketFactory } from '../../../src/renderer/bridge/reconnecting-link';
import { createWsBridge } from '../../../src/renderer/bridge/ws';
import { unusedLabCommands } from '../../support/unused-lab-commands';

const nodeSocketFactory: LinkSocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.on('open', () => handlers.open());
  ws.on('message', (data, isBinary) => {
    if (!isBinary) handlers.message(data.toString());
  });
  ws.on('close', (code) => handlers.closed(code));
  ws.on('error', () => {});
  return { send: (text) => ws.send(text), close: () => ws.close() };
};

const SNAPSHOT: LabSnapshot = {
  dataDir: '/tmp/lab',
  portOffset: 10000,
  services: [],
  hosts: [],
  capture: { totalMessages: 0, totalEvents: 0, totalBytes: 0, journalPath: '/tmp/lab/capture.journal', startedAt: '2026-01-01T00:00:00.000Z' },
};

/** A LabApi with just enough behaviour to check the bridge: it records input and can emit events. */
function testApi() {
  const listeners = new Map<LabEventName, Set<(p: unknown) => void>>();
  const input: string[] = [];
  const never = () => new Promise<never>(() => {});
  const api: LabApi = {
    ...unusedLabCommands(),
    getSnapshot: async () => SNAPSHOT,
    startService: async (id) => {
      throw new Error(`no service ${id}`);
    },
    stopService: never,
    resetData: never,
    getWebCache: never,
    setAccessLink: never,
    clearWebCache: never,
    listMessages: never,
    getMessage: async () => null,
    listConnections: async () => [],
    openTerminal: async () => ({ terminalId: 'term-1' }),
    terminalInput: async (id, data) => {
      input.push(`${id}:${data}`);
    },
    terminalResize: async () => {},
    closeTerminal: async () => {},
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set!.delete(listener as (p: unknown) => void);
    },
  };
  const emit = <E extends LabEventName>(event: E, payload: LabEvents[E]) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return { api, emit, input };
}

interface Core {
  port: number;
  close(): Promise<void>;
}

async function startCore(api: LabApi, port = 0): Promise<Core> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, path: '/api' });
  wss.on('connection', (ws) => {
    const link = serveLabApi(api, (frame) => ws.send(JSON.stringify(frame)));
    ws.on('message', (data) => link.receive(JSON.parse(data.toString())));
    ws.on('close', () => link.close());
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port }, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

function waitForStatus(bridge: LabBridge, check: (s: BridgeStatus) => boolean, timeoutMs = 10_000): Promise<BridgeStatus> {
  return new Promise((resolve, reject) => {
    if (check(bridge.status())) return resolve(bridge.status());
    const timer = setTimeout(() => reject(new Error(`status never matched; last ${JSON.stringify(bridge.status())}`)), timeoutMs);
    const off = bridge.onStatus((s) => {
      if (!check(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

describe('WebSocket bridge', () => {
  it('calls commands, gets errors back as rejections, and receives events', async () => {
    const { api, emit, input } = testApi();
    const core = await startCore(api);
    cleanup.push(() => core.close());
    const bridge = createWsBridge(`ws://127.0.0.1:${core.port}/api`, nodeSocketFactory);
    cleanup.push(() => bridge.close());
    expect(bridge.kind).toBe('ws');
    await waitForStatus(bridge, (s) => s.state === 'open');
    expect(bridge.status().epoch).toBe(1);

    expect(await bridge.api.getSnapshot()).toEqual(SNAPSHOT);
    await expect(bridge.api.startService('nowhere/echo')).rejects.toThrow('no service nowhere/echo');
    const { terminalId } = await bridge.api.openTerminal({ cols: 80, rows: 24 });
    await bridge.api.terminalInput(terminalId, 'hello\r');
    expect(input).toEqual(['term-1:hello\r']);

    const got = new Promise<LabEvents['terminal']>((resolve) => bridge.api.on('terminal', resolve));
    emit('terminal', { terminalId: 'term-1', data: 'hello\r\n' });
    expect(await got).toEqual({ terminalId: 'term-1', data: 'hello\r\n' });
  });

  it('goes down when the core goes away, fails pending calls, and reconnects with a new epoch', async () => {
    const { api, emit } = testApi();
    let core = await startCore(api);
    const port = core.port;
    const bridge = createWsBridge(`ws://127.0.0.1:${port}/api`, nodeSocketFactory);
    cleanup.push(() => bridge.close());
    await waitForStatus(bridge, (s) => s.state === 'open');

    const hanging = bridge.api.listMessages(1, 10);
    await core.close();
    await expect(hanging).rejects.toThrow(/^disconnected from the lab core: the connection to the lab core at ws:\/\/127\.0\.0\.1:\d+\/api closed/);
    const down = await waitForStatus(bridge, (s) => s.state === 'down');
    expect(down.retryAt).toBeGreaterThan(0);
    await expect(bridge.api.getSnapshot()).rejects.toThrow(NOT_CONNECTED);

    core = await startCore(api, port);
    cleanup.push(() => core.close());
    const back = await waitForStatus(bridge, (s) => s.state === 'open');
    expect(back.epoch).toBe(2);
    // Listeners registered before the drop still hear events after it.
    const got = new Promise<LabEvents['services']>((resolve) => bridge.api.on('services', resolve));
    emit('services', []);
    expect(await got).toEqual([]);
    expect(await bridge.api.getSnapshot()).toEqual(SNAPSHOT);
  });

  it('says the core cannot be reached when nothing listens yet, then connects once it does', async () => {
    const { api } = testApi();
    const probe = await startCore(api);
    const port = probe.port;
    await probe.close();
    const bridge = createWsBridge(`ws://127.0.0.1:${port}/api`, nodeSocketFactory);
    cleanup.push(() => bridge.close());
    const down = await waitForStatus(bridge, (s) => s.state === 'down');
    expect(down.reason).toBe(`cannot reach the lab core at ws://127.0.0.1:${port}/api`);
    expect(down.epoch).toBe(0);
    const core = await startCore(api, port);
    cleanup.push(() => core.close());
    expect((await waitForStatus(bridge, (s) => s.state === 'open')).epoch).toBe(1);
  });

  it('stops for good when closed', async () => {
    const { api } = testApi();
    const core = await startCore(api);
    cleanup.push(() => core.close());
    const bridge = createWsBridge(`ws://127.0.0.1:${core.port}/api`, nodeSocketFactory);
    await waitForStatus(bridge, (s) => s.state === 'open');
    const hanging = bridge.api.listMessages(1, 1);
    bridge.close();
    expect(bridge.status()).toMatchObject({ state: 'down', reason: 'the link to the lab core was closed' });
    await expect(hanging).rejects.toThrow('disconnected from the lab core');
    await new Promise((r) => setTimeout(r, 600));
    expect(bridge.status().state).toBe('down');
  });
});
