// The lab's data folder: a copy of content/ the student's lab may change (mailboxes, uploads,
// edited zones), plus captures. Seeded from content/ on first start; the app never writes into
// content/ itself, so a reset can always restore the shipped defaults.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Written after a successful seed; its absence means the folder needs seeding (or a seed was cut short). */
export const SEED_MARK = '.protolab-seeded';
export const WORLD_DIR = 'world';
export const CAPTURES_DIR = 'captures';

/** Per-OS application data folder (what Electron's app.getPath('userData') would use). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Protolab');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Protolab');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'protolab');
}

/** The shipped content/ folder: beside src/ in the repo, or PROTOLAB_CONTENT_DIR when packaged. */
export function defaultContentDir(): string {
  if (process.env.PROTOLAB_CONTENT_DIR) return process.env.PROTOLAB_CONTENT_DIR;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'content');
    if (fs.existsSync(path.join(candidate, 'world.yaml'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`content/world.yaml not found above ${here}; set PROTOLAB_CONTENT_DIR`);
  }
}

export class DataDir {
  constructor(
    readonly root: string,
    readonly contentDir: string,
  ) {}

  get worldDir(): string {
    return path.join(this.root, WORLD_DIR);
  }

  get capturesDir(): string {
    return path.join(this.root, CAPTURES_DIR);
  }

  get worldFile(): string {
    return path.join(this.worldDir, 'world.yaml');
  }

  /** Seeds the world from content/ unless a complete earlier seed is there. Returns true if it seeded. */
  ensureSeeded(): boolean {
    fs.mkdirSync(this.root, { recursive: true });
    fs.mkdirSync(this.capturesDir, { recursive: true });
    if (fs.existsSync(path.join(this.worldDir, SEED_MARK))) return false;
    this.copyContent();
    return true;
  }

  /** Restores the shipped world: the edited copy is replaced whole. Captures are kept. */
  reset(): void {
    fs.rmSync(this.worldDir, { recursive: true, force: true });
    this.copyContent();
  }

  private copyContent(): void {
    // Copy into a fresh sibling, then rename, so a crash mid-copy never leaves a half world behind.
    const staging = `${this.worldDir}.seeding`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(this.contentDir, staging, { recursive: true });
    fs.writeFileSync(path.join(staging, SEED_MARK), `seeded from ${this.contentDir} at ${new Date().toISOString()}\n`);
    fs.rmSync(this.worldDir, { recursive: true, force: true });
    fs.renameSync(staging, this.worldDir);
  }
}
