import { describe, expect, it } from 'vitest';
import { LAB_FRAME_CHANNEL, LAB_LINK_CHANNEL } from '../../../src/shared/electron-bridge';
import { startProtolab, type ElectronModules, type ProtolabStartInputs } from '../../../src/main/electron/app-main';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/electron/security';
import { defaultDataDir } from '../../../src/main/lab/data-dir';
import { createFakeElectron, FakeBrowserWindow, FakeEvent, settle, type FakeElectron } from './fake-electron';

const INPUTS: ProtolabStartInputs = {
  mainDir: '/repo/out/main',
  env: {},
  argv: ['/repo/node_modules/electron/dist/electron', '.'],
  resourcesPath: '/repo/node_modules/electron/dist/resources',
  platform: 'linux',
  log: () => {},
};

async function start(fake: FakeElectron = createFakeElectron(), inputs: Partial<ProtolabStartInputs> = {}) {
  const started = startProtolab(fake as unknown as ElectronModules, { ...INPUTS, ...inputs });
  fake.app.makeReady();
  const app = await started;
  const window = fake.BrowserWindow.created[0]!;
  const core = fake.forked[0]!;
  return { fake, app, window, core };
}

describe('the Electron main process', () => {
  it('enables the sandbox for every renderer and takes the single-instance lock before anything else', () => {
    const fake = createFakeElectron();
    void startProtolab(fake as unknown as ElectronModules, INPUTS);
    expect(fake.app.sandboxEnabled).toBe(true);
    expect(fake.BrowserWindow.created).toHaveLength(0);
  });

  it('quits when another instance already runs', async () => {
    const fake = createFakeElectron();
    fake.app.gotLock = false;
    const result = await startProtolab(fake as unknown as ElectronModules, INPUTS);
    expect(result).toBeNull();
    expect(fake.app.quits).toBe(1);
    expect(fake.forked).toHaveLength(0);
  });

  it('creates the window with exactly the locked-down webPreferences and the CommonJS preload', async () => {
    const { window } = await start();
    expect(window.options.webPreferences).toEqual({
      preload: '/repo/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
    expect(window.loadedFile).toBe('/repo/out/renderer/index.html');
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('locks down the window it creates: navigation off the app and window.open are refused', async () => {
    const { window } = await start();
    const away = new FakeEvent('https://www.google.com/');
    window.webContents.emit('will-navigate', away, away.url);
    expect(away.defaultPrevented).toBe(true);
    const home = new FakeEvent('file:///repo/out/renderer/index.html#/dns');
    window.webContents.emit('will-navigate', home, home.url);
    expect(home.defaultPrevented).toBe(false);
    expect(window.webContents.windowOpenHandler!({ url: 'http://gaia.cs.umass.edu/' })).toEqual({ action: 'deny' });
  });

  it('puts the CSP header on responses and denies permissions in the default session', async () => {
    const { fake } = await start();
    const session = fake.session.defaultSession;
    expect(session.respond('file:///repo/out/renderer/index.html', {})).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    let granted: boolean | undefined;
    (session.permissionRequestHandler as unknown as (c: unknown, p: string, cb: (g: boolean) => void) => void)(null, 'notifications', (g) => (granted = g));
    expect(granted).toBe(false);
  });

  it('in development loads the dev server and allows it in CSP and requests', async () => {
    const { window, fake } = await start(createFakeElectron(), { env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } });
    expect(window.loadedUrl).toBe('http://localhost:5173/');
    expect(fake.session.defaultSession.allows('ws://localhost:5173/')).toBe(true);
    expect(fake.session.defaultSession.respond('http://localhost:5173/', {})!['Content-Security-Policy']![0]).toContain("'unsafe-inline'");
  });

  it('starts the core in a utility process with the data folder the other faces use, the content folder, and the port offset given', async () => {
    const env = { XDG_DATA_HOME: '/home/student/.local/share' };
    const { core } = await start(createFakeElectron(), { argv: ['electron', '.', '--port-offset', '20000'], env });
    expect(core.modulePath).toBe('/repo/out/main/core.js');
    expect(defaultDataDir(env, 'linux')).toBe('/home/student/.local/share/protolab');
    expect(core.args).toEqual(['--protolab-data-dir=/home/student/.local/share/protolab', '--protolab-content-dir=/repo/content', '--protolab-port-offset=20000']);
  });

  it('takes the content folder from the resources folder when packaged', async () => {
    const fake = createFakeElectron();
    fake.app.isPackaged = true;
    const { core } = await start(fake, { resourcesPath: '/opt/Protolab/resources', mainDir: '/opt/Protolab/resources/app.asar/out/main' });
    expect(core.args).toContain('--protolab-content-dir=/opt/Protolab/resources/content');
  });

  it('shows an error and does not start when the arguments are bad', async () => {
    const fake = createFakeElectron();
    const result = await startProtolab(fake as unknown as ElectronModules, { ...INPUTS, argv: ['electron', '.', '--port-offset=lots'] });
    expect(result).toBeNull();
    expect(fake.dialog.errorBoxes[0]!.content).toMatch(/whole number/);
    expect(fake.forked).toHaveLength(0);
  });

  it('relays calls from the window to the core and frames from the core to the window', async () => {
    const { fake, window, core } = await start();
    core.emit('message', { type: 'ready' });
    const call = { kind: 'call', id: 1, method: 'listConnections', args: [] };
    fake.ipcMain.emit(LAB_FRAME_CHANNEL, { sender: window.webContents, senderFrame: window.webContents.mainFrame }, call);
    expect(core.posted).toEqual([{ type: 'frame', frame: call }]);

    const result = { kind: 'result', id: 1, ok: true, value: [] };
    core.emit('message', { type: 'frame', frame: result });
    expect(window.webContents.sent).toEqual([{ channel: LAB_FRAME_CHANNEL, args: [result] }]);
  });

  it('does not relay frames from anything but our window, and says so', async () => {
    const logged: string[] = [];
    const { fake, core } = await start(createFakeElectron(), { log: (m) => logged.push(m) });
    core.emit('message', { type: 'ready' });
    const stranger = new FakeBrowserWindow({});
    await stranger.loadFile('/repo/out/renderer/index.html');
    const call = { kind: 'call', id: 1, method: 'resetData', args: [] };
    fake.ipcMain.emit(LAB_FRAME_CHANNEL, { sender: stranger.webContents, senderFrame: stranger.webContents.mainFrame }, call);
    expect(core.posted).toEqual([]);
    expect(logged).toEqual(['protolab: dropped a LabApi frame from a webContents that is not the app window']);
  });

  it('tells the core when the page is reloaded, so it can close that page’s terminals', async () => {
    const { window, core } = await start();
    core.emit('message', { type: 'ready' });
    window.webContents.emit('did-navigate', new FakeEvent(), 'file:///repo/out/renderer/index.html');
    expect(core.posted).toEqual([{ type: 'renderer-reset' }]);
  });

  it('when the core dies: fails the page’s calls, explains, and restarts the core and reloads on request', async () => {
    const { fake, window, core } = await start();
    core.emit('message', { type: 'ready' });
    core.emit('message', { type: 'fatal', message: 'the lab core crashed: out of memory' });
    core.emit('exit', 1);
    await settle();
    expect(window.webContents.sent).toEqual([{ channel: LAB_LINK_CHANNEL, args: [{ state: 'down', reason: 'the lab core crashed: out of memory' }] }]);
    expect(fake.dialog.messageBoxes[0]).toMatchObject({ type: 'error', detail: expect.stringContaining('out of memory'), buttons: ['Restart the lab', 'Quit'] });
    expect(fake.forked).toHaveLength(2);
    expect(window.webContents.reloads).toBe(1);
  });

  it('quits instead when the student chooses Quit', async () => {
    const fake = createFakeElectron();
    fake.dialog.nextResponse = 1;
    const { core } = await start(fake);
    core.emit('exit', 1);
    await settle();
    expect(fake.forked).toHaveLength(1);
    expect(fake.app.quits).toBe(1);
  });

  it('stops the core before quitting, so the capture journal is flushed', async () => {
    const { fake, core } = await start();
    core.emit('message', { type: 'ready' });
    fake.app.quit();
    expect(core.posted).toEqual([{ type: 'stop' }]);
    expect(fake.app.quits).toBe(1);
    core.emit('exit', 0);
    await settle();
    expect(fake.app.quits).toBe(2);
    expect(fake.dialog.messageBoxes).toEqual([]);
  });

  it('quits when the last window closes, except on macOS', async () => {
    const linux = await start();
    linux.fake.app.emit('window-all-closed');
    expect(linux.fake.app.quits).toBe(1);
    const mac = await start(createFakeElectron(), { platform: 'darwin' });
    mac.fake.app.emit('window-all-closed');
    expect(mac.fake.app.quits).toBe(0);
    mac.window.emit('closed');
    mac.fake.app.emit('activate');
    expect(mac.fake.BrowserWindow.created).toHaveLength(2);
  });
});
