// Serves a LabApi over any frame transport: the web face's WebSocket and the Electron utility
// process's MessagePort both use this. Only the commands in LAB_COMMAND_ARITY are callable;
// anything else gets an error result, never an exception in the core.
//
// Each link owns the terminals it opened: it may type into, resize and close only those, it hears
// only their output, and closing the link closes them. Terminal ids are predictable (t1, t2, ...),
// so without this one page could read or drive another page's terminal.

import type { LabApi, LabCommandName, LabEventName, LabEvents, LabWireFrame } from '../../../shared/lab-api';
import { LAB_COMMAND_ARITY, LAB_EVENT_NAMES, isLabCommandName } from '../../../shared/lab-api';

/** Commands whose first argument names a terminal, which must be one this link opened. */
const TERMINAL_COMMANDS: ReadonlySet<LabCommandName> = new Set<LabCommandName>(['terminalInput', 'terminalResize', 'closeTerminal']);

/**
 * Terminal output held while an openTerminal call is on its way back: a new session writes its
 * banner before its id is known. Output of other links' terminals can land here too, so it is
 * bounded; a banner is well under 1 KiB.
 */
export const MAX_HELD_TERMINAL_CHARS = 64 * 1024;

export interface WireServer {
  receive(frame: unknown): void;
  /** The link closed: stop forwarding events and close the terminals it opened. */
  close(): void;
}

export interface WireServerOptions {
  /** Where a frame that could not be sent, or a terminal that would not close, is reported. */
  log?: (message: string) => void;
}

export function noTerminalOnLinkError(terminalId: unknown): string {
  return `no terminal '${typeof terminalId === 'string' ? terminalId : JSON.stringify(terminalId)}' on this connection`;
}

type CallFrame = Extract<LabWireFrame, { kind: 'call' }>;
type TerminalEventName = 'terminal' | 'terminalExit';
type HeldEvent = { name: TerminalEventName; payload: LabEvents[TerminalEventName] };

export function isCallFrame(frame: unknown): frame is CallFrame {
  if (typeof frame !== 'object' || frame === null) return false;
  const f = frame as Record<string, unknown>;
  return (
    f.kind === 'call' &&
    typeof f.id === 'number' &&
    Number.isSafeInteger(f.id) &&
    isLabCommandName(f.method) &&
    Array.isArray(f.args) &&
    f.args.length <= LAB_COMMAND_ARITY[f.method]
  );
}

export function serveLabApi(api: LabApi, send: (frame: LabWireFrame) => void, options: WireServerOptions = {}): WireServer {
  const log = options.log ?? console.error;
  const ownTerminals = new Set<string>();
  let closed = false;
  let openingTerminals = 0;
  let held: HeldEvent[] = [];
  let heldChars = 0;

  /** A frame that cannot be sent (a closed socket, a value postMessage cannot clone) is logged, never thrown into the core. */
  const trySend = (frame: LabWireFrame, what: string): boolean => {
    try {
      send(frame);
      return true;
    } catch (err) {
      log(`protolab: could not send ${what}: ${describe(err)}`);
      return false;
    }
  };

  const closeTerminalQuietly = (terminalId: string) => {
    const report = (err: unknown) => log(`protolab: closing terminal ${terminalId} failed: ${describe(err)}`);
    try {
      api.closeTerminal(terminalId).catch(report);
    } catch (err) {
      report(err);
    }
  };

  const forward = (name: LabEventName, payload: unknown) => {
    if (!closed) trySend({ kind: 'event', name, payload }, `a '${name}' event`);
  };

  const hold = (event: HeldEvent) => {
    const size = event.name === 'terminal' ? (event.payload as LabEvents['terminal']).data.length : 0;
    if (heldChars + size > MAX_HELD_TERMINAL_CHARS) return;
    held.push(event);
    heldChars += size;
  };

  const onTerminalEvent = (event: HeldEvent) => {
    const { terminalId } = event.payload;
    if (ownTerminals.has(terminalId)) {
      forward(event.name, event.payload);
      if (event.name === 'terminalExit') ownTerminals.delete(terminalId);
    } else if (openingTerminals > 0) {
      hold(event);
    }
  };

  /** An openTerminal call of this link returned: the terminal is ours, with what it wrote meanwhile. */
  const adopt = (terminalId: string) => {
    if (closed) {
      // The page went away while the terminal was being opened: nobody will ever close it.
      closeTerminalQuietly(terminalId);
      return;
    }
    ownTerminals.add(terminalId);
    const mine = held.filter((e) => e.payload.terminalId === terminalId);
    for (const event of mine) onTerminalEvent(event);
  };

  const openTerminalSettled = () => {
    openingTerminals--;
    if (openingTerminals === 0) {
      held = [];
      heldChars = 0;
    }
  };

  const unsubscribe = LAB_EVENT_NAMES.map((name) =>
    api.on(name, (payload) => {
      switch (name) {
        case 'terminal':
        case 'terminalExit':
          onTerminalEvent({ name, payload } as HeldEvent);
          return;
        case 'services':
        case 'capture':
        case 'webCache':
        case 'resolver':
        case 'dnsLookup':
        case 'zones':
          forward(name, payload);
          return;
      }
    }),
  );

  const reply = (frame: CallFrame, outcome: { ok: true; value: unknown } | { ok: false; error: string }) => {
    if (closed) return;
    if (trySend({ kind: 'result', id: frame.id, ...outcome }, `the result of ${frame.method}`) || !outcome.ok) return;
    // The caller must not wait forever for a value that could not travel.
    trySend({ kind: 'result', id: frame.id, ok: false, error: `the result of ${frame.method} could not be sent to this page` }, `the error of ${frame.method}`);
  };

  return {
    receive(frame) {
      if (closed) return;
      if (!isCallFrame(frame)) {
        const id = typeof (frame as { id?: unknown })?.id === 'number' ? (frame as { id: number }).id : -1;
        trySend({ kind: 'result', id, ok: false, error: 'malformed call: expected {kind:"call", id, method, args} naming a LabApi command' }, 'an error result');
        return;
      }
      if (TERMINAL_COMMANDS.has(frame.method) && !(typeof frame.args[0] === 'string' && ownTerminals.has(frame.args[0]))) {
        reply(frame, { ok: false, error: noTerminalOnLinkError(frame.args[0]) });
        return;
      }
      const opening = frame.method === 'openTerminal';
      if (opening) openingTerminals++;
      const method = api[frame.method] as (...args: unknown[]) => Promise<unknown>;
      Promise.resolve()
        .then(() => method.apply(api, frame.args))
        .then(
          (value) => {
            if (opening) {
              const terminalId = (value as { terminalId?: unknown } | null)?.terminalId;
              if (typeof terminalId === 'string') adopt(terminalId);
              openTerminalSettled();
            }
            if (frame.method === 'closeTerminal') ownTerminals.delete(frame.args[0] as string);
            reply(frame, { ok: true, value: value ?? null });
          },
          (err: unknown) => {
            if (opening) openTerminalSettled();
            reply(frame, { ok: false, error: describe(err) });
          },
        )
        .catch((err: unknown) => log(`protolab: answering ${frame.method} failed: ${describe(err)}`));
    },
    close() {
      if (closed) return;
      closed = true;
      for (const u of unsubscribe) u();
      held = [];
      heldChars = 0;
      for (const terminalId of ownTerminals) closeTerminalQuietly(terminalId);
      ownTerminals.clear();
    },
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
