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
