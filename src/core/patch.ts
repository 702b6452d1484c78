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

const { applyPatch, compare, deepClone } = fastJsonPatch;

/** A JSON Patch operation. */
export type PatchOperation = Operation;

/** diffPatch returns the operations that turn `original` into `mutated`. */
export function diffPatch(original: object, mutated: object): PatchOperation[] {
  return compare(original, mutated);
}

/**
 * verifiedPatch diffs, applies the patch to a copy of `original`, and checks the result equals
 * `mutated`. It throws AP_ERR_PATCH_INVALID otherwise, so a bad patch is never returned.
 */
export function verifiedPatch(original: object, mutated: object): PatchOperation[] {
  const ops = diffPatch(original, mutated);
  if (ops.length === 0) return ops;
  let applied: unknown;
  try {
    applied = applyPatch(deepClone(original), ops, true, false).newDocument;
  } catch (cause) {
    throw new AutoprobeError(
      'AP_ERR_PATCH_INVALID',
      'the computed patch does not apply to the object',
      { cause },
    );
  }
  if (compare(applied as object, mutated).length !== 0) {
    throw new AutoprobeError(
      'AP_ERR_PATCH_INVALID',
      'the computed patch does not reproduce the mutated object',
    );
  }
  return ops;
}
