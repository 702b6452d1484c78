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
 * and the rest is shared with `original`. The diffs skip subtrees that are the same object, so
 * with applyPlan's structural sharing both diffs cost what changed, not what the Pod weighs.
 */
export function verifiedPatch(original: object, mutated: object): PatchOperation[] {
  const ops = diffPatch(original, mutated);
  if (ops.length === 0) return ops;
  let applied: unknown;
  try {
    const owned = new WeakSet<object>();
    let document: unknown = markOwned(shallowCopy(original), owned);
    for (const [index, op] of ops.entries()) {
      copyAlong(document, op.path, owned);
      document = applyOperation(document, op, true, true, true, index).newDocument;
    }
    applied = document;
  } catch (error) {
    // fast-json-patch's errors carry the whole document (`tree`) and the operation's value:
    // only the error's name and the operation's place may travel, into logs or answers.
    throw new AutoprobeError(
      'AP_ERR_PATCH_INVALID',
      `the computed patch does not apply to the object (${describePatchError(error)})`,
    );
  }
  if (typeof applied !== 'object' || applied === null || compare(applied, mutated).length !== 0) {
    throw new AutoprobeError(
      'AP_ERR_PATCH_INVALID',
      'the computed patch does not reproduce the mutated object',
    );
  }
  return ops;
}

/** describePatchError names a patch error by its code, operation index, op and path only. */
export function describePatchError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown error';
  const e = error as {
    name?: unknown;
    index?: unknown;
    operation?: { op?: unknown; path?: unknown };
  };
  const name = typeof e.name === 'string' ? e.name : 'error';
  const op = typeof e.operation?.op === 'string' ? e.operation.op : '?';
  const path = typeof e.operation?.path === 'string' ? e.operation.path : '?';
  return typeof e.index === 'number' ? `${name} at operation ${e.index}: ${op} ${path}` : name;
}

/**
 * copyAlong makes every container on the way to the JSON Pointer `path` (its parent included) a
 * copy owned by `document` (each copied once, tracked in `owned`), so that applying an operation
 * at `path` changes nothing shared. `document` itself must already be owned. A missing step stops
 * the walk; applying the operation then fails its validation, as it would at the apiserver.
 */
function copyAlong(document: unknown, path: string, owned: WeakSet<object>): void {
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
function markOwned(value: unknown, owned: WeakSet<object>): unknown {
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
