// Where the renderer is loaded from, and the test every navigation and IPC sender must pass:
// the built index.html over file:// in production, or the electron-vite dev server in development.
// Pure (no electron import), so the checks are unit-tested directly.

import { pathToFileURL } from 'node:url';

export type AppLocation = { kind: 'file'; indexFile: string } | { kind: 'dev-server'; origin: string; url: string };

/** Hosts a dev server may be on: the renderer must never be loaded from off the machine. */
const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

export interface AppLocationInputs {
  isPackaged: boolean;
  /** `ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  devServerUrl: string | undefined;
  /** Absolute path of out/renderer/index.html. */
  rendererIndexFile: string;
}

/**
 * A packaged app always loads its own file; only an unpackaged (development) run honours the
 * dev-server variable, and only when it points at loopback over http.
 */
export function resolveAppLocation(inputs: AppLocationInputs): AppLocation {
  if (!inputs.isPackaged && inputs.devServerUrl) {
    const url = parseUrl(inputs.devServerUrl);
    if (!url || url.protocol !== 'http:' || !LOOPBACK_HOSTS.includes(url.hostname)) {
      throw new Error(`ELECTRON_RENDERER_URL must be an http:// URL on loopback (localhost, 127.0.0.1 or [::1]); got ${JSON.stringify(inputs.devServerUrl)}`);
    }
    return { kind: 'dev-server', origin: url.origin, url: url.href };
  }
  return { kind: 'file', indexFile: inputs.rendererIndexFile };
}

/** The URL the window first loads. */
export function appEntryUrl(location: AppLocation): string {
  return location.kind === 'file' ? pathToFileURL(location.indexFile).href : location.url;
}

/**
 * True for URLs of our own app: in production the index.html file itself (any hash or query),
 * in development any page of the dev server's origin.
 */
export function isAppUrl(location: AppLocation, candidate: string): boolean {
  const url = parseUrl(candidate);
  if (!url) return false;
  if (location.kind === 'dev-server') return url.origin === location.origin;
  if (url.protocol !== 'file:') return false;
  const expected = new URL(pathToFileURL(location.indexFile).href);
  return url.host === expected.host && url.pathname === expected.pathname;
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
