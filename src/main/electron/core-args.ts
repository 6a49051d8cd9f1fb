// How the main process tells the core process where the lab lives: command-line arguments of the
// utility process (utilityProcess.fork passes them through to process.argv). Also reads the one
// option a user may give the Electron app itself: --port-offset.

export interface CoreOptions {
  dataDir: string;
  contentDir: string;
  portOffset?: number;
}

const DATA_DIR_FLAG = '--protolab-data-dir=';
const CONTENT_DIR_FLAG = '--protolab-content-dir=';
const PORT_OFFSET_FLAG = '--protolab-port-offset=';

export function formatCoreArgs(options: CoreOptions): string[] {
  const args = [DATA_DIR_FLAG + options.dataDir, CONTENT_DIR_FLAG + options.contentDir];
  if (options.portOffset !== undefined) args.push(PORT_OFFSET_FLAG + String(options.portOffset));
  return args;
}

/** Reads formatCoreArgs' output back out of argv; other arguments (the runtime's own) are ignored. */
export function parseCoreArgs(argv: readonly string[]): CoreOptions {
  const value = (flag: string) => argv.find((a) => a.startsWith(flag))?.slice(flag.length);
  const dataDir = value(DATA_DIR_FLAG);
  const contentDir = value(CONTENT_DIR_FLAG);
  if (!dataDir) throw new Error(`the lab core process needs ${DATA_DIR_FLAG}<folder>`);
  if (!contentDir) throw new Error(`the lab core process needs ${CONTENT_DIR_FLAG}<folder>`);
  const offsetText = value(PORT_OFFSET_FLAG);
  return offsetText === undefined ? { dataDir, contentDir } : { dataDir, contentDir, portOffset: parsePortOffset(offsetText) };
}

/**
 * `--port-offset N` or `--port-offset=N` among the app's own arguments, as for `protolab web`.
 * Whether N fits every service's port is the lab's to judge when it starts.
 */
export function portOffsetFromAppArgs(argv: readonly string[]): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--port-offset=')) return parsePortOffset(arg.slice('--port-offset='.length));
    if (arg === '--port-offset') {
      const next = argv[i + 1];
      if (next === undefined) throw new Error('--port-offset needs a number, e.g. --port-offset 20000');
      return parsePortOffset(next);
    }
  }
  return undefined;
}

function parsePortOffset(text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`--port-offset must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}
