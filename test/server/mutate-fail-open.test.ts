// Fail open: an engine error, an overrun deadline or a body that arrives too slowly never blocks
// a Pod; each is answered allowed with no patch (or left to failurePolicy), logged and counted.
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DEADLINE_WARNING, FAIL_OPEN_WARNING } from '../../src/admission/index.js';
import type { Engine } from '../../src/admission/index.js';
import { mutateTemplate } from '../../src/core/index.js';
import { metricValue, podOf, post, reviewOf, testApp } from './helpers/app.js';
import type { TestApp } from './helpers/app.js';

const pod = podOf([{ name: 'db', image: 'postgres:16' }]);

let t: TestApp;
afterEach(async () => {
  await t.app.close();
});

describe('POST /mutate failing open', () => {
  it('answers allowed with no patch and one warning when the engine throws, and counts it', async () => {
    t = testApp({
      scope: 'cluster',
      engine: () => {
        throw new TypeError('engine bug');
      },
    });
    const answer = await post(t.app, reviewOf(pod, { uid: 'u-err' }));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: 'u-err',
        allowed: true,
        warnings: [FAIL_OPEN_WARNING],
        auditAnnotations: { 'failed-open': 'internal-error' },
      },
    });
    expect(
      await metricValue(t.metrics, 'autoprobe_admission_fail_open_total', { cause: 'error' }),
    ).toBe(1);
    expect(
      await metricValue(t.metrics, 'autoprobe_admission_reviews_total', {
        outcome: 'errored-open',
      }),
    ).toBe(1);
    const line = t.logs.find((l) => l.msg === 'admission review failed open');
    expect(line).toMatchObject({ level: 50, uid: 'u-err', outcome: 'errored-open' });
    // A foreign error's message may quote the Pod: the line keeps its type and frames only.
    expect(line?.err).toMatchObject({ type: 'TypeError', frames: expect.any(Array) as unknown });
    expect(JSON.stringify(line)).not.toContain('engine bug');
  });

  it('gives up on a decision that overran the deadline: allowed, no patch', async () => {
    const slow: Engine = (p, config) => {
      const until = Date.now() + 150;
      while (Date.now() < until) {
        // A synchronous engine cannot be interrupted; the overrun is detected afterwards.
      }
      return mutateTemplate(p, config);
    };
    t = testApp({ scope: 'cluster', engine: slow, requestTimeoutMs: 100 });
    const answer = await post(t.app, reviewOf(pod, { uid: 'u-slow' }));
    expect(answer.body).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: 'u-slow',
        allowed: true,
        warnings: [DEADLINE_WARNING],
        auditAnnotations: { 'failed-open': 'deadline' },
      },
    });
    expect(
      await metricValue(t.metrics, 'autoprobe_admission_fail_open_total', { cause: 'deadline' }),
    ).toBe(1);
  });

  it("uses the apiserver's ?timeout= when it is shorter than the configured limit", async () => {
    const slow: Engine = (p, config) => {
      const until = Date.now() + 60;
      while (Date.now() < until) {
        // 60 ms is well within the configured 2 s, but not within the apiserver's 0 s − margin.
      }
      return mutateTemplate(p, config);
    };
    t = testApp({ scope: 'cluster', engine: slow, requestTimeoutMs: 2000 });
    const response = await t.app.inject({
      method: 'POST',
      url: '/mutate?timeout=0s',
      payload: reviewOf(pod),
    });
    expect(t.reviews[0]?.outcome).toBe('timed-out');
    expect(response.statusCode).toBe(200);
  });

  it('answers 504 and closes the connection when the body has not arrived by the deadline', async () => {
    t = testApp({ scope: 'cluster', requestTimeoutMs: 150 });
    const body = JSON.stringify(reviewOf(pod));
    const slowBody = new Readable({ read: () => undefined });
    slowBody.push(body.slice(0, 10));
    const response = await t.app.inject({
      method: 'POST',
      url: '/mutate',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      payload: slowBody,
    });
    slowBody.push(null);
    expect(response.statusCode).toBe(504);
    expect(response.headers.connection).toBe('close');
    expect(response.json()).toEqual({
      statusCode: 504,
      code: 'AP_ERR_REVIEW_DECODE',
      message: 'the request deadline passed before the AdmissionReview was read',
    });
    expect(
      await metricValue(t.metrics, 'autoprobe_admission_reviews_total', { outcome: 'timed-out' }),
    ).toBe(1);
  });
});
