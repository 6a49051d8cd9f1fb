// Discard (RFC 863): the module the capture and the details pane use, and the engines the services run.

import type { ProtocolModule } from '../registry-types';
import { dissectDiscard } from './dissect';
import { explainDiscard } from './explain';
import { DISCARD_FIELDS } from './fields';
import { createDiscardFramer } from './framer';

export const discardProtocol: ProtocolModule = {
  id: 'discard',
  title: 'Discard',
  rfc: 'RFC 863',
  fields: DISCARD_FIELDS,
  createFramer: createDiscardFramer,
  dissect: dissectDiscard,
  explain: explainDiscard,
};

export { DISCARD_PORT, DiscardTcpEngine, DiscardUdpEngine } from './engine';
export { DISCARD_INITIAL_STATE, DISCARD_STATE_LABELS, DISCARD_TRANSITIONS, type DiscardEvent, type DiscardState } from './states';
export { DISCARD_FIELDS } from './fields';
export { DISCARD_ROLES, createDiscardFramer } from './framer';
export { EXPERT_DISCARD_SERVER_SENT, dissectDiscard } from './dissect';
export { explainDiscard } from './explain';
