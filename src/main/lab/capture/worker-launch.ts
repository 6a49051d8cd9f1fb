// How to start the capture worker in each of the ways the core runs:
// - from TypeScript source (the CLI through tsx, vitest, `npm run bench`): a worker does not
//   inherit the main thread's tsx loader, so it starts from a few lines of code that register tsx
//   in the worker and then import capture-worker.ts;
// - from the electron-vite build: capture-worker.js is an entry of its own in out/main, beside
//   the core (or one folder up, should this code land in a shared chunk under out/main/chunks).

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkerOptions } from 'node:worker_threads';

export interface WorkerLaunch {
  /** A file URL of the worker script, or (with `eval`) the script's code. */
  script: URL | string;
  options: WorkerOptions;
}

const WORKER_SOURCE = 'capture-worker.ts';
const WORKER_BUILT = 'capture-worker.js';

/** The file URL of tsx's ESM API (`tsx/esm/api`, import condition), for the worker to register tsx with. */
function tsxEsmApiUrl(from: string): string {
  const require = createRequire(from);
  const packageJson = require.resolve('tsx/package.json');
  const exportsMap = JSON.parse(fs.readFileSync(packageJson, 'utf8')).exports as Record<string, unknown>;
  const entry = exportsMap['./esm/api'] as { import?: { default?: string } | string } | undefined;
  const target = typeof entry?.import === 'string' ? entry.import : entry?.import?.default;
  if (!target) throw new Error(`tsx at ${path.dirname(packageJson)} has no ESM API export ("./esm/api")`);
  return pathToFileURL(path.join(path.dirname(packageJson), target)).href;
}

/** How to start the worker for code loaded from `moduleUrl` (this module's own URL by default). */
export function captureWorkerLaunch(moduleUrl: string = import.meta.url): WorkerLaunch {
  const here = new URL(moduleUrl);
  if (here.pathname.endsWith('.ts')) {
    const entry = new URL(`./${WORKER_SOURCE}`, here).href;
    const api = tsxEsmApiUrl(moduleUrl);
    const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
    return { script: code, options: { eval: true } };
  }
  for (const candidate of [`./${WORKER_BUILT}`, `../${WORKER_BUILT}`]) {
    const url = new URL(candidate, here);
    if (fs.existsSync(fileURLToPath(url))) return { script: url, options: {} };
  }
  throw new Error(`no ${WORKER_BUILT} beside ${fileURLToPath(here)}`);
}
