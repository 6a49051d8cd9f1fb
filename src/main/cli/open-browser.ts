// Opens the UI in the student's browser. Failing to open one is not an error: the URL is printed.

import { spawn } from 'node:child_process';

export function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => console.error(`protolab: could not open a browser; visit ${url}`));
    child.unref();
  } catch {
    console.error(`protolab: could not open a browser; visit ${url}`);
  }
}
