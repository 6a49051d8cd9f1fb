// Splitter arithmetic: a pane's share of its container, kept where both panes stay usable.

/** Neither pane of a split gets less than this share of the container. */
export const MIN_SPLIT_FRACTION = 0.12;
export const MAX_SPLIT_FRACTION = 1 - MIN_SPLIT_FRACTION;

/** One arrow-key press on a focused splitter moves it by this share. */
export const SPLIT_KEYBOARD_STEP = 0.02;

export function clampFraction(f: number): number {
  if (!Number.isFinite(f)) return 0.5;
  return Math.min(MAX_SPLIT_FRACTION, Math.max(MIN_SPLIT_FRACTION, f));
}

/** The share of the first pane when the pointer is at `pointer` within [start, start + size). */
export function fractionAt(pointer: number, start: number, size: number): number {
  if (!(size > 0)) return 0.5;
  return clampFraction((pointer - start) / size);
}

/**
 * Width the details/bytes half starts with, whatever the window: the bytes pane's rows (offset,
 * 16 hex bytes, 16 ASCII characters, about 510 px in 12 px monospace) fit whole in it, and the
 * rest of the window, including what hiding the servers panel frees, goes to the terminal and
 * the message list.
 */
export const DETAILS_DEFAULT_WIDTH_PX = 540;

/** Until the student moves the splitter, the details half never takes more than this share. */
export const DETAILS_DEFAULT_MAX_SHARE = 0.5;

/** Splitter width in px; matches `.splitter` in styles.css. */
export const SPLITTER_PX = 5;

/**
 * The first pane's share that leaves the second pane `secondPx` wide in a container `containerPx`
 * wide (the splitter takes its own pixels), with the second pane's share at most `maxSecondShare`.
 */
export function fractionForSecondWidth(secondPx: number, containerPx: number, maxSecondShare = MAX_SPLIT_FRACTION): number {
  const room = containerPx - SPLITTER_PX;
  if (!(room > 0) || !Number.isFinite(secondPx)) return 0.5;
  return clampFraction(1 - Math.min(maxSecondShare, secondPx / room));
}

/** The second pane's width in px when the first pane has share `fraction` of a container `containerPx` wide. */
export function secondWidthForFraction(fraction: number, containerPx: number): number {
  return Math.max(0, (1 - clampFraction(fraction)) * (containerPx - SPLITTER_PX));
}
