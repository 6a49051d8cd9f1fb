// The web face serves the built renderer (out/renderer). After a fresh `npm install` it is not
// built yet, and after a `git pull` it may be stale; build it then, once, with the project's vite.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders whose changes make the built UI stale. */
const RENDERER_SOURCES = ['src/renderer', 'src/protocols', 'src/shared', 'vite.renderer.config.ts'];

export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'vite.renderer.config.ts'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the project folder (vite.renderer.config.ts) to build the UI from');
    dir = up;
  }
  return dir;
}

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function rendererOutDir(root = projectRoot()): string {
  return path.join(root, 'out', 'renderer');
}

export function rendererIsStale(root = projectRoot()): boolean {
  const index = path.join(rendererOutDir(root), 'index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  return RENDERER_SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

/** Returns the built renderer folder, building it first when it is missing or stale. */
export async function ensureRendererBuilt(log: (line: string) => void = () => {}): Promise<string> {
  const root = projectRoot();
  const out = rendererOutDir(root);
  if (!rendererIsStale(root)) return out;
  log('protolab: building the lab UI (first start, or the sources changed)...');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the UI failed:\n${result.stderr}`);
  return out;
}
