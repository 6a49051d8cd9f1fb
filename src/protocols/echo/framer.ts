// Echo framing: over TCP each line the client sends is a request and each line echoed back is its
// response (echo keeps order, so FIFO pairing matches them); over UDP each datagram is a message.

import type { FramerContext, StreamFramer } from '../core/framing';
import { createLineOrDatagramFramer, type RolesByDirection } from '../core/line-framer';

export const ECHO_ROLES: RolesByDirection = { c2s: 'request', s2c: 'response' };

export function createEchoFramer(ctx: FramerContext): StreamFramer {
  return createLineOrDatagramFramer(ctx, ECHO_ROLES);
}
