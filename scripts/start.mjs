#!/usr/bin/env node
// `npm start`: the Electron window when the Electron runtime is here, otherwise the same lab in
// the browser (the web face), announced in one line. Never downloads anything: see
// electron-runtime.mjs for why the runtime is looked for rather than required.

import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronPackageDir, findElectronRuntime } from './electron-runtime.mjs';
import { runForwardingSignals } from './run-child.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const extraArgs = process.argv.slice(2);

function electronViteCli() {
  const require = createRequire(path.join(root, 'package.json'));
  const packageJson = require.resolve('electron-vite/package.json');
  const { bin } = require('electron-vite/package.json');
  return path.join(path.dirname(packageJson), typeof bin === 'string' ? bin : bin['electron-vite']);
}

async function startElectron(executable) {
  const built = await runForwardingSignals(process.execPath, [electronViteCli(), 'build'], { cwd: root });
  if (built !== 0) return built;
  const env = { ...process.env };
  // Set, it would make the binary a plain Node and no window would open.
  delete env.ELECTRON_RUN_AS_NODE;
  return runForwardingSignals(executable, ['.', ...extraArgs], { cwd: root, env });
}

function startWeb(reason) {
  console.log(`Protolab: the Electron runtime is not available here (${reason}), so the lab opens in the browser instead.`);
  return runForwardingSignals(process.execPath, [path.join(root, 'bin', 'protolab.mjs'), 'web', ...extraArgs], { cwd: root });
}

const runtime = findElectronRuntime({ packageDir: findElectronPackageDir(root) });
process.exitCode = runtime.available ? await startElectron(runtime.executable) : await startWeb(runtime.reason);
