import { UsageError, type ShellCommand, type ShellContext } from '../shell-command';

export const clearCommand: ShellCommand = {
  name: 'clear',
  aliases: ['cls'],
  usage: 'clear',
  summary: 'clear the screen (Ctrl-L also does)',
  run(args: string[], ctx: ShellContext): void {
    if (args.length > 0) throw new UsageError('takes no arguments');
    ctx.clearScreen();
  },
};
