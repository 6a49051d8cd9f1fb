// Daytime (RFC 867): the module the capture and the details pane use, and the engines the services run.

import type { ProtocolModule } from '../registry-types';
import { dissectDaytime } from './dissect';
import { explainDaytime } from './explain';
import { DAYTIME_FIELDS } from './fields';
import { createDaytimeFramer } from './framer';

export const daytimeProtocol: ProtocolModule = {
  id: 'daytime',
  title: 'Daytime',
  rfc: 'RFC 867',
  fields: DAYTIME_FIELDS,
  createFramer: createDaytimeFramer,
  dissect: dissectDaytime,
  explain: explainDaytime,
};

export { DAYTIME_PORT, DaytimeTcpEngine, DaytimeUdpEngine, daytimeLine } from './engine';
export { DATE_MAX_ABS_MS, formatDaytime, isRepresentableTime, parseDaytime, type ParsedDaytime } from './date-line';
export { DAYTIME_INITIAL_STATE, DAYTIME_STATE_LABELS, DAYTIME_TRANSITIONS, type DaytimeEvent, type DaytimeState } from './states';
export { DAYTIME_FIELDS } from './fields';
export { DAYTIME_TCP_ROLES, DAYTIME_UDP_ROLES, createDaytimeFramer } from './framer';
export { EXPERT_WEEKDAY_MISMATCH, dissectDaytime } from './dissect';
export { explainDaytime } from './explain';
