/**
 * @module catalog/verification — how each exec readiness command was verified: against which real
 * server, by which suite. Filled from the probe conformance suite (test/probes); a command that
 * was not executed here says so.
 */
import type { Family } from '../families.js';

/** How one family's exec readiness command (for the listed variants) was verified. */
export interface Verification {
  readonly family: Family;
  readonly variants: 'all' | readonly string[];
  readonly how: string;
}

export const VERIFICATION: readonly Verification[] = [];
