// decodeReview: every malformed envelope gets a clear message, and the uid when it can be read.
import { describe, expect, it } from 'vitest';
import { decodeReview } from '../../src/admission/index.js';

const pod = { metadata: { name: 'p' }, spec: { containers: [] } };
const request = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  uid: 'u-1',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  operation: 'CREATE',
  namespace: 'team',
  object: pod,
  ...fields,
});
const review = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: request(),
  ...fields,
});

describe('decodeReview', () => {
  it('returns the request of a valid CREATE review, with defaults for optional fields', () => {
    const result = decodeReview(review());
    expect(result).toEqual({
      ok: true,
      request: {
        uid: 'u-1',
        kind: { group: '', version: 'v1', kind: 'Pod' },
        operation: 'CREATE',
        subResource: '',
        namespace: 'team',
        name: '',
        object: pod,
        dryRun: false,
      },
    });
  });

  it('keeps the object as the same reference, untouched', () => {
    const body = review();
    const result = decodeReview(body);
    expect(result.ok && result.request.object).toBe((body.request as { object: unknown }).object);
  });

  it.each<[string, unknown, string, string | null]>([
    ['an empty body', undefined, 'the request body is empty; expected an AdmissionReview', null],
    ['a null body', null, 'the request body is empty; expected an AdmissionReview', null],
    ['a JSON array', [review()], 'expected an AdmissionReview object, got a JSON array', null],
    ['a JSON string', 'hello', 'expected an AdmissionReview object, got a JSON string', null],
    ['a JSON number', 42, 'expected an AdmissionReview object, got a JSON number', null],
    [
      'the v1beta1 API version',
      review({ apiVersion: 'admission.k8s.io/v1beta1' }),
      'apiVersion must be admission.k8s.io/v1, got "admission.k8s.io/v1beta1"',
      'u-1',
    ],
    [
      'no API version',
      review({ apiVersion: undefined }),
      'apiVersion must be admission.k8s.io/v1, got nothing',
      'u-1',
    ],
    ['the wrong kind', review({ kind: 'Pod' }), 'kind must be AdmissionReview, got "Pod"', 'u-1'],
    ['no request', review({ request: undefined }), 'request is missing or not an object', null],
    [
      'a request that is a list',
      review({ request: [] }),
      'request is missing or not an object',
      null,
    ],
    [
      'no uid',
      review({ request: request({ uid: undefined }) }),
      'request.uid is missing or empty',
      null,
    ],
    [
      'an empty uid',
      review({ request: request({ uid: '' }) }),
      'request.uid is missing or empty',
      null,
    ],
    [
      'a numeric uid',
      review({ request: request({ uid: 7 }) }),
      'request.uid is missing or empty',
      null,
    ],
    [
      'no kind in the request',
      review({ request: request({ kind: 'Pod' }) }),
      'request.kind must be an object with string group, version and kind',
      'u-1',
    ],
    [
      'an unknown operation',
      review({ request: request({ operation: 'PATCH' }) }),
      'request.operation must be one of CREATE, UPDATE, DELETE, CONNECT, got "PATCH"',
      'u-1',
    ],
    [
      'no object for CREATE',
      review({ request: request({ object: undefined }) }),
      'request.object is missing or not an object for CREATE',
      'u-1',
    ],
    [
      'a null object for UPDATE',
      review({ request: request({ operation: 'UPDATE', object: null }) }),
      'request.object is missing or not an object for UPDATE',
      'u-1',
    ],
  ])('refuses %s with a clear message', (_name, body, message, uid) => {
    const result = decodeReview(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('AP_ERR_REVIEW_INVALID');
    expect(result.error.message).toBe(message);
    expect(result.uid).toBe(uid);
  });

  it('accepts a DELETE without an object', () => {
    const result = decodeReview(
      review({ request: request({ operation: 'DELETE', object: null }) }),
    );
    expect(result.ok && result.request.object).toBeNull();
  });

  it('shortens a long foreign value in the message', () => {
    const result = decodeReview(review({ kind: 'x'.repeat(500) }));
    expect(!result.ok && result.error.message.length).toBeLessThan(100);
  });

  it('reads dryRun, subResource and name when present', () => {
    const result = decodeReview(
      review({ request: request({ dryRun: true, subResource: 'status', name: 'p' }) }),
    );
    expect(result.ok && result.request).toMatchObject({
      dryRun: true,
      subResource: 'status',
      name: 'p',
    });
  });
});
