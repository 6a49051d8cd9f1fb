// `dig NAME [TYPE] [@SERVER] [+norecurse] [+tcp] [+trace] [+short]` and `dig -x ADDRESS`: one DNS
// question to one server of the lab (the local resolver unless @SERVER names another), and its
// reply shown as dig shows it. The question goes out from the student's machine like any of theirs,
// so it is in the capture; +trace walks the hierarchy from the root instead (dig-trace.ts).

import { DNS_QUERY_TIMEOUT_MS } from '../../dns/dns-exchange';
import type { ServerLookup, StubResolverApi } from '../../dns/stub-resolver';
import type { ShellCommand, ShellContext } from '../shell-command';
import { wrapDefinitions } from '../word-wrap';
import { DIG_HELP, DIG_HELP_INTRO, DIG_SYNOPSIS, DIG_USAGE, parseDigArgs } from './dig-args';
import { digReplyLines, digShortLines, noReplyLines } from './dig-show';
import { runTrace } from './dig-trace';

/** The lab runs no DNS: its world has no zones/zones.yaml. */
export const NO_DNS_LINE = "this lab world has no DNS (no zones/zones.yaml in its data folder), so there is no name server to ask";

export interface DigCommandOptions {
  /** How long to wait for each reply (default DNS_QUERY_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** @SERVER (with its port), or the local resolver; a port alone is the resolver's port in the world. */
export function chooseServer(dns: StubResolverApi, server: string | undefined, port: number | undefined): ServerLookup {
  if (server !== undefined) return dns.findServer(server, port);
  const resolver = dns.localResolver();
  if (!resolver.ok || port === undefined) return resolver;
  return dns.findServer(resolver.server.address, port);
}

function writeLines(ctx: ShellContext, lines: readonly string[]): void {
  if (lines.length > 0) ctx.write(lines.join('\n') + '\n');
}

export function createDigCommand(options: DigCommandOptions = {}): ShellCommand {
  const timeoutMs = options.timeoutMs ?? DNS_QUERY_TIMEOUT_MS;
  return {
    name: 'dig',
    usage: DIG_USAGE,
    summary: "ask a name server for a name's records, as dig does ('dig -h' for the options)",
    async run(args: string[], ctx: ShellContext): Promise<void> {
      const parsed = parseDigArgs(args);
      if (!parsed.ok) {
        ctx.println(parsed.line);
        return;
      }
      if (parsed.help) {
        ctx.println(`usage: ${DIG_SYNOPSIS}`);
        ctx.println(DIG_HELP_INTRO);
        for (const row of wrapDefinitions(DIG_HELP, ctx.columns)) ctx.println(row);
        return;
      }
      const inv = parsed.invocation;
      const dns = ctx.connector.dns;
      if (!dns) {
        ctx.println(`dig: ${NO_DNS_LINE}`);
        return;
      }
      if (inv.trace) {
        if (!inv.short) writeLines(ctx, [`; <<>> dig (protolab) <<>> ${args.join(' ')}`]);
        await runTrace(ctx, dns, inv, timeoutMs);
        return;
      }
      const server = chooseServer(dns, inv.server, inv.port);
      if (!server.ok) {
        ctx.println(`dig: ${server.error}`);
        return;
      }
      const result = await dns.query(inv.name, inv.type, { server: server.server, tcp: inv.tcp, recursionDesired: inv.recurse, edns: inv.edns, timeoutMs });
      if (ctx.signal.aborted) return;
      if (inv.short) {
        writeLines(ctx, result.ok ? digShortLines(result.response) : noReplyLines(result, timeoutMs));
        return;
      }
      writeLines(ctx, [`; <<>> dig (protolab) <<>> ${args.join(' ')}`, ...(result.ok ? digReplyLines(result) : noReplyLines(result, timeoutMs)), '']);
    },
  };
}

export const digCommand: ShellCommand = createDigCommand();
