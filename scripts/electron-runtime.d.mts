// Types for electron-runtime.mjs (a plain Node script, so `npm start` needs no TypeScript).

export declare const PROBE_TIMEOUT_MS: number;

export type ProbeResult = { ok: true } | { ok: false; detail: string };

export type ElectronRuntime = { available: true; executable: string } | { available: false; reason: string };

export interface FindElectronRuntimeOptions {
  /** The electron package folder; null when it is not installed; looked up from the cwd when absent. */
  packageDir?: string | null;
  env?: NodeJS.ProcessEnv;
  platform?: string;
  probe?: (executable: string, env: NodeJS.ProcessEnv) => ProbeResult;
}

export declare function electronExecutableName(platform: string): string;
export declare function findElectronPackageDir(fromDir?: string): string | null;
export declare function probeRuns(executable: string, env: NodeJS.ProcessEnv): ProbeResult;
export declare function findElectronRuntime(options?: FindElectronRuntimeOptions): ElectronRuntime;
