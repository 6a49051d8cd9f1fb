// The zone editor as a student gets it: `protolab web` in Debian's chromium, the DNS panel's Zones
// tab. Lists the zone files by server, opens one in monaco with master-file colours, marks a
// broken record while it is typed, refuses to save it, saves the fix and checks over UDP that the
// authoritative server answers from it at once; asks before unsaved changes are dropped; follows
// a save made from another window; and never asks anything of a host other than 127.0.0.1.

import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeLabInBrowser, openLabInBrowser, openLabPage, type LabInBrowser } from '../support/lab-page';
import { parse as parseYaml } from 'yaml';
import { type DnsMessage, RCODE, RR_TYPE, decodeMessage, encodeMessage, makeQuery, readZoneManifest, type ZoneManifest } from '../../src/protocols/dns';
import { ZONE_THEME_BACKGROUND, ZONE_TOKEN_STYLES } from '../../src/renderer/lib/zone-language';
import { requireTool } from '../support/tools';
import { WEB_FACE_READY_TIMEOUT_MS, type WebFaceProcess } from '../support/web-face';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ZONES_DIR = path.join(ROOT, 'content', 'zones');
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');

/** How long one UI step may take to show its result. */
const STEP_TIMEOUT_MS = 15_000;
/** How long an authoritative server may take to answer one UDP query on loopback. */
const REPLY_WAIT_MS = 3_000;

const chromiumPath = requireTool('chromium');

function manifest(): ZoneManifest {
  const read = readZoneManifest(parseYaml(fs.readFileSync(path.join(ZONES_DIR, 'zones.yaml'), 'utf8')));
  if (!read.ok) throw new Error(read.problems.join('\n'));
  return read.manifest;
}

/** The loopback port of the server that serves a zone file (portOffset + its slot, zones.yaml). */
function serverPortFor(file: string, portOffset: number): number {
  const server = manifest().servers.find((s) => s.zones.some((z) => z.file === file));
  if (!server?.portSlot) throw new Error(`no server with a port slot serves ${file}`);
  return portOffset + server.portSlot;
}

/** One query over UDP to 127.0.0.1, from a fresh socket. */
function askUdp(port: number, name: string, type: number): Promise<DnsMessage> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no reply on 127.0.0.1:${port} to ${name}`));
    }, REPLY_WAIT_MS);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      const d = decodeMessage(new Uint8Array(msg), { transport: 'udp' });
      if (d.ok) resolve(d.message);
      else reject(new Error(`undecodable reply: ${d.error.message}`));
    });
    socket.send(encodeMessage(makeQuery(0x4242, name, type, { recursionDesired: false })), port, '127.0.0.1');
  });
}

/** `rgb(r, g, b)` for a theme colour `rrggbb`, as getComputedStyle gives it. */
function rgb(hex: string): string {
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.replace('#', '').slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

const EDITOR = '[data-testid=zone-editor] .monaco-editor';

/** The text monaco shows (the lines it rendered, in order), with its no-break spaces as spaces. */
async function editorText(page: Page): Promise<string> {
  return (await page.locator(`${EDITOR} .view-lines`).innerText()).replace(/\u00a0/g, ' ');
}

/** The colour of the first rendered token whose text is exactly `text`. */
async function tokenColour(page: Page, text: string): Promise<string | null> {
  return page.locator(`${EDITOR} .view-line span span`).evaluateAll((spans, wanted) => {
    const hit = spans.find((s) => s.textContent?.replace(/\u00a0/g, ' ') === wanted);
    return hit ? getComputedStyle(hit).color : null;
  }, text);
}

/**
 * Focuses the editor with the cursor at the end of the text (monaco scrolls there). The click is
 * near the text's left edge: the lines element is as wide as the longest line, so its centre may
 * lie beyond a narrow panel, and clicking there would scroll the text sideways.
 */
async function toEnd(page: Page): Promise<void> {
  await page.locator(`${EDITOR} .view-lines`).click({ position: { x: 8, y: 8 } });
  await page.keyboard.press('Control+End');
}

async function typeAtEnd(page: Page, text: string): Promise<void> {
  await toEnd(page);
  await page.keyboard.type(text);
}

/** The last lines of the text: monaco renders only the lines in view, so scroll to the end first. */
async function editorTextAtEnd(page: Page): Promise<string> {
  await toEnd(page);
  return editorText(page);
}

async function openZonesTab(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'DNS', exact: true }).click();
  await page.getByTestId('dns-tab-zones').click();
  await page.getByTestId('zone-editor').waitFor();
}

async function openFile(page: Page, file: string): Promise<void> {
  await page.locator(`[data-testid=zone-file][data-file="${file}"]`).click();
  await expect.poll(() => page.getByTestId('zone-title').innerText(), { timeout: STEP_TIMEOUT_MS }).toContain(file);
  await page.locator(`${EDITOR} .view-lines`).waitFor({ timeout: 30_000 });
}

describe.skipIf(!chromiumPath)('the zone editor in chromium', () => {
  let lab: LabInBrowser | undefined;
  let portOffset: number;
  let face: WebFaceProcess;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    lab = await openLabInBrowser('protolab-zone-editor-', chromiumPath!, { requests, consoleErrors }, STEP_TIMEOUT_MS);
    ({ portOffset, face, browser, page } = lab);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, WEB_FACE_READY_TIMEOUT_MS + 30_000);

  afterAll(() => closeLabInBrowser(lab));

  it('lists every zone file under its server, root first, with the server’s role and the file’s state', async () => {
    await openZonesTab(page);
    const m = manifest();
    const servers = page.getByTestId('zone-server');
    await expect.poll(() => servers.count(), { timeout: STEP_TIMEOUT_MS }).toBe(m.servers.length);
    expect(await servers.first().getAttribute('data-server')).toBe(m.servers.find((s) => s.role === 'root')!.name);
    expect(await servers.first().innerText()).toContain('root');
    expect(await page.getByTestId('zone-file').count()).toBe(m.servers.reduce((n, s) => n + s.zones.length, 0));
    const umassServer = page.locator('[data-testid=zone-server]', { has: page.locator('[data-file="umass.edu.zone"]') });
    expect(await umassServer.innerText()).toContain('authoritative');
    const row = page.locator('[data-testid=zone-file][data-file="umass.edu.zone"]');
    expect(await row.innerText()).toMatch(/umass\.edu\.[\s\S]*\d+ records[\s\S]*no problems/);
  }, 60_000);

  it('opens a zone file in monaco, coloured as a master file on the app’s background', async () => {
    await openFile(page, 'umass.edu.zone');
    await expect.poll(() => editorText(page), { timeout: STEP_TIMEOUT_MS }).toContain('$ORIGIN umass.edu.');
    // Monaco colours the lines a moment after it first draws them (tokenizing runs in the background).
    await expect.poll(() => tokenColour(page, '$ORIGIN'), { timeout: STEP_TIMEOUT_MS }).toBe(rgb(ZONE_TOKEN_STYLES['keyword.directive'].foreground));
    expect(await tokenColour(page, 'SOA')).toBe(rgb(ZONE_TOKEN_STYLES['type.record'].foreground));
    expect(await tokenColour(page, 'dns.cs.umass.edu.')).toBe(rgb(ZONE_TOKEN_STYLES['variable.name.absolute'].foreground));
    expect(await tokenColour(page, '128.119.8.148')).toBe(rgb(ZONE_TOKEN_STYLES['constant.address.ipv4'].foreground));
    expect(await tokenColour(page, '; one hour')).toBe(rgb(ZONE_TOKEN_STYLES.comment.foreground));
    const background = await page.locator(`${EDITOR} .monaco-editor-background`).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe(rgb(ZONE_THEME_BACKGROUND));
    await expect(page.getByTestId('zone-live-problems').innerText()).resolves.toBe('no problems');
  }, 60_000);

  it('marks a broken record while it is typed, refuses to save it, and serves the fixed one at once', async () => {
    const port = serverPortFor('umass.edu.zone', portOffset);
    const before = await askUdp(port, 'broken.umass.edu', RR_TYPE.A);
    expect(before.flags.rcode).toBe(RCODE.NXDOMAIN);
    const recordsBefore = Number(/(\d+) records/.exec(await page.locator('[data-testid=zone-file][data-file="umass.edu.zone"]').innerText())![1]);
    // The shipped file ends in a newline, so its last line is the empty one after the last record.
    const line = fs.readFileSync(path.join(ZONES_DIR, 'umass.edu.zone'), 'utf8').split('\n').length;

    await typeAtEnd(page, 'broken IN A 10.0.0.256');
    await expect.poll(() => page.getByTestId('zone-title').innerText()).toContain('unsaved changes');
    const problem = page.getByTestId('zone-problem');
    await expect.poll(() => problem.allInnerTexts(), { timeout: STEP_TIMEOUT_MS }).toEqual([expect.stringMatching(new RegExp(`^${line}:13\\s*error\\s*"10\\.0\\.0\\.256" is not an IPv4 address`))]);
    await page.locator(`${EDITOR} .squiggly-error`).first().waitFor();
    expect(await page.getByTestId('zone-live-problems').innerText()).toBe('1 error');
    // The file's card says what the text being typed has, not what the file on disk has.
    const card = page.locator('[data-testid=zone-file][data-file="umass.edu.zone"] [data-testid=zone-badge]');
    await expect.poll(() => card.innerText(), { timeout: STEP_TIMEOUT_MS }).toBe('unsaved, 1 error');
    // The text gets most of the panel's height, and the line being typed stays in view above the problems.
    const editorBox = (await page.locator(EDITOR).boundingBox())!;
    const panelBox = (await page.getByTestId('zone-editor').boundingBox())!;
    expect(editorBox.height, `editor ${editorBox.height} px of ${panelBox.height} px`).toBeGreaterThan(panelBox.height * 0.55);
    const typed = page.locator(`${EDITOR} .view-line`, { hasText: 'broken IN A 10.0.0.256' });
    const typedBox = (await typed.boundingBox())!;
    expect(typedBox.y + typedBox.height).toBeLessThanOrEqual(editorBox.y + editorBox.height);

    await page.getByTestId('zone-save').click();
    const result = page.getByTestId('zone-save-result');
    await expect.poll(() => result.getAttribute('data-ok')).toBe('false');
    expect(await result.innerText()).toContain('Not saved: umass.edu.zone has 1 error.');
    expect((await askUdp(port, 'broken.umass.edu', RR_TYPE.A)).flags.rcode).toBe(RCODE.NXDOMAIN);

    // Clicking Save took the focus from the editor.
    await toEnd(page);
    await page.keyboard.press('Backspace');
    await page.keyboard.type('5');
    await expect.poll(() => page.getByTestId('zone-live-problems').innerText(), { timeout: STEP_TIMEOUT_MS }).toBe('no problems');
    expect(await problem.count()).toBe(0);
    // The refusal was about the text before: it goes as soon as the text changes.
    expect(await result.count()).toBe(0);
    expect(await card.innerText()).toBe('unsaved, no problems');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-zone-fixed.png') });

    await page.getByTestId('zone-save').click();
    await expect.poll(() => result.getAttribute('data-ok')).toBe('true');
    const said = await result.innerText();
    expect(said).toContain(`Saved umass.edu.zone, live now (${recordsBefore + 1} records).`);
    expect(said).toMatch(/answer from it now.*TTL runs out or you flush/);
    expect(await page.getByTestId('zone-title').innerText()).not.toContain('unsaved');
    expect(await result.getAttribute('data-stale')).toBe('false');
    await expect.poll(() => card.innerText()).toBe('no problems');

    const after = await askUdp(port, 'broken.umass.edu', RR_TYPE.A);
    expect(after.flags.rcode).toBe(RCODE.NOERROR);
    expect(after.flags.aa).toBe(true);
    expect(after.answers.map((r) => r.data)).toEqual([{ kind: 'A', address: '10.0.0.255' }]);
    await expect.poll(() => page.locator('[data-testid=zone-file][data-file="umass.edu.zone"]').innerText()).toContain(`${recordsBefore + 1} records`);
  }, 60_000);

  it('asks before unsaved changes are dropped, and Revert reads the file from disk again', async () => {
    await typeAtEnd(page, '; a note');
    // The last save still tells what the servers answer from, dimmed: these changes are not in it.
    const result = page.getByTestId('zone-save-result');
    await expect.poll(() => result.getAttribute('data-stale')).toBe('true');
    expect(await result.innerText()).toContain('your changes since are not saved yet');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-zone-edited-after-save.png') });
    await page.locator('[data-testid=zone-file][data-file="cs.umass.edu.zone"]').click();
    await page.getByTestId('zone-unsaved-question').waitFor();
    await page.getByTestId('zone-keep').click();
    expect(await page.getByTestId('zone-unsaved-question').count()).toBe(0);
    expect(await page.getByTestId('zone-title').innerText()).toMatch(/umass\.edu\.zone[\s\S]*unsaved changes/);
    expect(await editorTextAtEnd(page)).toContain('; a note');

    await page.getByTestId('zone-revert').click();
    await expect.poll(() => page.getByTestId('zone-title').innerText()).not.toContain('unsaved');
    const reverted = await editorTextAtEnd(page);
    expect(reverted).not.toContain('; a note');
    expect(reverted).toContain('broken IN A 10.0.0.255');

    await typeAtEnd(page, '; another note');
    await page.locator('[data-testid=zone-file][data-file="cs.umass.edu.zone"]').click();
    await page.getByTestId('zone-discard').click();
    await expect.poll(() => editorText(page), { timeout: STEP_TIMEOUT_MS }).toContain('$ORIGIN cs.umass.edu.');
    expect(await page.getByTestId('zone-title').innerText()).not.toContain('unsaved');
  }, 60_000);

  it('follows a save made from another window when the open file has no changes of its own', async () => {
    const other = await openLabPage(browser, face.url, { requests, consoleErrors }, STEP_TIMEOUT_MS);
    try {
      await openZonesTab(other);
      await openFile(other, 'cs.umass.edu.zone');
      await typeAtEnd(other, 'elsewhere IN TXT "saved from another window"');
      await other.getByTestId('zone-save').click();
      await expect.poll(() => other.getByTestId('zone-save-result').getAttribute('data-ok')).toBe('true');
    } finally {
      await other.close();
    }
    await expect.poll(() => page.getByTestId('zone-editor').innerText(), { timeout: STEP_TIMEOUT_MS }).toContain('cs.umass.edu.zone was saved elsewhere');
    expect(await editorTextAtEnd(page)).toContain('elsewhere IN TXT "saved from another window"');
    expect(await page.getByTestId('zone-title').innerText()).not.toContain('unsaved');
  }, 60_000);

  it('saves a zone that is sound on its own and lists what it breaks between the zones', async () => {
    // The open file is cs.umass.edu.zone, as the other window saved it (ending without a newline).
    await toEnd(page);
    await page.keyboard.press('Enter');
    await page.keyboard.type('@ IN NS ns.elsewhere.example.');
    await expect.poll(() => page.getByTestId('zone-live-problems').innerText(), { timeout: STEP_TIMEOUT_MS }).toBe('no problems');
    // Saved from the keyboard this time: Ctrl+S is the editor's save, not the browser's.
    await page.keyboard.press('Control+S');
    await expect.poll(() => page.getByTestId('zone-save-result').getAttribute('data-ok')).toBe('true');
    const between = await page.getByTestId('zone-hierarchy-problems').innerText();
    expect(between).toContain('ns.elsewhere.example. is an NS of cs.umass.edu. but zones.yaml has no such server for that zone');
  }, 60_000);

  it('asked nothing of any host but 127.0.0.1 and logged no errors', () => {
    expect(requests.length).toBeGreaterThan(0);
    for (const url of requests) expect(new URL(url).hostname, url).toBe('127.0.0.1');
    expect(consoleErrors).toEqual([]);
  });
});
