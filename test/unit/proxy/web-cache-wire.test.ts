import { describe, expect, it } from 'vitest';
import { serveLabApi } from '../../../src/main/lab/api/wire-server';
import type { LabApi, LabEventName, LabEvents, LabWireFrame } from '../../../src/shared/lab-api';
import { LAB_COMMAND_ARITY } from '../../../src/shared/lab-api';
import type { WebCacheState } from '../../../src/shared/web-cache';
import { createLabClient } from '../../../src/shared/wire-client';
import { unusedLabCommands } from '../../support/unused-lab-commands';

const STATE = { link: { delayMs: 5, bandwidthBps: null } } as unknown as WebCacheState;

/** The web cache commands and event, from a face's client through the wire server to a core and back. */
function wired() {
  const listeners = new Map<LabEventName, Set<(p: unknown) => void>>();
  const calls: string[] = [];
  const notUsed = () => Promise.reject(new Error('not used in this test'));
  const core: LabApi = {
    ...unusedLabCommands(),
    getSnapshot: notUsed,
    startService: notUsed,
    stopService: notUsed,
    resetData: notUsed,
    listMessages: notUsed,
    getMessage: notUsed,
    listConnections: notUsed,
    openTerminal: notUsed,
    terminalInput: notUsed,
    terminalResize: notUsed,
    closeTerminal: notUsed,
    getWebCache: async () => (calls.push('getWebCache'), STATE),
    setAccessLink: async (s) => (calls.push(`setAccessLink ${JSON.stringify(s)}`), { ...STATE, link: s }),
    clearWebCache: async () => (calls.push('clearWebCache'), STATE),
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
  let server: ReturnType<typeof serveLabApi> | null = null;
  const client = createLabClient((frame) => queueMicrotask(() => server!.receive(JSON.parse(JSON.stringify(frame)))));
  server = serveLabApi(core, (frame: LabWireFrame) => queueMicrotask(() => client.receive(JSON.parse(JSON.stringify(frame)))));
  return { api: client.api, calls, emit };
}

describe('the web cache over the wire', () => {
  it('takes the three commands with their arities', async () => {
    expect([LAB_COMMAND_ARITY.getWebCache, LAB_COMMAND_ARITY.setAccessLink, LAB_COMMAND_ARITY.clearWebCache]).toEqual([0, 1, 0]);
    const w = wired();
    expect(await w.api.getWebCache()).toEqual(STATE);
    expect((await w.api.setAccessLink({ delayMs: 100, bandwidthBps: 1_540_000 })).link).toEqual({ delayMs: 100, bandwidthBps: 1_540_000 });
    await w.api.clearWebCache();
    expect(w.calls).toEqual(['getWebCache', 'setAccessLink {"delayMs":100,"bandwidthBps":1540000}', 'clearWebCache']);
  });

  it('forwards webCache events to every face', async () => {
    const w = wired();
    const got: WebCacheState[] = [];
    w.api.on('webCache', (s) => got.push(s));
    w.emit('webCache', STATE);
    await new Promise((r) => setTimeout(r, 0));
    expect(got).toEqual([STATE]);
  });
});
