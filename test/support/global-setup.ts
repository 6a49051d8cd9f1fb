// Runs once before any test file. The browser tests (test/e2e) need the built renderer; building it
// here, once, keeps parallel test files from racing to rebuild out/renderer. A run limited to other
// folders (e.g. `vitest run test/unit`) skips the build.

import { ensureRendererBuilt } from '../../src/main/web/renderer-build';

/** The file filters given on the command line (`vitest run a b` -> [a, b]); empty for a full run. */
function cliFilters(argv: readonly string[]): string[] {
  const at = argv.findIndex((a) => a === 'run' || a === 'watch' || a === 'dev');
  return (at < 0 ? [] : argv.slice(at + 1)).filter((a) => !a.startsWith('-'));
}

export default async function setup(): Promise<void> {
  const filters = cliFilters(process.argv);
  if (filters.length > 0 && !filters.some((f) => f.includes('e2e'))) return;
  await ensureRendererBuilt((line) => console.log(line));
}
