// Raw: the fallback module for connections whose protocol the lab does not know.

import type { ProtocolModule } from '../registry-types';
import { dissectRaw } from './dissect';
import { explainRaw } from './explain';
import { RAW_FIELDS } from './fields';
import { createRawFramer } from './framer';

export const rawProtocol: ProtocolModule = {
  id: 'raw',
  title: 'Raw',
  rfc: 'RFC 5198',
  fields: RAW_FIELDS,
  createFramer: createRawFramer,
  dissect: dissectRaw,
  explain: explainRaw,
};

export { RAW_FIELDS } from './fields';
export { RAW_MAX_LINE, RAW_ROLES, createRawFramer } from './framer';
export { EXPERT_NON_ASCII_BINARY, EXPERT_NON_ASCII_UTF8, EXPERT_NUL_IN_LINE, dissectRaw } from './dissect';
export { explainRaw } from './explain';
