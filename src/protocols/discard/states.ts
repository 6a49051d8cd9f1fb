// Discard over TCP, RFC 863: once the connection is open, every byte received is thrown away and
// nothing is ever sent, until the client ends the connection.
//
//               data                       peer-end
//   discarding -------> discarding   discarding ------> closed
//
// Over UDP there is no connection and so no state: each datagram is dropped on its own.

import type { TransitionTable } from '../core/state-machine';

export type DiscardState = 'discarding' | 'closed';

export type DiscardEvent = 'data' | 'peer-end';

export const DISCARD_INITIAL_STATE: DiscardState = 'discarding';

export const DISCARD_TRANSITIONS: TransitionTable<DiscardState, DiscardEvent> = {
  discarding: { data: 'discarding', 'peer-end': 'closed' },
  closed: {},
};

export const DISCARD_STATE_LABELS: Readonly<Record<DiscardState, string>> = {
  discarding: 'Discarding: bytes are read and thrown away, nothing is sent',
  closed: 'Closed: the client ended the connection',
};
