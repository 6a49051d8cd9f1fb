import { describe, expect, it } from 'vitest';
import { CORE_STOP_TIMEOUT_MS, CoreHost, MAX_CALLS_QUEUED_BEFORE_READY } from '../../../src/main/electron/core-host';
import type { CallFrame, CoreToFaceFrame } from '../../../src/main/electron/core-protocol';
import { FakeUtilityProcess } from './fake-electron';

const call = (id: number): CallFrame => ({ kind: 'call', id, method: 'getSnapshot', args: [] });

function makeHost() {
  const forked: FakeUtilityProcess[] = [];
  const toPage: CoreToFaceFrame[] = [];
  const downs: string[] = [];
  const logs: string[] = [];
  const timers: { ms: number; callback: () => void; cancelled: boolean }[] = [];
  const host = new CoreHost({
    fork: (modulePath, args, options) => {
      const child = new FakeUtilityProcess(modulePath, args, options);
      forked.push(child);
      return child;
    },
    entry: '/app/out/main/core.js',
    options: { dataDir: '/data/lab', contentDir: '/app/content', portOffset: 20000 },
    onFrame: (frame) => toPage.push(frame),
    onDown: (reason) => downs.push(reason),
    log: (m) => logs.push(m),
    setTimeout: (callback, ms) => {
      const timer = { ms, callback, cancelled: false };
      timers.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    },
  });
  const child = () => forked[forked.length - 1]!;
  return { host, forked, child, toPage, downs, logs, timers };
}

describe('CoreHost', () => {
  it('forks the core entry with the lab options as arguments', () => {
    const { host, child } = makeHost();
    host.start();
    expect(host.state).toBe('starting');
    expect(child().modulePath).toBe('/app/out/main/core.js');
    expect(child().args).toEqual(['--protolab-data-dir=/data/lab', '--protolab-content-dir=/app/content', '--protolab-port-offset=20000']);
  });

  it('holds calls until the core is ready, then delivers them in order', () => {
    const { host, child } = makeHost();
    host.start();
    host.send(call(1));
    host.send(call(2));
    expect(child().posted).toEqual([]);
    child().emit('message', { type: 'ready' });
    expect(host.state).toBe('ready');
    host.send(call(3));
    expect(child().posted).toEqual([1, 2, 3].map((id) => ({ type: 'frame', frame: call(id) })));
  });

  it(`refuses the call past ${MAX_CALLS_QUEUED_BEFORE_READY} waiting for a core that is still starting`, () => {
    const { host, child, toPage } = makeHost();
    host.start();
    for (let id = 1; id <= MAX_CALLS_QUEUED_BEFORE_READY; id++) host.send(call(id));
    expect(toPage).toEqual([]);
    host.send(call(MAX_CALLS_QUEUED_BEFORE_READY + 1));
    expect(toPage).toEqual([{ kind: 'result', id: MAX_CALLS_QUEUED_BEFORE_READY + 1, ok: false, error: expect.stringMatching(/still starting/) }]);
    child().emit('message', { type: 'ready' });
    expect(child().posted).toHaveLength(MAX_CALLS_QUEUED_BEFORE_READY);
  });

  it('refuses calls while the core is not running', () => {
    const { host, toPage } = makeHost();
    host.send(call(9));
    expect(toPage).toEqual([{ kind: 'result', id: 9, ok: false, error: 'the lab core is not running' }]);
  });

  it('passes result and event frames from the core to the page, and ignores malformed ones', () => {
    const { host, child, toPage, logs } = makeHost();
    host.start();
    child().emit('message', { type: 'ready' });
    const result = { kind: 'result', id: 1, ok: true, value: { services: [] } };
    const event = { kind: 'event', name: 'services', payload: [] };
    child().emit('message', { type: 'frame', frame: result });
    child().emit('message', { type: 'frame', frame: event });
    child().emit('message', { type: 'frame', frame: call(5) });
    child().emit('message', 'hello');
    expect(toPage).toEqual([result, event]);
    expect(logs).toHaveLength(2);
  });

  it("reports an unexpected exit with the core's own explanation and fails the calls still waiting", () => {
    const { host, child, downs, toPage } = makeHost();
    host.start();
    host.send(call(1));
    child().emit('message', { type: 'fatal', message: 'the lab could not start: content/world.yaml: line 3: bad indentation' });
    child().emit('exit', 1);
    expect(host.state).toBe('stopped');
    expect(downs).toEqual(['the lab could not start: content/world.yaml: line 3: bad indentation']);
    expect(toPage).toEqual([{ kind: 'result', id: 1, ok: false, error: downs[0] }]);
  });

  it('names the exit code when the core died without a word', () => {
    const { host, child, downs } = makeHost();
    host.start();
    child().emit('message', { type: 'ready' });
    child().emit('exit', 134);
    expect(downs).toEqual(['the lab core process exited unexpectedly (exit code 134)']);
  });

  it('starts a fresh core after a crash, and ignores the dead one', () => {
    const { host, forked, child, toPage } = makeHost();
    host.start();
    const first = child();
    first.emit('exit', 1);
    host.start();
    expect(forked).toHaveLength(2);
    first.emit('message', { type: 'frame', frame: { kind: 'event', name: 'services', payload: [] } });
    expect(toPage).toEqual([]);
    child().emit('message', { type: 'ready' });
    host.send(call(1));
    expect(child().posted).toEqual([{ type: 'frame', frame: call(1) }]);
  });

  it('tells the core when the page was replaced, once it is ready', () => {
    const { host, child } = makeHost();
    host.start();
    host.rendererReset();
    expect(child().posted).toEqual([]);
    child().emit('message', { type: 'ready' });
    host.rendererReset();
    expect(child().posted).toEqual([{ type: 'renderer-reset' }]);
  });

  it('stops by asking the core, and resolves when it has exited, without reporting it as down', async () => {
    const { host, child, downs, timers } = makeHost();
    host.start();
    child().emit('message', { type: 'ready' });
    let stopped = false;
    const stopping = host.stop().then(() => (stopped = true));
    expect(child().posted).toEqual([{ type: 'stop' }]);
    expect(host.state).toBe('stopping');
    await Promise.resolve();
    expect(stopped).toBe(false);
    child().emit('exit', 0);
    await stopping;
    expect(downs).toEqual([]);
    expect(timers[0]!.cancelled).toBe(true);
    expect(child().killed).toBe(false);
  });

  it(`kills a core that has not exited ${CORE_STOP_TIMEOUT_MS} ms after being asked to stop`, async () => {
    const { host, child, timers, logs } = makeHost();
    host.start();
    child().emit('message', { type: 'ready' });
    const stopping = host.stop();
    const second = host.stop();
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBe(CORE_STOP_TIMEOUT_MS);
    timers[0]!.callback();
    expect(child().killed).toBe(true);
    expect(logs[0]).toMatch(/did not stop/);
    child().emit('exit', 15);
    await Promise.all([stopping, second]);
    expect(host.state).toBe('stopped');
  });

  it('stops at once when there is no core', async () => {
    const { host } = makeHost();
    await host.stop();
    expect(host.state).toBe('stopped');
  });
});
