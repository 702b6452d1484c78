// The patch check: verifiedPatch returns the diff only when applying it reproduces the mutated
// object, and refuses one that no JSON Patch can reproduce instead of returning a patch that
// would not.
import { describe, expect, it } from 'vitest';
import { AutoprobeError, verifiedPatch } from '../../../src/core/index.js';

describe('verifiedPatch', () => {
  it('returns the diff when applying it reproduces the mutated object', () => {
    const original = { metadata: { name: 'db' }, spec: { containers: [{ name: 'pg' }] } };
    const mutated = {
      ...original,
      spec: { containers: [{ name: 'pg', readinessProbe: { tcpSocket: { port: 5432 } } }] },
    };
    expect(verifiedPatch(original, mutated)).toEqual([
      {
        op: 'add',
        path: '/spec/containers/0/readinessProbe',
        value: { tcpSocket: { port: 5432 } },
      },
    ]);
    expect(original.spec.containers[0]).toEqual({ name: 'pg' });
  });

  it('refuses a mutated object that JSON cannot carry (AP_ERR_PATCH_INVALID)', () => {
    for (const value of [NaN, Infinity, new Date(0)]) {
      const attempt = (): unknown => verifiedPatch({ a: { b: 1 } }, { a: { b: 1, c: { value } } });
      expect(attempt).toThrow(AutoprobeError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'AP_ERR_PATCH_INVALID' }));
    }
  });
});
