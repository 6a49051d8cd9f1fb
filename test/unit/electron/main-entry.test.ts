import { describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron';

// main.ts is the only module that imports electron at runtime; here it gets the fakes instead.
const state = vi.hoisted(() => ({ fake: null as FakeElectron | null }));

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  const fake = createFakeElectron();
  state.fake = fake;
  fake.app.makeReady();
  return fake;
});

describe('main.ts', () => {
  it('starts the app with the real modules: sandbox on, a window from out/renderer, the core from out/main/core.js', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await import('../../../src/main/electron/main');
    const fake = state.fake!;
    await vi.waitFor(() => expect(fake.BrowserWindow.created).toHaveLength(1));
    expect(fake.app.sandboxEnabled).toBe(true);
    const window = fake.BrowserWindow.created[0]!;
    // Built from the directory of main.ts itself (src/main/electron here, out/main when built).
    expect(window.loadedFile).toMatch(/src\/main\/renderer\/index\.html$/);
    expect((window.options.webPreferences as { preload: string }).preload).toMatch(/src\/main\/preload\/index\.cjs$/);
    expect(fake.forked[0]!.modulePath).toMatch(/src\/main\/electron\/core\.js$/);
    warn.mockRestore();
  });
});
