// How the status bar and the banner describe the link to the lab core.

import type { BridgeStatus } from '../bridge/bridge-types';

export function linkText(status: BridgeStatus, now: number): string {
  if (status.state === 'open') return 'connected';
  if (status.state === 'connecting') return 'connecting…';
  if (status.retryAt !== undefined) {
    const seconds = Math.max(0, Math.ceil((status.retryAt - now) / 1000));
    return seconds > 0 ? `disconnected, retrying in ${seconds} s` : 'disconnected, retrying…';
  }
  return 'disconnected';
}

/** The banner shown while the link is not open, or null while it is. */
export function linkBanner(status: BridgeStatus, now: number): { kind: 'connecting' | 'down'; text: string } | null {
  if (status.state === 'open') return null;
  if (status.state === 'connecting' && status.epoch === 0) return { kind: 'connecting', text: 'Connecting to the lab core…' };
  const how = linkText(status, now);
  return {
    kind: 'down',
    text: `Disconnected from the lab core${status.reason ? `: ${status.reason}` : ''}. ${how.charAt(0).toUpperCase()}${how.slice(1)}. Terminals start new sessions when it is back.`,
  };
}
