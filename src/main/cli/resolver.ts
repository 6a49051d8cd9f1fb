// `protolab resolver ...`: the local name server of a running lab, from a shell. It speaks the same
// LabApi as the UI, over the web face's WebSocket, as a page of that face would (the server takes
// WebSockets only from loopback, with its own Host and Origin). `protolab serve` opens no such port,
// so this works with `protolab web` (and `npm start` when it opened the UI in a browser).

import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import type { LabApi, LabWireFrame } from '../../shared/lab-api';
import { createLabClient } from '../../shared/wire-client';
import { RESOLVER_FORMS, RESOLVER_SUBCOMMANDS, parseResolverArgs } from '../lab/terminal/commands/resolver-args';
import { runResolverInvocation } from '../lab/terminal/commands/resolver-run';
import { type Definition, wrapDefinitions } from '../lab/terminal/word-wrap';
import { DEFAULT_WEB_PORT } from '../web/server';

export const RESOLVER_CLI_USAGE = `protolab resolver ${RESOLVER_SUBCOMMANDS} [--port N] [--json]`;

/** How long the web face may take to accept the WebSocket (it is on this machine: instant when it runs). */
export const RESOLVER_CLI_CONNECT_TIMEOUT_MS = 5_000;

/** How long one LabApi call may take before the command gives up (each is a look at memory in the lab). */
export const RESOLVER_CLI_CALL_TIMEOUT_MS = 10_000;

/** Width of the tables when the output is not a terminal (a pipe, a file): a classic terminal's. */
export const RESOLVER_CLI_DEFAULT_COLUMNS = 80;

const MAX_PORT = 65_535;

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
  /** Terminal width in cells, when the output is a terminal. */
  columns?: number;
}

const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
};

interface LabLink {
  api: LabApi;
  close(): void;
}

function webOrigin(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** Opens the web face's /api WebSocket with the Host and Origin of its own page. */
function connectToLab(port: number): Promise<LabLink> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { origin: webOrigin(port), handshakeTimeout: RESOLVER_CLI_CONNECT_TIMEOUT_MS });
    const client = createLabClient((frame: LabWireFrame) => ws.send(JSON.stringify(frame)));
    const notLab = (why: string) => new Error(`no lab answers at ${webOrigin(port)}/ (${why}): start \`protolab web\` first (or give --port the port its UI uses)`);
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(notLab(`it answered HTTP ${res.statusCode ?? '?'} instead of opening the lab's link`));
    });
    // Before 'open' an error means no link (rejecting twice is harmless); after it, 'close' reports.
    ws.on('error', (err: NodeJS.ErrnoException) => reject(notLab(err.code === 'ECONNREFUSED' ? 'nothing listens there' : err.message)));
    ws.once('open', () => {
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        try {
          client.receive(JSON.parse(data.toString()) as LabWireFrame);
        } catch {
          // Not a frame of ours; the call it should have answered times out and says so.
        }
      });
      ws.once('close', () => client.fail('the lab closed the connection'));
      resolve({ api: client.api, close: () => ws.close() });
    });
  });
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the lab did not answer ${what} within ${RESOLVER_CLI_CALL_TIMEOUT_MS / 1000} s`)), RESOLVER_CLI_CALL_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function parsePort(text: string | undefined): number | null {
  if (text === undefined) return DEFAULT_WEB_PORT;
  if (!/^\d+$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= MAX_PORT ? port : null;
}

/** What the command's options mean, below the forms in `--help`. */
const OPTIONS: readonly Definition[] = [
  { term: '--port N', text: `the port of the running UI (default ${DEFAULT_WEB_PORT}): \`protolab web\`, or \`npm start\` when it opened the UI in a browser; \`protolab serve\` opens no such port, so the resolver of a headless lab cannot be reached this way` },
  { term: '--json', text: "print the resolver's state (after the change) as JSON" },
];

function helpText(width: number): string {
  return [`usage: ${RESOLVER_CLI_USAGE}`, '', "The local name server of a running lab, as the DNS panel's Resolver tab shows it:", ...wrapDefinitions([...RESOLVER_FORMS, ...OPTIONS], width), ''].join('\n');
}

/** Runs `protolab resolver` with the words after `resolver`; returns the exit code. */
export async function resolverCli(argv: string[], output: CliOutput = processOutput): Promise<number> {
  let values: { port?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: { port: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }));
  } catch {
    output.err(`usage: ${RESOLVER_CLI_USAGE}\n`);
    return 2;
  }
  const width = output.columns ?? RESOLVER_CLI_DEFAULT_COLUMNS;
  if (values.help) {
    output.out(helpText(width));
    return 0;
  }
  const port = parsePort(values.port);
  if (port === null) {
    output.err(`protolab resolver: --port expects the UI's port, a whole number from 1 to ${MAX_PORT}, got '${values.port}'\n`);
    return 2;
  }
  const parsed = parseResolverArgs(positionals);
  if (!parsed.ok) {
    output.err(parsed.problem === undefined ? `usage: ${RESOLVER_CLI_USAGE}\n` : `protolab resolver: ${parsed.problem}\n`);
    return 2;
  }
  if (parsed.help) {
    output.out(helpText(width));
    return 0;
  }

  let link: LabLink;
  try {
    link = await connectToLab(port);
  } catch (err) {
    output.err(`protolab resolver: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  try {
    const api = link.api;
    const run = await withTimeout(
      runResolverInvocation(
        parsed.invocation,
        { state: () => api.getResolver(), setMode: (mode) => api.setResolverMode(mode), flush: (name) => api.flushResolverCache(name) },
        width,
      ),
      `the '${parsed.invocation.action}' request`,
    );
    output.out(values.json ? `${JSON.stringify(run.state, null, 2)}\n` : `${run.lines.join('\n')}\n`);
    return 0;
  } catch (err) {
    output.err(`protolab resolver: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    link.close();
  }
}
