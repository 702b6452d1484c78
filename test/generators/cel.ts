/**
 * Evaluate the matchConditions prefilter as the apiserver would, with @bufbuild/cel (a CEL
 * implementation conformance-tested against cel-spec): JSON objects become CEL maps and integers
 * CEL ints, as the apiserver's unstructured object does.
 */
import { run } from '@bufbuild/cel';
import type { CelInput } from '@bufbuild/cel';

/** toCel turns JSON into CEL input. */
export function toCel(value: unknown): CelInput {
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'object' && value !== null) {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value as CelInput;
}

/** passesPrefilter evaluates a condition over `pod` (as `object`); it throws unless a bool. */
export function passesPrefilter(
  expression: string,
  pod: Readonly<Record<string, unknown>>,
): boolean {
  const result = run(expression, { object: toCel({ metadata: {}, ...pod }) });
  if (typeof result !== 'boolean')
    throw new Error(`the condition gave a ${typeof result}, not a bool`);
  return result;
}
