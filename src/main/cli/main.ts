// `protolab serve` (headless) and `protolab web` (the UI in a browser): two faces of one lab core;
// `protolab resolver` reaches the local name server of a running `protolab web`.

import { parseArgs } from 'node:util';
import path from 'node:path';
import { DEFAULT_BIND_ADDRESS, DEFAULT_PORT_OFFSET, Lab, defaultContentDir, defaultDataDir } from '../lab/lab';
import type { ServiceInfo } from '../../shared/lab-api';
import { DEFAULT_WEB_PORT, startWebFace } from '../web/server';
import { openInBrowser } from './open-browser';
import { RESOLVER_CLI_USAGE, resolverCli } from './resolver';

const USAGE = `Protolab: an offline lab for the application layer.

Usage:
  protolab serve [--data-dir DIR] [--port-offset N] [--pcapng FILE] [--json] [--bind ADDRESS]
      Run the lab's servers headless until Ctrl-C.
  protolab web [--port N] [--no-open] [--json] [--data-dir DIR] [--port-offset N] [--pcapng FILE]
      Run the lab and its UI at http://127.0.0.1:${DEFAULT_WEB_PORT}/ (opens your browser).
  ${RESOLVER_CLI_USAGE}
      Show the local name server's cache and statistics, flush it, or switch its scheme, in the lab
      that \`protolab web\` (or the app in a browser) runs with its UI on --port N. \`protolab serve\`
      opens no such port. 'protolab resolver --help' says more.

Options:
  --data-dir DIR     where the lab keeps its world copy and captures (default: ${defaultDataDir()})
  --port-offset N    services listen on N + well-known port (default ${DEFAULT_PORT_OFFSET}: echo on 7 listens on 10007)
  --pcapng FILE      also write the capture as pcapng, readable by Wireshark while it grows
  --json             print one JSON line when ready (for scripts and tests)
  --bind ADDRESS     listen on ADDRESS instead of ${DEFAULT_BIND_ADDRESS} (other machines could then reach the lab)
  --port N           the web UI's port (0 = any free port); for resolver, the port of the running UI
  --no-open          do not open a browser
`;

interface CommonOptions {
  dataDir: string;
  portOffset: number;
  pcapngPath?: string;
  json: boolean;
  bindAddress: string;
}

function parseNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`${name} expects a whole number, got '${value}'`);
  return Number(value);
}

function common(values: Record<string, string | boolean | undefined>): CommonOptions {
  const out: CommonOptions = {
    dataDir: path.resolve(typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir()),
    portOffset: parseNumber(values['port-offset'] as string | undefined, '--port-offset', DEFAULT_PORT_OFFSET),
    json: values.json === true,
    bindAddress: typeof values.bind === 'string' ? values.bind : DEFAULT_BIND_ADDRESS,
  };
  if (typeof values.pcapng === 'string') out.pcapngPath = path.resolve(values.pcapng);
  return out;
}

function describeServices(services: ServiceInfo[]): string {
  const rows = services.map((s) => {
    const where = `${s.address}:${s.port}`.padEnd(22);
    const world = `${s.hostname}:${s.wellKnownPort}/${s.transport}`.padEnd(30);
    const state = s.state === 'listening' ? 'listening' : `${s.state}: ${s.error ?? ''}`;
    return `  ${s.protocol.padEnd(8)} ${world} ${where} ${state}`;
  });
  return rows.join('\n');
}

function readyServices(services: ServiceInfo[]) {
  return services
    .filter((s) => s.state === 'listening')
    .map((s) => ({ protocol: s.protocol, transport: s.transport, hostname: s.hostname, address: s.address, port: s.port }));
}

async function startLab(opts: CommonOptions): Promise<Lab> {
  if (opts.bindAddress !== DEFAULT_BIND_ADDRESS) {
    console.error(`protolab: listening on ${opts.bindAddress}, not only loopback: other machines may reach these servers.`);
  }
  return Lab.start({ dataDir: opts.dataDir, contentDir: defaultContentDir(), portOffset: opts.portOffset, bindAddress: opts.bindAddress, pcapngPath: opts.pcapngPath });
}

function pcapngLine(opts: CommonOptions): string {
  return opts.pcapngPath ? `\nWriting the capture to ${opts.pcapngPath} (open it in Wireshark, or: tshark -r ${opts.pcapngPath})` : '';
}

function reportFailures(services: ServiceInfo[]): void {
  for (const s of services) if (s.state === 'failed') console.error(`protolab: ${s.error}`);
}

/**
 * Resolves once SIGINT, SIGTERM or SIGHUP arrives. A crash (an uncaught exception or rejection)
 * still stops the lab, so the journal and the pcapng are flushed, and then exits 1.
 */
function untilSignal(lab: Lab): Promise<string> {
  const crash = (what: string) => (err: unknown) => {
    console.error(`protolab: ${what}:`, err);
    void lab.stop().finally(() => process.exit(1));
  };
  process.once('uncaughtException', crash('unexpected error'));
  process.once('unhandledRejection', crash('unhandled promise rejection'));
  return new Promise((resolve) => {
    const on = (sig: string) => () => resolve(sig);
    process.once('SIGINT', on('SIGINT'));
    process.once('SIGTERM', on('SIGTERM'));
    process.once('SIGHUP', on('SIGHUP'));
  });
}

function failedServices(services: ServiceInfo[]) {
  return services.filter((s) => s.state === 'failed').map((s) => ({ id: s.id, error: s.error ?? '' }));
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, 'port-offset': { type: 'string' }, pcapng: { type: 'string' }, json: { type: 'boolean' }, bind: { type: 'string' } },
    strict: true,
  });
  const opts = common(values);
  const lab = await startLab(opts);
  const services = lab.serviceInfos();
  reportFailures(services);
  if (opts.json) {
    const failed = failedServices(services);
    const ready = { ready: true, dataDir: lab.data.root, services: readyServices(services), ...(failed.length ? { failed } : {}), ...(opts.pcapngPath ? { pcapng: opts.pcapngPath } : {}) };
    process.stdout.write(`${JSON.stringify(ready)}\n`);
  } else {
    console.log(`Protolab is running. Data folder: ${lab.data.root}\n${describeServices(services)}${pcapngLine(opts)}\nPress Ctrl-C to stop.`);
  }
  await untilSignal(lab);
  await lab.stop();
  return 0;
}

async function web(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      'port-offset': { type: 'string' },
      pcapng: { type: 'string' },
      json: { type: 'boolean' },
      bind: { type: 'string' },
      port: { type: 'string' },
      'no-open': { type: 'boolean' },
    },
    strict: true,
  });
  const opts = common(values);
  const port = parseNumber(values.port, '--port', DEFAULT_WEB_PORT);
  const lab = await startLab(opts);
  reportFailures(lab.serviceInfos());
  let face;
  try {
    face = await startWebFace({ lab, port, log: opts.json ? () => {} : (line) => console.error(line) });
  } catch (err) {
    await lab.stop();
    throw err;
  }
  if (opts.json) process.stdout.write(`${JSON.stringify({ ready: true, url: face.url })}\n`);
  else console.log(`Protolab is running at ${face.url}\n${describeServices(lab.serviceInfos())}${pcapngLine(opts)}\nPress Ctrl-C to stop.`);
  if (!values['no-open']) openInBrowser(face.url);
  await untilSignal(lab);
  await face.close();
  await lab.stop();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'web':
        return await web(rest);
      case 'resolver':
        return await resolverCli(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`protolab: unknown command '${command}'\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    process.stderr.write(`protolab: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
