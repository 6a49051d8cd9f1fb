import { stringWidth } from '../cell-width';
import { UsageError, type ShellCommand, type ShellContext } from '../shell-command';
import { wrapDefinitions, type Definition } from '../word-wrap';

/** Keys of the line editor, shown under the command list. */
const EDITING_KEYS: readonly Definition[] = [
  { term: 'Up/Down', text: 'recall earlier lines' },
  { term: 'Ctrl-A/Ctrl-E', text: 'go to the start/end of the line' },
  { term: 'Ctrl-U/Ctrl-W', text: 'erase to the start of the line / the word before the cursor' },
  { term: 'Ctrl-C', text: 'cancel the line, or the command that is running' },
  { term: 'Ctrl-L', text: 'clear the screen' },
];

/** Keys that matter once `open` has connected. */
const CONNECTED_KEYS: readonly Definition[] = [
  { term: 'Enter', text: 'send the line, ended with CR LF' },
  { term: 'Ctrl-]', text: 'close the connection' },
  { term: 'Ctrl-D', text: 'on an empty line: half-close it (send FIN); the server can still reply' },
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
    const commands = ctx.commands.map((c) => ({ term: c.usage, text: c.summary + aliasNote(c) }));
    const sections: Array<[string, readonly Definition[]]> = [
      ['Commands:', commands],
      ['Keys:', EDITING_KEYS],
      ['While connected:', CONNECTED_KEYS],
    ];
    // One term column for all three lists, so they line up.
    const termWidth = Math.max(...sections.flatMap(([, items]) => items.map((item) => stringWidth(item.term))));
    for (const [title, items] of sections) {
      ctx.println(title);
      for (const row of wrapDefinitions(items, ctx.columns, { termWidth })) ctx.println(row);
    }
  },
};
