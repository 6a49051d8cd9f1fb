// The DNS face of the UI in chromium, against `protolab web`: a real UDP query to the local name
// server (dns.poly.edu), then the DNS panel's cache with its TTL counting down, the resolution
// view's lanes and arrows for the iterative walk, a cache hit, the same question again in the
// recursive scheme after a flush, an arrow opening its message in the packet list, a reverse
// lookup whose referral has no glue, the zone editor in its tab, the servers panel's DNS group,
// and the room the terminal and the message list keep beside the panel at 1440x900. Screenshots
// go to test/artifacts/ for a person to look at.

import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeLabInBrowser, openLabInBrowser, type LabInBrowser } from '../support/lab-page';
import { RR_TYPE, decodeMessage, encodeMessage, makeQuery } from '../../src/protocols/dns';
import type { LabSnapshot } from '../../src/shared/lab-api';
import { MAX_DNS_LOOKUPS, type ZoneSaveResult } from '../../src/shared/dns';
import { MIN_FIT_SCALE } from '../../src/renderer/lib/dns-sequence';
import { requireTool } from '../support/tools';
import { WEB_FACE_READY_TIMEOUT_MS, type WebFaceProcess } from '../support/web-face';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');

/** How long one UI step may take to show its result. */
const STEP_TIMEOUT_MS = 15_000;

/** How long the test waits for the resolver's answer to its UDP query. */
const QUERY_TIMEOUT_MS = 5_000;

/** Names that do not exist, asked to fill the cache past what the page renders at once. */
const NX_NAMES = 300;

/** Of those, asked at the same time. */
const NX_BATCH = 20;

const chromiumPath = requireTool('chromium');

/** One call of the LabApi over the web face's own WebSocket API, as the page makes it. */
async function callApi<T>(url: string, method: string, args: unknown[] = []): Promise<T> {
  const origin = new URL(url).origin;
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/api`, { origin });
  try {
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    return await new Promise<T>((resolve, reject) => {
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { kind: string; id: number; ok: boolean; value?: T; error?: string };
        if (frame.kind !== 'result' || frame.id !== 1) return;
        if (frame.ok) resolve(frame.value!);
        else reject(new Error(frame.error));
      });
      ws.send(JSON.stringify({ kind: 'call', id: 1, method, args }));
    });
  } finally {
    ws.close();
  }
}

/** One query (A unless told) with RD set from a fresh UDP socket on loopback; resolves to the decoded reply. */
async function askResolver(port: number, name: string, type: number = RR_TYPE.A): Promise<ReturnType<typeof decodeMessage>> {
  const socket = dgram.createSocket('udp4');
  const id = Math.floor(Math.random() * 0x10000);
  const query = encodeMessage(makeQuery(id, name, type, { recursionDesired: true }));
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply from 127.0.0.1:${port} in ${QUERY_TIMEOUT_MS} ms`)), QUERY_TIMEOUT_MS);
      socket.once('error', reject);
      socket.on('message', (bytes) => {
        const reply = decodeMessage(new Uint8Array(bytes), { transport: 'udp' });
        if (reply.ok && reply.message.id !== id) return;
        clearTimeout(timer);
        resolve(reply);
      });
      socket.send(query, port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

async function expectAnswer(port: number): Promise<void> {
  const reply = await askResolver(port, 'gaia.cs.umass.edu');
  expect(reply.ok).toBe(true);
  if (!reply.ok) return;
  expect(reply.message.flags.rcode).toBe(0);
  expect(reply.message.answers.map((r) => r.data)).toContainEqual(expect.objectContaining({ address: '128.119.245.12' }));
}

/** The grid the visible xterm shows (the renderer mirrors term.cols on the host element). */
async function terminalCols(page: Page): Promise<number> {
  return Number(await page.locator('.tab-panel:not([hidden]) [data-testid=terminal]').getAttribute('data-cols'));
}

/** The names of the lanes of the diagram shown. */
async function laneNames(page: Page): Promise<string[]> {
  return page.getByTestId('resolution-view').locator('[data-testid=dns-lane]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
}

/** Whether any two of the boxes overlap (by more than a pixel). */
function overlapping(boxes: Array<{ x: number; y: number; width: number; height: number }>): boolean {
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.x + a.width - 1 > b.x && b.x + b.width - 1 > a.x && a.y + a.height - 1 > b.y && b.y + b.height - 1 > a.y) return true;
    }
  }
  return false;
}

describe.skipIf(!chromiumPath)('the DNS panel in chromium', () => {
  let lab: LabInBrowser | undefined;
  let face: WebFaceProcess;
  let browser: Browser;
  let page: Page;
  let resolverPort = 0;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    lab = await openLabInBrowser('protolab-dns-ui-', chromiumPath!, { requests, consoleErrors }, STEP_TIMEOUT_MS);
    ({ face, browser, page } = lab);
    const snap = await callApi<LabSnapshot>(face.url, 'getSnapshot');
    const resolver = snap.services.find((s) => s.hostname === 'dns.poly.edu' && s.protocol === 'dns' && s.transport === 'udp');
    if (!resolver) throw new Error(`the lab has no dns/udp service on dns.poly.edu: ${snap.services.map((s) => s.id).join(', ')}`);
    expect(resolver.address).toBe('127.0.0.1');
    resolverPort = resolver.port;
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, WEB_FACE_READY_TIMEOUT_MS + 30_000);

  afterAll(() => closeLabInBrowser(lab));

  it('lists the DNS hierarchy as one group in the servers panel, by role, without hiding the other servers', async () => {
    const panel = page.getByTestId('servers-panel');
    await panel.locator('[data-testid=service][data-state=listening]', { hasText: 'echo/tcp' }).waitFor();
    const group = panel.getByTestId('dns-servers-group');
    await group.getByText(/18 hosts, 36 of 36 listening/).waitFor();
    // The roles arrive with the zone list (the resolver's with the snapshot's hosts).
    await group.getByText(`→ 127.0.0.1:${resolverPort}`).waitFor();
    expect(await group.innerText()).toContain(`local resolver dns.poly.edu → 127.0.0.1:${resolverPort}`);
    // Collapsed, the group is one short card after the other servers.
    expect(await panel.getByTestId('dns-host').count()).toBe(0);
    await group.getByRole('button', { name: /DNS hierarchy/ }).click();
    await expect.poll(() => group.getByTestId('dns-host').count(), { timeout: STEP_TIMEOUT_MS }).toBe(18);
    await group.locator('[data-testid=dns-host][data-role=root]', { hasText: 'a.root-servers.net' }).waitFor();
    expect(await group.locator('[data-testid=dns-host][data-role=tld]', { hasText: 'a.edu-servers.net' }).count()).toBe(1);
    expect(await group.locator('[data-testid=dns-host][data-role=authoritative]', { hasText: 'dns.cs.umass.edu' }).innerText()).toContain('umass.edu.');
    expect(await group.locator('[data-testid=dns-host][data-role=resolver]').innerText()).toContain('local resolver');
    const roles = await group.locator('.dns-role-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-role')));
    expect(roles).toEqual(['resolver', 'root', 'tld', 'authoritative']);
    await group.locator('[data-testid=dns-host][data-host="a.edu-servers.net"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-servers-group.png') });
    // Each transport starts and stops on its own, as any other service does.
    const rootUdp = group.locator('[data-testid=service][data-service-id="a.root-servers.net/dns/udp"]');
    await rootUdp.getByRole('button', { name: 'Stop' }).click();
    await group.locator('[data-testid=service][data-service-id="a.root-servers.net/dns/udp"][data-state=stopped]').waitFor();
    await group.getByText(/18 hosts, 35 of 36 listening/).waitFor();
    expect(await group.locator('[data-service-id="a.root-servers.net/dns/tcp"]').getAttribute('data-state')).toBe('listening');
    await rootUdp.getByRole('button', { name: 'Start' }).click();
    await group.locator('[data-testid=service][data-service-id="a.root-servers.net/dns/udp"][data-state=listening]').waitFor();
    await group.getByRole('button', { name: /DNS hierarchy/ }).click();
    await expect.poll(() => panel.getByTestId('dns-host').count(), { timeout: STEP_TIMEOUT_MS }).toBe(0);
    // The other servers' cards are as they were: one card, one Stop button each.
    const daytime = panel.locator('[data-testid=service]', { hasText: 'daytime/tcp' });
    expect(await daytime.count()).toBe(1);
    expect(await daytime.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);
  }, 30_000);

  it('shows the answer the resolver found in its cache, with the TTL counting down', async () => {
    await expectAnswer(resolverPort);
    await page.getByRole('button', { name: 'DNS', exact: true }).click();
    const panel = page.getByTestId('dns-panel');
    await panel.waitFor();
    // The servers panel makes room for it (the button brings it back, see the last test).
    await page.getByTestId('servers-panel').waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: 'Show servers' }).count()).toBe(1);
    const row = panel.locator('[data-testid=dns-cache-entry][data-name="gaia.cs.umass.edu."][data-type=A]');
    await row.waitFor();
    expect(await row.innerText()).toContain('128.119.245.12');
    expect(await row.innerText()).toContain('dns.cs.umass.edu');
    const ttl = async () => {
      const text = await row.getByTestId('dns-ttl').innerText();
      const m = /^(\d+)$/.exec(text);
      expect(m, text).not.toBeNull();
      return Number(m![1]);
    };
    const first = await ttl();
    expect(first).toBeGreaterThan(3500);
    expect(first).toBeLessThanOrEqual(3600);
    await expect.poll(ttl, { timeout: 4_000 }).toBeLessThan(first);
    // The walk left the delegations in the cache too.
    await panel.locator('[data-testid=dns-cache-entry][data-name="edu."][data-type=NS]').waitFor();
    expect(await panel.getByTestId('dns-stats').innerText()).toMatch(/Client queries\s*1/);
    expect(await panel.getByTestId('resolver-mode-iterative').getAttribute('aria-checked')).toBe('true');
    // Records and their source get a line of their own: whole, not cut.
    const records = row.locator('.dns-cache-records');
    const from = row.locator('.dns-cache-from');
    for (const cell of [records, from]) {
      const fit = await cell.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(fit.scroll, await cell.innerText()).toBeLessThanOrEqual(fit.client);
    }
    expect(await from.innerText()).toBe('from dns.cs.umass.edu');
    expect(await records.getAttribute('title')).toContain('128.119.245.12');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-resolver.png') });
  }, 30_000);

  it('leaves the terminal about 80 columns and the message list its Info column beside the panel at 1440x900', async () => {
    await expect.poll(() => terminalCols(page), { timeout: STEP_TIMEOUT_MS }).toBeGreaterThanOrEqual(78);
    const list = page.getByTestId('packet-list');
    await list.locator('[data-testid=packet-row]').first().waitFor();
    const listBox = (await list.boundingBox())!;
    for (const label of ['Pair', 'Info']) {
      const header = list.locator('.packet-header > div', { hasText: new RegExp(`^${label}$`) });
      const box = (await header.boundingBox())!;
      expect(box.x + box.width, `${label} column`).toBeLessThanOrEqual(listBox.x + listBox.width + 1);
    }
    // The Info column shows words, not an ellipsis alone.
    const info = list.locator('[data-testid=packet-row] .col-info').first();
    expect((await info.boundingBox())!.width).toBeGreaterThan(100);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-layout.png') });
  }, 30_000);

  it('draws the iterative lookup: lanes from the client to the authoritative server, the resolver asking each in turn', async () => {
    const panel = page.getByTestId('dns-panel');
    await panel.getByTestId('dns-tab-lookups').click();
    const view = page.getByTestId('resolution-view');
    await view.waitFor();
    await view.getByTestId('dns-lookup').filter({ hasText: 'gaia.cs.umass.edu. A' }).first().waitFor();
    await expect.poll(() => laneNames(page), { timeout: STEP_TIMEOUT_MS }).toEqual(['cis.poly.edu', 'dns.poly.edu', 'a.root-servers.net', 'a.edu-servers.net', 'dns.cs.umass.edu']);
    const steps = view.getByTestId('dns-step');
    expect(await steps.count()).toBe(8);
    expect(await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['query', 'query', 'response', 'query', 'response', 'query', 'response', 'response']);
    const list = await view.getByTestId('dns-step-list').innerText();
    expect(list).toContain('dns.poly.edu → a.root-servers.net (UDP)');
    expect(list).toContain('referral to edu.');
    expect(list).toContain('dns.cs.umass.edu → dns.poly.edu (UDP)');

    // Nothing in the picture overlaps: lane headers apart, labels on their own rows, all inside the picture.
    const svg = view.getByTestId('dns-sequence');
    const svgBox = (await svg.boundingBox())!;
    const names = await svg.locator('.dns-seq-name').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
    expect(overlapping(names)).toBe(false);
    const labels = await svg.locator('.dns-seq-label').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
    expect(overlapping(labels)).toBe(false);
    for (const b of [...names, ...labels]) {
      expect(b.x).toBeGreaterThanOrEqual(svgBox.x - 0.5);
      expect(b.x + b.width).toBeLessThanOrEqual(svgBox.x + svgBox.width + 0.5);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-lookup-iterative.png') });
    // At the panel's opening width the whole picture shows without scrolling sideways.
    const box = await view.locator('.dns-seq-box').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll, `picture ${box.scroll} px in a box of ${box.client} px`).toBeLessThanOrEqual(box.client);
    // ... at its own size, the headers on two rows.
    expect(await view.getByTestId('dns-seq-box').getAttribute('data-scale')).toBe('1.00');
    expect(await view.locator('[data-testid=dns-lane][data-tier="1"]').count()).toBe(2);
  }, 30_000);

  it('opens an arrow’s message in the packet list', async () => {
    const view = page.getByTestId('resolution-view');
    // Step 2: the resolver's query to the root.
    const arrow = view.locator('[data-testid=dns-step][data-kind=query]').nth(1);
    const conn = await arrow.getAttribute('data-connection');
    expect(Number(conn)).toBeGreaterThan(0);
    await arrow.click();
    await view.getByTestId('dns-step-note').getByText(`(on capture connection ${conn}), selected in the message list`).waitFor();
    const selected = page.locator('[data-testid=packet-row][aria-selected=true]');
    await selected.waitFor();
    expect(await selected.innerText()).toMatch(/Query 0x[0-9a-f]{4} A gaia\.cs\.umass\.edu\. \(no recursion\)/);
    expect(await selected.innerText()).toContain('a.root-servers.net');
    await page.getByTestId('details-tree').getByText(/Domain Name System|DNS/).first().waitFor();
    // The step's link names that message by its number, as the packet list's No. column does.
    const number = /^\s*(\d+)/.exec(await selected.innerText())?.[1];
    const link = view.getByTestId('dns-step-link').nth(1);
    await expect.poll(() => link.innerText(), { timeout: STEP_TIMEOUT_MS }).toBe(`msg #${number}`);
    // Every step that crossed a socket gets its message number without a click.
    await expect.poll(() => view.getByTestId('dns-step-link').allInnerTexts(), { timeout: STEP_TIMEOUT_MS }).toEqual(Array.from({ length: 8 }, () => expect.stringMatching(/^msg #\d+$/)));
    // A UDP exchange has no FIN and no connection to close.
    const details = await page.getByTestId('details-tree').innerText();
    expect(details).not.toContain('FIN');
    await page.getByTestId('details-tree').getByText(/UDP dns, (active|ended)/).waitFor();
    // The bytes pane beside the DNS panel keeps its ASCII column in view, 8 bytes a row.
    const bytes = page.getByTestId('bytes-pane');
    expect(await bytes.getAttribute('data-bytes-per-row')).toBe('8');
    const ascii = (await bytes.locator('.hex-ascii').first().boundingBox())!;
    const pane = (await bytes.boundingBox())!;
    expect(ascii.x + ascii.width).toBeLessThanOrEqual(pane.x + pane.width);
    expect(await view.getByTestId('dns-timing-note').innerText()).toContain('loopback on this machine');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-step-message.png') });
  }, 30_000);

  it('marks the cache hit when the same question comes again', async () => {
    await expectAnswer(resolverPort);
    const view = page.getByTestId('resolution-view');
    await expect.poll(() => view.getByTestId('dns-lookup').count(), { timeout: STEP_TIMEOUT_MS }).toBe(2);
    // The view follows the newest lookup: two lanes and a mark on the resolver's.
    await expect.poll(() => laneNames(page), { timeout: STEP_TIMEOUT_MS }).toEqual(['cis.poly.edu', 'dns.poly.edu']);
    await view.locator('[data-testid=dns-step][data-kind=cache-hit]').waitFor();
    expect(await view.getByTestId('dns-lookup').first().innerText()).toMatch(/NOERROR\s*cache/);
    // The badge is whole, inside its row.
    const badge = view.getByTestId('dns-lookup').first().locator('.dns-cache-badge');
    const fit = await badge.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, right: el.getBoundingClientRect().right, rowRight: el.closest('.dns-lookup-row')!.getBoundingClientRect().right }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    expect(fit.right).toBeLessThanOrEqual(fit.rowRight);
    expect(await view.getByTestId('dns-lookup-detail').innerText()).toContain('NOERROR, from the cache');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-lookup-cache-hit.png') });
  }, 30_000);

  it('switches to recursive, flushes, and draws the query passed down the chain', async () => {
    const panel = page.getByTestId('dns-panel');
    await panel.getByTestId('dns-tab-resolver').click();
    await panel.getByTestId('resolver-mode-recursive').click();
    await expect.poll(() => panel.getByTestId('resolver-mode-recursive').getAttribute('aria-checked'), { timeout: STEP_TIMEOUT_MS }).toBe('true');
    // Flush one name first (the answer goes, the delegations stay), then everything.
    await panel.getByTestId('dns-flush-name').fill('gaia.cs.umass.edu');
    await panel.getByRole('button', { name: 'Flush name' }).click();
    await panel.locator('[data-testid=dns-cache-entry][data-name="gaia.cs.umass.edu."]').waitFor({ state: 'detached' });
    expect(await panel.locator('[data-testid=dns-cache-entry][data-name="edu."]').count()).toBe(1);
    await panel.getByTestId('dns-flush-all').click();
    await panel.getByText('The cache is empty').waitFor();

    await expectAnswer(resolverPort);
    await panel.locator('[data-testid=dns-cache-entry][data-name="gaia.cs.umass.edu."][data-type=A]').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-resolver-recursive.png') });

    await panel.getByTestId('dns-tab-lookups').click();
    const view = page.getByTestId('resolution-view');
    await expect.poll(() => view.getByTestId('dns-lookup').count(), { timeout: STEP_TIMEOUT_MS }).toBe(3);
    await expect.poll(() => laneNames(page), { timeout: STEP_TIMEOUT_MS }).toEqual(['cis.poly.edu', 'dns.poly.edu', 'a.root-servers.net', 'a.edu-servers.net', 'dns.cs.umass.edu']);
    await expect.poll(() => view.getByTestId('dns-step-list').innerText(), { timeout: STEP_TIMEOUT_MS }).toContain('a.root-servers.net → a.edu-servers.net');
    const list = await view.getByTestId('dns-step-list').innerText();
    expect(list).toContain('a.edu-servers.net → dns.cs.umass.edu');
    expect(list).toContain('a.root-servers.net → dns.poly.edu');
    expect(await view.getByTestId('dns-lookup').first().innerText()).toContain('recursive');
    // Each step's link names its message, the servers' relayed queries too.
    await expect
      .poll(async () => (await view.getByTestId('dns-step-link').allInnerTexts()).filter((t) => !/^msg #\d+$/.test(t)), { timeout: STEP_TIMEOUT_MS })
      .toEqual([]);
    expect(await view.getByTestId('dns-step-link').count()).toBe(8);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-lookup-recursive.png') });

    // Choosing an older lookup shows it, and stays on it until "Follow newest".
    await view.getByTestId('dns-lookup').last().click();
    await expect.poll(() => view.locator('[data-testid=dns-step][data-kind=query]').count(), { timeout: STEP_TIMEOUT_MS }).toBe(4);
    expect(await view.getByTestId('dns-step-list').innerText()).toContain('dns.poly.edu → a.edu-servers.net');
    await view.getByRole('button', { name: 'Follow newest' }).click();
    await expect.poll(() => view.getByTestId('dns-step-list').innerText(), { timeout: STEP_TIMEOUT_MS }).toContain('a.root-servers.net → a.edu-servers.net');
  }, 45_000);

  it('draws a reverse lookup’s six lanes in the panel, and marks the referral that came without glue', async () => {
    // The iterative scheme: the resolver itself takes the detour.
    const panel = page.getByTestId('dns-panel');
    await panel.getByTestId('dns-tab-resolver').click();
    await panel.getByTestId('resolver-mode-iterative').click();
    await expect.poll(() => panel.getByTestId('resolver-mode-iterative').getAttribute('aria-checked'), { timeout: STEP_TIMEOUT_MS }).toBe('true');
    const reply = await askResolver(resolverPort, '201.128.123.130.in-addr.arpa', RR_TYPE.PTR);
    expect(reply.ok && reply.message.flags.rcode).toBe(0);
    await panel.getByTestId('dns-tab-lookups').click();
    const view = page.getByTestId('resolution-view');
    await expect.poll(() => laneNames(page), { timeout: STEP_TIMEOUT_MS }).toHaveLength(6);
    const box = await view.locator('.dns-seq-box').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll, `picture ${box.scroll} px in a box of ${box.client} px`).toBeLessThanOrEqual(box.client);
    const svg = view.getByTestId('dns-sequence');
    const names = await svg.locator('.dns-seq-name').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
    expect(overlapping(names)).toBe(false);
    // Drawn at least MIN_FIT_SCALE of its size, with no scrollbar to find.
    expect(Number(await view.getByTestId('dns-seq-box').getAttribute('data-scale'))).toBeGreaterThanOrEqual(MIN_FIT_SCALE);
    expect(await view.getByTestId('dns-seq-wide-note').count()).toBe(0);
    const glue = view.getByTestId('dns-no-glue');
    await glue.waitFor();
    expect(await glue.innerText()).toMatch(/^no glue: the resolver first finds the address of ns1\.massey\.ac\.nz \(steps \d+–\d+\)$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-lookup-reverse.png') });
    await glue.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-lookup-reverse-steps.png') });
  }, 30_000);

  it('opens the zone editor in the Zones tab', async () => {
    const panel = page.getByTestId('dns-panel');
    await panel.getByTestId('dns-tab-zones').click();
    const editor = panel.getByTestId('zone-editor');
    await editor.waitFor({ timeout: 30_000 });
    await editor.locator('[data-testid=zone-file]').first().waitFor();
    expect(await editor.innerText()).toContain('umass.edu');
    // The editor fills the tab: it is as wide as the panel's body and starts right under the tabs.
    const tabs = (await panel.locator('.dns-tabs').boundingBox())!;
    const box = (await editor.boundingBox())!;
    expect(box.width).toBeGreaterThan(tabs.width - 20);
    expect(box.height).toBeGreaterThan(300);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-zones.png') });
    // Back on Lookups, the picture is still there (tabs stay mounted).
    await panel.getByTestId('dns-tab-lookups').click();
    expect(await page.getByTestId('resolution-view').locator('[data-testid=dns-lane]').count()).toBe(6);
  }, 45_000);

  it('draws a reply too long for UDP: the truncated reply, then the same question asked again over TCP', async () => {
    const FILE = 'umass.edu.zone';
    const original = await callApi<string>(face.url, 'readZone', [FILE]);
    // Six TXT strings of 250 octets: more than the resolver offers to take over UDP (DNS_EDNS_SERVER_PAYLOAD).
    const big = Array.from({ length: 6 }, (_, i) => `big  IN  TXT  "${String(i).repeat(250)}"`).join('\n');
    expect((await callApi<ZoneSaveResult>(face.url, 'saveZone', [FILE, `${original}\n${big}\n`])).ok).toBe(true);
    try {
      await callApi(face.url, 'flushResolverCache', [null]);
      const reply = await askResolver(resolverPort, 'big.umass.edu', RR_TYPE.TXT);
      expect(reply.ok && reply.message.flags.tc).toBe(true); // to this client, without EDNS, too
      const panel = page.getByTestId('dns-panel');
      await panel.getByTestId('dns-tab-lookups').click();
      const view = page.getByTestId('resolution-view');
      const row = view.getByTestId('dns-lookup').filter({ hasText: 'big.umass.edu. TXT' }).first();
      await row.click();
      // This client asked without EDNS: its reply was cut to fit 512 octets, and the row says so.
      await row.getByTestId('dns-tc-badge').waitFor();
      const list = view.getByTestId('dns-step-list');
      await expect.poll(() => list.innerText(), { timeout: STEP_TIMEOUT_MS }).toContain('dns.poly.edu → dns.cs.umass.edu (TCP)');
      const text = await list.innerText();
      expect(text).toContain('truncated (TC): retry over TCP');
      const overUdp = text.indexOf('dns.poly.edu → dns.cs.umass.edu (UDP)');
      expect(overUdp).toBeGreaterThanOrEqual(0);
      expect(overUdp).toBeLessThan(text.indexOf('dns.poly.edu → dns.cs.umass.edu (TCP)'));
      await page.screenshot({ path: path.join(ARTIFACTS, 'dns-lookup-truncated.png') });
    } finally {
      await callApi(face.url, 'saveZone', [FILE, original]);
      await callApi(face.url, 'flushResolverCache', [null]);
    }
  }, 30_000);

  it('marks the query a stopped server never answered, in the list and in its details', async () => {
    const AUTH = 'dns.cs.umass.edu/dns/udp';
    await callApi(face.url, 'stopService', [AUTH]);
    try {
      await callApi(face.url, 'flushResolverCache', [null]);
      const reply = await askResolver(resolverPort, 'gaia.cs.umass.edu');
      expect(reply.ok && reply.message.flags.rcode).toBe(2); // SERVFAIL
      // The resolver's query to the stopped server, recorded by the resolver's side: no reply, said in the Pair column.
      const row = page.getByTestId('packet-row').filter({ hasText: 'dns.cs.umass.edu:53' }).filter({ has: page.locator('.col-pair.no-reply') }).last();
      await row.waitFor({ timeout: STEP_TIMEOUT_MS });
      expect(await row.locator('.col-pair').innerText()).toBe('→ ✕');
      await row.click();
      await expect.poll(() => page.getByTestId('details-tree').innerText(), { timeout: STEP_TIMEOUT_MS }).toContain('none (the connection ended before a response came)');
      await page.screenshot({ path: path.join(ARTIFACTS, 'dns-no-reply.png') });
    } finally {
      await callApi(face.url, 'startService', [AUTH]);
      await callApi(face.url, 'flushResolverCache', [null]);
    }
  }, 30_000);

  it('keeps a long cache fast: only the rows in view are in the page, negative entries marked', async () => {
    const panel = page.getByTestId('dns-panel');
    await panel.getByTestId('dns-tab-resolver').click();
    await panel.getByTestId('resolver-mode-iterative').click();
    await expect.poll(() => panel.getByTestId('resolver-mode-iterative').getAttribute('aria-checked'), { timeout: STEP_TIMEOUT_MS }).toBe('true');
    // Names that do not exist: each answer is NXDOMAIN, and each absence is cached (RFC 2308).
    for (let batch = 0; batch < NX_NAMES / NX_BATCH; batch++) {
      const replies = await Promise.all(Array.from({ length: NX_BATCH }, (_, i) => askResolver(resolverPort, `nx-${batch * NX_BATCH + i}.cs.umass.edu`)));
      for (const r of replies) expect(r.ok && r.message.flags.rcode).toBe(3);
    }
    const head = panel.getByTestId('dns-cache').locator('.dns-section-head');
    await expect.poll(async () => Number(/(\d+)\s*RRsets/.exec(await head.innerText())?.[1]), { timeout: STEP_TIMEOUT_MS }).toBeGreaterThanOrEqual(NX_NAMES);
    const rendered = await panel.getByTestId('dns-cache-entry').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(100);
    // Scrolling to the end brings the last names into the page and takes the first ones out.
    expect(await panel.locator('[data-testid=dns-cache-entry][data-name="edu."]').count()).toBe(1);
    await panel.locator('.dns-cache-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await panel.locator('[data-testid=dns-cache-entry][data-name="a.edu-servers.net."]').waitFor();
    await panel.locator('[data-testid=dns-cache-entry][data-name="edu."]').waitFor({ state: 'detached' });
    expect(await panel.getByTestId('dns-cache-entry').count()).toBeLessThan(100);
    await panel.getByLabel('Filter cached names').fill(`nx-${NX_NAMES - 1}.`);
    const nx = panel.locator(`[data-testid=dns-cache-entry][data-name="nx-${NX_NAMES - 1}.cs.umass.edu."]`);
    await nx.waitFor();
    expect(await panel.getByTestId('dns-cache-entry').count()).toBe(1);
    expect(await nx.getAttribute('data-kind')).toBe('nxdomain');
    expect(await nx.innerText()).toMatch(/negative\s*NXDOMAIN/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dns-resolver-negative.png') });
    await panel.getByLabel('Filter cached names').fill('');
    // The Lookups list keeps the newest MAX_DNS_LOOKUPS, as the core does.
    await panel.getByTestId('dns-tab-lookups').click();
    await expect.poll(() => page.getByTestId('dns-lookup').count(), { timeout: STEP_TIMEOUT_MS }).toBe(MAX_DNS_LOOKUPS);
    // Newest first: a name of the last batch (asked at once, so in any order among themselves).
    const newest = /nx-(\d+)\.cs\.umass\.edu\./.exec(await page.getByTestId('dns-lookup').first().innerText());
    expect(Number(newest?.[1])).toBeGreaterThanOrEqual(NX_NAMES - NX_BATCH);
  }, 60_000);

  it('brings the servers panel back when it closes', async () => {
    const beside = await terminalCols(page);
    await page.getByRole('button', { name: 'Hide DNS' }).click();
    await page.getByTestId('dns-panel').waitFor({ state: 'detached' });
    await page.getByTestId('servers-panel').waitFor();
    expect(await page.getByRole('button', { name: 'Hide servers' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Web cache' }).getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => terminalCols(page), { timeout: STEP_TIMEOUT_MS }).toBeLessThanOrEqual(beside);
  }, 30_000);

  it('asked nothing of any host but 127.0.0.1, and logged no errors', () => {
    const port = new URL(face.url).port;
    const offLoopback = requests.filter((u) => !u.startsWith(`http://127.0.0.1:${port}/`) && !u.startsWith(`ws://127.0.0.1:${port}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(offLoopback).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
