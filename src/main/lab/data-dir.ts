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

/** What was shipped at seed time: each file's path and content hash, so an update knows which copies are untouched. */
interface SeedMark {
  seededFrom: string;
  seededAt: string;
  files: Record<string, string>;
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Every file under `dir`, as paths relative to it with '/' separators, mapped to its hash. */
export function contentHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) out[rel] = sha256(path.join(dir, rel));
    }
  };
  walk('');
  return out;
}

function readMark(file: string): SeedMark | null {
  try {
    const mark = JSON.parse(fs.readFileSync(file, 'utf8')) as SeedMark;
    return mark && typeof mark.files === 'object' ? mark : null;
  } catch {
    return null;
  }
}

export interface SeedResult {
  outcome: 'seeded' | 'kept' | 'updated';
  /** Shipped files that changed but whose copy was edited here, so the copy was kept. */
  keptEdits: string[];
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
   * Seeds the world from content/ on first start. Later, when a newer lab ships different content,
   * files the copy lacks are added and files nobody edited here are updated; a file edited here is
   * kept as it is (and listed), so a student's or an instructor's change is never overwritten.
   */
  ensureSeeded(): SeedResult {
    fs.mkdirSync(this.root, { recursive: true });
    fs.mkdirSync(this.capturesDir, { recursive: true });
    const markFile = path.join(this.worldDir, SEED_MARK);
    const mark = fs.existsSync(markFile) ? readMark(markFile) : null;
    if (!mark) {
      this.copyContent();
      return { outcome: 'seeded', keptEdits: [] };
    }
    const shipped = contentHashes(this.contentDir);
    const keptEdits: string[] = [];
    let changed = false;
    for (const [rel, hash] of Object.entries(shipped)) {
      if (mark.files[rel] === hash) continue;
      changed = true;
      const copy = path.join(this.worldDir, rel);
      const untouched = !fs.existsSync(copy) || (mark.files[rel] !== undefined && sha256(copy) === mark.files[rel]);
      if (untouched) {
        fs.mkdirSync(path.dirname(copy), { recursive: true });
        fs.cpSync(path.join(this.contentDir, rel), copy, { preserveTimestamps: true });
      } else {
        keptEdits.push(rel);
      }
    }
    if (!changed && Object.keys(mark.files).length === Object.keys(shipped).length) return { outcome: 'kept', keptEdits };
    this.writeMark(this.worldDir, shipped);
    return { outcome: 'updated', keptEdits };
  }

  private writeMark(dir: string, files: Record<string, string>): void {
    const mark: SeedMark = { seededFrom: this.contentDir, seededAt: new Date().toISOString(), files };
    fs.writeFileSync(path.join(dir, SEED_MARK), `${JSON.stringify(mark, null, 1)}\n`);
  }

  /** Restores the shipped world: the edited copy is replaced whole. Captures are kept. */
  reset(): void {
    this.copyContent();
  }

  private copyContent(): void {
    // Copy into a fresh sibling, then swap it in, so a crash mid-copy never leaves a half world behind.
    const staging = fs.mkdtempSync(path.join(this.root, `${WORLD_DIR}.seeding-`));
    // Timestamps are kept: a page's Last-Modified is when it was written, not when the lab
    // started, so caches (and the heuristic freshness of RFC 9111 §4.2.2) see a realistic age.
    fs.cpSync(this.contentDir, staging, { recursive: true, preserveTimestamps: true });
    this.writeMark(staging, contentHashes(this.contentDir));
    fs.rmSync(this.worldDir, { recursive: true, force: true });
    fs.renameSync(staging, this.worldDir);
  }
}
