// Every protocol module the lab knows, by id. The capture asks for a connection's framer here and
// the details pane for its dissector; an unknown id gets the raw module, so nothing is left
// unframed or undissected.

import { daytimeProtocol } from './daytime';
import { discardProtocol } from './discard';
import { dnsProtocol } from './dns';
import { echoProtocol } from './echo';
import { httpProtocol } from './http';
import { rawProtocol } from './raw';
import type { ProtocolModule } from './registry-types';

const MODULES: readonly ProtocolModule[] = [echoProtocol, discardProtocol, daytimeProtocol, httpProtocol, dnsProtocol, rawProtocol];

const BY_ID: ReadonlyMap<string, ProtocolModule> = new Map(MODULES.map((m) => [m.id, m]));

/** The module for `id`, or the raw module when the id is not known. */
export function getProtocol(id: string): ProtocolModule {
  return BY_ID.get(id) ?? rawProtocol;
}

/** Whether a module with exactly this id is registered (no raw fallback). */
export function hasProtocol(id: string): boolean {
  return BY_ID.has(id);
}

/** All modules, raw last. */
export function listProtocols(): readonly ProtocolModule[] {
  return MODULES;
}
