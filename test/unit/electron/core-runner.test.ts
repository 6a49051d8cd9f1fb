import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { LabApi, LabEventName, LabEvents, LabSnapshot } from '../../../src/shared/lab-api';
import type { CoreOptions } from '../../../src/main/electron/core-args';
import type { CoreOutbound } from '../../../src/main/electron/core-protocol';
import { runCore, type ProcessEventsLike, type RunningLab } from '../../../src/main/electron/core-runner';
import { settle } from './fake-electron';
import { unusedLabCommands } from '../../support/unused-lab-commands';

const OPTIONS: CoreOptions = { dataDir: '/data/lab', contentDir: '/app/content' };

class FakeLab implements RunningLab {
  readonly closed: string[] = [];
  stops = 0;
  private readonly events = new EventEmitter();
  private nextTerminal = 1;
  readonly api: LabApi;

  constructor() {
    const notUsed = () => Promise.reject(new Error('not used in this test'));
    this.api = {
      ...unusedLabCommands(),
      getSnapshot: async () => ({ dataDir: OPTIONS.dataDir, portOffset: 10000, services: [], hosts: [] }) as unknown as LabSnapshot,
      openTerminal: async () => ({ terminalId: `t${this.nextTerminal++}` }),
      closeTerminal: async (id: string) => {
        this.closed.push(id);
      },
      startService: notUsed,
      stopService: notUsed,
      resetData: notUsed,
      getWebCache: notUsed,
      setAccessLink: notUsed,
      clearWebCache: notUsed,
      listMessages: notUsed,
      getMessage: notUsed,
      listConnections: notUsed,
      terminalInput: notUsed,
      terminalResize: notUsed,
      on: <E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void) => {
        this.events.on(event, listener);
        return () => this.events.off(event, listener);
      },
    };
  }
  emit<E extends LabEventName>(event: E, payload: LabEvents[E]): void {
    this.events.emit(event, payload);
  }
  async stop(): Promise<void> {
    this.stops++;
  }
}

function makeCore(startLab: (options: CoreOptions) => Promise<RunningLab>) {
  const port = new EventEmitter();
  const posted: CoreOutbound[] = [];
  const exits: number[] = [];
  const logs: string[] = [];
  const processEvents = new EventEmitter();
  const runner = runCore({
    port: Object.assign(port, { postMessage: (m: CoreOutbound) => posted.push(m) }),
    processEvents: processEvents as unknown as ProcessEventsLike,
    options: OPTIONS,
    startLab,
    exit: (code) => exits.push(code),
    log: (m) => logs.push(m),
  });
  const deliver = (data: unknown) => port.emit('message', { data });
  return { runner, posted, exits, logs, deliver, processEvents };
}

describe('the core process runner', () => {
  it('starts the lab with the options it was given and says ready', async () => {
    const lab = new FakeLab();
    let given: CoreOptions | undefined;
    const { runner, posted } = makeCore(async (o) => ((given = o), lab));
    await runner.started;
    expect(given).toEqual(OPTIONS);
    expect(posted).toEqual([{ type: 'ready' }]);
  });

  it('serves LabApi calls and passes events on, inside frame messages', async () => {
    const lab = new FakeLab();
    const { runner, posted, deliver } = makeCore(async () => lab);
    await runner.started;
    deliver({ type: 'frame', frame: { kind: 'call', id: 1, method: 'getSnapshot', args: [] } });
    deliver({ type: 'frame', frame: { kind: 'call', id: 2, method: 'openTerminal', args: [{ cols: 80, rows: 24 }] } });
    await settle();
    lab.emit('terminal', { terminalId: 't1', data: '+OK POP3 ready\r\n' });
    lab.emit('services', []);
    expect(posted.slice(1)).toEqual([
      { type: 'frame', frame: { kind: 'result', id: 1, ok: true, value: expect.objectContaining({ dataDir: '/data/lab' }) } },
      { type: 'frame', frame: { kind: 'result', id: 2, ok: true, value: { terminalId: 't1' } } },
      { type: 'frame', frame: { kind: 'event', name: 'terminal', payload: { terminalId: 't1', data: '+OK POP3 ready\r\n' } } },
      { type: 'frame', frame: { kind: 'event', name: 'services', payload: [] } },
    ]);
  });

  it('gives a replaced page a fresh link: the old terminals are neither heard nor reachable from it', async () => {
    const lab = new FakeLab();
    const { runner, posted, deliver } = makeCore(async () => lab);
    await runner.started;
    deliver({ type: 'frame', frame: { kind: 'call', id: 1, method: 'openTerminal', args: [{ cols: 80, rows: 24 }] } });
    await settle();
    deliver({ type: 'renderer-reset' });
    posted.length = 0;
    lab.emit('terminal', { terminalId: 't1', data: 'late output\r\n' });
    deliver({ type: 'frame', frame: { kind: 'call', id: 1, method: 'terminalInput', args: ['t1', 'x'] } });
    deliver({ type: 'frame', frame: { kind: 'call', id: 2, method: 'getSnapshot', args: [] } });
    await settle();
    expect(posted).toEqual([
      { type: 'frame', frame: { kind: 'result', id: 1, ok: false, error: "no terminal 't1' on this connection" } },
      { type: 'frame', frame: { kind: 'result', id: 2, ok: true, value: expect.objectContaining({ dataDir: '/data/lab' }) } },
    ]);
  });

  it('closes the open terminals when it stops', async () => {
    const lab = new FakeLab();
    const { runner, deliver } = makeCore(async () => lab);
    await runner.started;
    deliver({ type: 'frame', frame: { kind: 'call', id: 1, method: 'openTerminal', args: [{ cols: 80, rows: 24 }] } });
    await settle();
    deliver({ type: 'stop' });
    await settle();
    expect(lab.closed).toEqual(['t1']);
    expect(lab.stops).toBe(1);
  });

  it('answers a malformed call with an error result and ignores messages that are not core messages', async () => {
    const lab = new FakeLab();
    const { runner, posted, deliver, logs } = makeCore(async () => lab);
    await runner.started;
    deliver({ type: 'frame', frame: { kind: 'call', id: 2, method: 'eval', args: [] } });
    deliver({ type: 'launch-missiles' });
    deliver(42);
    await settle();
    expect(posted.slice(1)).toEqual([{ type: 'frame', frame: { kind: 'result', id: 2, ok: false, error: expect.stringMatching(/malformed call/) } }]);
    expect(logs).toHaveLength(2);
  });

  it('closes the terminals the old page left open when the page is replaced', async () => {
    const lab = new FakeLab();
    const { runner, deliver } = makeCore(async () => lab);
    await runner.started;
    for (const id of [1, 2, 3]) deliver({ type: 'frame', frame: { kind: 'call', id, method: 'openTerminal', args: [{ cols: 80, rows: 24 }] } });
    await settle();
    lab.emit('terminalExit', { terminalId: 't2' });
    deliver({ type: 'renderer-reset' });
    await settle();
    expect(lab.closed).toEqual(['t1', 't3']);
    deliver({ type: 'renderer-reset' });
    await settle();
    expect(lab.closed).toEqual(['t1', 't3']);
  });

  it('stops the lab and exits 0 when asked', async () => {
    const lab = new FakeLab();
    const { runner, deliver, exits } = makeCore(async () => lab);
    await runner.started;
    deliver({ type: 'stop' });
    await settle();
    expect(lab.stops).toBe(1);
    expect(exits).toEqual([0]);
    deliver({ type: 'stop' });
    await settle();
    expect(exits).toEqual([0]);
  });

  it('stops right after starting when asked to stop while the lab was starting', async () => {
    const lab = new FakeLab();
    let finishStart!: () => void;
    const { runner, deliver, exits, posted } = makeCore(() => new Promise((resolve) => (finishStart = () => resolve(lab))));
    deliver({ type: 'stop' });
    finishStart();
    await runner.started;
    expect(lab.stops).toBe(1);
    expect(exits).toEqual([0]);
    expect(posted).toEqual([]);
  });

  it('stops on SIGTERM', async () => {
    const lab = new FakeLab();
    const { runner, processEvents, exits } = makeCore(async () => lab);
    await runner.started;
    processEvents.emit('SIGTERM');
    await settle();
    expect(lab.stops).toBe(1);
    expect(exits).toEqual([0]);
  });

  it('explains a failed start and exits 1', async () => {
    const { runner, posted, exits } = makeCore(async () => {
      throw new Error('content/world.yaml: unknown protocol "gopher"');
    });
    await runner.started;
    await settle();
    expect(posted).toEqual([{ type: 'fatal', message: 'the lab could not start: content/world.yaml: unknown protocol "gopher"' }]);
    expect(exits).toEqual([1]);
  });

  it('reports an uncaught exception as fatal, stops the lab and exits 1', async () => {
    const lab = new FakeLab();
    const { runner, posted, exits, processEvents } = makeCore(async () => lab);
    await runner.started;
    processEvents.emit('uncaughtException', new Error('boom'));
    processEvents.emit('unhandledRejection', new Error('second'));
    await settle();
    expect(posted.slice(1)).toEqual([{ type: 'fatal', message: 'the lab core crashed: boom' }]);
    expect(lab.stops).toBe(1);
    expect(exits).toEqual([1]);
  });
});
