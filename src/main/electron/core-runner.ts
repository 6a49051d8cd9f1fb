// What runs inside the lab core's utility process: start the lab, serve its LabApi over the
// parent port (one link per page, so a page that went away takes its terminals with it), stop
// cleanly when asked. Everything process-specific (the port, exit, the lab itself) is passed in,
// so this is tested in plain Node.

import type { LabApi } from '../../shared/lab-api';
import { serveLabApi } from '../lab/api/wire-server';
import type { CoreOptions } from './core-args';
import { isCoreInbound, type CoreOutbound } from './core-protocol';

/** The utility process's `process.parentPort`, as much of it as the runner uses. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: CoreOutbound): void;
}

/** The utility process's `process`: where fatal errors and termination signals arrive. */
export interface ProcessEventsLike {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

export interface RunningLab {
  readonly api: LabApi;
  stop(): Promise<void>;
}

export interface CoreRunnerInputs {
  port: ParentPortLike;
  processEvents: ProcessEventsLike;
  options: CoreOptions;
  startLab(options: CoreOptions): Promise<RunningLab>;
  exit(code: number): void;
  log?: (message: string) => void;
}

export interface CoreRunner {
  /** Resolves once the lab is serving (or has failed and exit was called). */
  readonly started: Promise<void>;
}

export function runCore(inputs: CoreRunnerInputs): CoreRunner {
  const { port, exit } = inputs;
  const log = inputs.log ?? console.error;
  let lab: RunningLab | null = null;
  let closeServer = (): void => {};
  let stopping = false;
  let stopRequestedDuringStart = false;

  const fail = (message: string) => {
    if (stopping) return;
    stopping = true;
    port.postMessage({ type: 'fatal', message });
    closeServer();
    const stopped = lab ? lab.stop().catch(() => {}) : Promise.resolve();
    void stopped.then(() => exit(1));
  };

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    closeServer();
    try {
      await lab?.stop();
    } catch (err) {
      log(`protolab core: stopping the lab failed: ${describe(err)}`);
      code = code || 1;
    }
    exit(code);
  };

  /** Replaced once the lab is up: a new page gets a new link, and closing the old one closes its terminals. */
  let startNewPageLink = (): void => {};

  /** Before the lab is up there is nothing to stop yet: stop right after it starts. */
  const requestStop = () => {
    if (lab) void stop(0);
    else stopRequestedDuringStart = true;
  };

  let receiveFrame: (frame: unknown) => void = () => {};

  port.on('message', ({ data }) => {
    if (!isCoreInbound(data)) {
      log(`protolab core: ignored a message that is not a core message: ${preview(data)}`);
      return;
    }
    switch (data.type) {
      case 'frame':
        receiveFrame(data.frame);
        return;
      case 'renderer-reset':
        startNewPageLink();
        return;
      case 'stop':
        requestStop();
        return;
    }
  });

  inputs.processEvents.on('uncaughtException', (error) => fail(`the lab core crashed: ${describe(error)}`));
  inputs.processEvents.on('unhandledRejection', (error) => fail(`the lab core crashed: ${describe(error)}`));
  inputs.processEvents.on('SIGTERM', requestStop);
  inputs.processEvents.on('SIGINT', requestStop);

  const started = (async () => {
    try {
      lab = await inputs.startLab(inputs.options);
    } catch (err) {
      fail(`the lab could not start: ${describe(err)}`);
      return;
    }
    const api = lab.api;
    const openLink = () =>
      serveLabApi(api, (frame) => port.postMessage({ type: 'frame', frame: frame as Extract<CoreOutbound, { type: 'frame' }>['frame'] }), { log });
    let link = openLink();
    closeServer = () => link.close();
    startNewPageLink = () => {
      if (stopping) return;
      link.close();
      link = openLink();
    };
    receiveFrame = (frame) => link.receive(frame);
    if (stopping) {
      // A crash was reported while the lab was starting; exit is already on its way.
      await lab.stop().catch(() => {});
      return;
    }
    if (stopRequestedDuringStart) {
      await stop(0);
      return;
    }
    port.postMessage({ type: 'ready' });
  })();

  return { started };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Enough of an unexpected message to recognise it in a log, never a whole payload. */
const LOG_PREVIEW_CHARS = 120;

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > LOG_PREVIEW_CHARS ? `${text.slice(0, LOG_PREVIEW_CHARS)}...` : text;
}
