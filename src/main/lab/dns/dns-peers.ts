// Queries the lab's own DNS clients send (the resolver walking the tree, a server passing a
// recursive query on, the terminal's dig) come from loopback like the student's, so a server
// cannot tell them apart by address. Each client socket registers its local port here before it
// sends; the server looks the port up to name the sender in the capture (dns.poly.edu, not the
// student's machine) and to tie the exchange to the lookup it belongs to (the resolution view).

import type { Transport } from '../../../shared/capture';
import type { DnsPeer } from '../../../shared/dns';

export interface DnsPeerEntry {
  who: DnsPeer;
  /** The resolver's lookup this query is part of, when there is one. */
  lookupId?: number;
  /** In the recursive scheme: how many servers passed this question on before it (none for the resolver's own query). */
  relayDepth?: number;
  /** Filled in by the server that received the query: the capture connection it is recorded in. */
  connectionId?: number;
}

export interface DnsPeerTicket {
  readonly entry: DnsPeerEntry;
  /** The socket is closed: forget it (and let the server close its UDP flow in the capture). */
  release(): void;
}

/** Client sockets registered at once; a leak past this drops the oldest (a bound on memory). */
export const MAX_DNS_PEER_SOCKETS = 4_096;

export class DnsPeerRegistry {
  private readonly byPort = new Map<string, DnsPeerEntry>();
  private readonly releaseListeners = new Set<(transport: Transport, port: number) => void>();

  register(transport: Transport, localPort: number, entry: DnsPeerEntry): DnsPeerTicket {
    const key = `${transport}/${localPort}`;
    this.byPort.set(key, entry);
    if (this.byPort.size > MAX_DNS_PEER_SOCKETS) this.byPort.delete(this.byPort.keys().next().value as string);
    let released = false;
    return {
      entry,
      release: () => {
        if (released) return;
        released = true;
        if (this.byPort.get(key) === entry) this.byPort.delete(key);
        for (const l of this.releaseListeners) l(transport, localPort);
      },
    };
  }

  /** The lab client behind a loopback source port, if one registered it. */
  lookup(transport: Transport, port: number): DnsPeerEntry | undefined {
    return this.byPort.get(`${transport}/${port}`);
  }

  onRelease(listener: (transport: Transport, port: number) => void): () => void {
    this.releaseListeners.add(listener);
    return () => this.releaseListeners.delete(listener);
  }
}
