// The DNS panel's width, and what the rest of the window does while it is open. A side column
// like the web cache's, but its cache table and its sequence diagram want room, so the student can
// drag its edge (or use the arrow keys on it). On a laptop screen (1440 px) the terminal and the
// message list beside it must stay usable: opening the panel puts the servers and web cache
// panels away (closing it brings them back) and the details half gives way down to a floor.

/**
 * The width it opens with: the resolution view's five lanes (requesting host to authoritative
 * server) fit in it with their headers on two rows (see lib/dns-sequence.ts), and on a 1440 px
 * window the terminal keeps about 80 columns beside it (TERMINAL_COMFORT_PX, DETAILS_BESIDE_DNS_MIN_PX).
 */
export const DNS_PANEL_DEFAULT_WIDTH_PX = 440;

/** Narrowest: the cache table's columns and the mode switch still read. */
export const DNS_PANEL_MIN_WIDTH_PX = 380;

/** The panel never takes more than this share of the window, so the terminal stays usable. */
export const DNS_PANEL_MAX_SHARE = 0.7;

/** One arrow-key press on the panel's edge moves it by this many pixels. */
export const DNS_PANEL_KEYBOARD_STEP_PX = 24;

/**
 * Width the terminal's half should keep while the DNS panel is open: 80 columns of the terminal's
 * 13 px monospace (7.83 px a column in DejaVu Sans Mono, measured in chromium) plus its padding
 * and scrollbar (about 32 px), 660 px. The message list fits all its columns, Info included, in
 * that too (lib/packet-columns.ts).
 */
export const TERMINAL_COMFORT_PX = 660;

/**
 * The details half never shrinks below this for the terminal's sake: the details tree still reads
 * and the bytes pane fits a row of 8 bytes with its ASCII (lib/hex-dump.ts).
 */
export const DETAILS_BESIDE_DNS_MIN_PX = 330;

/** `px` kept between the minimum and the window's share (the minimum wins on a tiny window). */
export function clampDnsPanelWidth(px: number, windowWidth: number): number {
  const max = Math.max(DNS_PANEL_MIN_WIDTH_PX, Math.floor(windowWidth * DNS_PANEL_MAX_SHARE));
  if (!Number.isFinite(px)) return Math.min(DNS_PANEL_DEFAULT_WIDTH_PX, max);
  return Math.round(Math.min(max, Math.max(DNS_PANEL_MIN_WIDTH_PX, px)));
}

/**
 * The details half's width while the DNS panel is open and the student has not dragged it:
 * `defaultPx` when the terminal keeps TERMINAL_COMFORT_PX beside it, else narrower, down to
 * DETAILS_BESIDE_DNS_MIN_PX. `mainWidth` is the room the terminal and the details share;
 * `splitterPx` the bar between them.
 */
export function detailsWidthBesideDnsPanel(mainWidth: number, defaultPx: number, splitterPx: number): number {
  if (!(mainWidth > 0)) return defaultPx;
  const left = mainWidth - splitterPx - TERMINAL_COMFORT_PX;
  return Math.round(Math.max(Math.min(defaultPx, DETAILS_BESIDE_DNS_MIN_PX), Math.min(defaultPx, left)));
}

/** The side panels the DNS panel shares the window with. */
export interface SidePanels {
  servers: boolean;
  webCache: boolean;
}

/**
 * Opening the DNS panel puts the others away; what was shown is remembered for when it closes.
 */
export function sidePanelsOnDnsOpen(shown: SidePanels): { shown: SidePanels; remembered: SidePanels } {
  return { shown: { servers: false, webCache: false }, remembered: { ...shown } };
}

/**
 * Closing it brings back what was shown before it opened; a panel the student opened meanwhile
 * stays open.
 */
export function sidePanelsOnDnsClose(shown: SidePanels, remembered: SidePanels | null): SidePanels {
  if (!remembered) return { ...shown };
  return { servers: shown.servers || remembered.servers, webCache: shown.webCache || remembered.webCache };
}
