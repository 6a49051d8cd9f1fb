import { describe, expect, it } from 'vitest';
import {
  draftFromSettings,
  formatBitRate,
  formatFreshness,
  formatLinkSettings,
  formatResponseTime,
  formatShare,
  presetIdFor,
  settingsFromDraft,
  shortUrl,
} from '../../../src/renderer/lib/web-cache-view';
import { ACCESS_LINK_MAX_BANDWIDTH_BPS, ACCESS_LINK_MAX_DELAY_MS, ACCESS_LINK_MIN_BANDWIDTH_BPS, ACCESS_LINK_PRESETS } from '../../../src/shared/web-cache';

describe('web cache panel: numbers in words', () => {
  it('writes bit rates the way link speeds are quoted', () => {
    expect(formatBitRate(1_540_000)).toBe('1.54 Mbps');
    expect(formatBitRate(10_000_000)).toBe('10 Mbps');
    expect(formatBitRate(256_000)).toBe('256 kbps');
    expect(formatBitRate(10_000_000_000)).toBe('10 Gbps');
    expect(formatBitRate(950)).toBe('950 bps');
    expect(formatBitRate(0)).toBe('0 bps');
  });

  it('writes response times, shares and link settings', () => {
    expect(formatResponseTime(null)).toBe('—');
    expect(formatResponseTime(0.4)).toBe('< 1 ms');
    expect(formatResponseTime(412.4)).toBe('412 ms');
    expect(formatResponseTime(2_010)).toBe('2.01 s');
    expect(formatShare(0.4)).toBe('40 %');
    expect(formatShare(null)).toBe('—');
    expect(formatLinkSettings({ delayMs: 0, bandwidthBps: null })).toBe('off: no delay, unlimited bandwidth');
    expect(formatLinkSettings({ delayMs: 1_000, bandwidthBps: 1_540_000 })).toBe('1000 ms each way (2000 ms round trip), 1.54 Mbps');
    expect(shortUrl('http://gaia.cs.umass.edu/a.html')).toBe('gaia.cs.umass.edu/a.html');
  });

  it('says how fresh an entry is', () => {
    expect(formatFreshness({ fresh: true, freshnessLeftSeconds: 55, lifetimeSource: 'max-age' })).toBe('fresh for 55 s more');
    expect(formatFreshness({ fresh: false, freshnessLeftSeconds: -125, lifetimeSource: 'max-age' })).toBe('stale by 2 min 5 s');
    expect(formatFreshness({ fresh: false, freshnessLeftSeconds: 0, lifetimeSource: 'none' })).toBe('stale (must be revalidated)');
  });
});

describe('web cache panel: the access-link form', () => {
  it('round-trips settings through the form (bandwidth in Mbps)', () => {
    const d = draftFromSettings({ delayMs: 1_000, bandwidthBps: 1_540_000 });
    expect(d).toEqual({ delayMs: '1000', bandwidthMbps: '1.54', unlimited: false });
    expect(settingsFromDraft(d)).toEqual({ ok: true, settings: { delayMs: 1_000, bandwidthBps: 1_540_000 } });
    expect(settingsFromDraft({ delayMs: '0', bandwidthMbps: 'whatever', unlimited: true })).toEqual({ ok: true, settings: { delayMs: 0, bandwidthBps: null } });
    expect(settingsFromDraft({ delayMs: ' 20 ', bandwidthMbps: '0,256', unlimited: false })).toEqual({ ok: true, settings: { delayMs: 20, bandwidthBps: 256_000 } });
  });

  it('explains a value outside the bounds the core enforces, one past each', () => {
    expect(settingsFromDraft({ delayMs: String(ACCESS_LINK_MAX_DELAY_MS), bandwidthMbps: '', unlimited: true }).ok).toBe(true);
    expect(settingsFromDraft({ delayMs: String(ACCESS_LINK_MAX_DELAY_MS + 1), bandwidthMbps: '', unlimited: true })).toEqual({ ok: false, error: `The delay can be at most ${ACCESS_LINK_MAX_DELAY_MS} ms each way.` });
    expect(settingsFromDraft({ delayMs: '-5', bandwidthMbps: '', unlimited: true }).ok).toBe(false);
    expect(settingsFromDraft({ delayMs: '1.5', bandwidthMbps: '', unlimited: true }).ok).toBe(false);
    const mbps = (bps: number) => String(bps / 1_000_000);
    expect(settingsFromDraft({ delayMs: '0', bandwidthMbps: mbps(ACCESS_LINK_MIN_BANDWIDTH_BPS), unlimited: false }).ok).toBe(true);
    expect(settingsFromDraft({ delayMs: '0', bandwidthMbps: mbps(ACCESS_LINK_MIN_BANDWIDTH_BPS - 1), unlimited: false })).toEqual({ ok: false, error: 'The bandwidth must be from 1 kbps to 10 Gbps.' });
    expect(settingsFromDraft({ delayMs: '0', bandwidthMbps: mbps(ACCESS_LINK_MAX_BANDWIDTH_BPS), unlimited: false }).ok).toBe(true);
    expect(settingsFromDraft({ delayMs: '0', bandwidthMbps: mbps(ACCESS_LINK_MAX_BANDWIDTH_BPS + 1), unlimited: false }).ok).toBe(false);
    expect(settingsFromDraft({ delayMs: '0', bandwidthMbps: '', unlimited: false })).toEqual({ ok: false, error: 'The bandwidth is a number of Mbps, e.g. 1.54 (or tick unlimited).' });
  });

  it('recognises the presets, and every preset is within the bounds', () => {
    for (const p of ACCESS_LINK_PRESETS) {
      expect(presetIdFor(p.settings)).toBe(p.id);
      expect(settingsFromDraft(draftFromSettings(p.settings))).toEqual({ ok: true, settings: p.settings });
    }
    expect(presetIdFor({ delayMs: 1_000, bandwidthBps: 1_540_000 })).toBe('course-1.54');
    expect(presetIdFor({ delayMs: 1_000, bandwidthBps: 10_000_000 })).toBe('course-10');
    expect(presetIdFor({ delayMs: 7, bandwidthBps: null })).toBeNull();
  });
});
