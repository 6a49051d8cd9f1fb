import fs from 'node:fs';
import type { App, Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  devServerCsp,
  isLocalRequest,
  lockDownEveryWebContents,
  lockDownSession,
  lockDownWebContents,
} from '../../../src/main/electron/security';
import { META_CONTENT_SECURITY_POLICY } from '../../../src/shared/csp';
import { FakeApp, FakeEvent, FakeSession, FakeWebContents } from './fake-electron';

const APP_URL = 'file:///opt/protolab/resources/app.asar/out/renderer/index.html';
const isAppUrl = (url: string) => url.startsWith(APP_URL);
const quiet = () => {};

describe('the Content-Security-Policy', () => {
  it('is the agreed policy, directive by directive', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-src 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it("is the renderer's <meta> tag, less what a <meta> cannot carry, so file:// pages get the same policy", () => {
    const html = fs.readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
    expect(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`).toBe(CONTENT_SECURITY_POLICY);
  });

  it('only in development allows the dev server its inline preamble and hot-reload socket', () => {
    const dev = devServerCsp('http://localhost:5173');
    expect(dev).toContain("script-src 'self' 'unsafe-inline';");
    expect(dev).toContain("connect-src 'self' ws://localhost:5173;");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/connect-src[^;]*ws:/);
  });
});

describe('lockDownSession', () => {
  const locked = (devServerOrigin?: string) => {
    const session = new FakeSession();
    const logged: string[] = [];
    lockDownSession(session as unknown as Session, { csp: CONTENT_SECURITY_POLICY, devServerOrigin, log: (m) => logged.push(m) });
    return { session, logged };
  };

  it('sets the CSP header on every response, replacing any policy the response carried', () => {
    const { session } = locked();
    const headers = session.respond('http://localhost:5173/', { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('adds the header to responses that had no headers at all', () => {
    const { session } = locked();
    let headers: Record<string, string[]> | undefined;
    session.headersReceived!({ url: APP_URL }, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('denies every permission request, check and device request', () => {
    const { session, logged } = locked();
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      let granted: boolean | undefined;
      (session.permissionRequestHandler as unknown as (c: unknown, p: string, cb: (g: boolean) => void) => void)(null, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
    }
    expect((session.permissionCheckHandler as unknown as () => boolean)()).toBe(false);
    expect((session.devicePermissionHandler as unknown as () => boolean)()).toBe(false);
    expect(logged.some((m) => m.includes('"media"'))).toBe(true);
  });

  it('lets only local schemes through in production and cancels requests to any origin', () => {
    const { session } = locked();
    expect(session.allows(APP_URL)).toBe(true);
    expect(session.allows('data:image/png;base64,AAAA')).toBe(true);
    expect(session.allows('blob:file:///1234')).toBe(true);
    expect(session.allows('devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(session.allows('https://cdn.example.com/font.woff2')).toBe(false);
    expect(session.allows('http://127.0.0.1:10080/')).toBe(false);
    expect(session.allows('ws://localhost:5173/')).toBe(false);
  });

  it('in development lets the dev server (http and its hot-reload ws) through, nothing else', () => {
    const { session } = locked('http://localhost:5173');
    expect(session.allows('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(session.allows('ws://localhost:5173/?token=x')).toBe(true);
    expect(session.allows('http://localhost:5174/')).toBe(false);
    expect(session.allows('https://localhost:5173/')).toBe(false);
  });

  it('treats an unparsable URL as not local', () => {
    expect(isLocalRequest('not a url', [])).toBe(false);
  });
});

describe('lockDownWebContents', () => {
  const locked = () => {
    const contents = new FakeWebContents(APP_URL);
    const logged: string[] = [];
    lockDownWebContents(contents as unknown as WebContents, isAppUrl, (m) => logged.push(m));
    return { contents, logged };
  };

  it('prevents navigating the window to another URL', () => {
    const { contents, logged } = locked();
    const event = new FakeEvent('https://gaia.cs.umass.edu/');
    contents.emit('will-navigate', event, event.url);
    expect(event.defaultPrevented).toBe(true);
    expect(logged).toEqual(['protolab: blocked navigation to https://gaia.cs.umass.edu/']);
  });

  it('allows navigating within the app', () => {
    const { contents } = locked();
    const event = new FakeEvent(`${APP_URL}#/exercises`);
    contents.emit('will-navigate', event, event.url);
    expect(event.defaultPrevented).toBe(false);
  });

  it('prevents redirects off the app', () => {
    const { contents } = locked();
    const away = new FakeEvent('http://example.com/');
    contents.emit('will-redirect', away, away.url);
    expect(away.defaultPrevented).toBe(true);
    const home = new FakeEvent(APP_URL);
    contents.emit('will-redirect', home, home.url);
    expect(home.defaultPrevented).toBe(false);
  });

  it('lets subframes show only inert documents', () => {
    const { contents } = locked();
    const srcdoc = new FakeEvent('about:srcdoc', false);
    contents.emit('will-frame-navigate', srcdoc);
    expect(srcdoc.defaultPrevented).toBe(false);
    const site = new FakeEvent('http://127.0.0.1:10080/index.html', false);
    contents.emit('will-frame-navigate', site);
    expect(site.defaultPrevented).toBe(true);
    // The top frame is will-navigate's business, not this handler's.
    const top = new FakeEvent(APP_URL, true);
    contents.emit('will-frame-navigate', top);
    expect(top.defaultPrevented).toBe(false);
  });

  it('denies every window.open, including links to the lab sites', () => {
    const { contents } = locked();
    expect(contents.windowOpenHandler!({ url: 'https://www.example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: APP_URL })).toEqual({ action: 'deny' });
  });

  it('refuses to attach a <webview>', () => {
    const { contents } = locked();
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('lockDownEveryWebContents', () => {
  it('applies the same lockdown to every webContents the app creates', () => {
    const app = new FakeApp();
    lockDownEveryWebContents(app as unknown as App, isAppUrl, quiet);
    const contents = new FakeWebContents();
    app.emit('web-contents-created', new FakeEvent(), contents);
    const event = new FakeEvent('https://example.org/');
    contents.emit('will-navigate', event, event.url);
    expect(event.defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
  });
});
