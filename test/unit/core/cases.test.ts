// The shared case table, run against the engine itself.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_CONFIG,
  formatReason,
  probesOf,
  mutateTemplate,
  verifiedPatch,
} from '../../../src/core/index.js';
import { CASES } from '../../cases/cases.js';
import { checkDecisions } from '../../cases/check.js';

describe('shared cases through the engine', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { plan, mutated } = mutateTemplate(c.pod, DEFAULT_ENGINE_CONFIG);
      checkDecisions(
        plan.decisions.map((d) => ({
          ...d,
          probes: probesOf(d),
          reasons: d.reasons.map(formatReason),
        })),
        c.expect,
      );
      expect(() => verifiedPatch(c.pod, mutated)).not.toThrow();
    });
  }
});
