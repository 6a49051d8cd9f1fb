import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDir, SEED_MARK, defaultContentDir, defaultDataDir } from '../../../src/main/lab/data-dir';

const dirs: string[] = [];
function temp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-data-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('data folder', () => {
  it('is seeded from content/ once, and never writes into content/', () => {
    const content = defaultContentDir();
    const before = fs.readFileSync(path.join(content, 'world.yaml'), 'utf8');
    const data = new DataDir(path.join(temp(), 'lab'), content);
    expect(data.ensureSeeded().outcome).toBe('seeded');
    expect(fs.readFileSync(data.worldFile, 'utf8')).toBe(before);
    fs.writeFileSync(data.worldFile, '# edited by an instructor\n');
    expect(data.ensureSeeded().outcome).toBe('kept');
    expect(fs.readFileSync(data.worldFile, 'utf8')).toBe('# edited by an instructor\n');
    expect(fs.readFileSync(path.join(content, 'world.yaml'), 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(content, SEED_MARK))).toBe(false);
  });

  it('keeps the shipped files\' modification times (they become Last-Modified)', () => {
    const content = temp();
    const file = path.join(content, 'world.yaml');
    fs.writeFileSync(file, 'x\n');
    const old = new Date('2024-01-02T03:04:05Z');
    fs.utimesSync(file, old, old);
    const data = new DataDir(temp(), content);
    data.ensureSeeded();
    expect(fs.statSync(data.worldFile).mtime.getTime()).toBe(old.getTime());
  });

  it('reset restores the shipped world and keeps captures', () => {
    const data = new DataDir(temp(), defaultContentDir());
    data.ensureSeeded();
    fs.writeFileSync(data.worldFile, 'broken');
    fs.writeFileSync(path.join(data.capturesDir, 'old.journal'), 'x');
    data.reset();
    expect(fs.readFileSync(data.worldFile, 'utf8')).toContain('gaia.cs.umass.edu');
    expect(fs.existsSync(path.join(data.capturesDir, 'old.journal'))).toBe(true);
  });

  it('re-seeds a folder whose seed was cut short', () => {
    const data = new DataDir(temp(), defaultContentDir());
    fs.mkdirSync(data.worldDir, { recursive: true });
    fs.writeFileSync(data.worldFile, 'half');
    expect(data.ensureSeeded().outcome).toBe('seeded');
    expect(fs.readFileSync(data.worldFile, 'utf8')).toContain('gaia.cs.umass.edu');
  });

  it('brings a newer shipped world into an existing copy, keeping what was edited here', () => {
    const content = temp();
    fs.writeFileSync(path.join(content, 'world.yaml'), 'shipped v1\n');
    fs.writeFileSync(path.join(content, 'notes.txt'), 'notes v1\n');
    const data = new DataDir(temp(), content);
    expect(data.ensureSeeded().outcome).toBe('seeded');
    fs.writeFileSync(path.join(data.worldDir, 'notes.txt'), 'edited by the instructor\n');
    // A newer lab: a new page, a changed world.yaml (untouched here), a changed notes.txt (edited here).
    fs.mkdirSync(path.join(content, 'sites'));
    fs.writeFileSync(path.join(content, 'sites', 'index.html'), 'new page');
    fs.writeFileSync(path.join(content, 'world.yaml'), 'shipped v2\n');
    fs.writeFileSync(path.join(content, 'notes.txt'), 'notes v2\n');
    expect(data.ensureSeeded()).toEqual({ outcome: 'updated', keptEdits: ['notes.txt'] });
    expect(fs.readFileSync(path.join(data.worldDir, 'sites', 'index.html'), 'utf8')).toBe('new page');
    expect(fs.readFileSync(data.worldFile, 'utf8')).toBe('shipped v2\n');
    expect(fs.readFileSync(path.join(data.worldDir, 'notes.txt'), 'utf8')).toBe('edited by the instructor\n');
    expect(data.ensureSeeded().outcome).toBe('kept');
  });

  it('re-seeds over an unreadable seed mark (a folder from an older lab)', () => {
    const data = new DataDir(temp(), defaultContentDir());
    fs.mkdirSync(data.worldDir, { recursive: true });
    fs.writeFileSync(path.join(data.worldDir, SEED_MARK), 'content 0123\nseeded long ago\n');
    expect(data.ensureSeeded().outcome).toBe('seeded');
    expect(fs.readFileSync(data.worldFile, 'utf8')).toContain('gaia.cs.umass.edu');
  });

  it('ignores empty or relative XDG_DATA_HOME / APPDATA', () => {
    expect(path.isAbsolute(defaultDataDir({ XDG_DATA_HOME: '' }, 'linux'))).toBe(true);
    expect(path.isAbsolute(defaultDataDir({ XDG_DATA_HOME: 'rel/dir' }, 'linux'))).toBe(true);
    expect(path.isAbsolute(defaultDataDir({ APPDATA: '' }, 'win32'))).toBe(true);
  });

  it('uses the per-OS application data folder', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/x' }, 'linux')).toBe(path.join('/x', 'protolab'));
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\s\\AppData\\Roaming' }, 'win32')).toContain('Protolab');
    expect(defaultDataDir({}, 'darwin')).toContain(path.join('Library', 'Application Support', 'Protolab'));
  });
});
