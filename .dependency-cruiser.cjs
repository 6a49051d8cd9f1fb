// The layering of DESIGN.md §2, checked on every `npm test`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'protocols-are-pure',
      comment: 'src/protocols holds protocol knowledge only: it imports nothing outside itself but types from src/shared, and no Node built-ins.',
      severity: 'error',
      from: { path: '^src/protocols/' },
      to: { pathNot: ['^src/protocols/', '^src/shared/'] },
    },
    {
      name: 'shared-imports-nothing',
      comment: 'src/shared is the contract (types, constant tables, the pure wire client); it depends on nothing else.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { pathNot: '^src/shared/' },
    },
    {
      name: 'renderer-only-shared-and-protocols',
      comment: 'The renderer talks to the core only through LabApi; it may use shared and protocols (dissectors) and npm UI packages, never main or Node built-ins.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: ['^src/main/', '^src/preload/'] },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'main-never-imports-renderer',
      severity: 'error',
      from: { path: '^src/main/' },
      to: { path: '^src/renderer/' },
    },
    {
      name: 'preload-only-shared',
      comment: 'The preload exposes LabApi and nothing else.',
      severity: 'error',
      from: { path: '^src/preload/' },
      to: { pathNot: ['^src/shared/', '^electron$', 'node_modules/electron/'] },
    },
    {
      name: 'only-the-electron-face-imports-electron',
      comment: 'Tests and the CLI load the core; the Electron runtime cannot be had there.',
      severity: 'error',
      from: { pathNot: ['^src/main/electron/', '^src/preload/'] },
      to: { path: ['^electron$', 'node_modules/electron/'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    exclude: { path: ['\\.d\\.ts$'] },
  },
};
