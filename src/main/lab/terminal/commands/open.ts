// `open HOST PORT` (or `telnet HOST PORT`): a raw TCP connection to a lab server, reported the way
// classic telnet reports it, plus one line saying where the lab really connects.

import { UsageError, type ShellCommand, type ShellContext } from '../shell-command';
import type { RawConnection, ResolvedTarget } from '../types';

/** TCP ports are 16-bit and port 0 cannot be connected to (RFC 9293 §3.1). */
const MAX_PORT = 65535;

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

function describeTarget(target: ResolvedTarget): string[] {
  const name = target.hostname ?? target.host;
  const connected = name === target.virtualAddress ? `Connected to ${name}.` : `Connected to ${name} (${target.virtualAddress}).`;
  const lines = [connected];
  const isDirect = target.address === target.virtualAddress && target.port === target.virtualPort;
  if (!isDirect || target.protocol) {
    const service = target.protocol ? `, ${target.protocol} service` : '';
    lines.push(`(lab: ${target.address}:${target.port}${service})`);
  }
  lines.push("Escape character is '^]'.");
  return lines;
}

function refusedHint(target: ResolvedTarget): string {
  const what = target.protocol ? `the ${target.protocol} service` : 'the service';
  return `(nothing listens on ${target.address}:${target.port}: ${what} may be stopped; see the Servers pane)`;
}

export const openCommand: ShellCommand = {
  name: 'open',
  aliases: ['telnet'],
  usage: 'open HOST PORT',
  summary: 'connect to a lab server and type to it (like telnet)',
  async run(args: string[], ctx: ShellContext): Promise<void> {
    if (args.length !== 2) throw new UsageError('needs a host and a port');
    const host = args[0]!;
    const port = parsePort(args[1]!);

    let target: ResolvedTarget;
    try {
      target = await ctx.connector.resolve(host, port);
    } catch (error) {
      if (errorCode(error) === 'ENOTFOUND') ctx.println(`open: unknown host '${host}' — try 'hosts'`);
      else ctx.println(`open: cannot resolve '${host}': ${errorMessage(error)}`);
      return;
    }
    if (ctx.signal.aborted) return;

    ctx.println(`Trying ${target.virtualAddress}...`);
    let connection: RawConnection;
    try {
      connection = await ctx.connector.connect(target);
    } catch (error) {
      if (errorCode(error) === 'ECONNREFUSED') {
        ctx.println('Unable to connect to remote host: Connection refused');
        ctx.println(refusedHint(target));
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
