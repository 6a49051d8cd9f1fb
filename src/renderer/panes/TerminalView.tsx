// One terminal tab: an xterm.js screen bound to one terminal session in the lab core. The core
// does the line discipline and echo, so keystrokes go to it untouched and nothing is echoed here.

import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import type { LabApi } from '../../shared/lab-api';
import type { BridgeStatus } from '../bridge';
import type { TerminalRouter } from '../lib/terminal-router';
import { TERMINAL_FONT, TERMINAL_SCROLLBACK, TERMINAL_THEME } from './terminal-theme';

export interface TerminalHandle {
  /** Types `keys` into the session, as if the student had typed them. */
  sendKeys(keys: string): Promise<void>;
  focus(): void;
}

export interface TerminalViewProps {
  api: LabApi;
  router: TerminalRouter;
  link: BridgeStatus;
  active: boolean;
  handleRef?: Ref<TerminalHandle>;
}

const NOTE_STYLE = '\x1b[2;3m';
const RESET_STYLE = '\x1b[0m';

function note(text: string): string {
  return `\r\n${NOTE_STYLE}[${text}]${RESET_STYLE}\r\n`;
}

export function TerminalView({ api, router, link, active, handleRef }: TerminalViewProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  /** The core terminal this tab is bound to, once openTerminal() answered. */
  const idRef = useRef<string | null>(null);
  /** Keys typed while the session is being opened; sent once it is. */
  const queuedRef = useRef<string>('');
  const endedRef = useRef(false);
  /** Whether this tab has had a session before (so a new one is announced as such). */
  const hadSessionRef = useRef(false);
  const linkOpenRef = useRef(link.state === 'open');
  const openSessionRef = useRef<() => void>(() => {});
  /** The size the core was last told for the current session, so it is told again only on a change. */
  const sentSizeRef = useRef<{ id: string; cols: number; rows: number } | null>(null);
  linkOpenRef.current = link.state === 'open';

  const sendSize = (id: string, cols: number, rows: number) => {
    const sent = sentSizeRef.current;
    if (sent && sent.id === id && sent.cols === cols && sent.rows === rows) return;
    sentSizeRef.current = { id, cols, rows };
    api.terminalResize(id, cols, rows).catch(() => {
      // Not delivered (the link dropped): forget it, so the same size is sent again next time.
      if (sentSizeRef.current?.id === id) sentSizeRef.current = null;
    });
  };

  // The xterm instance lives as long as the tab.
  useEffect(() => {
    const host = hostRef.current!;
    const term = new Terminal({
      fontFamily: TERMINAL_FONT,
      fontSize: 13,
      cursorBlink: true,
      scrollback: TERMINAL_SCROLLBACK,
      theme: TERMINAL_THEME,
      allowProposedApi: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host);
    termRef.current = term;
    fitRef.current = fit;
    safeFit(fit);
    showSize(host, term.cols, term.rows);

    let downNoted = false;
    const input = term.onData((data) => {
      if (!linkOpenRef.current) {
        if (!downNoted) term.write(note('not connected to the lab core: typing resumes when it is back'));
        downNoted = true;
        return;
      }
      downNoted = false;
      if (endedRef.current) {
        if (data.includes('\r')) openSessionRef.current();
        return;
      }
      const id = idRef.current;
      if (id === null) {
        queuedRef.current += data;
        return;
      }
      api.terminalInput(id, data).catch((err: unknown) => term.write(note(`input not delivered: ${errorText(err)}`)));
    });
    // The core's shell word-wraps its own messages to this width, so every new size goes to it
    // (the servers panel toggled, a splitter moved, the window resized, a hidden tab shown).
    const resize = term.onResize(({ cols, rows }) => {
      showSize(host, cols, rows);
      const id = idRef.current;
      if (id !== null && linkOpenRef.current) sendSize(id, cols, rows);
    });
    const observer = new ResizeObserver(() => {
      if (host.clientWidth > 0 && host.clientHeight > 0) safeFit(fit);
    });
    observer.observe(host);
    return () => {
      observer.disconnect();
      input.dispose();
      resize.dispose();
      term.dispose();
      termRef.current = null;
      fitRef.current = null;
    };
  }, [api]);

  // One core session per link epoch: a reconnected core no longer has the old one.
  useEffect(() => {
    const term = termRef.current;
    if (!term || link.state !== 'open') return;
    let disposed = false;
    let release: (() => void) | null = null;
    let exitOff: (() => void) | null = null;
    let boundId: string | null = null;

    const openSession = () => {
      endedRef.current = false;
      idRef.current = null;
      // Open with the size the terminal really has, not xterm's 80x24 default.
      if (fitRef.current) safeFit(fitRef.current);
      const opened = { cols: term.cols, rows: term.rows };
      api.openTerminal(opened).then(
        ({ terminalId }) => {
          if (disposed) {
            api.closeTerminal(terminalId).catch(() => {});
            return;
          }
          boundId = terminalId;
          idRef.current = terminalId;
          hadSessionRef.current = true;
          sentSizeRef.current = { id: terminalId, ...opened };
          // A resize while the session was being opened had no session to go to.
          sendSize(terminalId, term.cols, term.rows);
          release?.();
          release = router.claim(terminalId, (data) => term.write(data));
          const queued = queuedRef.current;
          queuedRef.current = '';
          if (queued) api.terminalInput(terminalId, queued).catch(() => {});
        },
        (err: unknown) => {
          if (!disposed) {
            endedRef.current = true;
            term.write(note(`could not open a terminal session: ${errorText(err)}. Press Enter to try again`));
          }
        },
      );
    };
    openSessionRef.current = openSession;
    exitOff = api.on('terminalExit', ({ terminalId }) => {
      if (terminalId !== idRef.current) return;
      release?.();
      release = null;
      idRef.current = null;
      boundId = null;
      endedRef.current = true;
      term.write(note('session ended: press Enter to start a new one'));
    });
    if (hadSessionRef.current) term.write(note('reconnected to the lab core: this is a new terminal session'));
    openSession();

    return () => {
      disposed = true;
      exitOff?.();
      release?.();
      idRef.current = null;
      if (boundId !== null && linkOpenRef.current) api.closeTerminal(boundId).catch(() => {});
    };
  }, [api, router, link.epoch, link.state]);

  useEffect(() => {
    if (!active) return;
    const fit = fitRef.current;
    if (fit) safeFit(fit);
    termRef.current?.focus();
  }, [active]);

  useImperativeHandle(
    handleRef,
    () => ({
      async sendKeys(keys: string) {
        const id = idRef.current;
        if (id === null || !linkOpenRef.current) throw new Error('this terminal has no open session');
        await api.terminalInput(id, keys);
      },
      focus() {
        termRef.current?.focus();
      },
    }),
    [api],
  );

  // xterm fits itself to its parent's computed size, which with box-sizing: border-box would
  // include padding: the padding lives on the frame around the host, never on the host.
  return (
    <div className="terminal-frame">
      <div className="terminal-host" ref={hostRef} data-testid="terminal" />
    </div>
  );
}

/** The grid xterm shows, on the host element, so tests and the inspector can see it. */
function showSize(host: HTMLElement, cols: number, rows: number): void {
  host.dataset.cols = String(cols);
  host.dataset.rows = String(rows);
}

function safeFit(fit: FitAddon): void {
  try {
    fit.fit();
  } catch {
    // A hidden tab has no size; it is fitted again when shown.
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
