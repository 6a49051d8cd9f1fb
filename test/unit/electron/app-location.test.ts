import { describe, expect, it } from 'vitest';
import { appEntryUrl, isAppUrl, resolveAppLocation } from '../../../src/main/electron/app-location';

const INDEX = '/opt/Protolab/resources/app.asar/out/renderer/index.html';

describe('resolveAppLocation', () => {
  it('loads the built index.html when packaged, whatever ELECTRON_RENDERER_URL says', () => {
    const location = resolveAppLocation({ isPackaged: true, devServerUrl: 'http://localhost:5173', rendererIndexFile: INDEX });
    expect(location).toEqual({ kind: 'file', indexFile: INDEX });
    expect(appEntryUrl(location)).toBe('file:///opt/Protolab/resources/app.asar/out/renderer/index.html');
  });

  it('loads the dev server when unpackaged and the variable is set', () => {
    const location = resolveAppLocation({ isPackaged: false, devServerUrl: 'http://localhost:5173', rendererIndexFile: INDEX });
    expect(location).toEqual({ kind: 'dev-server', origin: 'http://localhost:5173', url: 'http://localhost:5173/' });
  });

  it('loads the built file when unpackaged without a dev server', () => {
    expect(resolveAppLocation({ isPackaged: false, devServerUrl: undefined, rendererIndexFile: INDEX }).kind).toBe('file');
  });

  it('refuses a dev server off loopback or not over http', () => {
    for (const url of ['http://192.0.2.10:5173', 'https://localhost:5173', 'file:///etc/passwd', 'not a url']) {
      expect(() => resolveAppLocation({ isPackaged: false, devServerUrl: url, rendererIndexFile: INDEX }), url).toThrow(/loopback/);
    }
  });
});

describe('isAppUrl', () => {
  const file = resolveAppLocation({ isPackaged: true, devServerUrl: undefined, rendererIndexFile: INDEX });
  const dev = resolveAppLocation({ isPackaged: false, devServerUrl: 'http://127.0.0.1:5173/', rendererIndexFile: INDEX });

  it('accepts the index file with any hash or query', () => {
    expect(isAppUrl(file, appEntryUrl(file))).toBe(true);
    expect(isAppUrl(file, `${appEntryUrl(file)}#/packets`)).toBe(true);
    expect(isAppUrl(file, `${appEntryUrl(file)}?tab=dns`)).toBe(true);
  });

  it('rejects other files, other schemes and garbage', () => {
    expect(isAppUrl(file, 'file:///opt/Protolab/resources/app.asar/out/renderer/other.html')).toBe(false);
    expect(isAppUrl(file, 'file:///home/student/Downloads/index.html')).toBe(false);
    expect(isAppUrl(file, 'https://example.com/out/renderer/index.html')).toBe(false);
    expect(isAppUrl(file, 'about:blank')).toBe(false);
    expect(isAppUrl(file, '::::')).toBe(false);
  });

  it('in development accepts any page of the dev server origin and nothing else', () => {
    expect(isAppUrl(dev, 'http://127.0.0.1:5173/')).toBe(true);
    expect(isAppUrl(dev, 'http://127.0.0.1:5173/src/App.tsx')).toBe(true);
    expect(isAppUrl(dev, 'http://127.0.0.1:5174/')).toBe(false);
    expect(isAppUrl(dev, 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl(dev, appEntryUrl(file))).toBe(false);
  });
});
