#!/usr/bin/env node
// The `protolab` command. The lab core is TypeScript; tsx compiles it on the fly so the command
// works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
