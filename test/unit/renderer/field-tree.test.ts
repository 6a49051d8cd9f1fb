import { describe, expect, it } from 'vitest';
import type { FieldNode } from '../../../src/protocols/core/field';
import { utf8ToBytes } from '../../../src/protocols/core/bytes';
import { getProtocol } from '../../../src/protocols/registry';
import {
  DEFAULT_EXPANDED_DEPTH,
  ancestorKeys,
  deepestPathAt,
  defaultExpandedKeys,
  nodeAtPath,
  nodeLabel,
  nodeRange,
  parsePathKey,
  pathKey,
  visibleNodes,
} from '../../../src/renderer/lib/field-tree';

// A request line with a nested field, a generated summary with no bytes, and a zero-length parent
// whose child does cover bytes (as dissectors do for "summary" nodes).
const tree: FieldNode[] = [
  {
    id: 'x.line',
    offset: 0,
    length: 10,
    display: 'Request line',
    children: [
      { id: 'x.method', offset: 0, length: 3, display: 'Method: GET' },
      { id: 'x.target', offset: 4, length: 4, display: 'Target: /abc', children: [{ id: 'x.path', offset: 5, length: 3, display: 'Path: abc' }] },
      { id: 'x.rtt', offset: 0, length: 0, display: 'RTT: 3 ms', generated: true },
    ],
  },
  { id: 'x.group', offset: 0, length: 0, display: 'Headers', children: [{ id: 'x.header', offset: 10, length: 6, display: 'Host: a' }] },
];

describe('field tree', () => {
  it('addresses nodes by path and turns paths into keys and back', () => {
    expect(nodeAtPath(tree, [0, 1, 0])?.display).toBe('Path: abc');
    expect(nodeAtPath(tree, [0, 9])).toBeNull();
    expect(nodeAtPath(tree, [])).toBeNull();
    expect(pathKey([0, 1, 0])).toBe('0.1.0');
    expect(parsePathKey('0.1.0')).toEqual([0, 1, 0]);
    expect(parsePathKey('')).toEqual([]);
    expect(ancestorKeys([0, 1, 0])).toEqual(['0', '0.1']);
  });

  it('gives the byte range of real fields and none for generated or empty ones', () => {
    expect(nodeRange(tree[0].children![1])).toEqual({ start: 4, end: 8 });
    expect(nodeRange(tree[0].children![2])).toBeNull();
    expect(nodeRange(tree[1])).toBeNull();
  });

  it('finds the deepest field under a byte, through zero-length parents', () => {
    expect(deepestPathAt(tree, 1)).toEqual([0, 0]);
    expect(deepestPathAt(tree, 6)).toEqual([0, 1, 0]);
    expect(deepestPathAt(tree, 4)).toEqual([0, 1]);
    expect(deepestPathAt(tree, 3)).toEqual([0]);
    expect(deepestPathAt(tree, 12)).toEqual([1, 0]);
    expect(deepestPathAt(tree, 99)).toBeNull();
  });

  it('expands the top levels by default and flattens only what is expanded', () => {
    expect(DEFAULT_EXPANDED_DEPTH).toBe(1);
    const keys = defaultExpandedKeys(tree);
    expect([...keys].sort()).toEqual(['0', '1']);
    const rows = visibleNodes(tree, keys);
    expect(rows.map((r) => `${r.depth}:${r.node.id}`)).toEqual(['0:x.line', '1:x.method', '1:x.target', '1:x.rtt', '0:x.group', '1:x.header']);
    expect(rows[2]).toMatchObject({ key: '0.1', hasChildren: true, expanded: false });
    const deeper = visibleNodes(tree, new Set([...keys, '0.1']));
    expect(deeper.map((r) => r.node.id)).toContain('x.path');
    expect(visibleNodes(tree, new Set()).map((r) => r.node.id)).toEqual(['x.line', 'x.group']);
  });

  it('puts generated fields in brackets', () => {
    expect(nodeLabel(tree[0].children![2])).toBe('[RTT: 3 ms]');
    expect(nodeLabel(tree[0])).toBe('Request line');
  });

  it('finds the data field of a real echo dissection from a byte click', () => {
    const bytes = utf8ToBytes('hello\r\n');
    const nodes = getProtocol('echo').dissect(bytes, { dir: 'c2s', role: 'request', transport: 'tcp' });
    const path = deepestPathAt(nodes, 1);
    expect(path).not.toBeNull();
    const node = nodeAtPath(nodes, path!)!;
    expect(node.id).toBe('echo.data');
    expect(nodeRange(node)).toEqual({ start: 0, end: 5 });
    const end = nodeAtPath(nodes, deepestPathAt(nodes, 6)!)!;
    expect(end.id).toBe('echo.terminator');
  });
});
