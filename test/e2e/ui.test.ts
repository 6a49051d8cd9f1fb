// The UI as a student gets it: the web face started as the `protolab web` command, the built
// renderer in Debian's chromium. Types into the terminal, watches the capture fill, inspects a
// message, uses Compose, the filter and the servers panel, survives a restart of the core, and
// checks that the page never asked anything of a host other than 127.0.0.1.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureRendererBuilt } from '../../src/main/web/renderer-build';
import { PACKET_WINDOW_ROWS } from '../../src/renderer/lib/packet-store';
import { freePortOffset } from '../support/ports';
import { requireTool } from '../support/tools';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** How long the web face may take to print its ready line (it compiles TypeScript on the fly). */
const READY_TIMEOUT_MS = 60_000;
/** How long one UI step may take to show its result. */
const STEP_TIMEOUT_MS = 15_000;

const chromiumPath = requireTool('chromium');

interface WebFace {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

function startWebFace(dataDir: string, portOffset: number, port = 0): Promise<WebFace> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'protolab.mjs'), 'web', '--json', '--no-open', '--port', String(port), '--data-dir', dataDir, '--port-offset', String(portOffset)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`protolab web printed no ready line in ${READY_TIMEOUT_MS} ms; stderr:\n${err}`));
    }, READY_TIMEOUT_MS);
    child.stdout!.on('data', (d) => {
      out += d;
      for (const line of out.split('\n')) {
        if (!line.trim().startsWith('{')) continue;
        const msg = JSON.parse(line) as { ready?: boolean; url?: string };
        if (msg.ready && msg.url) {
          clearTimeout(timer);
          resolve({ child, url: msg.url, stderr: () => err });
          return;
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`protolab web exited with ${code} before it was ready; stderr:\n${err}`));
    });
  });
}

function stopWebFace(face: WebFace | null): Promise<void> {
  if (!face || face.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    face.child.once('exit', () => resolve());
    face.child.kill('SIGTERM');
  });
}

/** The text the visible terminal shows. */
async function terminalText(page: Page): Promise<string> {
  return page.locator('.tab-panel:not([hidden]) [data-testid=terminal] .xterm-rows').innerText();
}

async function typeInTerminal(page: Page, line: string): Promise<void> {
  await page.locator('.tab-panel:not([hidden]) [data-testid=terminal]').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

describe.skipIf(!chromiumPath)('the lab UI in chromium', () => {
  let dir: string;
  let portOffset: number;
  let face: WebFace | null = null;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  /** Console errors logged before the core was stopped on purpose (after it, failed reconnects are expected). */
  let errorsBeforeRestart: string[] | null = null;

  beforeAll(async () => {
    await ensureRendererBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-ui-'));
    portOffset = await freePortOffset();
    face = await startWebFace(path.join(dir, 'data'), portOffset);
    browser = await chromium.launch({ executablePath: chromiumPath!, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on('request', (r) => requests.push(r.url()));
    page.on('websocket', (ws) => requests.push(ws.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
    await page.goto(face.url);
  }, READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await browser?.close();
    await stopWebFace(face);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('connects to the core and lists the servers', async () => {
    await page.getByTestId('status-bar').getByText('web: connected').waitFor();
    const echo = page.getByTestId('servers-panel').locator('[data-testid=service][data-state=listening]', { hasText: 'echo/tcp' });
    await echo.waitFor();
    await expect(echo.innerText()).resolves.toContain('gaia.cs.umass.edu');
    await expect(echo.innerText()).resolves.toContain(`128.119.245.12:7 → 127.0.0.1:${portOffset + 7}`);
    expect(await page.getByTestId('status-bar').innerText()).toContain(path.join(dir, 'data'));
  }, 30_000);

  it('talks to the echo server from the terminal and captures both directions', async () => {
    await page.locator('[data-testid=terminal] .xterm-rows', { hasText: 'protolab>' }).waitFor();
    await typeInTerminal(page, 'open gaia.cs.umass.edu 7');
    await expect.poll(() => terminalText(page), { timeout: STEP_TIMEOUT_MS }).toContain('Connected to gaia.cs.umass.edu');
    await typeInTerminal(page, 'hello');
    const rows = page.getByTestId('packet-row').filter({ hasText: 'hello' });
    await expect.poll(() => rows.count(), { timeout: STEP_TIMEOUT_MS }).toBe(2);
    // The renderer does not echo: the one "hello" typed plus the one echoed back, nothing more.
    await expect.poll(async () => (await terminalText(page)).match(/hello/g)?.length, { timeout: STEP_TIMEOUT_MS }).toBe(2);
    const first = rows.first();
    expect(await first.innerText()).toMatch(/ECHO/);
    expect(await first.innerText()).toContain('→ #');
    expect(await page.getByTestId('servers-panel').locator('[data-testid=service]', { hasText: 'echo/tcp' }).innerText()).toContain('1 connection');
  }, 60_000);

  it('shows the selected message in the details tree and the bytes pane, and links them', async () => {
    const request = page.getByTestId('packet-row').filter({ hasText: 'hello' }).first();
    const requestId = Number(await request.getAttribute('data-id'));
    await request.click();
    expect(await request.getAttribute('aria-selected')).toBe('true');
    const details = page.getByTestId('details-tree');
    await details.getByText(`Message #${requestId}: 7 bytes, TCP client → server`).waitFor();
    const detailsText = await details.innerText();
    expect(detailsText).toContain('Echo request');
    expect(detailsText).toContain('Data: "hello"');
    expect(detailsText).toContain('(really 127.0.0.1:');
    expect(detailsText).toMatch(/\[Length: 7 bytes\]/);

    const bytes = page.getByTestId('bytes-pane');
    expect(await bytes.locator('.hex-byte[data-offset]').allInnerTexts()).toEqual(['68', '65', '6c', '6c', '6f', '0d', '0a']);
    expect((await bytes.locator('.hex-char[data-offset]').allInnerTexts()).join('')).toBe('hello..');

    // A byte click selects the deepest field over it and lights up that field's bytes.
    await bytes.locator('.hex-byte[data-offset="1"]').click();
    await details.locator('[data-testid=tree-node][aria-selected=true]', { hasText: 'Data: "hello"' }).waitFor();
    expect(await bytes.locator('.hex-byte.on').count()).toBe(5);
    await page.getByTestId('field-explanation').getByText('echo.data').waitFor();
    // And a field click lights up its bytes: the line end is the last two.
    await details.locator('[data-testid=tree-node]', { hasText: 'Line end' }).click();
    expect(await bytes.locator('.hex-byte.on').allInnerTexts()).toEqual(['0d', '0a']);

    // "Answered by" selects the reply.
    await details.getByTestId('pair-link').click();
    await page.locator(`[data-testid=packet-row][aria-selected=true][data-id="${requestId + 1}"]`).waitFor();
    await details.getByText('Echo reply').first().waitFor();
    expect(await details.innerText()).toContain(`Response to: #${requestId}`);
  }, 60_000);

  it('types a composed message into the terminal from the Compose tab (monaco, loaded locally)', async () => {
    await page.getByTestId('compose-tab').click();
    await page.locator('.monaco-editor').waitFor({ timeout: 30_000 });
    await page.getByTestId('compose-send').click();
    // The default example is three lines for the echo server.
    const rows = page.getByTestId('packet-row').filter({ hasText: 'is this thing on?' });
    await expect.poll(() => rows.count(), { timeout: STEP_TIMEOUT_MS }).toBe(2);
    // Sending switched back to the terminal, which shows the echoed lines.
    await expect.poll(() => terminalText(page), { timeout: STEP_TIMEOUT_MS }).toContain('every line comes back unchanged');
  }, 60_000);

  it('filters the list by protocol and text', async () => {
    const filter = page.getByTestId('packet-filter');
    await filter.fill('proto:echo "thing on"');
    await expect.poll(() => page.getByTestId('packet-row').count(), { timeout: STEP_TIMEOUT_MS }).toBe(2);
    await filter.fill('"MAIL FROM');
    await page.getByText('a quote is not closed').waitFor();
    await filter.fill('');
    await expect.poll(() => page.getByTestId('packet-row').count(), { timeout: STEP_TIMEOUT_MS }).toBeGreaterThanOrEqual(8);
  }, 30_000);

  it('stops and starts a server from the servers panel', async () => {
    const daytime = page.getByTestId('servers-panel').locator('[data-testid=service]', { hasText: 'daytime/tcp' });
    await daytime.getByRole('button', { name: 'Stop' }).click();
    await page.getByTestId('servers-panel').locator('[data-testid=service][data-state=stopped]', { hasText: 'daytime/tcp' }).waitFor();
    await daytime.getByRole('button', { name: 'Start' }).click();
    await page.getByTestId('servers-panel').locator('[data-testid=service][data-state=listening]', { hasText: 'daytime/tcp' }).waitFor();
  }, 30_000);

  it('opens a second terminal tab with a session of its own, and closes it', async () => {
    await page.getByRole('button', { name: 'Open another terminal' }).click();
    await page.getByRole('tab', { name: /Terminal 2/ }).waitFor();
    expect(await page.getByRole('tab', { name: /Terminal 2/ }).getAttribute('aria-selected')).toBe('true');
    await page.locator('.tab-panel:not([hidden]) [data-testid=terminal] .xterm-rows', { hasText: 'protolab>' }).waitFor();
    // The first tab is still connected to echo; this one starts at the prompt, its own session.
    expect(await terminalText(page)).not.toContain('Connected to');
    await typeInTerminal(page, 'open gaia.cs.umass.edu 13');
    await page.getByTestId('packet-row').filter({ hasText: 'DAYTIME' }).first().waitFor();
    await page.getByRole('button', { name: 'Close Terminal 2' }).click();
    await page.getByRole('tab', { name: /Terminal 2/ }).waitFor({ state: 'detached' });
    expect(await page.getByRole('tab', { name: /Terminal 1/ }).getAttribute('aria-selected')).toBe('true');
  }, 30_000);

  it('marks expert info, e.g. a line that ends in a bare LF', async () => {
    const sock = net.connect(portOffset + 7, '127.0.0.1');
    await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));
    sock.write('bare line feed\n');
    const row = page.getByTestId('packet-row').filter({ hasText: 'bare line feed' }).first();
    await row.waitFor();
    sock.destroy();
    await row.click();
    const expert = page.getByTestId('details-tree').locator('.expert');
    await expert.first().waitFor();
    expect(await expert.first().getAttribute('class')).toMatch(/expert-(note|warn|error)/);
    // The line end is one byte, and it is the one flagged.
    await page.getByTestId('details-tree').locator('[data-testid=tree-node]', { hasText: 'Line end' }).click();
    expect(await page.getByTestId('bytes-pane').locator('.hex-byte.on').allInnerTexts()).toEqual(['0a']);
  }, 30_000);

  it('looks right: screenshot for a person to check', async () => {
    await page.getByTestId('packet-row').filter({ hasText: 'hello' }).first().click();
    await page.getByTestId('bytes-pane').locator('.hex-byte[data-offset="0"]').click();
    await page.locator('.tab').first().click();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui.png') });
    expect(fs.statSync(path.join(ARTIFACTS, 'ui.png')).size).toBeGreaterThan(10_000);
  }, 30_000);

  it('keeps the list memory bounded in a capture larger than its window, reading old rows back', async () => {
    const LINES = PACKET_WINDOW_ROWS + 1000;
    const sock = net.connect(portOffset + 7, '127.0.0.1');
    await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));
    let echoed = 0;
    sock.on('data', (d) => (echoed += d.length));
    let payload = '';
    for (let i = 1; i <= LINES; i++) payload += `bulk line ${i}\r\n`;
    sock.write(payload);
    await expect.poll(() => echoed, { timeout: 30_000 }).toBe(payload.length);
    sock.destroy();
    const status = page.getByTestId('status-bar');
    await expect.poll(async () => Number((await status.innerText()).match(/(\d+) messages/)?.[1]), { timeout: 30_000 }).toBeGreaterThanOrEqual(LINES * 2);
    const held = async () => Number((await status.locator('[title$="rows held in memory"]').getAttribute('title'))?.split(' ')[0]);
    expect(await held()).toBeLessThanOrEqual(PACKET_WINDOW_ROWS);
    // The first message of the capture fell out of the window; Home scrolls to it and it is read back.
    expect(await page.locator('[data-testid=packet-row][data-id="1"]').count()).toBe(0);
    await page.locator('.packet-scroll').focus();
    await page.keyboard.press('Home');
    await page.locator('[data-testid=packet-row][data-id="1"]', { hasText: 'hello' }).waitFor();
    expect(await held()).toBeLessThanOrEqual(PACKET_WINDOW_ROWS);
    await page.keyboard.press('End');
    await page.getByTestId('packet-row').filter({ hasText: `bulk line ${LINES}\\r\\n` }).first().waitFor();
  }, 90_000);

  it('shows a banner while the core is away and starts a new terminal session when it is back', async () => {
    const port = Number(new URL(face!.url).port);
    errorsBeforeRestart = [...consoleErrors];
    await stopWebFace(face);
    face = null;
    await page.getByTestId('link-banner').getByText('Disconnected from the lab core').waitFor();
    expect(await page.getByTestId('status-bar').innerText()).toMatch(/web: (disconnected|connecting)/);
    face = await startWebFace(path.join(dir, 'data'), portOffset, port);
    await page.getByTestId('link-banner').waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => terminalText(page), { timeout: STEP_TIMEOUT_MS }).toContain('reconnected to the lab core');
    await typeInTerminal(page, 'open gaia.cs.umass.edu 7');
    // The new session works: a second "Connected" after the reconnect note.
    await expect.poll(async () => (await terminalText(page)).split('reconnected to the lab core')[1] ?? '', { timeout: STEP_TIMEOUT_MS }).toContain('Connected to gaia.cs.umass.edu');
  }, 90_000);

  it('asked nothing of any host but 127.0.0.1, and logged no errors', () => {
    const port = new URL(face!.url).port;
    expect(errorsBeforeRestart, 'the restart test ran first').not.toBeNull();
    const offLoopback = requests.filter((u) => !u.startsWith(`http://127.0.0.1:${port}/`) && !u.startsWith(`ws://127.0.0.1:${port}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(offLoopback).toEqual([]);
    expect(requests.some((u) => u.startsWith(`ws://127.0.0.1:${port}/api`))).toBe(true);
    expect(errorsBeforeRestart ?? consoleErrors).toEqual([]);
    // While the core was down, only the WebSocket's failed reconnects may have been logged.
    expect(consoleErrors.filter((e) => !/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/api' failed/.test(e))).toEqual([]);
  });
});
