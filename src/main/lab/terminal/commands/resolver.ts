// `resolver [show [NAME] | flush [NAME] | mode iterative|recursive]`: the local name server
// (dns.poly.edu) from the terminal, as the DNS panel's Resolver tab shows it: where it listens, its
// scheme, its statistics and its cache with the TTLs counting down; flush all or one name; switch
// between the course's iterative and recursive schemes.

import type { ShellCommand, ShellContext } from '../shell-command';
import { wrapDefinitions } from '../word-wrap';
import { NO_DNS_LINE } from './dig';
import { RESOLVER_FORMS, RESOLVER_SYNOPSIS, RESOLVER_USAGE, parseResolverArgs } from './resolver-args';
import { runResolverInvocation } from './resolver-run';

export const resolverCommand: ShellCommand = {
  name: 'resolver',
  usage: RESOLVER_USAGE,
  summary: "show or flush the local name server's cache, or switch its scheme ('resolver -h')",
  async run(args: string[], ctx: ShellContext): Promise<void> {
    const parsed = parseResolverArgs(args);
    if (!parsed.ok) {
      ctx.println(parsed.problem === undefined ? `usage: ${RESOLVER_SYNOPSIS}` : `resolver: ${parsed.problem}`);
      return;
    }
    if (parsed.help) {
      ctx.println(`usage: ${RESOLVER_SYNOPSIS}`);
      for (const row of wrapDefinitions(RESOLVER_FORMS, ctx.columns)) ctx.println(row);
      return;
    }
    const controls = ctx.connector.resolver;
    if (!controls) {
      ctx.println(`resolver: ${NO_DNS_LINE}`);
      return;
    }
    const { lines } = await runResolverInvocation(parsed.invocation, controls, ctx.columns);
    for (const line of lines) ctx.println(line);
  },
};
