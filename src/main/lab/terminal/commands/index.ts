// The shell's command table. A new command is a module exporting a `ShellCommand`, added here.

import type { ShellCommand } from '../shell-command';
import { clearCommand } from './clear';
import { closeCommand } from './close';
import { digCommand } from './dig';
import { helpCommand } from './help';
import { hostsCommand } from './hosts';
import { httpCommand } from './http';
import { nslookupCommand } from './nslookup';
import { openCommand } from './open';
import { resolverCommand } from './resolver';

export function builtinCommands(): ShellCommand[] {
  return [helpCommand, hostsCommand, openCommand, httpCommand, digCommand, nslookupCommand, resolverCommand, closeCommand, clearCommand];
}
