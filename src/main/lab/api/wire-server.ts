// Serves a LabApi over any frame transport: the web face's WebSocket and the Electron utility
// process's MessagePort both use this. Only the commands named in LAB_COMMAND_NAMES are callable;
// anything else gets an error result, never an exception in the core.

import type { LabApi, LabEventName, LabWireFrame } from '../../../shared/lab-api';
import { LAB_COMMAND_NAMES } from '../../../shared/lab-api';

const EVENTS: readonly LabEventName[] = ['services', 'capture', 'terminal', 'terminalExit'];

/** Largest argument list any LabApi command takes; more is a malformed call. */
const MAX_CALL_ARGS = 4;

export interface WireServer {
  receive(frame: unknown): void;
  /** Stop forwarding events (the link closed). */
  close(): void;
}

export function isCallFrame(frame: unknown): frame is Extract<LabWireFrame, { kind: 'call' }> {
  if (typeof frame !== 'object' || frame === null) return false;
  const f = frame as Record<string, unknown>;
  return (
    f.kind === 'call' &&
    typeof f.id === 'number' &&
    Number.isSafeInteger(f.id) &&
    typeof f.method === 'string' &&
    (LAB_COMMAND_NAMES as readonly string[]).includes(f.method) &&
    Array.isArray(f.args) &&
    f.args.length <= MAX_CALL_ARGS
  );
}

export function serveLabApi(api: LabApi, send: (frame: LabWireFrame) => void, options: { onTerminalOpened?: (id: string) => void } = {}): WireServer {
  const unsubscribe = EVENTS.map((name) => api.on(name, (payload) => send({ kind: 'event', name, payload })));
  let closed = false;
  return {
    receive(frame) {
      if (closed) return;
      if (!isCallFrame(frame)) {
        const id = typeof (frame as { id?: unknown })?.id === 'number' ? (frame as { id: number }).id : -1;
        send({ kind: 'result', id, ok: false, error: 'malformed call: expected {kind:"call", id, method, args} naming a LabApi command' });
        return;
      }
      const method = api[frame.method] as (...args: unknown[]) => Promise<unknown>;
      Promise.resolve()
        .then(() => method.apply(api, frame.args))
        .then(
          (value) => {
            if (frame.method === 'openTerminal') options.onTerminalOpened?.((value as { terminalId: string }).terminalId);
            if (!closed) send({ kind: 'result', id: frame.id, ok: true, value: value ?? null });
          },
          (err: unknown) => {
            if (!closed) send({ kind: 'result', id: frame.id, ok: false, error: err instanceof Error ? err.message : String(err) });
          },
        );
    },
    close() {
      closed = true;
      for (const u of unsubscribe) u();
    },
  };
}
