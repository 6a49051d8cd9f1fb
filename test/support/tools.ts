// Tests that need a real client (chromium, tshark, curl, dig, ...) skip with a printed reason when
// the tool is missing, and fail instead under CI, where .ci/run installs every one of them.

import { execFileSync } from 'node:child_process';

export const IN_CI = Boolean(process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0');

export function findTool(name: string): string | null {
  try {
    const out = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    return out || null;
  } catch {
    return null;
  }
}

/**
 * Returns the tool's path, or null after printing why the caller should skip. Under CI a missing
 * tool throws, because .ci/run installs them all and a silent skip would hide a broken install.
 */
export function requireTool(name: string, debianPackage = name): string | null {
  const found = findTool(name);
  if (found) return found;
  const reason = `${name} not found (Debian package ${debianPackage}); skipping the tests that need it`;
  if (IN_CI) throw new Error(`${reason} -- but CI must have it: add it to .ci/run`);
  console.warn(`[skip] ${reason}`);
  return null;
}
