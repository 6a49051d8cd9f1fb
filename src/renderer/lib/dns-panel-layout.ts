// The DNS panel's width: a side column like the web cache's, but its cache table and its sequence
// diagram want room, so the student can drag its edge (or use the arrow keys on it).

/**
 * The width it opens with: the resolution view's five lanes (requesting host to authoritative
 * server) fit whole in DejaVu Sans, the widest common UI font, and the terminal keeps some room.
 */
export const DNS_PANEL_DEFAULT_WIDTH_PX = 610;

/** Narrowest: the cache table's columns and the mode switch still read. */
export const DNS_PANEL_MIN_WIDTH_PX = 380;

/** The panel never takes more than this share of the window, so the terminal stays usable. */
export const DNS_PANEL_MAX_SHARE = 0.7;

/** One arrow-key press on the panel's edge moves it by this many pixels. */
export const DNS_PANEL_KEYBOARD_STEP_PX = 24;

/** `px` kept between the minimum and the window's share (the minimum wins on a tiny window). */
export function clampDnsPanelWidth(px: number, windowWidth: number): number {
  const max = Math.max(DNS_PANEL_MIN_WIDTH_PX, Math.floor(windowWidth * DNS_PANEL_MAX_SHARE));
  if (!Number.isFinite(px)) return Math.min(DNS_PANEL_DEFAULT_WIDTH_PX, max);
  return Math.round(Math.min(max, Math.max(DNS_PANEL_MIN_WIDTH_PX, px)));
}
