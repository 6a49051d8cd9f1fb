// One `resolver` invocation against the local name server, the same for the lab terminal (which
// reaches the lab through its connector) and for `protolab resolver` (over the web face's LabApi):
// the state it leaves, and the lines to print.

import type { ResolverMode, ResolverState } from '../../../../shared/dns';
import { countFlushed, entriesOf, flushLine, modeChangeLine, resolverReportLines } from '../../dns/resolver-report';
import { wrapLine } from '../word-wrap';
import type { ResolverInvocation } from './resolver-args';

/** The local name server's controls, answered at once (the terminal) or over a link (the CLI). */
export interface ResolverAccess {
  state(): ResolverState | Promise<ResolverState>;
  setMode(mode: ResolverMode): ResolverState | Promise<ResolverState>;
  flush(name: string | null): ResolverState | Promise<ResolverState>;
}

export interface ResolverRun {
  /** The state after the command; for `show NAME`, with only that name's entries. */
  state: ResolverState;
  /** What to print, laid out to the width asked. */
  lines: string[];
}

export async function runResolverInvocation(inv: ResolverInvocation, access: ResolverAccess, width: number): Promise<ResolverRun> {
  switch (inv.action) {
    case 'show': {
      const state = await access.state();
      return { state: { ...state, entries: entriesOf(state, inv.name) }, lines: resolverReportLines(state, { width, name: inv.name }) };
    }
    case 'flush': {
      const before = await access.state();
      const after = await access.flush(inv.name);
      return { state: after, lines: wrapLine(flushLine(after, countFlushed(before, after, inv.name), inv.name), width) };
    }
    case 'mode': {
      const before = await access.state();
      const after = await access.setMode(inv.mode);
      return { state: after, lines: wrapLine(modeChangeLine(before, inv.mode), width) };
    }
  }
}
