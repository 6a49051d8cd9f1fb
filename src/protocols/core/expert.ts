// Expert notes that several protocols raise, registered once (Wireshark's `ei_` entries) so every
// dissector words them the same way.

import type { ExpertInfo } from './field';

export const EXPERT_BARE_LF: ExpertInfo = {
  severity: 'note',
  message: 'bare LF line ending (the protocol expects CR LF)',
};

export const EXPERT_CONNECTION_ENDED_MID_LINE: ExpertInfo = {
  severity: 'warn',
  message: 'the connection ended before this line did (no line end)',
};

export function expertLineCut(maxLine: number): ExpertInfo {
  return { severity: 'warn', message: `no line end within ${maxLine} bytes: the line was cut here` };
}
