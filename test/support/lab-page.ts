// A page of the lab's UI in a browser test: the window size the screenshots are judged at, every
// request it makes (the tests assert that none leaves 127.0.0.1) and every console error, loaded
// and connected to the lab before the test goes on. openLabInBrowser also starts what the page
// needs: a `protolab web` in a data folder of its own, and chromium.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureRendererBuilt } from '../../src/main/web/renderer-build';
import { CHROMIUM_ARGS } from './chromium';
import { freePortOffset } from './ports';
import { startWebFace, stopWebFace, type WebFaceProcess } from './web-face';

/** What a page did that the tests check at the end. */
export interface PageLog {
  requests: string[];
  consoleErrors: string[];
}

/** The window the UI is designed and screenshotted at. */
export const LAB_PAGE_VIEWPORT = { width: 1440, height: 900 };

export function watchPage(page: Page, log: PageLog, stepTimeoutMs: number): void {
  page.setDefaultTimeout(stepTimeoutMs);
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('websocket', (ws) => log.requests.push(ws.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') log.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => log.consoleErrors.push(`uncaught: ${e.message}`));
}

/** A new page on the lab's UI at `url`, watched into `log`, once its status bar says it is connected. */
export async function openLabPage(browser: Browser, url: string, log: PageLog, stepTimeoutMs: number): Promise<Page> {
  const page = await browser.newPage({ viewport: LAB_PAGE_VIEWPORT });
  watchPage(page, log, stepTimeoutMs);
  await page.goto(url);
  await page.getByTestId('status-bar').getByText('web: connected').waitFor();
  return page;
}

/** A web face of the lab in a fresh data folder, chromium, and the lab's page on it. */
export interface LabInBrowser {
  /** The temporary folder; the lab's data folder is its `data`. */
  dir: string;
  portOffset: number;
  face: WebFaceProcess;
  browser: Browser;
  page: Page;
}

/** Starts a lab web face (its data folder below a new temporary folder named from `prefix`) and opens its page in chromium. */
export async function openLabInBrowser(prefix: string, chromiumPath: string, log: PageLog, stepTimeoutMs: number): Promise<LabInBrowser> {
  await ensureRendererBuilt();
  const started: Partial<LabInBrowser> = { dir: fs.mkdtempSync(path.join(os.tmpdir(), prefix)) };
  try {
    started.portOffset = await freePortOffset();
    started.face = await startWebFace(path.join(started.dir!, 'data'), started.portOffset);
    started.browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    started.page = await openLabPage(started.browser, started.face.url, log, stepTimeoutMs);
    return started as LabInBrowser;
  } catch (err) {
    await closeLabInBrowser(started);
    throw err;
  }
}

/** Closes chromium, stops the web face and removes the temporary folder (whatever of them was started). */
export async function closeLabInBrowser(lab: Partial<LabInBrowser> | undefined): Promise<void> {
  await lab?.browser?.close();
  await stopWebFace(lab?.face ?? null);
  if (lab?.dir) fs.rmSync(lab.dir, { recursive: true, force: true });
}
