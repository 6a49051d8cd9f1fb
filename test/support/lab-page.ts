// A page of the lab's UI in a browser test: the window size the screenshots are judged at, every
// request it makes (the tests assert that none leaves 127.0.0.1) and every console error, loaded
// and connected to the lab before the test goes on.

import type { Browser, Page } from 'playwright-core';

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
