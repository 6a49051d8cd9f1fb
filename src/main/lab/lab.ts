// The lab core: loads the world from the data folder, runs its services on loopback, captures
// every socket, and serves the LabApi that every face (CLI, web, Electron) uses. Plain Node: it
// never imports electron, so vitest, the CLI and the Electron utility process all run this code.

import fs from 'node:fs';
import path from 'node:path';
import type { HttpLimits } from '../../protocols/http/limits';
import type { CaptureBatch, Transport } from '../../shared/capture';
import type { LabApi, LabEventName, LabEvents, LabSnapshot, ServiceInfo } from '../../shared/lab-api';
import { CaptureHub } from './capture/hub';
import { DataDir } from './data-dir';
import { createRawConnector } from './raw-connector';
import { isWorldHttpService } from './proxy/origin-resolver';
import { NO_WEB_CACHE_MESSAGE } from './proxy/web-cache-service';
import { createService } from './services/catalog';
import type { LabService, WebCacheControls } from './services/service-base';
import { LabClientRegistry } from './services/lab-clients';
import { addDnsHosts } from './dns/dns-services';
import { DnsRuntime } from './dns/dns-runtime';
import { dnsWorldHosts, loadDnsWorld } from './dns/dns-world';
import { TerminalSession } from './terminal/session';
import { AddressMap } from './world/address-map';
import { MAX_PORT, parseWorld } from './world/world';

export { defaultContentDir, defaultDataDir } from './data-dir';

/** DESIGN.md §6: services listen on port-offset + well-known port. */
export const DEFAULT_PORT_OFFSET = 10_000;
export const DEFAULT_BIND_ADDRESS = '127.0.0.1';

/** What the DNS commands answer in a world without zones/zones.yaml. */
export const NO_DNS_MESSAGE = 'this lab world has no DNS: its data folder has no zones/zones.yaml (reset the world to get the course\'s hierarchy back)';

/** Terminals one lab serves at once; each holds a socket and a line editor. */
export const MAX_TERMINALS = 32;

/** Terminal size bounds accepted from a face (xterm's own limits are far larger than any screen). */
export const MAX_TERMINAL_COLS = 1_000;
export const MAX_TERMINAL_ROWS = 500;

/** Largest keystroke/paste chunk one terminalInput call may carry. */
export const MAX_TERMINAL_INPUT = 64 * 1024;

/** listMessages returns at most this many rows per call. */
export const MAX_LIST_MESSAGES = 5_000;

export interface LabOptions {
  dataDir: string;
  contentDir: string;
  portOffset?: number;
  /** Anything but loopback is an explicit opt-in (DESIGN.md §6). */
  bindAddress?: string;
  /** Stream the capture as pcapng to this file. */
  pcapngPath?: string;
  /** Capture on (default) or off; off is for measuring the tap's overhead. */
  capture?: boolean;
  /** Wall clock for engines; tests inject a fixed one. */
  now?: () => number;
  /** Smaller HTTP limits (timeouts, sizes) than the defaults, for tests. */
  httpLimits?: Partial<HttpLimits>;
  /** A shorter idle timeout for the DNS servers' TCP connections than DNS_TCP_IDLE_TIMEOUT_MS, for tests. */
  dnsTcpIdleTimeoutMs?: number;
  /** World protocols the web cache may send requests to besides `http`: a test's own origin server. */
  webCacheOriginProtocols?: readonly string[];
}

type Listener = (payload: unknown) => void;

class LabEmitter {
  private readonly listeners = new Map<LabEventName, Set<Listener>>();

  on<E extends LabEventName>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set!.delete(listener as Listener);
  }

  emit<E extends LabEventName>(event: E, payload: LabEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        l(payload);
      } catch (err) {
        console.error(`protolab: a ${event} listener failed:`, err);
      }
    }
  }
}

function checkPortOffset(offset: number): number {
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_PORT) throw new Error(`--port-offset must be a whole number from 0 to ${MAX_PORT}, got ${offset}`);
  return offset;
}

function captureFileName(now = new Date()): string {
  return `capture-${now.toISOString().replace(/[:.]/g, '-')}.journal`;
}

export class Lab {
  readonly api: LabApi;
  readonly data: DataDir;
  readonly portOffset: number;
  readonly bindAddress: string;
  private readonly emitter = new LabEmitter();
  private readonly hub: CaptureHub;
  private map!: AddressMap;
  private services: LabService[] = [];
  private webCache: WebCacheControls | null = null;
  private dns: DnsRuntime | null = null;
  private readonly terminals = new Map<string, TerminalSession>();
  /** The lab's own clients announce their connections here, so the capture names them (lab-clients.ts). */
  readonly labClients = new LabClientRegistry();
  private nextTerminal = 1;
  private servicesEventPending = false;
  private stopped = false;
  private lifecycle: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | null = null;

  private constructor(private readonly options: LabOptions) {
    this.data = new DataDir(options.dataDir, options.contentDir);
    this.portOffset = checkPortOffset(options.portOffset ?? DEFAULT_PORT_OFFSET);
    this.bindAddress = options.bindAddress ?? DEFAULT_BIND_ADDRESS;
    const seed = this.data.ensureSeeded();
    for (const file of seed.keptEdits) {
      console.warn(`protolab: a newer ${file} ships with this lab, but your copy in ${this.data.worldDir} was edited, so it was kept; reset the world to get the new one.`);
    }
    this.hub = new CaptureHub({
      journalPath: path.join(this.data.capturesDir, captureFileName()),
      pcapngPath: options.pcapngPath,
      enabled: options.capture ?? true,
      onBatch: (batch: CaptureBatch) => this.emitter.emit('capture', batch),
    });
    this.api = this.createApi();
  }

  /** Loads the world and starts every service; a service that cannot listen is reported as failed, the rest still start. */
  static async start(options: LabOptions): Promise<Lab> {
    const lab = new Lab(options);
    try {
      lab.loadWorld();
      await lab.startAll();
    } catch (err) {
      await lab.stop();
      throw err;
    }
    return lab;
  }

  /**
   * Runs lifecycle changes (start/stop of services, reset, stop of the lab) one at a time, so two
   * resets, or a reset racing the lab's stop, can never leave services listening behind it.
   */
  private serial<T>(change: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(() => {
      if (this.stopped) throw new Error('the lab is stopping');
      return change();
    });
    this.lifecycle = run.catch(() => {});
    return run;
  }

  private loadWorld(): void {
    const world = parseWorld(fs.readFileSync(this.data.worldFile, 'utf8'), this.data.worldFile);
    const dnsWorld = loadDnsWorld(this.data.worldDir);
    if (dnsWorld) addDnsHosts(world, dnsWorldHosts(dnsWorld.manifest));
    this.map = new AddressMap(world, this.portOffset, this.bindAddress);
    const now = this.options.now ?? Date.now;
    this.dns = dnsWorld && new DnsRuntime({
      world: dnsWorld,
      worldDir: this.data.worldDir,
      map: this.map,
      labClients: this.labClients,
      capture: { sink: this.hub, udpListening: (port) => this.isLabListener(port, 'udp') },
      now,
      onResolver: (state) => this.emitter.emit('resolver', state),
      onLookup: (lookup) => this.emitter.emit('dnsLookup', lookup),
      onZones: (zones) => this.emitter.emit('zones', zones),
    });
    for (const problem of dnsWorld?.hierarchyProblems ?? []) console.warn(`protolab: DNS: ${problem}`);
    for (const f of dnsWorld?.files ?? []) {
      const errors = f.problems.filter((p) => p.severity === 'error');
      if (errors.length > 0) console.warn(`protolab: DNS: ${f.server.name} runs without ${f.origin}: ${errors.map((p) => `${p.file}:${p.line}: ${p.message}`).join('; ')}`);
    }
    const extraOrigins = this.options.webCacheOriginProtocols ?? [];
    this.services = this.map.bindings().map((binding) =>
      createService({
        binding, world, sink: this.hub, bindAddress: this.bindAddress, now, changed: () => this.servicesChanged(), labClients: this.labClients,
        dataDir: this.data.root, worldDir: this.data.worldDir, httpLimits: this.options.httpLimits,
        ...(this.options.dnsTcpIdleTimeoutMs !== undefined ? { dnsTcpIdleTimeoutMs: this.options.dnsTcpIdleTimeoutMs } : {}),
        map: this.map,
        ...(this.dns ? { dns: this.dns } : {}),
        isLabListener: (p) => this.isLabListener(p),
        onWebCache: (state) => this.emitter.emit('webCache', state),
        ...(extraOrigins.length > 0 ? { isWebCacheOrigin: (service) => isWorldHttpService(service) || (service.transport === 'tcp' && extraOrigins.includes(service.protocol)) } : {}),
      }),
    );
    this.webCache = this.services.find((s) => s.webCache)?.webCache ?? null;
  }

  private async startAll(): Promise<void> {
    await Promise.all(this.services.map((s) => s.start()));
  }

  private servicesChanged(): void {
    if (this.servicesEventPending) return;
    this.servicesEventPending = true;
    setImmediate(() => {
      this.servicesEventPending = false;
      this.emitter.emit('services', this.serviceInfos());
    });
  }

  serviceInfos(): ServiceInfo[] {
    return this.services.map((s) => s.info());
  }

  snapshot(): LabSnapshot {
    return {
      dataDir: this.data.root,
      portOffset: this.portOffset,
      services: this.serviceInfos(),
      hosts: this.map.world.hosts.map((h) => {
        // The breakdown names each DNS server's place in the hierarchy; peerOf calls every other host a client.
        const dnsRole = this.dns?.peerOf(h.name).role;
        return { name: h.name, address: h.address, aliases: [...h.aliases], ...(h.description ? { description: h.description } : {}), ...(dnsRole && dnsRole !== 'client' ? { dnsRole } : {}) };
      }),
      capture: this.hub.statsNow(),
    };
  }

  private service(id: string): LabService {
    const s = this.services.find((x) => x.id === id);
    if (!s) throw new Error(`no service '${id}' in this lab`);
    return s;
  }

  private terminal(id: string): TerminalSession {
    const t = this.terminals.get(id);
    if (!t) throw new Error(`no terminal '${id}' (it was closed)`);
    return t;
  }

  /** Whether a lab service listens at this real port (TCP unless told) right now. */
  private isLabListener(port: number, transport: Transport = 'tcp'): boolean {
    return this.services.some((s) => {
      const info = s.info();
      return info.transport === transport && info.port === port && info.state === 'listening';
    });
  }

  private requireDns(): DnsRuntime {
    if (!this.dns) throw new Error(NO_DNS_MESSAGE);
    return this.dns;
  }

  private requireWebCache(): WebCacheControls {
    if (!this.webCache) throw new Error(NO_WEB_CACHE_MESSAGE);
    return this.webCache;
  }

  private createApi(): LabApi {
    const clampInt = (v: unknown, lo: number, hi: number, name: string): number => {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${name} must be a whole number`);
      return Math.min(hi, Math.max(lo, v));
    };
    const text = (v: unknown, name: string): string => {
      if (typeof v !== 'string') throw new Error(`${name} must be text`);
      return v;
    };
    return {
      getSnapshot: async () => ({ ...this.snapshot(), capture: await this.hub.stats() }),
      startService: (id) =>
        this.serial(async () => {
          const s = this.service(text(id, 'service id'));
          await s.start();
          return s.info();
        }),
      stopService: (id) =>
        this.serial(async () => {
          const s = this.service(text(id, 'service id'));
          await s.stop();
          return s.info();
        }),
      resetData: () =>
        this.serial(async () => {
          this.dns?.stop();
          await Promise.all(this.services.map((s) => s.stop()));
          this.data.reset();
          this.loadWorld();
          await this.startAll();
          this.servicesChanged();
          return this.snapshot();
        }),
      listMessages: async (fromId, count) => this.hub.listMessages(clampInt(fromId, 1, Number.MAX_SAFE_INTEGER, 'fromId'), clampInt(count, 0, MAX_LIST_MESSAGES, 'count')),
      getMessage: async (id) => this.hub.getMessage(clampInt(id, 0, Number.MAX_SAFE_INTEGER, 'message id')),
      listConnections: async () => this.hub.listConnections(),
      openTerminal: async (opts) => {
        if (this.terminals.size >= MAX_TERMINALS) throw new Error(`at most ${MAX_TERMINALS} terminals can be open at once; close one first`);
        const terminalId = `t${this.nextTerminal++}`;
        const session = new TerminalSession({
          cols: clampInt(opts?.cols ?? 80, 10, MAX_TERMINAL_COLS, 'cols'),
          rows: clampInt(opts?.rows ?? 24, 2, MAX_TERMINAL_ROWS, 'rows'),
          write: (data) => this.emitter.emit('terminal', { terminalId, data }),
          connector: createRawConnector({ map: () => this.map, sink: this.hub, isLabListener: (p) => this.isLabListener(p), serviceInfos: () => this.serviceInfos(), dns: () => this.dns }),
        });
        this.terminals.set(terminalId, session);
        return { terminalId };
      },
      terminalInput: async (id, data) => {
        const input = text(data, 'terminal input');
        if (input.length > MAX_TERMINAL_INPUT) throw new Error(`terminal input is limited to ${MAX_TERMINAL_INPUT} characters per call`);
        this.terminal(text(id, 'terminal id')).input(input);
      },
      terminalResize: async (id, cols, rows) => {
        this.terminal(text(id, 'terminal id')).resize(clampInt(cols, 10, MAX_TERMINAL_COLS, 'cols'), clampInt(rows, 2, MAX_TERMINAL_ROWS, 'rows'));
      },
      closeTerminal: async (id) => {
        const t = this.terminals.get(text(id, 'terminal id'));
        if (!t) return;
        t.dispose();
        this.terminals.delete(id);
        this.emitter.emit('terminalExit', { terminalId: id });
      },
      getWebCache: async () => this.requireWebCache().webCacheState(),
      setAccessLink: async (settings) => this.requireWebCache().setAccessLink(settings),
      clearWebCache: async () => this.requireWebCache().clear(),
      getResolver: async () => this.requireDns().resolverState(),
      setResolverMode: async (mode) => this.requireDns().setMode(mode),
      flushResolverCache: async (name) => this.requireDns().flush(name),
      listDnsLookups: async () => this.requireDns().lookups.list(),
      listZones: async () => this.requireDns().listZones(),
      readZone: async (file) => this.requireDns().readZone(file),
      saveZone: async (file, zoneText) => this.requireDns().saveZone(file, zoneText),
      on: (event, listener) => {
        const off = this.emitter.on(event, listener);
        // The capture builds live batches only while someone listens for them.
        const release = event === 'capture' ? this.hub.holdLiveBatches() : undefined;
        return () => {
          off();
          release?.();
        };
      },
    };
  }

  /** Closes every terminal and socket, then flushes the journal and the pcapng. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    // Let a reset or service change already under way finish; later ones are refused.
    await this.lifecycle;
    this.stopped = true;
    for (const t of this.terminals.values()) t.dispose();
    this.terminals.clear();
    this.dns?.stop();
    await Promise.all(this.services.map((s) => s.stop()));
    // Let the last 'close' events of destroyed sockets reach the hub before it flushes.
    await new Promise((r) => setImmediate(r));
    await this.hub.shutdown();
  }
}
