// Checks access-link settings that come from a face (untrusted JSON): whole milliseconds within the
// delay bound, and a bandwidth within its bounds or null for unlimited. A bad value is refused with
// a sentence that says which bound it crossed; nothing is clamped silently.

import type { AccessLinkSettings } from '../../../shared/web-cache';
import { ACCESS_LINK_MAX_BANDWIDTH_BPS, ACCESS_LINK_MAX_DELAY_MS, ACCESS_LINK_MIN_BANDWIDTH_BPS } from '../../../shared/web-cache';

export function parseAccessLinkSettings(input: unknown): AccessLinkSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('access link settings must be an object { delayMs, bandwidthBps }');
  const { delayMs, bandwidthBps } = input as Record<string, unknown>;
  if (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > ACCESS_LINK_MAX_DELAY_MS) {
    throw new Error(`delayMs must be a whole number of milliseconds from 0 to ${ACCESS_LINK_MAX_DELAY_MS}, got ${JSON.stringify(delayMs)}`);
  }
  if (bandwidthBps === null || bandwidthBps === undefined) return { delayMs, bandwidthBps: null };
  if (typeof bandwidthBps !== 'number' || !Number.isInteger(bandwidthBps) || bandwidthBps < ACCESS_LINK_MIN_BANDWIDTH_BPS || bandwidthBps > ACCESS_LINK_MAX_BANDWIDTH_BPS) {
    throw new Error(
      `bandwidthBps must be null (unlimited) or a whole number of bits per second from ${ACCESS_LINK_MIN_BANDWIDTH_BPS} to ${ACCESS_LINK_MAX_BANDWIDTH_BPS}, got ${JSON.stringify(bandwidthBps)}`,
    );
  }
  return { delayMs, bandwidthBps };
}
