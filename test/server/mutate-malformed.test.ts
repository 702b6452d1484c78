// POST /mutate answers every malformed request with an exact, clear response, never a 500.
import { afterEach, describe, expect, it } from 'vitest';
import { metricValue, podOf, post, reviewOf, testApp } from './helpers/app.js';
import type { TestApp } from './helpers/app.js';

const JSON_HEADERS = { 'content-type': 'application/json' };
const pod = podOf([{ name: 'db', image: 'postgres:16' }]);

let t: TestApp;
afterEach(async () => {
  await t.app.close();
});

const plain = (status: number, code: string, message: unknown): unknown => ({
  statusCode: status,
  code,
  message,
});
const inBand = (uid: string, status: number, message: string): unknown => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  response: { uid, allowed: false, status: { code: status, message } },
});

describe('POST /mutate with malformed input', () => {
  it.each<[string, unknown, Record<string, string>, number, unknown]>([
    [
      'an empty body',
      '',
      {},
      400,
      plain(400, 'AP_ERR_REVIEW_INVALID', 'the request body is empty; expected an AdmissionReview'),
    ],
    [
      'an empty JSON body',
      '',
      JSON_HEADERS,
      400,
      plain(400, 'AP_ERR_REVIEW_DECODE', 'the request body is empty; expected an AdmissionReview'),
    ],
    [
      'a JSON body of blanks',
      '  \n',
      JSON_HEADERS,
      400,
      plain(400, 'AP_ERR_REVIEW_DECODE', 'the request body is empty; expected an AdmissionReview'),
    ],
    [
      'a body that is not JSON',
      '{"apiVersion": admission',
      JSON_HEADERS,
      400,
      // The detail is V8's own message, which differs between Node versions.
      plain(
        400,
        'AP_ERR_REVIEW_DECODE',
        expect.stringMatching(/^the request body is not valid JSON \(.+\)$/),
      ),
    ],
    [
      'a text/plain content type',
      JSON.stringify(reviewOf(pod)),
      { 'content-type': 'text/plain' },
      415,
      plain(415, 'AP_ERR_REVIEW_DECODE', 'the content type must be application/json'),
    ],
    [
      'a YAML content type',
      'apiVersion: admission.k8s.io/v1',
      { 'content-type': 'application/yaml' },
      415,
      plain(415, 'AP_ERR_REVIEW_DECODE', 'the content type must be application/json'),
    ],
    [
      'a JSON array',
      [reviewOf(pod)],
      JSON_HEADERS,
      400,
      plain(400, 'AP_ERR_REVIEW_INVALID', 'expected an AdmissionReview object, got a JSON array'),
    ],
    [
      'a JSON string',
      '"AdmissionReview"',
      JSON_HEADERS,
      400,
      plain(400, 'AP_ERR_REVIEW_INVALID', 'expected an AdmissionReview object, got a JSON string'),
    ],
    [
      'the v1beta1 apiVersion',
      { ...reviewOf(pod, { uid: 'u-beta' }), apiVersion: 'admission.k8s.io/v1beta1' },
      JSON_HEADERS,
      400,
      inBand(
        'u-beta',
        400,
        'apiVersion must be admission.k8s.io/v1, got "admission.k8s.io/v1beta1"',
      ),
    ],
    [
      'the wrong kind',
      { ...reviewOf(pod, { uid: 'u-kind' }), kind: 'AdmissionResponse' },
      JSON_HEADERS,
      400,
      inBand('u-kind', 400, 'kind must be AdmissionReview, got "AdmissionResponse"'),
    ],
    [
      'no request',
      { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' },
      JSON_HEADERS,
      400,
      plain(400, 'AP_ERR_REVIEW_INVALID', 'request is missing or not an object'),
    ],
    [
      'no uid',
      reviewOf(pod, { uid: '' }),
      JSON_HEADERS,
      400,
      plain(400, 'AP_ERR_REVIEW_INVALID', 'request.uid is missing or empty'),
    ],
    [
      'no object on CREATE',
      reviewOf(null, { uid: 'u-noobj' }),
      JSON_HEADERS,
      400,
      inBand('u-noobj', 400, 'request.object is missing or not an object for CREATE'),
    ],
    [
      'a __proto__ key spelled with an escape',
      '{"apiVersion":"admission.k8s.io/v1","\\u005f_proto__":{"x":1}}',
      JSON_HEADERS,
      400,
      plain(
        400,
        'AP_ERR_REVIEW_DECODE',
        'the request body has a "__proto__" key, refused (prototype poisoning)',
      ),
    ],
    [
      'a constructor.prototype spelled with escapes',
      '{"request":{"\\u0063onstructor":{"prot\\u006ftype":{"polluted":true}}}}',
      JSON_HEADERS,
      400,
      plain(
        400,
        'AP_ERR_REVIEW_DECODE',
        'the request body has a "constructor" key, refused (prototype poisoning)',
      ),
    ],
    [
      'a body nested deeper than any AdmissionReview',
      `{"request":${'['.repeat(200)}${']'.repeat(200)}}`,
      JSON_HEADERS,
      400,
      plain(
        400,
        'AP_ERR_REVIEW_DECODE',
        'the request body nests deeper than 128 levels (at position 138); an AdmissionReview does not',
      ),
    ],
    [
      'a body of more arrays than any AdmissionReview holds',
      `{"request":[${'[],'.repeat(200_000)}[]]}`,
      JSON_HEADERS,
      400,
      plain(
        400,
        'AP_ERR_REVIEW_DECODE',
        'the request body holds more than 200000 arrays and objects (at position 600006); an AdmissionReview does not',
      ),
    ],
    [
      'a body whose brackets and escaped quotes sit inside strings, as deep as allowed',
      `{"apiVersion":"a\\"[[[{{{","x":${'['.repeat(127)}${']'.repeat(127)}}`,
      JSON_HEADERS,
      400,
      plain(
        400,
        'AP_ERR_REVIEW_INVALID',
        'apiVersion must be admission.k8s.io/v1, got "a\\"[[[{{{"',
      ),
    ],
    [
      'a __proto__ key (prototype poisoning)',
      '{"apiVersion":"admission.k8s.io/v1","__proto__":{"x":1}}',
      JSON_HEADERS,
      400,
      plain(
        400,
        'AP_ERR_REVIEW_DECODE',
        'the request body has a "__proto__" key, refused (prototype poisoning)',
      ),
    ],
  ])('answers %s exactly', async (_name, payload, headers, status, body) => {
    t = testApp();
    const answer = await post(t.app, payload, headers);
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.body).toEqual(body);
    expect(
      await metricValue(t.metrics, 'autoprobe_admission_reviews_total', { outcome: 'invalid' }),
    ).toBe(1);
    expect(t.logs.filter((l) => l.msg === 'admission review refused')).toHaveLength(1);
  });

  it('answers a body one byte over 3 MiB with 413 and a clear message', async () => {
    t = testApp();
    const limit = 3 * 1024 * 1024;
    const answer = await post(t.app, Buffer.alloc(limit + 1, 0x20), JSON_HEADERS);
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual(
      plain(
        413,
        'AP_ERR_BODY_TOO_LARGE',
        "the request body is over the 3 MiB limit (the apiserver's own request limit); the pod was not examined",
      ),
    );
  });

  it('accepts a review of exactly 3 MiB', async () => {
    t = testApp();
    const base = JSON.stringify(
      reviewOf(podOf([{ name: 'db', image: 'postgres:16' }], { annotations: { pad: '' } })),
    );
    const padded = base.replace('"pad":""', `"pad":"${'x'.repeat(3 * 1024 * 1024 - base.length)}"`);
    expect(Buffer.byteLength(padded)).toBe(3 * 1024 * 1024);
    const answer = await post(t.app, padded, JSON_HEADERS);
    expect(answer.status).toBe(200);
  });

  it('answers unknown paths with 404 and other methods on /mutate with 405 and Allow: POST', async () => {
    t = testApp();
    expect((await t.app.inject({ method: 'POST', url: '/validate', payload: {} })).statusCode).toBe(
      404,
    );
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH'] as const) {
      const answer = await t.app.inject({ method, url: '/mutate' });
      expect(answer.statusCode, method).toBe(405);
      expect(answer.headers.allow).toBe('POST');
      expect(answer.json()).toEqual({
        statusCode: 405,
        code: 'AP_ERR_REVIEW_DECODE',
        message: `${method} is not allowed on /mutate; the API server sends AdmissionReviews with POST`,
      });
    }
  });

  it('never echoes the body in a syntax error, which may hold a secret', async () => {
    t = testApp();
    const secret = 'hunter2-s3cret';
    for (const payload of [
      `{"password": ${secret}}`,
      `{"password": "${secret}" x}`,
      `["${secret}"`,
    ]) {
      const answer = await post(t.app, payload, JSON_HEADERS);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).not.toContain(secret);
      expect(JSON.stringify(t.logs)).not.toContain(secret);
    }
  });
});
