import { stringWidth } from '../cell-width';
import { UsageError, type ShellCommand, type ShellContext } from '../shell-command';

/** Keys that work everywhere, shown under the command list. */
const KEY_HELP = [
  'Keys: Up/Down recall earlier lines, Ctrl-A/Ctrl-E go to start/end, Ctrl-U/Ctrl-W erase,',
  '      Ctrl-C cancels. While connected: Enter sends the line with CR LF, Ctrl-] closes the',
  '      connection, Ctrl-D on an empty line half-closes it (sends FIN).',
];

function findCommand(commands: readonly ShellCommand[], name: string): ShellCommand | undefined {
  const wanted = name.toLowerCase();
  return commands.find((c) => c.name === wanted || (c.aliases ?? []).includes(wanted));
}

function aliasNote(command: ShellCommand): string {
  const aliases = command.aliases ?? [];
  return aliases.length > 0 ? ` (also: ${aliases.join(', ')})` : '';
}

export const helpCommand: ShellCommand = {
  name: 'help',
  aliases: ['?'],
  usage: 'help [COMMAND]',
  summary: 'list the commands, or show how to use one',
  run(args: string[], ctx: ShellContext): void {
    if (args.length > 1) throw new UsageError('give at most one command name');
    if (args.length === 1) {
      const command = findCommand(ctx.commands, args[0]!);
      if (!command) throw new UsageError(`no command '${args[0]}' — type 'help' for the list`);
      ctx.println(`usage: ${command.usage}${aliasNote(command)}`);
      ctx.println(`  ${command.summary}`);
      return;
    }
    const width = Math.max(...ctx.commands.map((c) => stringWidth(c.usage)));
    ctx.println('Commands:');
    for (const command of ctx.commands) {
      const pad = ' '.repeat(width - stringWidth(command.usage));
      ctx.println(`  ${command.usage}${pad}  ${command.summary}${aliasNote(command)}`);
    }
    for (const line of KEY_HELP) ctx.println(line);
  },
};
