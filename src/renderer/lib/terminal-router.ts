// Routes the core's `terminal` events to the terminal tab that owns each id. The core may write a
// session's banner before the openTerminal() result reaches the renderer, so output for an id no
// tab has claimed yet is held (bounded) and handed over when the tab claims it.

/** Output held per unclaimed terminal id; past this the oldest text is dropped. */
export const MAX_UNCLAIMED_CHARS = 64 * 1024;

/** Unclaimed terminal ids remembered at once (ids of terminals other faces opened are never claimed). */
export const MAX_UNCLAIMED_TERMINALS = 16;

export type TerminalSink = (data: string) => void;

export class TerminalRouter {
  private sinks = new Map<string, TerminalSink>();
  private unclaimed = new Map<string, string>();

  /** Deliver output from the core. */
  deliver(terminalId: string, data: string): void {
    const sink = this.sinks.get(terminalId);
    if (sink) {
      sink(data);
      return;
    }
    let held = (this.unclaimed.get(terminalId) ?? '') + data;
    if (held.length > MAX_UNCLAIMED_CHARS) held = held.slice(held.length - MAX_UNCLAIMED_CHARS);
    this.unclaimed.delete(terminalId);
    this.unclaimed.set(terminalId, held);
    while (this.unclaimed.size > MAX_UNCLAIMED_TERMINALS) {
      const oldest = this.unclaimed.keys().next().value as string;
      this.unclaimed.delete(oldest);
    }
  }

  /** A tab owns this id from now on; it first gets whatever arrived before it claimed it. */
  claim(terminalId: string, sink: TerminalSink): () => void {
    this.sinks.set(terminalId, sink);
    const held = this.unclaimed.get(terminalId);
    if (held !== undefined) {
      this.unclaimed.delete(terminalId);
      sink(held);
    }
    return () => {
      if (this.sinks.get(terminalId) === sink) this.sinks.delete(terminalId);
    };
  }

  /** Forget everything (the link to the core was re-established: old ids are gone). */
  clear(): void {
    this.sinks.clear();
    this.unclaimed.clear();
  }

  get unclaimedCount(): number {
    return this.unclaimed.size;
  }
}
