// Daytime framing. Over TCP the server speaks first and only once: its line is the response, and
// anything the client types is 'other' (the server ignores it). Over UDP the client's datagram is
// what asks for the date, so it is the request and the date datagram its response.

import { assertNever } from '../core/assert-never';
import type { FramerContext, StreamFramer } from '../core/framing';
import { DatagramFramer, LineFramer, type RolesByDirection } from '../core/line-framer';

export const DAYTIME_TCP_ROLES: RolesByDirection = { c2s: 'other', s2c: 'response' };
export const DAYTIME_UDP_ROLES: RolesByDirection = { c2s: 'request', s2c: 'response' };

export function createDaytimeFramer(ctx: FramerContext): StreamFramer {
  switch (ctx.transport) {
    case 'tcp':
      return new LineFramer({ roles: DAYTIME_TCP_ROLES });
    case 'udp':
      return new DatagramFramer(DAYTIME_UDP_ROLES);
    default:
      return assertNever(ctx.transport, 'transport');
  }
}
