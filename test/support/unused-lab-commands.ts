// Fakes of the LabApi in unit tests implement the commands their test uses; every other command
// rejects, so a test that calls one by mistake fails with a clear message.

import { LAB_COMMAND_NAMES, type LabCommands } from '../../src/shared/lab-api';

export function unusedLabCommands(): LabCommands {
  const commands: Record<string, () => Promise<never>> = {};
  for (const name of LAB_COMMAND_NAMES) commands[name] = () => Promise.reject(new Error(`${name} is not used in this test`));
  return commands as unknown as LabCommands;
}
