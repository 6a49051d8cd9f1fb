import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { LAB_FRAME_CHANNEL, LAB_LINK_CHANNEL, PRELOAD_GLOBAL_NAME } from '../../../src/shared/electron-bridge';
import { LAB_COMMAND_NAMES, type LabApi } from '../../../src/shared/lab-api';

// The preload's view of electron: contextBridge records what is exposed, ipcRenderer records sends.
const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const sent: { channel: string; args: unknown[] }[] = [];
  return { exposed, sent, ipcListeners: null as null | import('node:events').EventEmitter };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const ipc = new Emitter();
  electron.ipcListeners = ipc;
  return {
    contextBridge: { exposeInMainWorld: (name: string, value: unknown) => electron.exposed.set(name, value) },
    ipcRenderer: {
      send: (channel: string, ...args: unknown[]) => electron.sent.push({ channel, args }),
      on: (channel: string, listener: (...args: unknown[]) => void) => ipc.on(channel, listener),
    },
  };
});

describe('the preload', () => {
  let api: LabApi;
  const fromMain = (channel: string, message: unknown) => (electron.ipcListeners as EventEmitter).emit(channel, {}, message);

  beforeAll(async () => {
    await import('../../../src/preload/index');
    api = electron.exposed.get(PRELOAD_GLOBAL_NAME) as LabApi;
  });

  it(`exposes one global, ${PRELOAD_GLOBAL_NAME}, and nothing else`, () => {
    expect([...electron.exposed.keys()]).toEqual([PRELOAD_GLOBAL_NAME]);
  });

  it('exposes exactly the LabApi commands and on, all of them functions', () => {
    expect(Object.keys(api).sort()).toEqual([...LAB_COMMAND_NAMES, 'on'].sort());
    for (const [name, value] of Object.entries(api)) expect(typeof value, name).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('turns a call into a call frame on the frame channel and resolves with the result frame', async () => {
    const resize = api.terminalResize('t1', 100, 30);
    const sent = electron.sent.at(-1)!;
    expect(sent.channel).toBe(LAB_FRAME_CHANNEL);
    const frame = sent.args[0] as { kind: string; id: number; method: string; args: unknown[] };
    expect(frame).toEqual({ kind: 'call', id: frame.id, method: 'terminalResize', args: ['t1', 100, 30] });
    fromMain(LAB_FRAME_CHANNEL, { kind: 'result', id: frame.id, ok: true, value: null });
    await expect(resize).resolves.toBeNull();
  });

  it('rejects a call with the error the core sent', async () => {
    const start = api.startService('gaia.cs.umass.edu/http');
    const frame = electron.sent.at(-1)!.args[0] as { id: number };
    fromMain(LAB_FRAME_CHANNEL, { kind: 'result', id: frame.id, ok: false, error: 'port 10080 is in use' });
    await expect(start).rejects.toThrow('port 10080 is in use');
  });

  it('delivers events to listeners until they unsubscribe, and ignores frames that are not for the page', () => {
    const seen: unknown[] = [];
    const off = api.on('terminal', (payload) => seen.push(payload));
    fromMain(LAB_FRAME_CHANNEL, { kind: 'event', name: 'terminal', payload: { terminalId: 't1', data: 'a' } });
    fromMain(LAB_FRAME_CHANNEL, { kind: 'call', id: 1, method: 'getSnapshot', args: [] });
    fromMain(LAB_FRAME_CHANNEL, null);
    off();
    fromMain(LAB_FRAME_CHANNEL, { kind: 'event', name: 'terminal', payload: { terminalId: 't1', data: 'b' } });
    expect(seen).toEqual([{ terminalId: 't1', data: 'a' }]);
  });

  it('fails every pending call with the reason when the main process says the core is down', async () => {
    const snapshot = api.getSnapshot();
    const connections = api.listConnections();
    fromMain(LAB_LINK_CHANNEL, { state: 'up' });
    fromMain(LAB_LINK_CHANNEL, { state: 'down', reason: 'the lab core process exited unexpectedly (exit code 1)' });
    await expect(snapshot).rejects.toThrow('exited unexpectedly (exit code 1)');
    await expect(connections).rejects.toThrow('exited unexpectedly (exit code 1)');
  });
});
