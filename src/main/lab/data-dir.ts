// The lab's data folder: a copy of content/ the student's lab may change (mailboxes, uploads,
// edited zones), plus captures. Seeded from content/ on first start; the app never writes into
// content/ itself, so a reset can always restore the shipped defaults.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Written after a successful seed; its absence means the folder needs seeding (or a seed was cut short). */
export const SEED_MARK = '.protolab-seeded';
export const WORLD_DIR = 'world';
export const CAPTURES_DIR = 'captures';

/** Per-OS application data folder, shared by every face (CLI, web, Electron). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  // An empty or relative variable is ignored (the XDG spec says so), or the lab would write beside the current folder.
  const absolute = (v: string | undefined) => (v && path.isAbsolute(v) ? v : undefined);
  if (platform === 'win32') return path.join(absolute(env.APPDATA) ?? path.join(home, 'AppData', 'Roaming'), 'Protolab');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Protolab');
  return path.join(absolute(env.XDG_DATA_HOME) ?? path.join(home, '.local', 'share'), 'protolab');
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

function markText(version: string, from: string): string {
  return `${version}\nseeded from ${from} at ${new Date().toISOString()}\n`;
}

/** A fingerprint of the shipped content: every file's path and size, hashed. */
export function contentVersion(contentDir: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(`${path.relative(contentDir, full)}\0${fs.statSync(full).size}\n`);
    }
  };
  walk(contentDir);
  return `content ${hash.digest('hex').slice(0, 16)}`;
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

  /**
   * Seeds the world from content/ unless a complete earlier seed is there. Returns 'seeded', 'kept'
   * or 'updated': when a newer lab ships content the copy lacks (new pages, zones), the missing
   * files are added and nothing the student or instructor changed is overwritten.
   */
  ensureSeeded(): 'seeded' | 'kept' | 'updated' {
    fs.mkdirSync(this.root, { recursive: true });
    fs.mkdirSync(this.capturesDir, { recursive: true });
    const mark = path.join(this.worldDir, SEED_MARK);
    if (!fs.existsSync(mark)) {
      this.copyContent();
      return 'seeded';
    }
    const version = contentVersion(this.contentDir);
    if (fs.readFileSync(mark, 'utf8').split('\n')[0] === version) return 'kept';
    fs.cpSync(this.contentDir, this.worldDir, { recursive: true, force: false, errorOnExist: false });
    fs.writeFileSync(mark, markText(version, this.contentDir));
    return 'updated';
  }

  /** Restores the shipped world: the edited copy is replaced whole. Captures are kept. */
  reset(): void {
    this.copyContent();
  }

  private copyContent(): void {
    // Copy into a fresh sibling, then swap it in, so a crash mid-copy never leaves a half world behind.
    const staging = fs.mkdtempSync(path.join(this.root, `${WORLD_DIR}.seeding-`));
    fs.cpSync(this.contentDir, staging, { recursive: true });
    fs.writeFileSync(path.join(staging, SEED_MARK), markText(contentVersion(this.contentDir), this.contentDir));
    fs.rmSync(this.worldDir, { recursive: true, force: true });
    fs.renameSync(staging, this.worldDir);
  }
}
