// Raw framing for connections of no known protocol: lines over TCP (cut at RAW_MAX_LINE when no
// line end comes), datagrams over UDP. Nothing is known about who asks and who answers, so every
// message is 'other' and nothing is paired.

import type { FramerContext, StreamFramer } from '../core/framing';
import { CAPTURE_MAX_LINE, createLineOrDatagramFramer, type RolesByDirection } from '../core/line-framer';

/** Bytes a raw line may reach before the framer emits them as a message without a line end. */
export const RAW_MAX_LINE = CAPTURE_MAX_LINE;

export const RAW_ROLES: RolesByDirection = { c2s: 'other', s2c: 'other' };

export function createRawFramer(ctx: FramerContext): StreamFramer {
  return createLineOrDatagramFramer(ctx, RAW_ROLES, RAW_MAX_LINE);
}
