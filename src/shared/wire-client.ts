// The LabApi client both bridges share: the renderer's WebSocket bridge and the Electron preload.
// It turns method calls into `call` frames and `result`/`event` frames back into promises and
// listener calls. Pure (no DOM, no Node), so it runs on either side of the bridge.

import type { LabApi, LabCommandName, LabCommands, LabEventName, LabEvents, LabWireFrame } from './lab-api';

export interface LabClient {
  api: LabApi;
  /** Feed a frame received from the core. */
  receive(frame: LabWireFrame): void;
  /** The link is gone: every pending call fails with this reason. */
  fail(reason: string): void;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export function createLabClient(send: (frame: LabWireFrame) => void): LabClient {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<LabEventName, Set<(payload: unknown) => void>>();

  const call = (method: LabCommandName, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      try {
        send({ kind: 'call', id, method, args });
      } catch (err) {
        pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });

  const command =
    <K extends LabCommandName>(name: K) =>
    (...args: Parameters<LabCommands[K]>) =>
      call(name, args) as ReturnType<LabCommands[K]>;

  // Spelled out rather than looped over LAB_COMMAND_NAMES so that the compiler checks each one.
  const api = {
    getSnapshot: command('getSnapshot'),
    startService: command('startService'),
    stopService: command('stopService'),
    resetData: command('resetData'),
    listMessages: command('listMessages'),
    getMessage: command('getMessage'),
    listConnections: command('listConnections'),
    openTerminal: command('openTerminal'),
    terminalInput: command('terminalInput'),
    terminalResize: command('terminalResize'),
    closeTerminal: command('closeTerminal'),
    getWebCache: command('getWebCache'),
    setAccessLink: command('setAccessLink'),
    clearWebCache: command('clearWebCache'),
    getResolver: command('getResolver'),
    setResolverMode: command('setResolverMode'),
    flushResolverCache: command('flushResolverCache'),
    listDnsLookups: command('listDnsLookups'),
    listZones: command('listZones'),
    readZone: command('readZone'),
    saveZone: command('saveZone'),
    on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set!.delete(l);
    },
  } satisfies LabApi;

  return {
    api,
    receive(frame) {
      if (frame.kind === 'result') {
        const p = pending.get(frame.id);
        if (!p) return;
        pending.delete(frame.id);
        if (frame.ok) p.resolve(frame.value);
        else p.reject(new Error(frame.error));
      } else if (frame.kind === 'event') {
        // One failing listener must neither starve the others nor throw into the transport.
        for (const l of [...(listeners.get(frame.name) ?? [])]) {
          try {
            l(frame.payload);
          } catch (err) {
            console.error(`protolab: a '${frame.name}' listener failed:`, err);
          }
        }
      }
    },
    fail(reason) {
      for (const p of pending.values()) p.reject(new Error(reason));
      pending.clear();
    },
  };
}
