// Runs a child with the terminal handed over to it, passes Ctrl-C and termination on to it, and
// resolves with the exit status the parent should end with.

import { spawn } from 'node:child_process';
import os from 'node:os';

/** Signals a user or a service manager sends to stop the lab. */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM'];

/** The shell's convention: a child killed by signal N makes the parent exit with 128 + N. */
export function exitStatusFor(code, signal) {
  if (code !== null && code !== undefined) return code;
  const number = signal ? os.constants.signals[signal] : undefined;
  return number ? 128 + number : 1;
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @param {NodeJS.EventEmitter} [signalSource] where the signals arrive (process; an emitter in tests)
 * @returns {Promise<number>}
 */
export function runForwardingSignals(command, args, options = {}, signalSource = process) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    const forward = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const signal of FORWARDED_SIGNALS) signalSource.on(signal, forward);
    const finish = (status) => {
      for (const signal of FORWARDED_SIGNALS) signalSource.off(signal, forward);
      resolve(status);
    };
    child.on('error', (err) => {
      console.error(`protolab: could not run ${command}: ${err.message}`);
      finish(1);
    });
    child.on('exit', (code, signal) => finish(exitStatusFor(code, signal)));
  });
}
