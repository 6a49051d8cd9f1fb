// The shell's command table. A new command is a module exporting a `ShellCommand`, added here.

import type { ShellCommand } from '../shell-command';
import { clearCommand } from './clear';
import { closeCommand } from './close';
import { helpCommand } from './help';
import { hostsCommand } from './hosts';
import { httpCommand } from './http';
import { openCommand } from './open';

export function builtinCommands(): ShellCommand[] {
  return [helpCommand, hostsCommand, openCommand, httpCommand, closeCommand, clearCommand];
}
