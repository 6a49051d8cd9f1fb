// Entry of the lab core's utility process (built to out/main/core.js). The main process forks it
// so untrusted bytes are parsed here and a busy server never stalls the window (DESIGN.md §1).
// The options come in as arguments from core-host; frames travel over process.parentPort.

import { Lab } from '../lab/lab';
import { parseCoreArgs } from './core-args';
import { runCore, type ParentPortLike } from './core-runner';

/** Electron adds parentPort to `process` in a utility process; Node's typings do not know it. */
const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;

/**
 * A last message (the 'fatal' that explains a failed start) is posted asynchronously; exiting
 * on the same tick could drop it, and then the window could only say "exited with code 1".
 */
const EXIT_GRACE_MS = 100;
const exitSoon = (code: number) => setTimeout(() => process.exit(code), EXIT_GRACE_MS);

if (!parentPort) {
  console.error('protolab core: this file runs inside an Electron utility process (process.parentPort is missing).');
  process.exit(2);
} else {
  let options: ReturnType<typeof parseCoreArgs> | undefined;
  try {
    options = parseCoreArgs(process.argv);
  } catch (err) {
    parentPort.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
    exitSoon(2);
  }
  if (options) {
    runCore({
      port: parentPort,
      processEvents: process,
      options,
      startLab: (o) => Lab.start(o),
      exit: exitSoon,
    });
  }
}
