// Plain-language explanations for the details pane. Each protocol's explain.ts returns one of
// these for a message; the pane renders them as text (never HTML).

import type { Direction } from '../../shared/capture';

export interface Explanation {
  /** A short heading, e.g. `Echo request`. */
  title: string;
  /** A few sentences in plain language: what this message is and what happens next. */
  text: string;
  /** Where the behaviour is specified, e.g. `RFC 862`. */
  rfc?: string;
}

/** `client -> server` for the pane's sub-heading. */
export function directionLabel(dir: Direction): string {
  return dir === 'c2s' ? 'client → server' : 'server → client';
}
