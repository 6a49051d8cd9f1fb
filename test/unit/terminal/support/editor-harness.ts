// A LineEditor on a real xterm.js screen, fed keystrokes the way the session feeds it.

import { KeyDecoder } from '../../../../src/main/lab/terminal/keys';
import { LineEditor, type EditorEvent, type LineEditorOptions } from '../../../../src/main/lab/terminal/line-editor';
import { Screen } from './screen';

export interface EditorHarness {
  editor: LineEditor;
  screen: Screen;
  events: EditorEvent[];
  /** Output of each key, in order. */
  outputs: string[];
  type(data: string): void;
}

/**
 * After a line or ^C the editor hides itself; like the session, the harness draws it again on the
 * fresh row so that a paste of several lines can be followed on screen.
 */
export function editorOnScreen(options: Partial<LineEditorOptions> & { rows?: number } = {}): EditorHarness {
  const cols = options.cols ?? 40;
  const screen = new Screen(cols, options.rows ?? 10);
  const editor = new LineEditor({ prompt: '> ', ...options, cols });
  const decoder = new KeyDecoder();
  const events: EditorEvent[] = [];
  const outputs: string[] = [];
  screen.write(editor.show(0));
  return {
    editor,
    screen,
    events,
    outputs,
    type(data: string): void {
      for (const key of decoder.decode(data)) {
        const result = editor.handleKey(key);
        screen.write(result.output);
        outputs.push(result.output);
        if (result.event) events.push(result.event);
        if (result.event?.kind === 'line' || result.event?.kind === 'interrupt') screen.write(editor.show(0));
      }
    },
  };
}
