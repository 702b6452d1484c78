// handleReview: which requests are autoprobe's business, and fail-open on any engine error.
import { describe, expect, it } from 'vitest';
import {
  FAIL_OPEN_WARNING,
  decodeReview,
  handleReview,
  toWireReview,
} from '../../src/admission/index.js';
import type { AdmissionRequest, Engine, HandleDeps } from '../../src/admission/index.js';
import { DEFAULT_ENGINE_CONFIG, mutateTemplate } from '../../src/core/index.js';
import type { JsonObject } from '../../src/core/index.js';

const pod: JsonObject = {
  metadata: { name: 'db' },
  spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
};

function requestOf(fields: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return {
    uid: 'u-1',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    operation: 'CREATE',
    subResource: '',
    namespace: 'team',
    name: '',
    object: pod,
    dryRun: false,
    ...fields,
  };
}

function deps(engine?: Engine): HandleDeps {
  return {
    settings: {
      scope: 'cluster',
      mode: 'enforce',
      excludedNamespaces: ['kube-system'],
      engine: DEFAULT_ENGINE_CONFIG,
    },
    namespace: () => null,
    ...(engine === undefined ? {} : { engine }),
  };
}

describe('handleReview', () => {
  it('patches a postgres pod on CREATE', () => {
    const result = handleReview(requestOf(), deps());
    expect(result.outcome).toBe('patched');
    expect(result.response.patch.length).toBeGreaterThan(0);
  });

  it.each<[string, Partial<AdmissionRequest>, string]>([
    [
      'a Deployment',
      { kind: { group: 'apps', version: 'v1', kind: 'Deployment' } },
      'kind apps/Deployment is not a Pod',
    ],
    [
      'a ConfigMap',
      { kind: { group: '', version: 'v1', kind: 'ConfigMap' } },
      'kind ConfigMap is not a Pod',
    ],
    ['an UPDATE', { operation: 'UPDATE' }, 'operation UPDATE is not mutated'],
    ['a DELETE', { operation: 'DELETE', object: null }, 'operation DELETE is not mutated'],
    ['a CONNECT', { operation: 'CONNECT' }, 'operation CONNECT is not mutated'],
    [
      'the ephemeralcontainers subresource',
      { subResource: 'ephemeralcontainers', operation: 'UPDATE' },
      'subresource ephemeralcontainers is not mutated',
    ],
    [
      'the binding subresource on CREATE',
      { subResource: 'binding' },
      'subresource binding is not mutated',
    ],
  ])('allows %s untouched', (_name, fields, why) => {
    const result = handleReview(requestOf(fields), deps());
    expect(result).toMatchObject({ outcome: 'ignored', why, decisions: [] });
    expect(toWireReview(result.response).response).toEqual({ uid: 'u-1', allowed: true });
  });

  it('fails open when the engine throws: allowed, no patch, one warning, the error kept', () => {
    const boom = new Error('boom');
    const result = handleReview(
      requestOf(),
      deps(() => {
        throw boom;
      }),
    );
    expect(result.outcome).toBe('errored-open');
    expect(result.error).toBe(boom);
    expect(toWireReview(result.response).response).toEqual({
      uid: 'u-1',
      allowed: true,
      warnings: [FAIL_OPEN_WARNING],
      auditAnnotations: { 'failed-open': 'internal-error' },
    });
  });

  it('fails open when the namespace lookup throws', () => {
    const broken: HandleDeps = {
      ...deps(),
      namespace: () => {
        throw new Error('cache bug');
      },
    };
    expect(handleReview(requestOf(), broken).outcome).toBe('errored-open');
  });

  it('never returns a patch that does not reproduce the engine output', () => {
    // NaN does not survive JSON: the verified patch cannot reproduce it, so nothing is returned.
    const nan: Engine = (p, config) => {
      const { plan, mutated } = mutateTemplate(p, config);
      const spec = mutated.spec as { containers: JsonObject[] };
      (spec.containers[0] as JsonObject).livenessProbe = { periodSeconds: Number.NaN };
      return { plan, mutated };
    };
    const result = handleReview(requestOf(), deps(nan));
    expect(result.outcome).toBe('errored-open');
    expect(result.response.patch).toEqual([]);
    expect((result.error as { code?: string }).code).toBe('AP_ERR_PATCH_INVALID');
  });

  it('does not mutate the request object', () => {
    const frozen = structuredClone(pod);
    const decoded = decodeReview({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: { ...requestOf(), object: deepFreeze(frozen) },
    });
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(handleReview(decoded.request, deps()).outcome).toBe('patched');
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
