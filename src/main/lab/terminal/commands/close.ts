import { UsageError, type ShellCommand, type ShellContext } from '../shell-command';

// In classic telnet, `close` is typed at the `telnet>` prompt that the escape character opens. Here
// the escape character closes the connection at once, so at the shell prompt no connection is ever
// open; the command stays so that the telnet habit gets an answer rather than "unknown command".
export const closeCommand: ShellCommand = {
  name: 'close',
  usage: 'close',
  summary: "how to close a connection (press Ctrl-] while connected)",
  run(args: string[], ctx: ShellContext): void {
    if (args.length > 0) throw new UsageError('takes no arguments');
    ctx.println("close: no connection is open. While connected, Ctrl-] closes the connection");
    ctx.println('       and Ctrl-D on an empty line half-closes it.');
  },
};
