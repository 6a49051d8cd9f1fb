// What the web cache panel shows and accepts, as pure functions: rates, times and freshness in
// words, and the access-link form (delay in ms, bandwidth in Mbps) checked against the same bounds
// the core enforces, so a mistake is explained before anything is sent.

import type { AccessLinkSettings, WebCacheEntryInfo, WebCacheOutcome } from '../../shared/web-cache';
import { ACCESS_LINK_MAX_BANDWIDTH_BPS, ACCESS_LINK_MAX_DELAY_MS, ACCESS_LINK_MIN_BANDWIDTH_BPS, ACCESS_LINK_PRESETS } from '../../shared/web-cache';

const BPS_PER_MBPS = 1_000_000;

/** A bit rate the way link speeds are quoted: decimal prefixes, `1.54 Mbps`, `256 kbps`, `10 Gbps`. */
export function formatBitRate(bps: number): string {
  if (!Number.isFinite(bps) || bps < 0) return '';
  const units: [number, string][] = [
    [1e9, 'Gbps'],
    [1e6, 'Mbps'],
    [1e3, 'kbps'],
  ];
  for (const [size, unit] of units) {
    if (bps >= size) return `${trimNumber(bps / size)} ${unit}`;
  }
  return `${Math.round(bps)} bps`;
}

/** Up to three significant digits, without trailing zeros: 1.54, 10, 256, 0.5. */
function trimNumber(n: number): string {
  const digits = n >= 100 ? 0 : n >= 10 ? 1 : 2;
  return String(Number(n.toFixed(digits)));
}

export function formatLinkSettings(s: AccessLinkSettings): string {
  if (s.delayMs === 0 && s.bandwidthBps === null) return 'off: no delay, unlimited bandwidth';
  const delay = s.delayMs === 0 ? 'no delay' : `${s.delayMs} ms each way (${s.delayMs * 2} ms round trip)`;
  const bandwidth = s.bandwidthBps === null ? 'unlimited bandwidth' : formatBitRate(s.bandwidthBps);
  return `${delay}, ${bandwidth}`;
}

/** A response time: `—` before there is one, `3 ms`, `412 ms`, `2.01 s`. */
export function formatResponseTime(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 1) return '< 1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatShare(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '—';
  return `${Math.round(share * 100)} %`;
}

/** Whole seconds as `45 s`, `3 min 20 s`, `2 h 5 min`, `3 days`. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} days`;
}

export function formatFreshness(entry: Pick<WebCacheEntryInfo, 'fresh' | 'freshnessLeftSeconds' | 'lifetimeSource'>): string {
  if (entry.fresh) return `fresh for ${formatSeconds(entry.freshnessLeftSeconds)} more`;
  const by = -entry.freshnessLeftSeconds;
  return by > 0 ? `stale by ${formatSeconds(by)}` : 'stale (must be revalidated)';
}

/** The URL without `http://`, which every entry has. */
export function shortUrl(url: string): string {
  return url.replace(/^http:\/\//, '');
}

export const OUTCOME_TEXT: Readonly<Record<WebCacheOutcome, string>> = {
  HIT: 'served from the store without contacting the origin',
  MISS: 'fetched from the origin server over the access link',
  REVALIDATED: 'checked with the origin (conditional GET, 304), then served from the store',
  PASS: 'passed to the origin server: a POST, PUT or DELETE is never answered from the store',
  ERROR: 'answered by the cache itself: the request could not go anywhere, or no answer came from the origin',
};

/** The access-link form as typed: delay in milliseconds, bandwidth in Mbps (the course's unit). */
export interface LinkDraft {
  delayMs: string;
  bandwidthMbps: string;
  unlimited: boolean;
}

export function draftFromSettings(s: AccessLinkSettings): LinkDraft {
  return { delayMs: String(s.delayMs), bandwidthMbps: s.bandwidthBps === null ? '' : String(s.bandwidthBps / BPS_PER_MBPS), unlimited: s.bandwidthBps === null };
}

export type DraftCheck = { ok: true; settings: AccessLinkSettings } | { ok: false; error: string };

/** The settings a draft stands for, or what is wrong with it (in the bounds the core enforces). */
export function settingsFromDraft(d: LinkDraft): DraftCheck {
  const delayText = d.delayMs.trim();
  if (!/^\d+$/.test(delayText)) return { ok: false, error: 'The delay is a whole number of milliseconds (0 for none).' };
  const delayMs = Number(delayText);
  if (delayMs > ACCESS_LINK_MAX_DELAY_MS) return { ok: false, error: `The delay can be at most ${ACCESS_LINK_MAX_DELAY_MS} ms each way.` };
  if (d.unlimited) return { ok: true, settings: { delayMs, bandwidthBps: null } };
  const bwText = d.bandwidthMbps.trim().replace(',', '.');
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(bwText)) return { ok: false, error: 'The bandwidth is a number of Mbps, e.g. 1.54 (or tick unlimited).' };
  const bps = Math.round(Number(bwText) * BPS_PER_MBPS);
  if (bps < ACCESS_LINK_MIN_BANDWIDTH_BPS || bps > ACCESS_LINK_MAX_BANDWIDTH_BPS) {
    return { ok: false, error: `The bandwidth must be from ${formatBitRate(ACCESS_LINK_MIN_BANDWIDTH_BPS)} to ${formatBitRate(ACCESS_LINK_MAX_BANDWIDTH_BPS)}.` };
  }
  return { ok: true, settings: { delayMs, bandwidthBps: bps } };
}

/** The preset these settings are, if any (the select shows it). */
export function presetIdFor(s: AccessLinkSettings): string | null {
  return ACCESS_LINK_PRESETS.find((p) => p.settings.delayMs === s.delayMs && p.settings.bandwidthBps === s.bandwidthBps)?.id ?? null;
}
