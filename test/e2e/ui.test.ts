// The UI as a student gets it: the web face started as the `protolab web` command, the built
// renderer in Debian's chromium. Types into the terminal, watches the capture fill, inspects a
// message, uses Compose, the filter and the servers panel, survives a restart of the core, and
// checks that the page never asked anything of a host other than 127.0.0.1.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureRendererBuilt } from '../../src/main/web/renderer-build';
import { PACKET_WINDOW_ROWS } from '../../src/renderer/lib/packet-store';
import { listProtocols } from '../../src/protocols/registry';
import { freePortOffset } from '../support/ports';
import { requireTool } from '../support/tools';
import { CHROMIUM_ARGS } from '../support/chromium';
import { WEB_FACE_READY_TIMEOUT_MS, startWebFace, stopWebFace, type WebFaceProcess as WebFace } from '../support/web-face';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');

/** How long the web face may take to print its ready line (it compiles TypeScript on the fly). */
/** How long one UI step may take to show its result. */
const STEP_TIMEOUT_MS = 15_000;

const chromiumPath = requireTool('chromium');

/** The text the visible terminal shows. */
async function terminalText(page: Page): Promise<string> {
  return page.locator('.tab-panel:not([hidden]) [data-testid=terminal] .xterm-rows').innerText();
}

const VISIBLE_TERMINAL = '.tab-panel:not([hidden]) [data-testid=terminal]';

/** The grid the visible xterm shows (the renderer mirrors term.cols/rows on the host element). */
async function terminalGrid(page: Page): Promise<{ cols: number; rows: number }> {
  const host = page.locator(VISIBLE_TERMINAL);
  return { cols: Number(await host.getAttribute('data-cols')), rows: Number(await host.getAttribute('data-rows')) };
}

/** Whether an element's text is cut (ellipsis) rather than shown whole. */
async function isCut(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().evaluate((el) => el.scrollWidth > el.clientWidth);
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
  /** Terminal sizes the page told the core, in order: what openTerminal and terminalResize carried. */
  const sizesSent: Array<{ method: 'openTerminal' | 'terminalResize'; cols: number; rows: number }> = [];
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
    page.on('websocket', (ws) => {
      requests.push(ws.url());
      ws.on('framesent', ({ payload }) => {
        if (typeof payload !== 'string') return;
        const frame = JSON.parse(payload) as { kind: string; method?: string; args?: unknown[] };
        if (frame.kind !== 'call') return;
        if (frame.method === 'openTerminal') {
          const { cols, rows } = frame.args![0] as { cols: number; rows: number };
          sizesSent.push({ method: 'openTerminal', cols, rows });
        } else if (frame.method === 'terminalResize') {
          sizesSent.push({ method: 'terminalResize', cols: frame.args![1] as number, rows: frame.args![2] as number });
        }
      });
    });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
    await page.goto(face.url);
  }, WEB_FACE_READY_TIMEOUT_MS + 30_000);

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
    // The capture is empty: the list says how to fill it, with a server that is listening.
    await page.getByTestId('packet-list-empty').getByText('open gaia.cs.umass.edu 7').waitFor();
    // The filter's examples name protocols this lab has.
    const placeholder = (await page.getByTestId('packet-filter').getAttribute('placeholder')) ?? '';
    const ids = listProtocols().map((m) => m.id);
    const examples = [...placeholder.matchAll(/(?:proto:|!)([a-z0-9-]+)/g)].map((m) => m[1]);
    expect(examples.length).toBeGreaterThan(0);
    for (const name of examples) expect(ids).toContain(name);
    // The direction bars have a legend.
    expect(await page.getByTestId('direction-legend').innerText()).toMatch(/client → server[\s\S]*server → client/);
  }, 30_000);

  it('talks to the echo server from the terminal and captures both directions', async () => {
    await page.locator('[data-testid=terminal] .xterm-rows', { hasText: 'protolab>' }).waitFor();
    // By address: a name is first looked up through the lab's resolver, and these checks count the echo rows alone.
    await typeInTerminal(page, 'open 128.119.245.12 7');
    await expect.poll(() => terminalText(page), { timeout: STEP_TIMEOUT_MS }).toContain('Connected to gaia.cs.umass.edu');
    await typeInTerminal(page, 'hello');
    const rows = page.getByTestId('packet-row').filter({ hasText: 'hello' });
    await expect.poll(() => rows.count(), { timeout: STEP_TIMEOUT_MS }).toBe(2);
    // The renderer does not echo: the one "hello" typed plus the one echoed back, nothing more.
    await expect.poll(async () => (await terminalText(page)).match(/hello/g)?.length, { timeout: STEP_TIMEOUT_MS }).toBe(2);
    const first = rows.first();
    expect(await first.innerText()).toMatch(/ECHO/);
    expect(await first.innerText()).toContain('→ #');
    expect(await first.locator('.col-num').getAttribute('title')).toContain('client → server');
    expect(await rows.nth(1).locator('.col-num').getAttribute('title')).toContain('server → client');
    // Info starts at the same place in every row: the pair marker has a column of its own.
    const textStarts = await page.getByTestId('packet-row').locator('.col-info').evaluateAll((els) =>
      els.map((e) => {
        const range = document.createRange();
        range.selectNodeContents(e);
        return Math.round(range.getClientRects()[0].left);
      }),
    );
    expect(textStarts.length).toBe(2);
    expect(new Set(textStarts).size).toBe(1);
    expect(await page.getByTestId('servers-panel').locator('[data-testid=service]', { hasText: 'echo/tcp' }).innerText()).toContain('1 connection');
    // The byte total follows the rows: "hello\r\n" each way, 14 bytes.
    await expect.poll(async () => (await page.getByTestId('status-bar').innerText()).match(/· (\d+) B captured/)?.[1], { timeout: STEP_TIMEOUT_MS }).toBe('14');
  }, 60_000);

  it('tells the core the terminal’s real size, at open and on every resize', async () => {
    const grid = await terminalGrid(page);
    // Opened with the fitted size (not xterm's 80x24), and nothing moved since.
    const opened = sizesSent.find((s) => s.method === 'openTerminal');
    expect(opened?.cols).toBe(grid.cols);
    expect(sizesSent.at(-1)).toEqual({ method: sizesSent.at(-1)!.method, ...grid });
    // The text has room around it and stays clear of the host's edges (and of the scrollbar).
    const box = await page.locator(VISIBLE_TERMINAL).evaluate((host) => {
      const frame = host.parentElement!.getBoundingClientRect();
      const h = host.getBoundingClientRect();
      const screen = host.querySelector('.xterm-screen')!.getBoundingClientRect();
      return { frameLeft: frame.left, hostLeft: h.left, hostRight: h.right, screenLeft: screen.left, screenRight: screen.right };
    });
    expect(box.hostLeft - box.frameLeft).toBeGreaterThanOrEqual(8);
    expect(box.screenLeft).toBeGreaterThanOrEqual(box.hostLeft);
    expect(box.screenRight).toBeLessThanOrEqual(box.hostRight);

    await page.getByRole('button', { name: 'Hide servers' }).click();
    await expect.poll(async () => (await terminalGrid(page)).cols, { timeout: STEP_TIMEOUT_MS }).toBeGreaterThan(grid.cols);
    const wide = await terminalGrid(page);
    await expect.poll(() => sizesSent.at(-1), { timeout: STEP_TIMEOUT_MS }).toEqual({ method: 'terminalResize', ...wide });

    // With the room the servers panel gave back, endpoints and the echo lines show whole.
    for (const col of ['source', 'destination', 'info']) expect(await isCut(page, `[data-testid=packet-row] .col-${col}`), col).toBe(false);
    const first = page.getByTestId('packet-row').first();
    expect(await first.locator('.col-destination').innerText()).toBe('gaia.cs.umass.edu:7');
    expect(await first.locator('.col-source').innerText()).toMatch(/^cis\.poly\.edu:\d+$/);
    for (const label of ['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Pair', 'Info']) {
      const header = page.locator('.packet-header [role=columnheader]', { hasText: label }).first();
      expect(await header.evaluate((el) => el.scrollWidth > el.clientWidth), label).toBe(false);
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-servers-hidden.png') });

    await page.getByRole('button', { name: 'Show servers' }).click();
    await expect.poll(async () => (await terminalGrid(page)).cols, { timeout: STEP_TIMEOUT_MS }).toBeLessThan(wide.cols);
    const back = await terminalGrid(page);
    await expect.poll(() => sizesSent.at(-1), { timeout: STEP_TIMEOUT_MS }).toEqual({ method: 'terminalResize', ...back });
  }, 30_000);

  it('resizes a list column and the halves by dragging, and the terminal follows the splitter', async () => {
    const source = page.locator('.packet-header [role=columnheader].col-source');
    const before = (await source.boundingBox())!.width;
    const handle = source.locator('.col-resizer');
    const h = (await handle.boundingBox())!;
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(h.x + h.width / 2 - 40, h.y + h.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => Math.round((await source.boundingBox())!.width), { timeout: STEP_TIMEOUT_MS }).toBe(Math.round(before - 40));
    // The rows follow the header.
    const cell = page.getByTestId('packet-row').first().locator('.col-source');
    expect(Math.round((await cell.boundingBox())!.width)).toBe(Math.round(before - 40));
    // A double-click fits the column to its content again.
    await handle.dblclick();
    await expect.poll(async () => Math.round((await source.boundingBox())!.width), { timeout: STEP_TIMEOUT_MS }).toBe(Math.round(before));

    // Moving the main splitter right widens the terminal, and the core is told.
    const grid = await terminalGrid(page);
    const details = page.getByTestId('details-tree');
    const detailsWidth = (await details.boundingBox())!.width;
    const splitter = page.getByRole('separator', { name: 'Resize the left and right halves' });
    const sb = (await splitter.boundingBox())!;
    await page.mouse.move(sb.x + sb.width / 2, sb.y + sb.height / 2);
    await page.mouse.down();
    await page.mouse.move(sb.x + sb.width / 2 + 80, sb.y + sb.height / 2, { steps: 4 });
    await page.mouse.up();
    // Within a few pixels: the bar follows the pointer, which held it off its centre line.
    await expect.poll(async () => Math.abs((await details.boundingBox())!.width - (detailsWidth - 80)), { timeout: STEP_TIMEOUT_MS }).toBeLessThanOrEqual(3);
    await expect.poll(async () => (await terminalGrid(page)).cols, { timeout: STEP_TIMEOUT_MS }).toBeGreaterThan(grid.cols);
    const wider = await terminalGrid(page);
    await expect.poll(() => sizesSent.at(-1), { timeout: STEP_TIMEOUT_MS }).toEqual({ method: 'terminalResize', ...wider });
    // And back, by keyboard.
    await splitter.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await terminalGrid(page)).cols, { timeout: STEP_TIMEOUT_MS }).toBeLessThan(wider.cols);
    await expect.poll(async () => sizesSent.at(-1)?.cols, { timeout: STEP_TIMEOUT_MS }).toBe((await terminalGrid(page)).cols);
  }, 30_000);

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
    // By address too: the bounded-list test below needs the capture before it to fit the list.
    await typeInTerminal(page, 'open 128.119.245.12 13');
    await page.getByTestId('packet-row').filter({ hasText: 'DAYTIME' }).first().waitFor();
    await page.getByRole('button', { name: 'Close Terminal 2' }).click();
    await page.getByRole('tab', { name: /Terminal 2/ }).waitFor({ state: 'detached' });
    expect(await page.getByRole('tab', { name: /Terminal 1/ }).getAttribute('aria-selected')).toBe('true');
  }, 30_000);

  it('shows the connection closed in the details pane as soon as it closes, without another click', async () => {
    const request = page.getByTestId('packet-row').filter({ hasText: 'hello' }).first();
    await request.click();
    const details = page.getByTestId('details-tree');
    await details.getByText(/Connection: #\d+ TCP echo, open/).waitFor();
    await page.locator(VISIBLE_TERMINAL).click();
    await page.keyboard.press('Control+BracketRight');
    await expect.poll(() => terminalText(page), { timeout: STEP_TIMEOUT_MS }).toContain('Connection closed');
    await details.getByText(/Connection: #\d+ TCP echo, closed/).waitFor();
    expect(await request.getAttribute('aria-selected')).toBe('true');
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
