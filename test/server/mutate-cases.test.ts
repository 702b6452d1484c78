// The shared case table through POST /mutate: the webhook makes the same decisions as the engine
// and the CLI, its patch applies to the request object and adds exactly the decided probes, and
// running it on its own output adds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAMILIES,
  LINT_RULES,
  PROBE_FIELD,
  REASON_CODES,
  formatReason,
  probesOf,
} from '../../src/core/index.js';
import { REVIEW_OUTCOMES } from '../../src/admission/index.js';
import type { JsonObject } from '../../src/core/index.js';
import { CASES } from '../cases/cases.js';
import { checkDecisions } from '../cases/check.js';
import { applied, patchOf, post, reviewOf, testApp } from './helpers/app.js';
import type { TestApp } from './helpers/app.js';

let t: TestApp;
/** The namespace each case's Pod is reviewed in: its own when the case depends on it. */
const namespaceOf = (i: number): string =>
  CASES[i]?.namespace === undefined ? 'default' : `case-${i}`;

beforeAll(() => {
  const labels: Record<string, Record<string, string>> = {};
  const annotations: Record<string, Record<string, string>> = {};
  CASES.forEach((c, i) => {
    if (c.namespace === undefined) return;
    labels[namespaceOf(i)] = { ...c.namespace.labels };
    annotations[namespaceOf(i)] = { ...c.namespace.annotations };
  });
  t = testApp({ scope: 'cluster', mode: 'enforce', labels, annotations });
});
afterAll(async () => {
  await t.app.close();
});

/** The probes the patch added to each container, read back from the patched pod. */
function addedProbes(before: JsonObject, after: JsonObject): Map<string, Record<string, unknown>> {
  const added = new Map<string, Record<string, unknown>>();
  for (const list of ['containers', 'initContainers'] as const) {
    const was = ((before.spec as JsonObject)[list] ?? []) as JsonObject[];
    const now = ((after.spec as JsonObject)[list] ?? []) as JsonObject[];
    now.forEach((container, i) => {
      const probes: Record<string, unknown> = {};
      for (const [kind, field] of Object.entries(PROBE_FIELD)) {
        if (container[field] !== undefined && was[i]?.[field] === undefined)
          probes[kind] = container[field];
      }
      added.set(String(container.name), probes);
    });
  }
  return added;
}

describe('shared cases through POST /mutate', () => {
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const pod = structuredClone(c.pod) as JsonObject;
      const before = t.reviews.length;
      const answer = await post(t.app, reviewOf(pod, { namespace: namespaceOf(i) }));
      expect(answer.status).toBe(200);
      const result = t.reviews[before];
      if (result === undefined) throw new Error('no review observed');

      // Same decisions as every other surface.
      checkDecisions(
        result.decisions.map((d) => ({
          ...d,
          probes: probesOf(d),
          reasons: d.reasons.map(formatReason),
        })),
        c.expect,
      );

      // The patch applies to the request object and adds exactly the decided probes.
      const after = applied(pod, answer);
      const added = addedProbes(pod, after);
      for (const d of result.decisions.filter((x) => x.list !== 'ephemeralContainers')) {
        expect(added.get(d.container) ?? {}, d.container).toEqual(probesOf(d));
      }

      // Idempotent: the patched pod, reviewed again, gets no patch.
      const again = await post(t.app, reviewOf(after, { namespace: namespaceOf(i) }));
      expect(patchOf(again)).toEqual([]);
    });
  });
});

// Prometheus' advice: no unbounded label values (docs/practices/instrumentation.md, "Do not
// overuse labels"); at admission a Pod often has no name yet, and its series would never go away.
describe('metrics after the shared cases', () => {
  it('label every series with closed sets only: no pod, container or namespace name', async () => {
    const closed: Record<string, ReadonlySet<string>> = {
      family: new Set([...FAMILIES, 'none']),
      action: new Set(['inject', 'skip']),
      reason: new Set(REASON_CODES),
      code: new Set(Object.keys(LINT_RULES)),
      severity: new Set(['error', 'warning']),
      outcome: new Set(REVIEW_OUTCOMES),
      mode: new Set(['enforce', 'audit', 'none']),
      dry_run: new Set(['true', 'false']),
      cause: new Set(['error', 'deadline', 'overload']),
      result: new Set(['success', 'failure']),
      state: new Set(['disabled', 'syncing', 'synced', 'error']),
      le: new Set(),
    };
    const metrics = await t.metrics.registry.getMetricsAsJSON();
    const decisions = metrics.find((m) => m.name === 'autoprobe_decisions_total');
    expect(decisions?.values.length ?? 0).toBeGreaterThan(10);
    for (const metric of metrics.filter((m) => m.name.startsWith('autoprobe_'))) {
      for (const { labels } of metric.values) {
        for (const [label, value] of Object.entries(labels)) {
          const allowed = closed[label];
          expect(allowed, `${metric.name}: label ${label}`).toBeDefined();
          if (label !== 'le')
            expect(allowed?.has(String(value)), `${metric.name}{${label}="${value}"}`).toBe(true);
        }
      }
    }
  });
});
