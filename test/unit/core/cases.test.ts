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
      const namespace =
        c.namespace === undefined
          ? null
          : { labels: c.namespace.labels ?? {}, annotations: c.namespace.annotations ?? {} };
      const { plan, mutated } = mutateTemplate(c.pod, DEFAULT_ENGINE_CONFIG, { namespace });
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
