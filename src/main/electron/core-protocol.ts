// Messages between the main process and the lab core's utility process. LabApi frames ride inside
// `frame` messages; the rest is the core's lifecycle. Shared by core-host (main side) and
// core-runner (utility side); neither imports electron.

import type { LabWireFrame } from '../../shared/lab-api';

export type CallFrame = Extract<LabWireFrame, { kind: 'call' }>;
export type CoreToFaceFrame = Exclude<LabWireFrame, { kind: 'call' }>;

/** Main -> core. */
export type CoreInbound =
  | { type: 'frame'; frame: CallFrame }
  /** The window's page was replaced (reload, crash): terminals it opened have no one to talk to. */
  | { type: 'renderer-reset' }
  /** Stop the lab (flushing the capture journal) and exit. */
  | { type: 'stop' };

/** Core -> main. */
export type CoreOutbound =
  | { type: 'ready' }
  | { type: 'frame'; frame: CoreToFaceFrame }
  /** The lab could not start or died; the process exits right after. */
  | { type: 'fatal'; message: string };

export function isCoreOutbound(message: unknown): message is CoreOutbound {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return true;
    case 'fatal':
      return typeof m.message === 'string';
    case 'frame':
      return isCoreToFaceFrame(m.frame);
    default:
      return false;
  }
}

export function isCoreInbound(message: unknown): message is CoreInbound {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  if (m.type === 'renderer-reset' || m.type === 'stop') return true;
  return m.type === 'frame' && typeof m.frame === 'object' && m.frame !== null;
}

function isCoreToFaceFrame(frame: unknown): frame is CoreToFaceFrame {
  if (typeof frame !== 'object' || frame === null) return false;
  const f = frame as Record<string, unknown>;
  if (f.kind === 'result') return typeof f.id === 'number' && typeof f.ok === 'boolean';
  if (f.kind === 'event') return typeof f.name === 'string';
  return false;
}
