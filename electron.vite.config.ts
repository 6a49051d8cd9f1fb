// electron-vite builds three things into out/: the main process (three entries: index.js, the
// window and IPC relay, core.js, the lab core's utility process, and capture-worker.js, the
// capture's worker thread), the preload (one CommonJS
// file, because a sandboxed preload cannot be an ES module), and the renderer, whose settings
// are the web face's own (vite.renderer.config.ts) so both faces ship the same build.

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';

const fromRoot = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: fromRoot('./out/main'),
      // Bundle the lab core's dependencies (yaml, ...) into out/main: the package then needs no
      // node_modules (electron-builder.yml leaves them out), and the renderer's large ones
      // (monaco, react) are not shipped twice.
      externalizeDeps: false,
      rolldownOptions: {
        input: {
          index: fromRoot('./src/main/electron/main.ts'),
          core: fromRoot('./src/main/electron/core-process.ts'),
          // The capture worker thread, started by the capture hub from beside the core (worker-launch.ts).
          'capture-worker': fromRoot('./src/main/lab/capture/capture-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: fromRoot('./out/preload'),
      // A sandboxed preload can require only a few built-ins and electron: everything else is bundled.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('./src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      // Named here rather than found relative to the working directory.
      rolldownOptions: { input: fromRoot('./src/renderer/index.html') },
    },
  },
});
