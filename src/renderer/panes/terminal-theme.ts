// xterm.js takes colours as values, not CSS variables: these match styles.css.

import type { ITheme } from '@xterm/xterm';

export const TERMINAL_THEME: ITheme = {
  background: '#0f1318',
  foreground: '#d5dce6',
  cursor: '#6cb6ff',
  cursorAccent: '#0f1318',
  selectionBackground: '#2b4a6f',
  black: '#1a1f27',
  red: '#ff7b72',
  green: '#7ee787',
  yellow: '#f2cc60',
  blue: '#6cb6ff',
  magenta: '#d2a8ff',
  cyan: '#76e3ea',
  white: '#d5dce6',
  brightBlack: '#5f6b7c',
  brightRed: '#ffa198',
  brightGreen: '#aff5b4',
  brightYellow: '#f8e3a1',
  brightBlue: '#a5d6ff',
  brightMagenta: '#e2c5ff',
  brightCyan: '#b3f0ff',
  brightWhite: '#ffffff',
};

export const TERMINAL_FONT = "ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace";

/** Lines of history each terminal keeps (xterm's scrollback). */
export const TERMINAL_SCROLLBACK = 5000;
