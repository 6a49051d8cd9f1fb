// One terminal pane: keystrokes from xterm.js in, ANSI text out. At the `protolab>` prompt lines
// are commands; after `open` the pane is connected (telnet's line mode): lines are edited and
// echoed here and sent with CR LF when Enter is pressed, and what the server sends is shown as it
// arrives, without garbling the line being typed.

import { builtinCommands } from './commands/index';
import { KeyDecoder, type Key } from './keys';
import { LineEditor, type EditorEvent } from './line-editor';
import { LineHistory } from './line-history';
import { OutputColumn } from './output-column';
import { RemoteTextDecoder } from './remote-text';
import { CommandTable, parseCommandLine, PROMPT, WELCOME_BANNER } from './shell';
import { UsageError, type ShellCommand, type ShellContext } from './shell-command';
import type { RawConnection, TerminalSessionOptions } from './types';
import { wrapText } from './word-wrap';

/**
 * Characters typed ahead while a command runs (e.g. a paste of `open ...` followed by the request
 * to send). Beyond this the rest is dropped with a bell, as a tty does when its input queue is full
 * (IMAXBEL); 64 KiB holds any request or mail a student would paste.
 */
export const TYPE_AHEAD_LIMIT = 64 * 1024;

/**
 * Largest width or height accepted from the renderer. Far beyond any real screen; a bigger value is a
 * bug or a hostile client, and the editor's layout work grows with the width.
 */
export const MAX_TERMINAL_CELLS = 4096;

const BELL = '\x07';
const CRLF = '\r\n';
/** telnet's own words when the server closes first; kept, as students will meet them elsewhere. */
export const FOREIGN_CLOSE_MESSAGE = 'Connection closed by foreign host.';
/** The same in plain words, shown under it the first time in a session. */
export const FOREIGN_CLOSE_EXPLANATION = '(the server closed the connection)';
/** Home, erase screen, and erase scrollback (the E3 extension that `clear` sends). */
const CLEAR_SCREEN_AND_SCROLLBACK = '\x1b[H\x1b[2J\x1b[3J';

interface ConnectedLink {
  readonly connection: RawConnection;
  readonly decoder: RemoteTextDecoder;
  /** This side sent FIN (Ctrl-D); nothing more may be sent. */
  halfClosed: boolean;
}

type Mode =
  | { kind: 'prompt' }
  | { kind: 'running'; command: ShellCommand; controller: AbortController }
  | { kind: 'connected'; link: ConnectedLink };

function keySize(key: Key): number {
  return key.kind === 'text' ? key.text.length : 1;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class TerminalSession {
  private readonly keys = new KeyDecoder();
  private readonly editor: LineEditor;
  private readonly column: OutputColumn;
  private readonly table: CommandTable;
  private readonly shellHistory = new LineHistory();
  /** Lines sent over connections, kept apart from shell commands. */
  private readonly connectedHistory = new LineHistory();
  private readonly encoder = new TextEncoder();
  private mode: Mode = { kind: 'prompt' };
  private typeAhead: Key[] = [];
  private typeAheadSize = 0;
  private cols: number;
  private disposed = false;
  /** FOREIGN_CLOSE_EXPLANATION was shown already. */
  private explainedForeignClose = false;

  constructor(
    private readonly options: TerminalSessionOptions,
    commands: readonly ShellCommand[] = builtinCommands(),
  ) {
    this.cols = TerminalSession.clampSize(options.cols) ?? 80;
    this.table = new CommandTable(commands);
    this.editor = new LineEditor({ cols: this.cols, prompt: PROMPT, history: this.shellHistory });
    this.column = new OutputColumn(this.cols);
    this.writeOutput(this.wrapped(WELCOME_BANNER.join('\n'), 0));
    this.showPrompt();
  }

  /** Keystrokes as xterm.js's onData gives them. */
  input(data: string): void {
    if (this.disposed) return;
    for (const key of this.keys.decode(data)) this.handleKey(key);
  }

  resize(cols: number, rows: number): void {
    const width = TerminalSession.clampSize(cols);
    if (this.disposed || width === undefined || TerminalSession.clampSize(rows) === undefined) return;
    this.cols = width;
    this.column.resize(width);
    const redraw = this.editor.resize(width, this.column.column);
    if (redraw !== '') this.column.set(this.editor.startColumn);
    this.emit(redraw);
  }

  /** Closes any open connection and cancels a running command; the session writes nothing more. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const mode = this.mode;
    this.mode = { kind: 'prompt' };
    this.typeAhead = [];
    if (mode.kind === 'running') mode.controller.abort();
    if (mode.kind === 'connected') mode.link.connection.destroy();
  }

  private static clampSize(value: number): number | undefined {
    return Number.isInteger(value) && value >= 1 && value <= MAX_TERMINAL_CELLS ? value : undefined;
  }

  // --- output ---------------------------------------------------------------------------------

  private emit(text: string): void {
    if (text !== '' && !this.disposed) this.options.write(text);
  }

  /** Writes output that is not the editor's, keeping the line being typed intact below it. */
  private writeOutput(text: string): void {
    if (text === '') return;
    const shown = this.editor.isVisible;
    let out = shown ? this.editor.hide() : '';
    out += text;
    this.column.track(text);
    if (shown) out += this.editor.show(this.column.column);
    this.emit(out);
  }

  /**
   * A message of the shell's own, word-wrapped to the current width, each line ended with CR LF.
   * `fromColumn` is where its first row starts.
   */
  private wrapped(text: string, fromColumn = this.column.column): string {
    return wrapText(text, this.cols, fromColumn).join(CRLF) + CRLF;
  }

  private freshLine(): string {
    return this.column.atLineStart ? '' : CRLF;
  }

  private showPrompt(): void {
    this.emit(this.freshLine());
    this.column.lineStart();
    this.editor.setPrompt(PROMPT);
    this.editor.useHistory(this.shellHistory);
    this.emit(this.editor.show(this.column.column));
  }

  private showConnectedLine(): void {
    this.editor.setPrompt('');
    this.editor.useHistory(this.connectedHistory);
    this.emit(this.editor.show(this.column.column));
  }

  // --- input ----------------------------------------------------------------------------------

  private handleKey(key: Key): void {
    if (this.mode.kind === 'running') {
      this.keyWhileRunning(key, this.mode.controller);
      return;
    }
    const result = this.editor.handleKey(key);
    this.emit(result.output);
    if (result.event) this.editorEvent(result.event);
  }

  private keyWhileRunning(key: Key, controller: AbortController): void {
    if (key.kind === 'interrupt') {
      // As a tty does on ^C: the command stops and what was typed ahead is discarded.
      controller.abort();
      this.typeAhead = [];
      this.typeAheadSize = 0;
      this.writeOutput(this.freshLine() + '^C' + CRLF);
      this.toPrompt();
      return;
    }
    const size = keySize(key);
    if (this.typeAheadSize + size > TYPE_AHEAD_LIMIT) {
      this.emit(BELL);
      return;
    }
    this.typeAhead.push(key);
    this.typeAheadSize += size;
  }

  private drainTypeAhead(): void {
    while (this.typeAhead.length > 0 && this.mode.kind !== 'running' && !this.disposed) {
      const key = this.typeAhead.shift()!;
      this.typeAheadSize -= keySize(key);
      this.handleKey(key);
    }
  }

  private editorEvent(event: EditorEvent): void {
    const mode = this.mode;
    switch (event.kind) {
      case 'line':
        this.column.lineStart();
        if (mode.kind === 'connected') this.sendLine(mode.link, event.text);
        else this.runLine(event.text);
        return;
      case 'interrupt':
        this.column.lineStart();
        if (mode.kind === 'connected') this.showConnectedLine();
        else this.showPrompt();
        return;
      case 'screen-cleared':
        this.column.lineStart();
        return;
      case 'end-of-input':
        if (mode.kind === 'connected') this.halfClose(mode.link);
        else this.emit(BELL);
        return;
      case 'escape-character':
        if (mode.kind === 'connected') this.closeByEscape(mode.link);
        else this.emit(BELL);
        return;
    }
  }

  // --- commands -------------------------------------------------------------------------------

  private runLine(line: string): void {
    const parsed = parseCommandLine(line, this.table);
    if (parsed.kind === 'empty') {
      this.showPrompt();
    } else if (parsed.kind === 'error') {
      this.writeOutput(this.wrapped(parsed.message));
      this.showPrompt();
    } else {
      this.runCommand(parsed.command, parsed.args);
    }
  }

  private runCommand(command: ShellCommand, args: string[]): void {
    const controller = new AbortController();
    this.mode = { kind: 'running', command, controller };
    const ctx = this.contextFor(controller);
    let outcome: void | Promise<void>;
    try {
      outcome = command.run(args, ctx);
    } catch (error) {
      this.commandFailed(command, controller, error);
      return;
    }
    if (outcome instanceof Promise) {
      outcome.then(
        () => this.commandDone(controller),
        (error: unknown) => this.commandFailed(command, controller, error),
      );
    } else {
      this.commandDone(controller);
    }
  }

  private isRunning(controller: AbortController): boolean {
    return this.mode.kind === 'running' && this.mode.controller === controller;
  }

  private commandDone(controller: AbortController): void {
    if (this.isRunning(controller)) this.toPrompt();
  }

  private commandFailed(command: ShellCommand, controller: AbortController, error: unknown): void {
    if (controller.signal.aborted || this.disposed) return;
    let text = `${command.name}: ${messageOf(error)}`;
    if (error instanceof UsageError) text += `\nusage: ${command.usage}`;
    // After freshLine the message starts in the first column.
    this.writeOutput(this.freshLine() + this.wrapped(text, 0));
    if (this.isRunning(controller)) this.toPrompt();
  }

  private toPrompt(): void {
    this.mode = { kind: 'prompt' };
    this.showPrompt();
    this.drainTypeAhead();
  }

  private contextFor(controller: AbortController): ShellContext {
    const session = this;
    const live = (): boolean => !controller.signal.aborted && !session.disposed;
    return {
      connector: this.options.connector,
      signal: controller.signal,
      get columns() {
        return session.cols;
      },
      commands: this.table.commands,
      write(text: string): void {
        if (live()) session.writeOutput(text.replace(/\r?\n/g, CRLF));
      },
      println(text = ''): void {
        if (live()) session.writeOutput(session.wrapped(text));
      },
      clearScreen(): void {
        if (live()) session.writeOutput(CLEAR_SCREEN_AND_SCROLLBACK);
      },
      enterConnected(connection: RawConnection): boolean {
        if (!live() || !session.isRunning(controller)) {
          connection.destroy();
          return false;
        }
        session.enterConnected(connection);
        return true;
      },
    };
  }

  // --- connected mode -------------------------------------------------------------------------

  private enterConnected(connection: RawConnection): void {
    const link: ConnectedLink = { connection, decoder: new RemoteTextDecoder(), halfClosed: false };
    this.mode = { kind: 'connected', link };
    connection.onData((bytes) => this.received(link, bytes));
    connection.onClose((info) => this.connectionClosed(link, info));
    this.emit(this.freshLine());
    this.column.lineStart();
    this.showConnectedLine();
    // Lines typed ahead go out once the command that connected has returned.
    queueMicrotask(() => this.drainTypeAhead());
  }

  private isCurrent(link: ConnectedLink): boolean {
    return this.mode.kind === 'connected' && this.mode.link === link;
  }

  private received(link: ConnectedLink, bytes: Uint8Array): void {
    if (this.isCurrent(link)) this.writeOutput(link.decoder.decode(bytes));
  }

  private sendLine(link: ConnectedLink, line: string): void {
    if (link.halfClosed) {
      this.writeOutput(this.wrapped('(not sent: this side has sent FIN; Ctrl-] closes the connection)'));
    } else {
      try {
        link.connection.write(this.encoder.encode(line + CRLF));
      } catch (error) {
        this.writeOutput(this.wrapped(`(not sent: ${messageOf(error)})`));
      }
    }
    if (this.isCurrent(link)) this.showConnectedLine();
  }

  private halfClose(link: ConnectedLink): void {
    if (link.halfClosed) {
      this.emit(BELL);
      return;
    }
    link.halfClosed = true;
    link.connection.end();
    this.writeOutput(this.wrapped('(sent FIN: this side is closed for sending; the server can still reply. Ctrl-] closes.)'));
  }

  private closeByEscape(link: ConnectedLink): void {
    this.leaveConnected(link, 'Connection closed.');
    link.connection.destroy();
  }

  private connectionClosed(link: ConnectedLink, info: { byPeer: boolean; error?: string }): void {
    if (!this.isCurrent(link)) return;
    let message = info.byPeer ? FOREIGN_CLOSE_MESSAGE : 'Connection closed.';
    if (info.error) {
      message = `Connection closed: ${info.error}`;
    } else if (info.byPeer && !this.explainedForeignClose) {
      this.explainedForeignClose = true;
      message += '\n' + FOREIGN_CLOSE_EXPLANATION;
    }
    this.leaveConnected(link, message);
  }

  /** Shows the last received bytes and `message`, drops the line being typed, and returns to the prompt. */
  private leaveConnected(link: ConnectedLink, message: string): void {
    this.mode = { kind: 'prompt' };
    let out = this.editor.hide();
    this.editor.reset();
    const rest = link.decoder.flush();
    out += rest;
    this.column.track(rest);
    out += this.freshLine() + this.wrapped(message, 0);
    this.column.lineStart();
    this.emit(out);
    this.showPrompt();
    this.drainTypeAhead();
  }
}
