// The `protolab>` shell: its prompt, its welcome text, and the command table that turns an entered
// line into a command and its arguments.

import type { ShellCommand } from './shell-command';
import { tokenize } from './tokenize';

export const PROMPT = 'protolab> ';

export const WELCOME_BANNER: readonly string[] = [
  'Protolab terminal: a telnet-style client for the servers this lab runs on your machine.',
  "Type 'hosts' to see the lab world, or try: open gaia.cs.umass.edu 7",
  "Type 'help' for every command.",
];

export class CommandTable {
  private readonly byName = new Map<string, ShellCommand>();

  constructor(readonly commands: readonly ShellCommand[]) {
    for (const command of commands) {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        if (name !== name.toLowerCase() || /\s/.test(name) || name === '') {
          throw new Error(`command name '${name}' must be one lower-case word`);
        }
        if (this.byName.has(name)) throw new Error(`two commands are named '${name}'`);
        this.byName.set(name, command);
      }
    }
  }

  /** Command names are matched without regard to case. */
  find(name: string): ShellCommand | undefined {
    return this.byName.get(name.toLowerCase());
  }
}

export type ParsedCommandLine =
  | { kind: 'empty' }
  | { kind: 'error'; message: string }
  | { kind: 'command'; command: ShellCommand; args: string[] };

export function parseCommandLine(line: string, table: CommandTable): ParsedCommandLine {
  const parsed = tokenize(line);
  if (!parsed.ok) return { kind: 'error', message: `syntax error: ${parsed.error}` };
  const [name, ...args] = parsed.tokens;
  if (name === undefined) return { kind: 'empty' };
  const command = table.find(name);
  if (!command) return { kind: 'error', message: `unknown command '${name}' — type 'help'` };
  return { kind: 'command', command, args };
}
