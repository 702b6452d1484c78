// Every mode × scope × namespace label × pod opt-out combination, with exact answers, and dryRun.
import { afterEach, describe, expect, it } from 'vitest';
import type { Mode, Scope } from '../../src/core/index.js';
import { applied, metricValue, patchOf, podOf, post, reviewOf, testApp } from './helpers/app.js';
import type { TestApp } from './helpers/app.js';

const INJECT = 'autoprobe.dev/inject';
const MODE = 'autoprobe.dev/mode';
const postgres = [{ name: 'db', image: 'postgres:16' }];
const AUDIT_WARNING = 'autoprobe audit: would add liveness,readiness,startup to db (postgres)';

type Labels = Record<string, string> | null;
type Expected = 'patched' | 'audited' | 'skipped-scope' | 'unchanged';

const LABELS: [string, Labels][] = [
  ['unknown labels', null],
  ['no autoprobe label', {}],
  ['inject=enabled', { [INJECT]: 'enabled' }],
  ['inject=disabled', { [INJECT]: 'disabled' }],
  ['inject=enabled, mode=audit', { [INJECT]: 'enabled', [MODE]: 'audit' }],
  ['mode=audit only', { [MODE]: 'audit' }],
];

/** The expectation, written out from DESIGN §3 rather than computed by the code under test. */
function expected(scope: Scope, mode: Mode, labels: Labels, optOut: boolean): Expected {
  const inject = labels?.[INJECT];
  if (inject === 'disabled') return 'skipped-scope';
  if (scope === 'optin' && labels !== null && inject !== 'enabled') return 'skipped-scope';
  const audit = mode === 'audit' || labels?.[MODE] === 'audit';
  if (optOut) return 'unchanged';
  return audit ? 'audited' : 'patched';
}

const matrix: [Scope, Mode, string, boolean, Labels][] = [];
for (const scope of ['optin', 'cluster'] as const) {
  for (const mode of ['enforce', 'audit'] as const) {
    for (const [name, labels] of LABELS) {
      for (const optOut of [false, true]) matrix.push([scope, mode, name, optOut, labels]);
    }
  }
}

let t: TestApp;
afterEach(async () => {
  await t.app.close();
});

describe('POST /mutate across mode, scope, namespace labels and pod opt-out', () => {
  it.each(matrix)(
    '%s scope, %s mode, namespace with %s, pod opted out: %s',
    async (scope, mode, _n, optOut, labels) => {
      t = testApp({ scope, mode, labels: labels === null ? {} : { team: labels } });
      const pod = podOf(postgres, optOut ? { annotations: { [INJECT]: 'false' } } : {});
      const answer = await post(t.app, reviewOf(pod, { uid: 'u-m' }));
      const want = expected(scope, mode, labels, optOut);
      const response = (answer.body as { response: Record<string, unknown> }).response;
      expect(answer.status).toBe(200);
      expect(t.reviews[0]?.outcome).toBe(want);
      switch (want) {
        case 'skipped-scope':
          expect(response).toEqual({ uid: 'u-m', allowed: true });
          break;
        case 'audited':
          expect(response).toEqual({
            uid: 'u-m',
            allowed: true,
            warnings: [AUDIT_WARNING],
            auditAnnotations: { mode: 'audit', 'would-inject': 'db=liveness+readiness+startup' },
          });
          break;
        case 'patched': {
          expect(response).toMatchObject({ uid: 'u-m', allowed: true, patchType: 'JSONPatch' });
          expect(response.auditAnnotations).toEqual({
            mode: 'enforce',
            injected: 'db=liveness+readiness+startup',
          });
          const after = applied(pod, answer) as { spec: { containers: Record<string, unknown>[] } };
          expect(Object.keys(after.spec.containers[0] ?? {})).toEqual(
            expect.arrayContaining(['livenessProbe', 'readinessProbe', 'startupProbe']),
          );
          break;
        }
        case 'unchanged':
          expect(response.patch).toBeUndefined();
          expect(response.warnings).toBeUndefined();
          expect(response.auditAnnotations).toEqual({
            mode: mode === 'audit' || labels?.[MODE] === 'audit' ? 'audit' : 'enforce',
            skipped: 'db=pod-opted-out',
          });
          break;
      }
    },
  );
});

describe('POST /mutate exclusions', () => {
  it.each(['kube-system', 'kube-public', 'kube-node-lease', 'autoprobe'])(
    'never acts in excluded namespace %s, whatever its labels',
    async (namespace) => {
      t = testApp({
        scope: 'cluster',
        excludedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease', 'autoprobe'],
        labels: { [namespace]: { [INJECT]: 'enabled' } },
      });
      const answer = await post(t.app, reviewOf(podOf(postgres), { namespace }));
      expect(patchOf(answer)).toEqual([]);
      expect(t.reviews[0]?.outcome).toBe('skipped-scope');
    },
  );
});

describe('POST /mutate with dryRun', () => {
  it.each<[Mode]>([['enforce'], ['audit']])(
    'answers a %s dry run exactly like the real request',
    async (mode) => {
      t = testApp({ scope: 'cluster', mode });
      const pod = podOf(postgres);
      const real = await post(t.app, reviewOf(pod, { uid: 'same' }));
      const dry = await post(t.app, reviewOf(pod, { uid: 'same', dryRun: true }));
      expect(dry).toEqual(real);
    },
  );

  it('counts a dry run with its own label and not as decisions taken', async () => {
    t = testApp({ scope: 'cluster' });
    await post(t.app, reviewOf(podOf(postgres), { dryRun: true }));
    const reviews = 'autoprobe_admission_reviews_total';
    expect(await metricValue(t.metrics, reviews, { outcome: 'patched', dry_run: 'true' })).toBe(1);
    expect(await metricValue(t.metrics, reviews, { outcome: 'patched', dry_run: 'false' })).toBe(0);
    const decisions = 'autoprobe_decisions_total';
    expect(await metricValue(t.metrics, decisions, { family: 'postgres', action: 'inject' })).toBe(
      0,
    );
    expect(t.logs.find((l) => l.msg === 'admission review')).toMatchObject({
      dryRun: true,
      outcome: 'patched',
    });
  });
});

describe('POST /mutate with invalid annotations', () => {
  it('admits the pod, ignores the bad value and says so in a warning', async () => {
    t = testApp({ scope: 'cluster' });
    const timings = 'db.startup.failureThreshold=720,db.readiness.periodSeconds=zero';
    const pod = podOf(postgres, { annotations: { 'autoprobe.dev/timings': timings } });
    const answer = await post(t.app, reviewOf(pod));
    const response = (answer.body as { response: { allowed: boolean; warnings: string[] } })
      .response;
    expect(response.allowed).toBe(true);
    expect(response.warnings).toEqual([
      'autoprobe: autoprobe.dev/timings: "db.readiness.periodSeconds=zero": value must be a whole number, ignored',
    ]);
    const after = applied(pod, answer) as { spec: { containers: Record<string, unknown>[] } };
    expect(after.spec.containers[0]?.startupProbe).toMatchObject({ failureThreshold: 720 });
  });

  it('skips a container whose port annotation is invalid rather than guess, and warns', async () => {
    t = testApp({ scope: 'cluster', mode: 'audit' });
    const pod = podOf(postgres, { annotations: { 'autoprobe.dev/port': 'db=99999' } });
    const answer = await post(t.app, reviewOf(pod));
    expect((answer.body as { response: { warnings: string[] } }).response.warnings).toEqual([
      'autoprobe: autoprobe.dev/port: container "db": port 99999 out of range 1-65535; no port probes added',
      'autoprobe audit: would skip db (postgres): port-unresolved',
    ]);
  });
});
