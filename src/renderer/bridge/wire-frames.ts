// Frames from the core arrive as JSON text. They come from our own core, but a frame that does not
// parse or has the wrong shape must be dropped with a clear note rather than crash the page.

import type { LabWireFrame } from '../../shared/lab-api';
import { isLabEventName } from '../../shared/lab-api';

export type ParsedFrame = { ok: true; frame: LabWireFrame } | { ok: false; error: string };

export function parseWireFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'a frame from the lab core is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null) return { ok: false, error: 'a frame from the lab core is not an object' };
  const f = value as Record<string, unknown>;
  if (f.kind === 'result') {
    if (typeof f.id !== 'number' || typeof f.ok !== 'boolean') return { ok: false, error: 'a result frame lacks its id or ok flag' };
    if (f.ok) return { ok: true, frame: { kind: 'result', id: f.id, ok: true, value: f.value } };
    return { ok: true, frame: { kind: 'result', id: f.id, ok: false, error: typeof f.error === 'string' ? f.error : 'the lab core reported an error' } };
  }
  if (f.kind === 'event') {
    if (!isLabEventName(f.name)) return { ok: false, error: `an event frame names an unknown event: ${JSON.stringify(f.name)}` };
    return { ok: true, frame: { kind: 'event', name: f.name, payload: f.payload } };
  }
  return { ok: false, error: `a frame from the lab core has an unknown kind: ${JSON.stringify(f.kind)}` };
}
