// LabApi: the one contract between the lab core and every face. The renderer talks only to this;
// the Electron preload exposes it over IPC and the web face over a WebSocket. Types only.

import type { CaptureBatch, CaptureStats, ConnectionInfo, MessageDetail, MessageSummary, Transport } from './capture';

export type ServiceState = 'stopped' | 'starting' | 'listening' | 'failed';

export interface ServiceInfo {
  /** Stable id: `<hostname>/<protocol>/<transport>`, e.g. `gaia.cs.umass.edu/echo/tcp`. */
  id: string;
  protocol: string;
  transport: Transport;
  hostname: string;
  /** Address of the host in the lab world, e.g. 128.119.245.12. */
  virtualAddress: string;
  /** The service's well-known port in the world, e.g. 7 for echo, 80 for HTTP. */
  wellKnownPort: number;
  /** Where it really listens: 127.0.0.1 unless binding elsewhere was explicitly asked for. */
  address: string;
  port: number;
  state: ServiceState;
  /** Why it is not listening, in a sentence that names the service and the port. */
  error?: string;
  /** Connections open right now (TCP) or peers seen (UDP). */
  connections: number;
  /** One line for the servers panel. */
  description: string;
}

export interface WorldHostInfo {
  name: string;
  address: string;
  aliases: string[];
  description?: string;
}

export interface LabSnapshot {
  dataDir: string;
  portOffset: number;
  services: ServiceInfo[];
  hosts: WorldHostInfo[];
  capture: CaptureStats;
}

export interface TerminalOpenOptions {
  cols: number;
  rows: number;
}

/** Events pushed from the core to a face. */
export interface LabEvents {
  services: ServiceInfo[];
  capture: CaptureBatch;
  terminal: { terminalId: string; data: string };
  terminalExit: { terminalId: string };
}

export type LabEventName = keyof LabEvents;

/** Commands a face may call. Every method is async because it crosses a process or a socket. */
export interface LabCommands {
  getSnapshot(): Promise<LabSnapshot>;
  startService(id: string): Promise<ServiceInfo>;
  stopService(id: string): Promise<ServiceInfo>;
  /** Restore the data folder from content/ (stops and restarts services). */
  resetData(): Promise<LabSnapshot>;

  /** Messages with ids in [fromId, fromId + count), read back from the journal where needed. */
  listMessages(fromId: number, count: number): Promise<MessageSummary[]>;
  getMessage(id: number): Promise<MessageDetail | null>;
  listConnections(): Promise<ConnectionInfo[]>;

  openTerminal(options: TerminalOpenOptions): Promise<{ terminalId: string }>;
  terminalInput(terminalId: string, data: string): Promise<void>;
  terminalResize(terminalId: string, cols: number, rows: number): Promise<void>;
  closeTerminal(terminalId: string): Promise<void>;
}

export type LabCommandName = keyof LabCommands;

export interface LabApi extends LabCommands {
  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void): () => void;
}

/** Wire frames shared by the WebSocket bridge and the Electron utility-process bridge. */
export type LabWireFrame =
  | { kind: 'call'; id: number; method: LabCommandName; args: unknown[] }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: string }
  | { kind: 'event'; name: LabEventName; payload: unknown };

/** Commands the bridges accept, so a face can refuse anything else before it reaches the core. */
export const LAB_COMMAND_NAMES: readonly LabCommandName[] = [
  'getSnapshot',
  'startService',
  'stopService',
  'resetData',
  'listMessages',
  'getMessage',
  'listConnections',
  'openTerminal',
  'terminalInput',
  'terminalResize',
  'closeTerminal',
];
