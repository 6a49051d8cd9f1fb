import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import electronViteConfig from '../../../electron.vite.config';
import { resolveElectronPaths } from '../../../src/main/electron/paths';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const builderConfig = parse(fs.readFileSync(path.join(REPO, 'electron-builder.yml'), 'utf8'));
const packageJson = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { main: string };

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema", async () => {
    const require = createRequire(path.join(REPO, 'package.json'));
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(structuredClone(builderConfig), new DebugLogger(false))).resolves.toBeUndefined();
    // The same check does refuse a misspelt option, so passing it means something.
    await expect(validateConfiguration({ ...structuredClone(builderConfig), nsis: { oneClik: false } }, new DebugLogger(false))).rejects.toThrow(/Invalid configuration/);
  });

  it('ships only the build output and package.json in app.asar, and content/ beside it', () => {
    expect(builderConfig.asar).toBe(true);
    expect(builderConfig.files).toEqual(['out/**', 'package.json', '!node_modules/**']);
    expect(builderConfig.extraResources).toEqual([{ from: 'content', to: 'content', filter: ['**/*'] }]);
  });

  it('publishes nothing and builds full offline installers', () => {
    expect(builderConfig.publish).toBeNull();
    expect(builderConfig.win.target).toEqual(['nsis']);
    expect(builderConfig.nsis.oneClick).toBe(false);
    expect(builderConfig.linux.target).toEqual(['AppImage', 'deb']);
    expect(builderConfig.linux.category).toBe('Education');
    expect(builderConfig.mac.target).toEqual(['dmg']);
  });

  it('points at an icon that exists and is a PNG of at least 512 x 512', () => {
    const icon = fs.readFileSync(path.join(REPO, builderConfig.linux.icon));
    expect(icon.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(icon.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
  });
});

describe('electron.vite.config.ts', () => {
  const config = electronViteConfig as {
    main: { build: { rolldownOptions: { input: Record<string, string> } } };
    preload: { build: { rolldownOptions: { input: Record<string, string>; output: { format: string; entryFileNames: string } } } };
  };
  const paths = resolveElectronPaths({ mainDir: path.join(REPO, 'out', 'main'), isPackaged: false, resourcesPath: '', appPath: REPO, dataDir: '/d' });

  it('builds the main entry package.json names and the core entry core-host forks', () => {
    const input = config.main.build.rolldownOptions.input;
    expect(Object.keys(input).sort()).toEqual(['capture-worker', 'core', 'index']);
    // The capture hub starts its worker thread from capture-worker.js beside core.js (worker-launch.ts).
    expect(input['capture-worker']).toBe(path.join(REPO, 'src', 'main', 'lab', 'capture', 'capture-worker.ts'));
    expect(path.join(REPO, packageJson.main)).toBe(path.join(REPO, 'out', 'main', 'index.js'));
    expect(paths.coreEntry).toBe(path.join(REPO, 'out', 'main', 'core.js'));
    expect(input.core).toBe(path.join(REPO, 'src', 'main', 'electron', 'core-process.ts'));
  });

  it('builds the preload as CommonJS under the name the window loads', () => {
    const { input, output } = config.preload.build.rolldownOptions;
    expect(output.format).toBe('cjs');
    const built = output.entryFileNames.replace('[name]', Object.keys(input)[0]!);
    expect(paths.preload).toBe(path.join(REPO, 'out', 'preload', built));
  });
});
