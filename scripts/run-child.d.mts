// Types for run-child.mjs (a plain Node script, so `npm start` needs no TypeScript).

import type { SpawnOptions } from 'node:child_process';
import type { EventEmitter } from 'node:events';

export declare const FORWARDED_SIGNALS: readonly NodeJS.Signals[];
export declare function exitStatusFor(code: number | null, signal: NodeJS.Signals | null): number;
export declare function runForwardingSignals(command: string, args: string[], options?: SpawnOptions, signalSource?: EventEmitter): Promise<number>;
