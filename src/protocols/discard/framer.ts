// Discard framing: lines (TCP) or datagrams (UDP) from the client, none of which is a request
// since nothing ever answers; a server that did send would be framed the same way.

import type { FramerContext, StreamFramer } from '../core/framing';
import { createLineOrDatagramFramer, type RolesByDirection } from '../core/line-framer';

export const DISCARD_ROLES: RolesByDirection = { c2s: 'other', s2c: 'other' };

export function createDiscardFramer(ctx: FramerContext): StreamFramer {
  return createLineOrDatagramFramer(ctx, DISCARD_ROLES);
}
