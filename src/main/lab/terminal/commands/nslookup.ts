// `nslookup NAME [SERVER]` and `nslookup -type=MX NAME`: the other classic way to ask DNS, shorter
// than dig. Without -type it asks for A and then AAAA records, as nslookup does; an address is
// looked up in reverse (PTR). Each question is a real exchange with the server, in the capture.

import { RR_TYPE, type DnsMessage } from '../../../../protocols/dns';
import { DNS_QUERY_TIMEOUT_MS } from '../../dns/dns-exchange';
import type { ShellCommand, ShellContext } from '../shell-command';
import { chooseServer, NO_DNS_LINE } from './dig';
import { noReplyLines } from './dig-show';
import { NSLOOKUP_USAGE, parseNslookupArgs } from './nslookup-args';
import { nslookupAnswerLines, nslookupServerLines } from './nslookup-show';

export interface NslookupCommandOptions {
  /** How long to wait for each reply (default DNS_QUERY_TIMEOUT_MS). */
  timeoutMs?: number;
}

function writeLines(ctx: ShellContext, lines: readonly string[]): void {
  if (lines.length > 0) ctx.write(lines.join('\n') + '\n');
}

export function createNslookupCommand(options: NslookupCommandOptions = {}): ShellCommand {
  const timeoutMs = options.timeoutMs ?? DNS_QUERY_TIMEOUT_MS;
  return {
    name: 'nslookup',
    usage: NSLOOKUP_USAGE,
    summary: 'look a name up, as nslookup does: nslookup [-type=MX] NAME [SERVER]',
    async run(args: string[], ctx: ShellContext): Promise<void> {
      const parsed = parseNslookupArgs(args);
      if (!parsed.ok) {
        ctx.println(parsed.line);
        return;
      }
      const inv = parsed.invocation;
      const dns = ctx.connector.dns;
      if (!dns) {
        ctx.println(`nslookup: ${NO_DNS_LINE}`);
        return;
      }
      const server = chooseServer(dns, inv.server, inv.port);
      if (!server.ok) {
        ctx.println(`nslookup: ${server.error}`);
        return;
      }
      const types = inv.defaultType ? [RR_TYPE.A, RR_TYPE.AAAA] : [inv.type];
      const replies: DnsMessage[] = [];
      for (const type of types) {
        const result = await dns.query(inv.name, type, { server: server.server, tcp: inv.tcp, recursionDesired: inv.recurse, timeoutMs });
        if (ctx.signal.aborted) return;
        if (!result.ok) {
          writeLines(ctx, noReplyLines(result, timeoutMs));
          return;
        }
        replies.push(result.response);
        // No such name, or the server failed: the second question would only repeat it.
        if (result.response.flags.rcode !== 0) break;
      }
      writeLines(ctx, [...nslookupServerLines(server.server), ...nslookupAnswerLines(inv.name, replies)]);
    },
  };
}

export const nslookupCommand: ShellCommand = createNslookupCommand();
