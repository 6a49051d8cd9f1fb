// Names shared by the Electron main process and the preload: the IPC channels the LabApi frames
// travel on and the global the preload exposes. Constants only.

/** Renderer <-> main: LabWireFrame in both directions (call frames in, result/event frames out). */
export const LAB_FRAME_CHANNEL = 'lab:frame';

/** Main -> renderer: the link to the lab core went down; pending calls fail with the reason. */
export const LAB_LINK_CHANNEL = 'lab:link';

/** The renderer finds the LabApi at `window.protolab`. */
export const PRELOAD_GLOBAL_NAME = 'protolab';

export interface LabLinkDown {
  state: 'down';
  reason: string;
}
