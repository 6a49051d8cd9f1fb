// Echo (RFC 862): the module the capture and the details pane use, and the engines the services run.

import type { ProtocolModule } from '../registry-types';
import { dissectEcho } from './dissect';
import { explainEcho } from './explain';
import { ECHO_FIELDS } from './fields';
import { createEchoFramer } from './framer';

export const echoProtocol: ProtocolModule = {
  id: 'echo',
  title: 'Echo',
  rfc: 'RFC 862',
  fields: ECHO_FIELDS,
  createFramer: createEchoFramer,
  dissect: dissectEcho,
  explain: explainEcho,
};

export { ECHO_PORT, ECHO_UDP_MAX_DATAGRAM, EchoTcpEngine, EchoUdpEngine } from './engine';
export { ECHO_INITIAL_STATE, ECHO_STATE_LABELS, ECHO_TRANSITIONS, type EchoEvent, type EchoState } from './states';
export { ECHO_FIELDS } from './fields';
export { ECHO_ROLES, createEchoFramer } from './framer';
export { dissectEcho } from './dissect';
export { explainEcho } from './explain';
