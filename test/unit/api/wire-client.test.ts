import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabWireFrame } from '../../../src/shared/lab-api';
import { LAB_COMMAND_ARITY, LAB_COMMAND_NAMES, LAB_EVENT_NAMES, isLabCommandName, isLabEventName } from '../../../src/shared/lab-api';
import { createLabClient } from '../../../src/shared/wire-client';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the command and event tables', () => {
  it('name every command and event once', () => {
    expect([...LAB_COMMAND_NAMES].sort()).toEqual(
      [
        'closeTerminal',
        'getMessage',
        'getSnapshot',
        'listConnections',
        'listMessages',
        'openTerminal',
        'resetData',
        'startService',
        'stopService',
        'terminalInput',
        'terminalResize',
        'getWebCache',
        'setAccessLink',
        'clearWebCache',
        'getResolver',
        'setResolverMode',
        'flushResolverCache',
        'listDnsLookups',
        'listZones',
        'readZone',
        'saveZone',
      ].sort(),
    );
    expect([...LAB_EVENT_NAMES].sort()).toEqual(['capture', 'dnsLookup', 'resolver', 'services', 'terminal', 'terminalExit', 'webCache', 'zones']);
    expect(Object.keys(LAB_COMMAND_ARITY)).toEqual([...LAB_COMMAND_NAMES]);
  });

  it('recognise only their own names, not inherited ones', () => {
    expect(isLabCommandName('getSnapshot')).toBe(true);
    expect(isLabEventName('terminalExit')).toBe(true);
    for (const name of ['constructor', 'toString', '__proto__', 'on', 42, null]) {
      expect(isLabCommandName(name)).toBe(false);
      expect(isLabEventName(name)).toBe(false);
    }
  });
});

describe('the LabApi client', () => {
  it('has a function for every command, each sending a call frame', () => {
    const sent: LabWireFrame[] = [];
    const { api } = createLabClient((frame) => sent.push(frame));
    for (const name of LAB_COMMAND_NAMES) {
      expect(typeof api[name]).toBe('function');
      void (api[name] as (...args: unknown[]) => Promise<unknown>)('a', 1).catch(() => {});
    }
    expect(sent.map((f) => (f.kind === 'call' ? f.method : f.kind))).toEqual([...LAB_COMMAND_NAMES]);
    expect(sent[0]).toEqual({ kind: 'call', id: 1, method: LAB_COMMAND_NAMES[0], args: ['a', 1] });
  });

  it('resolves and rejects calls from result frames', async () => {
    const sent: LabWireFrame[] = [];
    const client = createLabClient((frame) => sent.push(frame));
    const snapshot = client.api.getSnapshot();
    const started = client.api.startService('gaia.cs.umass.edu/http/tcp');
    client.receive({ kind: 'result', id: 2, ok: false, error: 'no such service' });
    client.receive({ kind: 'result', id: 1, ok: true, value: { dataDir: '/lab' } });
    await expect(snapshot).resolves.toEqual({ dataDir: '/lab' });
    await expect(started).rejects.toThrow('no such service');
  });

  it('keeps delivering an event to the other listeners when one throws, and logs the failure', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = createLabClient(() => {});
    const heard: string[] = [];
    client.api.on('terminal', () => heard.push('first'));
    client.api.on('terminal', () => {
      throw new Error('a pane crashed');
    });
    client.api.on('terminal', () => heard.push('third'));
    expect(() => client.receive({ kind: 'event', name: 'terminal', payload: { terminalId: 't1', data: 'x' } })).not.toThrow();
    expect(heard).toEqual(['first', 'third']);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0][0])).toContain("a 'terminal' listener failed");
    expect(logged.mock.calls[0][1]).toEqual(new Error('a pane crashed'));
  });

  it('stops calling a listener once it unsubscribes', () => {
    const client = createLabClient(() => {});
    const heard: unknown[] = [];
    const off = client.api.on('services', (s) => heard.push(s));
    client.receive({ kind: 'event', name: 'services', payload: [] });
    off();
    client.receive({ kind: 'event', name: 'services', payload: [] });
    expect(heard).toEqual([[]]);
  });

  it('fails every pending call when the link goes, and a call whose send throws', async () => {
    let broken = false;
    const client = createLabClient(() => {
      if (broken) throw new Error('the socket is closed');
    });
    const pending = client.api.listConnections();
    client.fail('disconnected from the lab core');
    await expect(pending).rejects.toThrow('disconnected from the lab core');
    broken = true;
    await expect(client.api.getSnapshot()).rejects.toThrow('the socket is closed');
  });
});
