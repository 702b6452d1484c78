/**
 * @module patch — JSON Patch (RFC 6902) from diffing the original and the mutated object, checked
 * by applying it back to the original before anyone sees it.
 *
 * Hand-built paths are how webhooks produce patches that fail to apply, which the apiserver turns
 * into a 500 regardless of failurePolicy; diffing (as controller-runtime and Pepr do) avoids that.
 */
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { AutoprobeError } from './errors.js';

const { applyOperation, compare } = fastJsonPatch;

/** A JSON Patch operation. */
export type PatchOperation = Operation;

/** diffPatch returns the operations that turn `original` into `mutated`. */
export function diffPatch(original: object, mutated: object): PatchOperation[] {
  return compare(original, mutated);
}

/**
 * verifiedPatch diffs, applies the patch to a copy of `original`, and checks the result equals
 * `mutated`. It throws AP_ERR_PATCH_INVALID otherwise, so a bad patch is never returned.
 *
 * The copy is made on write: only the objects on each operation's path are copied before the
 * operation is applied (by fast-json-patch, with validation, as the apiserver would apply it),
 * and the rest is shared with `original`. The diff and the equality check skip subtrees that are
 * the same object, so with applyPlan's structural sharing both cost what changed, not what the
 * Pod weighs.
 */
export function verifiedPatch(original: object, mutated: object): PatchOperation[] {
  const ops = diffPatch(original, mutated);
  if (ops.length === 0) return ops;
  let applied: unknown;
  try {
    const owned = new Set<object>();
    let document: unknown = markOwned(shallowCopy(original), owned);
    for (const op of ops) {
      copyAlong(document, op.path, owned);
      document = applyOperation(document, op, true, true).newDocument;
    }
    applied = document;
  } catch (cause) {
    throw new AutoprobeError(
      'AP_ERR_PATCH_INVALID',
      'the computed patch does not apply to the object',
      { cause },
    );
  }
  if (typeof applied !== 'object' || applied === null || !sameJson(applied, mutated)) {
    throw new AutoprobeError(
      'AP_ERR_PATCH_INVALID',
      'the computed patch does not reproduce the mutated object',
    );
  }
  return ops;
}

/**
 * copyAlong makes every container on the way to the JSON Pointer `path` (its parent included) a
 * copy owned by `document` (each copied once, tracked in `owned`), so that applying an operation
 * at `path` changes nothing shared. `document` itself must already be owned. A missing step stops
 * the walk; applying the operation then fails its validation, as it would at the apiserver.
 */
function copyAlong(document: unknown, path: string, owned: Set<object>): void {
  const tokens = path.split('/').slice(1, -1).map(unescapePathToken);
  let node: unknown = document;
  for (const token of tokens) {
    if (typeof node !== 'object' || node === null) return;
    const parent = node as Record<string, unknown>;
    if (!Object.hasOwn(parent, token)) return;
    const child = parent[token];
    node =
      typeof child === 'object' && child !== null && owned.has(child)
        ? child
        : (parent[token] = markOwned(shallowCopy(child), owned));
  }
}

/** markOwned records a fresh copy as owned by the document being patched. */
function markOwned(value: unknown, owned: Set<object>): unknown {
  if (typeof value === 'object' && value !== null) owned.add(value);
  return value;
}

function shallowCopy(value: unknown): unknown {
  if (Array.isArray(value)) return [...(value as unknown[])];
  if (typeof value === 'object' && value !== null) return { ...value };
  return value;
}

/** unescapePathToken decodes `~1` and `~0` (RFC 6901 §4). */
function unescapePathToken(token: string): string {
  return token.includes('~') ? token.replace(/~1/g, '/').replace(/~0/g, '~') : token;
}

/**
 * sameJson says whether two JSON values are equal as JSON: same types, same array items in order,
 * same object keys whatever their order, keys holding `undefined` ignored (JSON.stringify drops
 * them, and so does the diff). It is the check `compare(a, b).length === 0` made cheaper: no
 * patch paths are built and no values copied (a second diff was a third of the patch check,
 * docs/benchmarks.md). Subtrees that are the same object are equal without a walk, and the walk
 * uses an explicit stack because JSON nests as deep as the body allows.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  const stack: unknown[] = [a, b];
  while (stack.length > 0) {
    const y = stack.pop();
    const x = stack.pop();
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const pushed = Array.isArray(x)
      ? pushItems(x, y as unknown[], stack)
      : pushFields(x as Record<string, unknown>, y as Record<string, unknown>, stack);
    if (!pushed) return false;
  }
  return true;
}

/** pushItems queues the item pairs of two arrays, or says their lengths differ. */
function pushItems(x: readonly unknown[], y: readonly unknown[], stack: unknown[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) stack.push(x[i], y[i]);
  return true;
}

/** pushFields queues the value pairs of two objects, or says their defined keys differ. */
function pushFields(
  x: Readonly<Record<string, unknown>>,
  y: Readonly<Record<string, unknown>>,
  stack: unknown[],
): boolean {
  let defined = 0;
  for (const key of Object.keys(x)) {
    if (x[key] === undefined) continue;
    if (!Object.hasOwn(y, key)) return false;
    defined += 1;
    stack.push(x[key], y[key]);
  }
  for (const key of Object.keys(y)) if (y[key] !== undefined) defined -= 1;
  return defined === 0;
}
