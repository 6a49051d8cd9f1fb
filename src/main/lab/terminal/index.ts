// The terminal shell behind the xterm.js pane. The lab core creates one TerminalSession per pane.

export { TerminalSession, TYPE_AHEAD_LIMIT, MAX_TERMINAL_CELLS, FOREIGN_CLOSE_MESSAGE, FOREIGN_CLOSE_EXPLANATION } from './session';
export { builtinCommands } from './commands/index';
export { UsageError, type ShellCommand, type ShellContext } from './shell-command';
export { PROMPT, WELCOME_BANNER } from './shell';
export { MAX_LINE_LENGTH } from './line-editor';
export { HISTORY_LIMIT } from './line-history';
export { wrapLine, wrapText, wrapDefinitions, MIN_COLUMN_CELLS, MIN_HANGING_TEXT_CELLS, type Definition, type DefinitionLayout, type WrapOptions } from './word-wrap';
export type { HostListing, LocalHost, RawConnection, RawConnector, RawConnectorError, ResolvedTarget, ServiceListing, ServiceState, TerminalSessionOptions } from './types';
