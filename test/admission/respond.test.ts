// The serialiser: uid echo, apiVersion/kind, patchType only with a patch, base64 patch.
import { describe, expect, it } from 'vitest';
import { allowed, errored, patched, toWireReview } from '../../src/admission/index.js';

describe('toWireReview', () => {
  it('answers a plain allow with uid, apiVersion and kind only', () => {
    expect(toWireReview(allowed('u-1'))).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'u-1', allowed: true },
    });
  });

  it('sets patchType JSONPatch and a base64 JSON patch when there are operations', () => {
    const ops = [{ op: 'add' as const, path: '/metadata/annotations', value: { a: 'é' } }];
    const wire = toWireReview(patched('u-2', ops));
    expect(wire.response.patchType).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(wire.response.patch ?? '', 'base64').toString('utf8'))).toEqual(
      ops,
    );
  });

  it('omits patch and patchType together when the patch is empty', () => {
    const wire = toWireReview(patched('u-3', []));
    expect(wire.response).toEqual({ uid: 'u-3', allowed: true });
  });

  it('carries warnings and audit annotations only when there are some', () => {
    const wire = toWireReview(
      allowed('u-4', { warnings: ['w'], auditAnnotations: { mode: 'audit' } }),
    );
    expect(wire.response).toEqual({
      uid: 'u-4',
      allowed: true,
      warnings: ['w'],
      auditAnnotations: { mode: 'audit' },
    });
  });

  it('answers an error as not allowed with a status code and message', () => {
    expect(toWireReview(errored('u-5', 400, 'bad')).response).toEqual({
      uid: 'u-5',
      allowed: false,
      status: { code: 400, message: 'bad' },
    });
  });

  it('encodes large non-ASCII patches like Buffer does', () => {
    const value = 'ü€😀'.repeat(50_000);
    const wire = toWireReview(patched('u-6', [{ op: 'add', path: '/x', value }]));
    const expected = Buffer.from(JSON.stringify([{ op: 'add', path: '/x', value }])).toString(
      'base64',
    );
    expect(wire.response.patch).toBe(expected);
  });
});
