// Framed messages may be views that the next push overwrites (FramedMessage.bytes): a test that
// collects them across pushes keeps copies, as the capture would have to.

import type { FramedMessage } from '../../src/protocols/core/framing';

export function kept(messages: readonly FramedMessage[]): FramedMessage[] {
  return messages.map((m) => ({ ...m, bytes: m.bytes.slice() }));
}
