// Monaco from the local bundle, never a CDN (STACK.md): the editor core, its worker built by
// vite, and @monaco-editor/react told to use this copy before any <Editor> mounts.

import * as monaco from 'monaco-editor/editor';
import { loader } from '@monaco-editor/react';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
loader.config({ monaco });

export { monaco };
