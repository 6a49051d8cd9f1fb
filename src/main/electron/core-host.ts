// The main process's side of the lab core: forks the utility process (core-process.ts), passes
// call frames to it, hands its result and event frames back, and reports an unexpected exit with
// the core's own explanation when it sent one. The fork function is passed in (Electron's
// utilityProcess.fork in the app, a fake in tests).

import type { CoreOptions } from './core-args';
import { formatCoreArgs } from './core-args';
import { isCoreOutbound, type CallFrame, type CoreInbound, type CoreToFaceFrame } from './core-protocol';

/** What the host uses of Electron's UtilityProcess. */
export interface UtilityProcessLike {
  postMessage(message: CoreInbound): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export type ForkCore = (modulePath: string, args: string[], options: { serviceName: string }) => UtilityProcessLike;

/**
 * Calls the page makes while the core is still starting wait for it. The page issues a handful
 * at start-up (snapshot, terminal); anything past this means the core is not coming up, and the
 * caller gets an error instead of an ever-growing queue.
 */
export const MAX_CALLS_QUEUED_BEFORE_READY = 256;

/** Stopping flushes the capture journal; past this the process is killed rather than awaited. */
export const CORE_STOP_TIMEOUT_MS = 5_000;

export type CoreHostState = 'stopped' | 'starting' | 'ready' | 'stopping';

export interface CoreHostInputs {
  fork: ForkCore;
  /** Absolute path of the built core-process entry (out/main/core.js). */
  entry: string;
  options: CoreOptions;
  /** A result or event frame for the page. */
  onFrame(frame: CoreToFaceFrame): void;
  /** The core exited without being asked to; the reason is a sentence for the user. */
  onDown(reason: string): void;
  log?: (message: string) => void;
  setTimeout?: (callback: () => void, ms: number) => { cancel(): void };
}

export class CoreHost {
  private child: UtilityProcessLike | null = null;
  private currentState: CoreHostState = 'stopped';
  private queued: CallFrame[] = [];
  private lastFatal: string | null = null;
  private stopped: (() => void) | null = null;
  private readonly log: (message: string) => void;
  private readonly schedule: (callback: () => void, ms: number) => { cancel(): void };

  constructor(private readonly inputs: CoreHostInputs) {
    this.log = inputs.log ?? console.error;
    this.schedule =
      inputs.setTimeout ??
      ((callback, ms) => {
        const timer = setTimeout(callback, ms);
        return { cancel: () => clearTimeout(timer) };
      });
  }

  get state(): CoreHostState {
    return this.currentState;
  }

  start(): void {
    if (this.currentState !== 'stopped') return;
    this.currentState = 'starting';
    this.lastFatal = null;
    const child = this.inputs.fork(this.inputs.entry, formatCoreArgs(this.inputs.options), { serviceName: 'Protolab lab core' });
    this.child = child;
    child.on('message', (message) => {
      if (this.child === child) this.receive(message);
    });
    child.on('exit', (code) => {
      if (this.child === child) this.exited(code);
    });
  }

  /** A call frame from the page (already checked by the IPC relay). */
  send(frame: CallFrame): void {
    switch (this.currentState) {
      case 'ready':
        this.child!.postMessage({ type: 'frame', frame });
        return;
      case 'starting':
        if (this.queued.length >= MAX_CALLS_QUEUED_BEFORE_READY) {
          this.refuse(frame, `the lab core is still starting and already has ${MAX_CALLS_QUEUED_BEFORE_READY} calls waiting`);
        } else {
          this.queued.push(frame);
        }
        return;
      case 'stopping':
      case 'stopped':
        this.refuse(frame, 'the lab core is not running');
        return;
    }
  }

  /** The page was replaced; the core closes the terminals the old page had open. */
  rendererReset(): void {
    if (this.currentState === 'ready') this.child!.postMessage({ type: 'renderer-reset' });
  }

  /** Asks the core to stop the lab and exit; kills it after CORE_STOP_TIMEOUT_MS. */
  stop(): Promise<void> {
    const child = this.child;
    if (!child || this.currentState === 'stopped') return Promise.resolve();
    if (this.currentState === 'stopping') return new Promise((resolve) => this.whenStopped(resolve));
    this.currentState = 'stopping';
    this.queued = [];
    return new Promise((resolve) => {
      const timer = this.schedule(() => {
        this.log(`protolab: the lab core did not stop within ${CORE_STOP_TIMEOUT_MS} ms; killing it`);
        child.kill();
      }, CORE_STOP_TIMEOUT_MS);
      this.whenStopped(() => {
        timer.cancel();
        resolve();
      });
      child.postMessage({ type: 'stop' });
    });
  }

  private whenStopped(callback: () => void): void {
    const previous = this.stopped;
    this.stopped = () => {
      previous?.();
      callback();
    };
  }

  private receive(message: unknown): void {
    if (!isCoreOutbound(message)) {
      this.log('protolab: ignored a malformed message from the lab core');
      return;
    }
    switch (message.type) {
      case 'ready': {
        if (this.currentState !== 'starting') return;
        this.currentState = 'ready';
        const queued = this.queued;
        this.queued = [];
        for (const frame of queued) this.child!.postMessage({ type: 'frame', frame });
        return;
      }
      case 'frame':
        this.inputs.onFrame(message.frame);
        return;
      case 'fatal':
        this.lastFatal = message.message;
        this.log(`protolab: lab core: ${message.message}`);
        return;
    }
  }

  private exited(code: number): void {
    const wasStopping = this.currentState === 'stopping';
    this.child = null;
    this.currentState = 'stopped';
    const queued = this.queued;
    this.queued = [];
    if (wasStopping) {
      const stopped = this.stopped;
      this.stopped = null;
      stopped?.();
      return;
    }
    const reason = this.lastFatal ?? `the lab core process exited unexpectedly (exit code ${code})`;
    for (const frame of queued) this.refuse(frame, reason);
    this.inputs.onDown(reason);
  }

  private refuse(frame: CallFrame, error: string): void {
    this.inputs.onFrame({ kind: 'result', id: frame.id, ok: false, error });
  }
}
