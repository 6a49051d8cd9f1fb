// Connections the lab makes to its own services (the web cache fetching from an origin, later the
// mail relay and the resolver) must appear in the capture as coming from the world host that made
// them (cache.poly.edu), not from the student's machine. On loopback the server cannot tell who
// dialled, so the dialling side announces itself here first and the server claims the announcement
// when it accepts the connection.

export interface LabClientIdentity {
  name: string;
  address: string;
}

interface Expected {
  who: LabClientIdentity;
  /** Filled in once the dialling socket knows its own port. */
  localPort?: number;
}

/** Announcements waiting for their accept; more means a dialler forgot to cancel, so old ones go. */
export const MAX_EXPECTED_PER_PORT = 256;

export interface LabClientTicket {
  /** The dialling socket connected from this local port. */
  connected(localPort: number): void;
  /** The connection failed or was never accepted: forget the announcement. */
  cancel(): void;
}

export class LabClientRegistry {
  private readonly expected = new Map<number, Expected[]>();

  /** Announce a connection about to be made to the lab's loopback `serverPort`. */
  expect(serverPort: number, who: LabClientIdentity): LabClientTicket {
    const entry: Expected = { who };
    const list = this.expected.get(serverPort) ?? [];
    list.push(entry);
    if (list.length > MAX_EXPECTED_PER_PORT) list.shift();
    this.expected.set(serverPort, list);
    return {
      connected: (localPort) => {
        entry.localPort = localPort;
      },
      cancel: () => this.remove(serverPort, entry),
    };
  }

  /**
   * The server on `serverPort` accepted a connection from loopback port `remotePort`: who dialled
   * it, if a lab client announced it. An announcement whose socket already knows its port must
   * match exactly; one that does not yet (the accept can come before the dialler's 'connect') is
   * taken in the order announced.
   */
  claim(serverPort: number, remotePort: number): LabClientIdentity | undefined {
    const list = this.expected.get(serverPort);
    if (!list) return undefined;
    const entry = list.find((e) => e.localPort === remotePort) ?? list.find((e) => e.localPort === undefined);
    if (!entry) return undefined;
    this.remove(serverPort, entry);
    return entry.who;
  }

  private remove(serverPort: number, entry: Expected): void {
    const list = this.expected.get(serverPort);
    if (!list) return;
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.expected.delete(serverPort);
  }
}
