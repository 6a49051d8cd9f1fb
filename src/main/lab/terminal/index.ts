// The terminal shell behind the xterm.js pane. The lab core creates one TerminalSession per pane.

export { TerminalSession, TYPE_AHEAD_LIMIT, MAX_TERMINAL_CELLS } from './session';
export { builtinCommands } from './commands/index';
export { UsageError, type ShellCommand, type ShellContext } from './shell-command';
export { PROMPT, WELCOME_BANNER } from './shell';
export { MAX_LINE_LENGTH } from './line-editor';
export { HISTORY_LIMIT } from './line-history';
export type { RawConnection, RawConnector, RawConnectorError, ResolvedTarget, TerminalSessionOptions } from './types';
