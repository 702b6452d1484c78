// Anything that is not a Pod CREATE is allowed untouched, with the exact minimal answer.
import { afterEach, describe, expect, it } from 'vitest';
import { metricValue, podOf, post, reviewOf, testApp } from './helpers/app.js';
import type { ReviewFields, TestApp } from './helpers/app.js';

const pod = podOf([{ name: 'db', image: 'postgres:16' }]);

let t: TestApp;
afterEach(async () => {
  await t.app.close();
});

describe('POST /mutate outside Pod CREATE', () => {
  it.each<[string, ReviewFields]>([
    ['a Deployment CREATE', { kind: { group: 'apps', version: 'v1', kind: 'Deployment' } }],
    ['a ConfigMap CREATE', { kind: { group: '', version: 'v1', kind: 'ConfigMap' } }],
    [
      'a Pod from another API group',
      { kind: { group: 'example.com', version: 'v1', kind: 'Pod' } },
    ],
    ['a Pod UPDATE', { operation: 'UPDATE' }],
    ['a Pod DELETE without object', { operation: 'DELETE', object: null }],
    [
      'a Pod CONNECT (exec)',
      { operation: 'CONNECT', subResource: 'exec', object: { kind: 'PodExecOptions' } },
    ],
    [
      'the ephemeralcontainers subresource',
      { operation: 'UPDATE', subResource: 'ephemeralcontainers' },
    ],
    ['the status subresource', { operation: 'UPDATE', subResource: 'status' }],
    ['a Pod binding', { subResource: 'binding', object: { kind: 'Binding' } }],
  ])('allows %s untouched', async (_name, fields) => {
    t = testApp({ scope: 'cluster' });
    const answer = await post(t.app, reviewOf(pod, { uid: 'u-pass', ...fields }));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'u-pass', allowed: true },
    });
    expect(
      await metricValue(t.metrics, 'autoprobe_admission_reviews_total', { outcome: 'ignored' }),
    ).toBe(1);
  });
});
