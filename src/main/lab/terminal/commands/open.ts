// `open HOST PORT` (or `telnet HOST PORT`): a raw TCP connection to a lab server, reported the way
// classic telnet reports it, plus one line saying where the lab really connects. When the
// connection is refused, a second line says why in the lab world's terms: the host runs no such
// service, the service is stopped, or the loopback port is none of the lab's. A name is first
// looked up through the lab's resolver, and one line says what it answered (name-lookup.ts).

import { UsageError, type ShellCommand, type ShellContext } from '../shell-command';
import type { HostListing, RawConnection, RawConnector, ResolvedTarget } from '../types';
import { exampleTarget } from './hosts';
import { describeNameLookup, nameLookupOf } from './name-lookup';
import { MAX_PORT } from './port-text';


export function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new UsageError(`'${text}' is not a port number (1-${MAX_PORT})`);
  const port = Number(text);
  if (port < 1 || port > MAX_PORT) throw new UsageError(`port ${port} is out of range (1-${MAX_PORT})`);
  return port;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A host as the student typed it, compared the way the world compares names. */
function sameHost(typed: string, name: string): boolean {
  return typed.trim().toLowerCase().replace(/\.$/, '') === name.toLowerCase();
}

function findListing(hosts: readonly HostListing[], typed: string): HostListing | undefined {
  return hosts.find((h) => [h.name, h.address, ...h.aliases].some((n) => sameHost(typed, n)));
}

/** The lab line names the real loopback place, so `open 127.0.0.1 10007` saying "gaia" is no surprise. */
function describeTarget(target: ResolvedTarget): string[] {
  const name = target.hostname ?? target.host;
  const connected = name === target.virtualAddress ? `Connected to ${name}.` : `Connected to ${name} (${target.virtualAddress}).`;
  const lines = [connected];
  const real = `${target.address}:${target.port}`;
  if (target.protocol && target.hostname) {
    const worldPort = target.servicePort !== undefined && target.servicePort !== target.virtualPort ? ` (port ${target.servicePort})` : '';
    lines.push(`(lab: ${real} is where ${target.hostname}'s ${target.protocol} service${worldPort} really listens)`);
  } else if (target.address !== target.virtualAddress || target.port !== target.virtualPort) {
    lines.push(`(lab: really ${real}, where no lab service runs)`);
  }
  lines.push("Escape character is '^]'.");
  return lines;
}

/** Why nothing answered, in the terms of the lab world: no such service, a stopped one, or a port that is not the lab's. */
export function refusedHint(target: ResolvedTarget, connector: RawConnector): string {
  const real = `${target.address}:${target.port}`;
  const name = target.hostname;
  if (name === undefined) return `(nothing listens on ${real}; it is none of the lab's ports, which 'hosts' lists)`;
  if (target.protocol === undefined || target.servicePort === undefined) {
    const udp = findListing(connector.listHosts(), name)?.services.find((s) => s.port === target.virtualPort && s.transport === 'udp');
    if (udp) return `(${name} runs ${udp.protocol} on port ${target.virtualPort} over UDP only, and open speaks TCP; type 'hosts' to see what it runs)`;
    return `(${name} runs no service on port ${target.virtualPort} in this lab; type 'hosts' to see what it runs)`;
  }
  const service = `the ${target.protocol} service of ${name}`;
  switch (connector.serviceState(name, target.servicePort)) {
    case 'stopped':
      return `(${service} is stopped; start it in the Servers pane)`;
    case 'failed':
      return `(${service} could not start; the Servers pane says why)`;
    case 'starting':
      return `(${service} is still starting; try again in a moment)`;
    case 'listening':
    case undefined:
      // Stopped and started again meanwhile, or it listens somewhere else now.
      return `(nothing listens on ${real}, where ${service} should be; see the Servers pane)`;
  }
}

/** `open HOST` alone: real telnet would try port 23, but no lab host runs telnet. */
function askForPort(typedHost: string, ctx: ShellContext): void {
  const hosts = ctx.connector.listHosts();
  const listed = findListing(hosts, typedHost);
  const own = listed?.services.find((s) => s.transport === 'tcp');
  const example = own ? { host: typedHost, service: own } : exampleTarget(hosts);
  const hint = example ? ` e.g. open ${example.host} ${example.service.port} (${example.service.protocol}) —` : '';
  ctx.println(`open: which port?${hint} 'hosts' lists the ports`);
}

function unknownHost(host: string, connector: RawConnector): string {
  const local = connector.localHost();
  if (sameHost(host, local.name) || sameHost(host, local.address)) {
    return `open: ${local.name} (${local.address}) is you: your own machine in this lab world; it runs no lab servers — try 'hosts'`;
  }
  return `open: unknown host '${host}' — try 'hosts'`;
}

export const openCommand: ShellCommand = {
  name: 'open',
  aliases: ['telnet'],
  usage: 'open HOST PORT',
  summary: 'connect to a lab server and type to it (like telnet)',
  async run(args: string[], ctx: ShellContext): Promise<void> {
    if (args.length === 1) {
      askForPort(args[0]!, ctx);
      return;
    }
    if (args.length !== 2) throw new UsageError('needs a host and a port');
    const host = args[0]!;
    const port = parsePort(args[1]!);

    let target: ResolvedTarget;
    try {
      target = await ctx.connector.resolve(host, port);
    } catch (error) {
      const lookup = nameLookupOf(error);
      if (lookup) ctx.println(describeNameLookup(lookup));
      if (errorCode(error) === 'ENOTFOUND') ctx.println(unknownHost(host, ctx.connector));
      else if (errorCode(error) === 'EHOSTUNREACH') ctx.println(`open: ${errorMessage(error)}`);
      else ctx.println(`open: cannot resolve '${host}': ${errorMessage(error)}`);
      return;
    }
    if (ctx.signal.aborted) return;
    if (target.lookup) ctx.println(describeNameLookup(target.lookup));

    ctx.println(`Trying ${target.virtualAddress}...`);
    let connection: RawConnection;
    try {
      connection = await ctx.connector.connect(target);
    } catch (error) {
      if (errorCode(error) === 'ECONNREFUSED') {
        ctx.println('Unable to connect to remote host: Connection refused');
        ctx.println(refusedHint(target, ctx.connector));
      } else {
        ctx.println(`Unable to connect to remote host: ${errorMessage(error)}`);
      }
      return;
    }
    if (ctx.signal.aborted) {
      connection.destroy();
      return;
    }
    for (const line of describeTarget(target)) ctx.println(line);
    ctx.enterConnected(connection);
  },
};
