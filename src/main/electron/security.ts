// The window's lockdown, following the Electron security checklist
// (https://www.electronjs.org/docs/latest/tutorial/security): a Content-Security-Policy on every
// response, no navigation off the app, no new windows, no webviews, every permission denied, and
// no request leaving the machine. Only `import type` from electron: this module runs in tests
// against fakes.

import type { App, Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

/**
 * The UI's one policy (src/shared/csp.ts), also sent by the web face and repeated in
 * index.html's <meta>, because responses for file:// pages have no headers to rewrite.
 */
export { CONTENT_SECURITY_POLICY };

/**
 * In development the page comes from the Vite dev server, whose React refresh preamble is an
 * inline script and whose hot reload speaks WebSocket to the same host. A packaged app never
 * uses this.
 */
export function devServerCsp(devServerOrigin: string): string {
  const wsOrigin = devServerOrigin.replace(/^http:/, 'ws:');
  return CONTENT_SECURITY_POLICY.split(';')
    .map((directive) => directive.trim())
    .map((directive) => {
      const name = directive.split(/\s+/, 1)[0];
      if (name === 'script-src') return `${directive} 'unsafe-inline'`;
      if (name === 'connect-src') return `${directive} ${wsOrigin}`;
      return directive;
    })
    .join('; ');
}

/** Subframe documents that load nothing from anywhere (an HTML preview's srcdoc iframe). */
const INERT_SUBFRAME_URLS: readonly string[] = ['about:srcdoc', 'about:blank'];

export type AppUrlCheck = (url: string) => boolean;

type Preventable = { preventDefault(): void; url: string };

/**
 * Navigation stays inside the app: the top frame only to our own URL, subframes only to inert
 * documents. Every window.open is denied, and no <webview> may attach.
 */
export function lockDownWebContents(contents: WebContents, isAppUrl: AppUrlCheck, log: (message: string) => void = console.warn): void {
  const guardTopFrame = (kind: string) => (event: Preventable) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log(`protolab: blocked ${kind} to ${event.url}`);
  };
  contents.on('will-navigate', guardTopFrame('navigation'));
  contents.on('will-redirect', guardTopFrame('redirect'));
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame) return; // will-navigate covers the top frame
    if (INERT_SUBFRAME_URLS.includes(event.url)) return;
    event.preventDefault();
    log(`protolab: blocked subframe navigation to ${event.url}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`protolab: denied window.open of ${url}`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('protolab: denied a <webview>');
  });
}

/** Applies lockDownWebContents to every webContents the app ever creates, ours included. */
export function lockDownEveryWebContents(app: App, isAppUrl: AppUrlCheck, log?: (message: string) => void): void {
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents, isAppUrl, log));
}

/** Schemes that never reach the network. */
const LOCAL_SCHEMES: readonly string[] = ['file:', 'data:', 'blob:', 'devtools:'];

export interface SessionLockdown {
  csp: string;
  /** The dev server's origin in development; no other http(s) or ws origin is ever allowed. */
  devServerOrigin?: string;
  log?: (message: string) => void;
}

/**
 * The lab's own UI needs no permission (camera, notifications, clipboard-read, USB ...), and the
 * window has nothing to fetch from anywhere but its own files: requests to any other origin are
 * cancelled, so nothing leaves the machine even if a bug or a dependency tries.
 */
export function lockDownSession(session: Session, options: SessionLockdown): void {
  const log = options.log ?? console.warn;
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`protolab: denied permission request "${permission}"`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);

  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [options.csp];
    callback({ responseHeaders: headers });
  });

  const allowedOrigins = options.devServerOrigin ? [options.devServerOrigin, options.devServerOrigin.replace(/^http:/, 'ws:')] : [];
  session.webRequest.onBeforeRequest((details, callback) => {
    if (isLocalRequest(details.url, allowedOrigins)) return callback({});
    log(`protolab: cancelled a request to ${details.url}`);
    callback({ cancel: true });
  });
}

export function isLocalRequest(url: string, allowedOrigins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (LOCAL_SCHEMES.includes(parsed.protocol)) return true;
  return allowedOrigins.includes(parsed.origin);
}
