// The web cache panel as a student gets it: the web face started as `protolab web`, the built
// renderer in chromium. Opens the panel, sets the access link, fetches pages through the cache
// and watches the panel follow, then clears it.

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureRendererBuilt } from '../../../src/main/web/renderer-build';
import { ACCESS_LINK_MAX_DELAY_MS } from '../../../src/shared/web-cache';
import { freePortOffset } from '../../support/ports';
import { requireTool } from '../../support/tools';
import { CHROMIUM_ARGS } from '../../support/chromium';
import { WEB_FACE_READY_TIMEOUT_MS, startWebFace, type WebFaceProcess } from '../../support/web-face';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const STEP_TIMEOUT_MS = 15_000;
const PAGE = 'http://gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html';

const chromiumPath = requireTool('chromium');

function viaProxy(proxyPort: number, url: string): Promise<{ status: number; xCache: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxyPort, path: url, headers: { Host: new URL(url).host }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, xCache: res.headers['x-cache'] as string | undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!chromiumPath)('the web cache panel in the browser', () => {
  let dir = '';
  let offset = 0;
  let face: WebFaceProcess | null = null;
  let browser: Browser | null = null;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    await ensureRendererBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-cache-ui-'));
    offset = await freePortOffset();
    face = await startWebFace(path.join(dir, 'data'), offset);
    browser = await chromium.launch({ executablePath: chromiumPath!, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
    await page.goto(face.url);
  }, WEB_FACE_READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await browser?.close();
    if (face && face.child.exitCode === null) {
      const exited = new Promise((r) => face!.child.once('exit', r));
      face.child.kill('SIGTERM');
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is hidden at first and opens from the header, saying where the cache listens', async () => {
    expect(await page.getByTestId('web-cache-panel').count()).toBe(0);
    await page.getByRole('button', { name: 'Web cache' }).click();
    const panel = page.getByTestId('web-cache-panel');
    await panel.getByText(`128.238.2.10:3128 → 127.0.0.1:${offset + 3128}`).waitFor();
    await expect(panel.innerText()).resolves.toContain('cache.poly.edu');
    await expect(panel.innerText()).resolves.toContain('off: no delay, unlimited bandwidth');
  });

  it('sets the access link from a preset and from the form, and explains a value out of bounds', async () => {
    const panel = page.getByTestId('web-cache-panel');
    await panel.getByTestId('link-preset').selectOption('course-1.54');
    await panel.getByText('1000 ms each way (2000 ms round trip), 1.54 Mbps').waitFor();
    await panel.getByTestId('link-delay').fill(String(ACCESS_LINK_MAX_DELAY_MS + 1));
    await panel.getByRole('button', { name: 'Apply' }).click();
    await panel.getByText(`The delay can be at most ${ACCESS_LINK_MAX_DELAY_MS} ms each way.`).waitFor();
    await panel.getByTestId('link-delay').fill('20');
    await panel.getByText('Unlimited bandwidth').click();
    await panel.getByRole('button', { name: 'Apply' }).click();
    await panel.getByText('20 ms each way (40 ms round trip), unlimited bandwidth').waitFor();
  });

  it('follows requests through the cache live, and clears', async () => {
    const panel = page.getByTestId('web-cache-panel');
    const first = await viaProxy(offset + 3128, PAGE);
    expect(first).toEqual({ status: 200, xCache: 'MISS' });
    const second = await viaProxy(offset + 3128, PAGE);
    expect(second.xCache).toMatch(/^(HIT|REVALIDATED)$/);
    await panel.getByTestId('web-cache-entry').filter({ hasText: 'gaia.cs.umass.edu/wireshark-labs/HTTP-wireshark-file1.html' }).waitFor();
    const recent = panel.getByTestId('web-cache-recent');
    await recent.getByText('MISS', { exact: true }).waitFor();
    await recent.getByText(second.xCache!, { exact: true }).waitFor();
    await expect(panel.getByTestId('web-cache-stats').innerText()).resolves.toMatch(/Requests\s+2 \(/);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-cache.png') });
    await panel.getByRole('button', { name: 'Clear' }).click();
    await panel.getByText('Nothing stored yet.').waitFor();
    await expect(panel.getByTestId('web-cache-hit-rate').innerText()).resolves.toBe('—');
    expect(consoleErrors).toEqual([]);
  });
});
