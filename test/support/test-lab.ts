// A real Lab for an integration test: a fresh data folder and a free port offset, removed again
// when the test stops it.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Lab, defaultContentDir, type LabOptions } from '../../src/main/lab/lab';
import { freePortOffset } from './ports';

export interface TestLab {
  lab: Lab;
  dir: string;
  offset: number;
  /** Stops the lab and deletes its data folder. */
  stop(): Promise<void>;
}

export async function startTestLab(extra: Partial<LabOptions> = {}): Promise<TestLab> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protolab-test-'));
  const offset = extra.portOffset ?? (await freePortOffset());
  const lab = await Lab.start({ dataDir: dir, contentDir: defaultContentDir(), portOffset: offset, ...extra });
  return {
    lab,
    dir,
    offset,
    stop: async () => {
      await lab.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
