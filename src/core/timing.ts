/** @module timing — merge and check probe timings (defaults, config, annotations). */
import type { Timing } from './catalog/index.js';

export const TIMING_FIELDS = [
  'initialDelaySeconds',
  'periodSeconds',
  'timeoutSeconds',
  'failureThreshold',
  'successThreshold',
] as const;

/** A timing field name. */
export type TimingField = (typeof TIMING_FIELDS)[number];

/** Some timing fields, as overrides carry them. */
export type TimingPatch = Partial<Record<TimingField, number>>;

/** isTimingField narrows a string to a timing field. */
export function isTimingField(value: string): value is TimingField {
  return (TIMING_FIELDS as readonly string[]).includes(value);
}

/** mergeTiming applies patches in order; later patches win. */
export function mergeTiming(
  base: Timing,
  ...patches: readonly (TimingPatch | undefined)[]
): Timing {
  let out: Timing = base;
  for (const patch of patches) if (patch !== undefined) out = { ...out, ...patch };
  return out;
}

/** The smallest value the API accepts for each field (initialDelaySeconds may be 0). */
export function minimumOf(field: TimingField): number {
  return field === 'initialDelaySeconds' ? 0 : 1;
}

/** The largest value accepted: int32, as in the Probe API. */
export const TIMING_MAX = 2_147_483_647;
