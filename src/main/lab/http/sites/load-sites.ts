// Everything the sites need at run time, loaded once: the manifest from the data folder's copy of
// content/, each site's real root folder, the shop's catalogue and database, the uploads folders.
// Every HTTP service of one lab shares one of these (see site-registry.ts), so the shop's database
// has a single owner however many ports reach it.

import fs from 'node:fs/promises';
import path from 'node:path';
import { loadCatalog, CartShop } from './cart';
import { CartStore } from './cart-store';
import { FileCache } from './file-cache';
import { RealPathCache } from './real-path-cache';
import { parseSitesManifest, SitesError, type SiteConfig, type SitesManifest } from './manifest';
import { prepareUploadsFolder, type UploadsContext } from './uploads';

/** Where the manifest lives inside the world folder. */
export const SITES_MANIFEST_PATH = path.join('sites', 'sites.yaml');

export interface LoadedSite {
  config: SiteConfig;
  /** The real path of the site's root folder. */
  rootReal: string;
  /** The shops by route path. */
  shops: ReadonlyMap<string, CartShop>;
  uploads: readonly UploadsContext[];
}

export interface LoadedSites {
  manifest: SitesManifest;
  byName: ReadonlyMap<string, LoadedSite>;
  defaultSite: LoadedSite;
  /** Small files recently sent, shared by every site. */
  fileCache: FileCache;
  /** Where recently requested paths really lead, shared by every site. */
  realPaths: RealPathCache;
  /** Problems the sites started with anyway (an unreadable shop database moved aside), for the log. */
  warnings: string[];
  /** Waits for every database write under way. */
  close(): Promise<void>;
}

export async function loadSites(worldDir: string, dataDir: string, now: number): Promise<LoadedSites> {
  const file = path.join(worldDir, SITES_MANIFEST_PATH);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new SitesError(file, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file: the web sites need their manifest (reset the data folder to restore it)' : (err as Error).message);
  }
  const manifest = parseSitesManifest(text, { sitesDir: path.dirname(file), dataDir }, file);
  const stores = new Map<string, CartStore>();
  const warnings: string[] = [];
  const byName = new Map<string, LoadedSite>();
  const fileCache = new FileCache();
  for (const [i, config] of manifest.hosts.entries()) {
    const where = `${file}: hosts[${i}] (${config.name})`;
    let rootReal: string;
    try {
      rootReal = await fs.realpath(config.root);
      if (!(await fs.stat(rootReal)).isDirectory()) throw new Error('not a folder');
    } catch {
      throw new SitesError(`${where}.root`, `the folder ${config.root} does not exist`);
    }
    const shops = new Map<string, CartShop>();
    for (const route of config.dynamic) {
      if (route.handler !== 'cart') continue;
      const catalog = await loadCatalog(route.options.catalog).catch((err: Error) => {
        throw new SitesError(`${where}.dynamic ${route.path}`, err.message);
      });
      let store = stores.get(route.options.database);
      if (!store) {
        store = await CartStore.open(route.options.database, now);
        if (store.loadProblem) warnings.push(store.loadProblem);
        stores.set(route.options.database, store);
      }
      shops.set(route.path, new CartShop(route.path, route.methods, route.options, catalog, store));
    }
    const uploads: UploadsContext[] = [];
    for (const area of config.uploads) {
      const folderReal = await prepareUploadsFolder(area).catch((err: Error) => {
        throw new SitesError(`${where}.uploads ${area.prefix}`, `cannot prepare ${area.folder}: ${err.message}`);
      });
      uploads.push({ area, folderReal, mimeTypes: config.mimeTypes, fallbackMimeType: config.fallbackMimeType, fileCache });
    }
    byName.set(config.name, { config, rootReal, shops, uploads });
  }
  return {
    manifest,
    byName,
    defaultSite: byName.get(manifest.defaultHost)!,
    fileCache,
    realPaths: new RealPathCache(),
    warnings,
    close: async () => {
      await Promise.all([...stores.values()].map((s) => s.flush()));
    },
  };
}
