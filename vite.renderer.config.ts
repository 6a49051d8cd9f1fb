// Builds the renderer (src/renderer) into out/renderer. The web face serves that folder; the
// Electron build (electron.vite.config.ts) reuses this config for its renderer. base './' makes
// every asset URL relative, so the same build loads from file:// in Electron and from / in a browser.

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

const fromRoot = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export const RENDERER_ROOT = fromRoot('./src/renderer');
export const RENDERER_OUT_DIR = fromRoot('./out/renderer');

export const rendererConfig: UserConfig = {
  root: RENDERER_ROOT,
  base: './',
  publicDir: 'public',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: RENDERER_OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    // Monaco's editor core is one large chunk by design; it loads only when the Compose tab opens.
    chunkSizeWarningLimit: 4096,
  },
};

export default defineConfig(rendererConfig);
