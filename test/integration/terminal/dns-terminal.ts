// Drives terminals of a real Lab for the DNS terminal tests: types one line in a fresh terminal and
// returns what it showed, as plain text (ANSI sequences removed, CR LF as LF).

import { afterAll, beforeAll, expect } from 'vitest';
import type { Lab } from '../../../src/main/lab/lab';
import { startTestLab, type TestLab } from '../../support/test-lab';

/** Wide enough that no line of the shell is word-wrapped, so checks can match whole lines. */
export const WIDE = 220;

/** The prompt back at the start of a line: the command has finished. */
export const PROMPT_BACK = /\r\nprotolab> $/;

export function plain(screen: string): string {
  // eslint-disable-next-line no-control-regex
  return screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
}

export interface TerminalDriver {
  /**
   * Types `line` in a new terminal, waits until the screen matches `until` (the prompt back, by
   * default), closes the terminal and returns its output after the banner.
   */
  typed(line: string, until?: RegExp | string, timeoutMs?: number): Promise<string>;
}

export function terminalDriver(lab: Lab): TerminalDriver {
  const screens = new Map<string, string>();
  lab.api.on('terminal', ({ terminalId, data }) => {
    if (screens.has(terminalId)) screens.set(terminalId, screens.get(terminalId)! + data);
  });
  return {
    async typed(line, until = PROMPT_BACK, timeoutMs = 10_000) {
      const { terminalId } = await lab.api.openTerminal({ cols: WIDE, rows: 50 });
      screens.set(terminalId, '');
      await lab.api.terminalInput(terminalId, `${line}\r`);
      const seen = () => {
        const screen = screens.get(terminalId) ?? '';
        return typeof until === 'string' ? plain(screen).includes(until) : until.test(screen);
      };
      const end = Date.now() + timeoutMs;
      while (!seen()) {
        if (Date.now() > end) throw new Error(`'${line}': never saw ${String(until)} in:\n${plain(screens.get(terminalId) ?? '')}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      await lab.api.closeTerminal(terminalId);
      const out = plain(screens.get(terminalId) ?? '');
      screens.delete(terminalId);
      return out;
    },
  };
}

/** The lines of a command's output, tabs as single spaces so records read `name ttl IN A address`. */
export function outputLines(out: string): string[] {
  return out.split('\n').map((l) => l.replace(/\t+/g, ' ').trimEnd());
}

/** A real lab for one test file, started before its tests and stopped after them, with a terminal driver. */
export interface TerminalLab {
  readonly lab: Lab;
  readonly offset: number;
  readonly term: TerminalDriver;
}

export function useTerminalLab(): TerminalLab {
  const ctx = {} as { lab: Lab; offset: number; term: TerminalDriver };
  let testLab: TestLab | undefined;
  beforeAll(async () => {
    testLab = await startTestLab();
    Object.assign(ctx, { lab: testLab.lab, offset: testLab.offset, term: terminalDriver(testLab.lab) });
  });
  afterAll(() => testLab?.stop());
  return ctx;
}

/** Runs `run` with the zone file `file` changed by `edit`, then puts its text back. */
export async function withZoneEdited(t: TerminalLab, file: string, edit: (text: string) => string, run: () => Promise<void>): Promise<void> {
  const original = await t.lab.api.readZone(file);
  const saved = await t.lab.api.saveZone(file, edit(original));
  expect(saved.ok, JSON.stringify(saved.problems)).toBe(true);
  try {
    await run();
  } finally {
    expect((await t.lab.api.saveZone(file, original)).ok).toBe(true);
  }
}
