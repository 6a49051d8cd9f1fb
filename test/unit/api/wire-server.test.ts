import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabApi, LabEventName, LabEvents, LabSnapshot, LabWireFrame } from '../../../src/shared/lab-api';
import { LAB_COMMAND_ARITY, LAB_COMMAND_NAMES } from '../../../src/shared/lab-api';
import { MAX_HELD_TERMINAL_CHARS, isCallFrame, serveLabApi, type WireServer } from '../../../src/main/lab/api/wire-server';
import { unusedLabCommands } from '../../support/unused-lab-commands';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A LabApi shaped like the lab's: ids t1, t2, ...; a new terminal writes its banner before openTerminal returns. */
class FakeLab {
  readonly events = new EventEmitter();
  readonly input: string[] = [];
  readonly resized: string[] = [];
  readonly closed: string[] = [];
  private nextTerminal = 1;
  private readonly open = new Set<string>();
  /** When set, openTerminal waits for this before returning. */
  gate: Promise<void> | null = null;
  readonly api: LabApi;

  constructor() {
    const notUsed = () => Promise.reject(new Error('not used in this test'));
    this.api = {
      ...unusedLabCommands(),
      getSnapshot: async () => ({ dataDir: '/lab' }) as LabSnapshot,
      startService: async (id) => {
        throw new Error(`no service ${id}`);
      },
      stopService: notUsed,
      resetData: notUsed,
      getWebCache: notUsed,
      setAccessLink: notUsed,
      clearWebCache: notUsed,
      listMessages: notUsed,
      getMessage: async () => null,
      listConnections: async () => [],
      openTerminal: async () => {
        const terminalId = `t${this.nextTerminal++}`;
        this.open.add(terminalId);
        this.emit('terminal', { terminalId, data: `welcome to ${terminalId}\r\n` });
        if (this.gate) await this.gate;
        return { terminalId };
      },
      terminalInput: async (id, data) => {
        this.input.push(`${id}:${data}`);
      },
      terminalResize: async (id, cols, rows) => {
        this.resized.push(`${id}:${cols}x${rows}`);
      },
      closeTerminal: async (id) => {
        this.closed.push(id);
        if (this.open.delete(id)) this.emit('terminalExit', { terminalId: id });
      },
      on: <E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void) => {
        this.events.on(event, listener);
        return () => this.events.off(event, listener);
      },
    };
  }

  emit<E extends LabEventName>(event: E, payload: LabEvents[E]): void {
    this.events.emit(event, payload);
  }
}

interface TestLink {
  server: WireServer;
  sent: LabWireFrame[];
  logs: string[];
  call(id: number, method: string, ...args: unknown[]): void;
  result(id: number): LabWireFrame | undefined;
  events(): Extract<LabWireFrame, { kind: 'event' }>[];
}

function link(api: LabApi, send?: (frame: LabWireFrame) => void): TestLink {
  const sent: LabWireFrame[] = [];
  const logs: string[] = [];
  const server = serveLabApi(api, send ?? ((frame) => sent.push(frame)), { log: (m) => logs.push(m) });
  return {
    server,
    sent,
    logs,
    call: (id, method, ...args) => server.receive({ kind: 'call', id, method, args }),
    result: (id) => sent.find((f) => f.kind === 'result' && f.id === id),
    events: () => sent.filter((f): f is Extract<LabWireFrame, { kind: 'event' }> => f.kind === 'event'),
  };
}

async function openTerminal(l: TestLink, id: number): Promise<string> {
  l.call(id, 'openTerminal', { cols: 80, rows: 24 });
  await settle();
  const r = l.result(id);
  if (r?.kind !== 'result' || !r.ok) throw new Error(`openTerminal failed: ${JSON.stringify(r)}`);
  return (r.value as { terminalId: string }).terminalId;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the wire server', () => {
  it('answers calls with results and errors with error results', async () => {
    const lab = new FakeLab();
    const a = link(lab.api);
    a.call(1, 'getSnapshot');
    a.call(2, 'startService', 'nowhere/echo');
    await settle();
    expect(a.sent).toEqual([
      { kind: 'result', id: 1, ok: true, value: { dataDir: '/lab' } },
      { kind: 'result', id: 2, ok: false, error: 'no service nowhere/echo' },
    ]);
  });

  it('refuses a call with more arguments than its command takes, and names outside the command table', () => {
    expect(isCallFrame({ kind: 'call', id: 1, method: 'terminalResize', args: ['t1', 80, 24] })).toBe(true);
    expect(isCallFrame({ kind: 'call', id: 1, method: 'terminalResize', args: ['t1', 80, 24, 'extra'] })).toBe(false);
    expect(isCallFrame({ kind: 'call', id: 1, method: 'getSnapshot', args: [] })).toBe(true);
    expect(isCallFrame({ kind: 'call', id: 1, method: 'getSnapshot', args: [1] })).toBe(false);
    for (const method of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'on']) {
      expect(isCallFrame({ kind: 'call', id: 1, method, args: [] })).toBe(false);
    }
    const lab = new FakeLab();
    const a = link(lab.api);
    a.call(3, 'terminalResize', 't1', 80, 24, 'extra');
    expect(a.result(3)).toMatchObject({ ok: false, error: expect.stringMatching(/^malformed call/) });
  });

  it("the command table's arities are each method's parameter count, the largest being 3", () => {
    expect(Math.max(...Object.values(LAB_COMMAND_ARITY))).toBe(3);
    expect(LAB_COMMAND_NAMES).toHaveLength(21);
  });

  it("delivers a new terminal's banner, written before its id is known, ahead of the openTerminal result", async () => {
    const lab = new FakeLab();
    const a = link(lab.api);
    await openTerminal(a, 1);
    expect(a.sent).toEqual([
      { kind: 'event', name: 'terminal', payload: { terminalId: 't1', data: 'welcome to t1\r\n' } },
      { kind: 'result', id: 1, ok: true, value: { terminalId: 't1' } },
    ]);
  });

  it("forwards only its own terminals' output and exits, and services and capture events to everyone", async () => {
    const lab = new FakeLab();
    const a = link(lab.api);
    const b = link(lab.api);
    const ta = await openTerminal(a, 1);
    const tb = await openTerminal(b, 1);
    a.sent.length = 0;
    b.sent.length = 0;
    lab.emit('terminal', { terminalId: ta, data: 'for a' });
    lab.emit('terminal', { terminalId: tb, data: 'for b' });
    lab.emit('terminal', { terminalId: 't99', data: 'for some other face' });
    lab.emit('terminalExit', { terminalId: tb });
    lab.emit('services', []);
    expect(a.events()).toEqual([
      { kind: 'event', name: 'terminal', payload: { terminalId: ta, data: 'for a' } },
      { kind: 'event', name: 'services', payload: [] },
    ]);
    expect(b.events()).toEqual([
      { kind: 'event', name: 'terminal', payload: { terminalId: tb, data: 'for b' } },
      { kind: 'event', name: 'terminalExit', payload: { terminalId: tb } },
      { kind: 'event', name: 'services', payload: [] },
    ]);
    // After its exit the terminal is no longer this link's.
    b.call(2, 'terminalInput', tb, 'x');
    expect(b.result(2)).toEqual({ kind: 'result', id: 2, ok: false, error: `no terminal '${tb}' on this connection` });
  });

  it("refuses to type into, resize or close another link's terminal", async () => {
    const lab = new FakeLab();
    const a = link(lab.api);
    const b = link(lab.api);
    const ta = await openTerminal(a, 1);
    b.call(1, 'terminalInput', ta, 'rm -rf /\r');
    b.call(2, 'terminalResize', ta, 100, 40);
    b.call(3, 'closeTerminal', ta);
    b.call(4, 'terminalInput', 42, 'x');
    await settle();
    expect(b.sent.filter((f) => f.kind === 'result')).toEqual([
      { kind: 'result', id: 1, ok: false, error: `no terminal '${ta}' on this connection` },
      { kind: 'result', id: 2, ok: false, error: `no terminal '${ta}' on this connection` },
      { kind: 'result', id: 3, ok: false, error: `no terminal '${ta}' on this connection` },
      { kind: 'result', id: 4, ok: false, error: "no terminal '42' on this connection" },
    ]);
    expect(lab.input).toEqual([]);
    expect(lab.resized).toEqual([]);
    expect(lab.closed).toEqual([]);

    a.call(2, 'terminalInput', ta, 'help\r');
    a.call(3, 'terminalResize', ta, 100, 40);
    await settle();
    expect(lab.input).toEqual([`${ta}:help\r`]);
    expect(lab.resized).toEqual([`${ta}:100x40`]);
    a.call(4, 'closeTerminal', ta);
    await settle();
    expect(lab.closed).toEqual([ta]);
    expect(a.result(4)).toEqual({ kind: 'result', id: 4, ok: true, value: null });
    a.call(5, 'terminalInput', ta, 'x');
    expect(a.result(5)).toMatchObject({ ok: false, error: `no terminal '${ta}' on this connection` });
  });

  it('closes the terminals it opened when it closes, and stops forwarding', async () => {
    const lab = new FakeLab();
    const a = link(lab.api);
    const b = link(lab.api);
    const t1 = await openTerminal(a, 1);
    const t2 = await openTerminal(a, 2);
    const t3 = await openTerminal(b, 1);
    a.call(3, 'closeTerminal', t1);
    await settle();
    a.server.close();
    await settle();
    expect(lab.closed).toEqual([t1, t2]);
    const before = a.sent.length;
    lab.emit('services', []);
    a.call(9, 'getSnapshot');
    await settle();
    expect(a.sent).toHaveLength(before);
    expect(b.events().at(-1)).toEqual({ kind: 'event', name: 'services', payload: [] });
    a.server.close();
    expect(lab.closed).toEqual([t1, t2]);
    expect(lab.closed).not.toContain(t3);
  });

  it('closes right away a terminal whose openTerminal call returns after the link closed', async () => {
    const lab = new FakeLab();
    let release!: () => void;
    lab.gate = new Promise((resolve) => (release = resolve));
    const a = link(lab.api);
    a.call(1, 'openTerminal', { cols: 80, rows: 24 });
    await settle();
    a.server.close();
    release();
    await settle();
    expect(lab.closed).toEqual(['t1']);
    expect(a.sent).toEqual([]);
  });

  it('holds only a bounded amount of output while a terminal is being opened', async () => {
    const lab = new FakeLab();
    let release!: () => void;
    lab.gate = new Promise((resolve) => (release = resolve));
    const a = link(lab.api);
    a.call(1, 'openTerminal', { cols: 80, rows: 24 });
    await settle();
    // The banner (t1) is held; then output while the call is still open, past the bound.
    const chunk = 'x'.repeat(1024);
    for (let i = 0; i < MAX_HELD_TERMINAL_CHARS / chunk.length + 8; i++) lab.emit('terminal', { terminalId: 't1', data: chunk });
    release();
    await settle();
    const delivered = a.events().reduce((n, e) => n + (e.payload as { data: string }).data.length, 0);
    expect(delivered).toBeLessThanOrEqual(MAX_HELD_TERMINAL_CHARS);
    expect(delivered).toBeGreaterThan(MAX_HELD_TERMINAL_CHARS - chunk.length);
    expect(a.events()[0]).toEqual({ kind: 'event', name: 'terminal', payload: { terminalId: 't1', data: 'welcome to t1\r\n' } });
    expect(a.result(1)).toMatchObject({ ok: true, value: { terminalId: 't1' } });
  });

  it('logs a frame that cannot be sent, answers the call with an error instead, and never rejects unhandled', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const lab = new FakeLab();
      const sent: LabWireFrame[] = [];
      // Like postMessage refusing a value it cannot clone.
      const a = link(lab.api, (frame) => {
        if (frame.kind === 'result' && frame.ok) throw new Error('DataCloneError: could not be cloned');
        sent.push(frame);
      });
      a.call(1, 'getSnapshot');
      await settle();
      expect(sent).toEqual([{ kind: 'result', id: 1, ok: false, error: 'the result of getSnapshot could not be sent to this page' }]);
      expect(a.logs).toEqual(['protolab: could not send the result of getSnapshot: DataCloneError: could not be cloned']);

      const broken = link(lab.api, () => {
        throw new Error('the port is closed');
      });
      broken.call(2, 'getSnapshot');
      broken.call(3, 'startService', 'x');
      broken.server.receive('garbage');
      // An event whose send throws must not throw into the lab's emitter either.
      expect(() => lab.emit('services', [])).not.toThrow();
      await settle();
      expect(broken.logs).toEqual([
        'protolab: could not send an error result: the port is closed',
        "protolab: could not send a 'services' event: the port is closed",
        'protolab: could not send the result of getSnapshot: the port is closed',
        'protolab: could not send the error of getSnapshot: the port is closed',
        'protolab: could not send the result of startService: the port is closed',
      ]);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('logs a terminal that will not close when the link closes', async () => {
    const lab = new FakeLab();
    const a = link(lab.api);
    await openTerminal(a, 1);
    lab.api.closeTerminal = async () => {
      throw new Error('the lab has stopped');
    };
    a.server.close();
    await settle();
    expect(a.logs).toEqual(['protolab: closing terminal t1 failed: the lab has stopped']);
  });
});
