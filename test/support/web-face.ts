// Starts `protolab web --json` as a child process, the way a student or a script would, and waits
// for its one ready line. Shared by the browser tests.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How long `protolab web` may take to print its ready line (it may build the UI first). */
export const WEB_FACE_READY_TIMEOUT_MS = 60_000;

export interface WebFaceProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

export function startWebFace(dataDir: string, portOffset: number, port = 0): Promise<WebFaceProcess> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'protolab.mjs'), 'web', '--json', '--no-open', '--port', String(port), '--data-dir', dataDir, '--port-offset', String(portOffset)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`protolab web printed no ready line in ${WEB_FACE_READY_TIMEOUT_MS} ms; stderr:\n${err}`));
    }, WEB_FACE_READY_TIMEOUT_MS);
    child.stdout!.on('data', (d) => {
      out += d;
      for (const line of out.split('\n')) {
        if (!line.trim().startsWith('{')) continue;
        const msg = JSON.parse(line) as { ready?: boolean; url?: string };
        if (msg.ready && msg.url) {
          clearTimeout(timer);
          resolve({ child, url: msg.url, stderr: () => err });
          return;
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`protolab web exited with ${code} before it was ready; stderr:\n${err}`));
    });
  });
}

/** SIGTERM, then wait for the exit (the lab flushes its journal on the way out). */
export function stopWebFace(face: WebFaceProcess | null): Promise<void> {
  if (!face || face.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    face.child.once('exit', () => resolve());
    face.child.kill('SIGTERM');
  });
}
