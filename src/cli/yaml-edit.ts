/**
 * @module cli/yaml-edit — apply JSON Patch operations to a yaml Document in place, creating only
 * the nodes they add, so the rest of the input (comments, key order, quoting) is printed as it was.
 */
import { isMap, isSeq } from 'yaml';
import type { Document } from 'yaml';
import type { PatchOperation } from '../core/index.js';
import type { NodePath } from './workloads.js';

/**
 * applyToDocument applies `ops`, whose paths are relative to the node at `base`. It returns false
 * when the document's shape cannot be followed (an alias, a `<<` merge key, a non-map parent):
 * the document is then partly edited and the caller must rebuild it.
 */
export function applyToDocument(
  doc: Document,
  base: NodePath,
  ops: readonly PatchOperation[],
): boolean {
  const prefix = base.map(String);
  return ops.every((op) => applyOne(doc, [...prefix, ...parsePointer(op.path)], op));
}

function applyOne(doc: Document, path: readonly string[], op: PatchOperation): boolean {
  const key = path.at(-1);
  const parent = nodeAt(doc, path.slice(0, -1));
  if (key === undefined) return false;
  if (op.op === 'add' || op.op === 'replace') {
    const node = doc.createNode(op.value);
    if (isMap(parent)) parent.set(key, node);
    else if (!isSeq(parent)) return false;
    else if (key === '-' && op.op === 'add') parent.add(node);
    else if (!isIndex(key, parent.items.length)) return false;
    else if (op.op === 'add') parent.items.splice(Number(key), 0, node);
    else parent.set(Number(key), node);
    return true;
  }
  if (op.op === 'remove') {
    if (isMap(parent)) return parent.delete(key);
    return isSeq(parent) && isIndex(key, parent.items.length - 1) && parent.delete(Number(key));
  }
  // compare() only produces add, replace and remove.
  return false;
}

/** isIndex accepts a decimal array index up to `max` (RFC 6901: no leading zeros). */
function isIndex(key: string, max: number): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) <= max;
}

/** nodeAt follows map keys and sequence indexes; aliases and scalars end the walk. */
function nodeAt(doc: Document, path: readonly string[]): unknown {
  let node: unknown = doc.contents;
  for (const key of path) {
    if (isMap(node)) node = node.get(key, true);
    else if (isSeq(node)) node = node.get(Number(key), true);
    else return undefined;
  }
  return node;
}

/** parsePointer splits an RFC 6901 JSON Pointer into unescaped segments. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
