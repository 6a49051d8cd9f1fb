// Helpers over the dissection tree (FieldNode[], Wireshark's proto tree): addressing nodes by
// path, finding the node under a byte, and flattening the expanded part for rendering.

import type { FieldNode } from '../../protocols/core/field';
import type { ByteRange } from './hex-dump';

/** A node's position: child indexes from the roots down, e.g. [0, 2] = third child of the first root. */
export type NodePath = readonly number[];

export function pathKey(path: NodePath): string {
  return path.join('.');
}

export function parsePathKey(key: string): number[] {
  if (key === '') return [];
  return key.split('.').map((p) => Number(p));
}

export function nodeAtPath(nodes: readonly FieldNode[], path: NodePath): FieldNode | null {
  let level: readonly FieldNode[] | undefined = nodes;
  let node: FieldNode | null = null;
  for (const i of path) {
    node = level?.[i] ?? null;
    if (!node) return null;
    level = node.children;
  }
  return node;
}

/** Keys of every ancestor of a path (not the path itself): what must be expanded to show it. */
export function ancestorKeys(path: NodePath): string[] {
  const keys: string[] = [];
  for (let i = 1; i < path.length; i++) keys.push(pathKey(path.slice(0, i)));
  return keys;
}

/** The bytes a node covers; generated nodes and empty ones cover none. */
export function nodeRange(node: FieldNode): ByteRange | null {
  if (node.generated || node.length <= 0) return null;
  return { start: node.offset, end: node.offset + node.length };
}

function covers(node: FieldNode, offset: number): boolean {
  const r = nodeRange(node);
  return r !== null && offset >= r.start && offset < r.end;
}

/**
 * The deepest node whose bytes include `offset` (what a click on that byte selects, as in
 * Wireshark). Among siblings the first that covers it wins. A parent that does not cover the byte
 * is still searched, because summary nodes may have a zero length while their children point at
 * real bytes.
 */
export function deepestPathAt(nodes: readonly FieldNode[], offset: number): number[] | null {
  let best: number[] | null = null;
  const visit = (level: readonly FieldNode[], prefix: number[]): void => {
    level.forEach((node, i) => {
      const path = [...prefix, i];
      if (covers(node, offset) && (best === null || path.length > best.length)) best = path;
      if (node.children) visit(node.children, path);
    });
  };
  visit(nodes, []);
  return best;
}

/** Nodes shown expanded when a message is first opened: every node above this depth. */
export const DEFAULT_EXPANDED_DEPTH = 1;

export function defaultExpandedKeys(nodes: readonly FieldNode[], depth = DEFAULT_EXPANDED_DEPTH): Set<string> {
  const keys = new Set<string>();
  const visit = (level: readonly FieldNode[], prefix: number[]): void => {
    if (prefix.length >= depth) return;
    level.forEach((node, i) => {
      if (!node.children?.length) return;
      const path = [...prefix, i];
      keys.add(pathKey(path));
      visit(node.children, path);
    });
  };
  visit(nodes, []);
  return keys;
}

export interface VisibleNode {
  node: FieldNode;
  path: number[];
  key: string;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
}

/** The rows the details tree shows, in order: every node whose ancestors are all expanded. */
export function visibleNodes(nodes: readonly FieldNode[], expanded: ReadonlySet<string>): VisibleNode[] {
  const out: VisibleNode[] = [];
  const visit = (level: readonly FieldNode[], prefix: number[]): void => {
    level.forEach((node, i) => {
      const path = [...prefix, i];
      const key = pathKey(path);
      const hasChildren = Boolean(node.children?.length);
      const isOpen = hasChildren && expanded.has(key);
      out.push({ node, path, key, depth: prefix.length, hasChildren, expanded: isOpen });
      if (isOpen) visit(node.children!, path);
    });
  };
  visit(nodes, []);
  return out;
}

/** The text a tree row shows: generated (computed) fields in brackets, as Wireshark does. */
export function nodeLabel(node: FieldNode): string {
  return node.generated ? `[${node.display}]` : node.display;
}
