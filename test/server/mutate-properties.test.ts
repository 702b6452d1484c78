// Properties of every answer over generated Pods: the contract holds (uid echo, patchType with a
// patch only, short and few warnings, valid audit keys), the patch applies to the request object,
// user probes are never overwritten, and the webhook is idempotent on its own output.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/core/index.js';
import { applied, patchOf, post, reviewBody, reviewOf, testApp } from './helpers/app.js';
import type { TestApp } from './helpers/app.js';

const IMAGES = [
  'postgres:16',
  'redis:7.4',
  'bitnami/redis:7.2',
  'rabbitmq:3.13-management',
  'mysql:8.4',
  'mariadb:11.4',
  'apache/kafka:3.9.0',
  'mongo:7.0',
  'nginx:1.27',
  'quay.io/prometheuscommunity/postgres-exporter:v0.15.0',
  'Not A Valid Image',
  '',
];
const PROBE_FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

const container = fc.record({
  image: fc.constantFrom(...IMAGES),
  probes: fc.subarray([...PROBE_FIELDS]),
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  args: fc.option(fc.constantFrom(['--port', '6380'], ['redis-sentinel'], ['--bind_ip_all']), {
    nil: undefined,
  }),
});

const podArbitrary = fc
  .record({
    containers: fc.array(container, { minLength: 1, maxLength: 4 }),
    annotations: fc.dictionary(
      fc.constantFrom(
        'autoprobe.dev/inject',
        'autoprobe.dev/port',
        'autoprobe.dev/probes',
        'autoprobe.dev/timings',
        'autoprobe.dev/unknown',
        'other.io/key',
      ),
      fc.string({ maxLength: 40 }),
    ),
    restartPolicy: fc.constantFrom(undefined, 'Always', 'Never', 'OnFailure'),
  })
  .map(({ containers, annotations, restartPolicy }): JsonObject => ({
    metadata: { generateName: 'gen-', annotations },
    spec: {
      ...(restartPolicy === undefined ? {} : { restartPolicy }),
      containers: containers.map((c, i) => ({
        name: `c${i}`,
        image: c.image,
        ...(c.port === undefined ? {} : { ports: [{ containerPort: c.port }] }),
        ...(c.args === undefined ? {} : { args: c.args }),
        ...Object.fromEntries(
          c.probes.map((f) => [f, { tcpSocket: { port: 1 }, periodSeconds: 7 }]),
        ),
      })),
    },
  }));

const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

let t: TestApp;
beforeAll(() => {
  t = testApp({ scope: 'cluster', mode: 'enforce' });
});
afterAll(async () => {
  await t.app.close();
});

describe('POST /mutate over generated pods', () => {
  it('keeps the answer contract, applies, never overwrites and is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(podArbitrary, fc.uuid(), async (pod, uid) => {
        const answer = await post(t.app, reviewOf(pod, { uid }));
        expect(answer.status).toBe(200);
        const { apiVersion, kind, response } = reviewBody(answer);
        expect([apiVersion, kind, response.uid, response.allowed]).toEqual([
          'admission.k8s.io/v1',
          'AdmissionReview',
          uid,
          true,
        ]);
        expect(response.patchType === undefined).toBe(response.patch === undefined);
        expect((response.warnings ?? []).length).toBeLessThanOrEqual(5);
        for (const w of response.warnings ?? []) expect(w.length).toBeLessThanOrEqual(120);
        for (const key of Object.keys(response.auditAnnotations ?? {})) {
          expect(key).toMatch(QUALIFIED_NAME_PART);
        }

        const after = applied(pod, answer);
        const was = (pod.spec as { containers: JsonObject[] }).containers;
        const now = (after.spec as { containers: JsonObject[] }).containers;
        was.forEach((c, i) => {
          for (const field of PROBE_FIELDS) {
            if (c[field] !== undefined) expect(now[i]?.[field]).toEqual(c[field]);
          }
        });
        expect(patchOf(await post(t.app, reviewOf(after, { uid })))).toEqual([]);
      }),
      { numRuns: 150 },
    );
    // A limit against hangs, not a timing: 150 generated Pods through the app take ~3 s on a
    // loaded machine, near vitest's 5 s default.
  }, 60_000);
});
