// The contract between the terminal and its commands. Each command is a module of its own that
// exports one `ShellCommand`; commands/index.ts lists them, and later ones (http, dig, ftp, ...)
// are added there.

import type { RawConnection, RawConnector } from './types';

export interface ShellContext {
  readonly connector: RawConnector;
  /**
   * Aborted when the student presses Ctrl-C while the command runs, or the terminal is closed.
   * After that the context ignores output, and a connection handed to `enterConnected` is closed.
   */
  readonly signal: AbortSignal;
  /** Current terminal width in cells, for commands that lay out tables. */
  readonly columns: number;
  /** Every command of this shell, in table order (for `help`). */
  readonly commands: readonly ShellCommand[];
  /**
   * Writes text as is, except that each LF is written as CR LF: for what must be shown exactly as
   * it is, such as bytes a server sent (the terminal may still break it at the last column).
   */
  write(text: string): void;
  /**
   * Writes a message of the shell's own and a line end. It is word-wrapped to the current width
   * (lines inside, LF or CR LF, are wrapped one by one, each keeping its leading spaces as the
   * indent of its continuation rows). A line that already fits is written unchanged, so a table
   * laid out to `columns` keeps its shape.
   */
  println(text?: string): void;
  clearScreen(): void;
  /**
   * Hands an open connection to the terminal ("connected" mode, telnet's line mode): every line the
   * student enters is sent followed by CR LF, every byte received is shown, Ctrl-] closes, Ctrl-D
   * half-closes. Call it as soon as `connect` resolves, with nothing awaited in between, so no event
   * of the connection is missed. Returns false, having destroyed the connection, when the command
   * was cancelled meanwhile.
   */
  enterConnected(connection: RawConnection): boolean;
}

export interface ShellCommand {
  name: string;
  aliases?: readonly string[];
  /** Synopsis, e.g. `open HOST PORT`. */
  usage: string;
  /** One line for `help`. */
  summary: string;
  /** `args` excludes the command name. The prompt comes back when the returned promise settles. */
  run(args: string[], ctx: ShellContext): void | Promise<void>;
}

/** A command's mistake in how it was called: the shell prints `name: message` and the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
