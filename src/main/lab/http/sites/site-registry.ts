// One LoadedSites per data folder, shared by every HTTP service of the lab that uses that folder:
// the first service to start loads it, the last one to stop lets it go (after its database writes
// are done). A reset stops every service, so the next start reads the restored manifest.

import path from 'node:path';
import { loadSites, type LoadedSites } from './load-sites';

interface Entry {
  users: number;
  ready: Promise<LoadedSites>;
}

const entries = new Map<string, Entry>();
/** Releases under way, by key: a new load waits for the old one's writes. */
const closing = new Map<string, Promise<void>>();

export interface SitesLease {
  sites: LoadedSites;
  release(): Promise<void>;
}

export async function acquireSites(worldDir: string, dataDir: string, now: number): Promise<SitesLease> {
  const key = `${path.resolve(worldDir)}\0${path.resolve(dataDir)}`;
  let entry = entries.get(key);
  if (!entry) {
    const previous = closing.get(key) ?? Promise.resolve();
    const ready = previous.then(async () => {
      const sites = await loadSites(worldDir, dataDir, now);
      for (const w of sites.warnings) console.warn(`protolab: ${w}`);
      return sites;
    });
    entry = { users: 0, ready };
    entries.set(key, entry);
  }
  const held = entry;
  held.users++;
  let sites: LoadedSites;
  try {
    sites = await held.ready;
  } catch (err) {
    held.users--;
    if (held.users === 0 && entries.get(key) === held) entries.delete(key);
    throw err;
  }
  let released = false;
  return {
    sites,
    release: async () => {
      if (released) return;
      released = true;
      held.users--;
      if (held.users > 0 || entries.get(key) !== held) return;
      entries.delete(key);
      const done = sites.close().finally(() => {
        if (closing.get(key) === done) closing.delete(key);
      });
      closing.set(key, done);
      await done;
    },
  };
}
