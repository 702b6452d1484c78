/**
 * @module e2e/tests/harness — the harness's own parsing, which every other e2e test relies on:
 * `Warning` headers (texts with commas and escaped quotes), Prometheus samples, percentiles, and
 * the namespace selectors of a registration.
 */
import { describe, expect, it } from 'vitest';
import {
  namespaceSelectorFor,
  parseWarningHeader,
  quantile,
  sampleOf,
  summarize,
  warningsOf,
} from '../harness/index.js';

describe('harness parsing', () => {
  it('reads every Warning header whole, commas and escaped quotes included', () => {
    const raw = [
      'Content-Type',
      'application/json',
      'Warning',
      '299 - "autoprobe audit: would add liveness,readiness,startup to db (postgres)"',
      'warning',
      '299 - "a \\"quoted\\" word", 299 - "second in one header"',
    ];
    expect(warningsOf(raw)).toEqual([
      'autoprobe audit: would add liveness,readiness,startup to db (postgres)',
      'a "quoted" word',
      'second in one header',
    ]);
    expect(parseWarningHeader('299 kube-apiserver "x" "Tue, 15 Nov 1994 08:12:31 GMT"')).toEqual([
      'x',
    ]);
  });

  it('reads one Prometheus sample by its exact labels', () => {
    const text = [
      '# HELP autoprobe_admission_reviews_total reviews',
      'autoprobe_admission_reviews_total{outcome="patched",mode="enforce",dry_run="true"} 3',
      'autoprobe_admission_reviews_total{outcome="patched",mode="enforce",dry_run="false"} 7',
      'autoprobe_namespace_cache_namespaces 12',
    ].join('\n');
    expect(sampleOf(text, 'autoprobe_admission_reviews_total', { dry_run: 'false' })).toBe(7);
    expect(sampleOf(text, 'autoprobe_namespace_cache_namespaces', {})).toBe(12);
    expect(
      sampleOf(text, 'autoprobe_admission_reviews_total', { outcome: 'audited' }),
    ).toBeUndefined();
  });

  it('computes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(samples, 0.5)).toBe(50);
    expect(quantile(samples, 0.99)).toBe(99);
    expect(summarize([3, 1, 2])).toMatchObject({ n: 3, min: 1, median: 2, max: 3, mean: 2 });
  });

  it('builds the registration selector of each scope, excluding system namespaces by name', () => {
    const names = { key: 'kubernetes.io/metadata.name', operator: 'NotIn' };
    expect(namespaceSelectorFor('optin', 't')).toEqual({
      matchLabels: { 'autoprobe.dev/inject': 'enabled', 'e2e.autoprobe.dev/tenant': 't' },
      matchExpressions: [{ ...names, values: ['kube-system', 'kube-public', 'kube-node-lease'] }],
    });
    expect(namespaceSelectorFor('cluster', 't', ['autoprobe'])).toEqual({
      matchLabels: { 'e2e.autoprobe.dev/tenant': 't' },
      matchExpressions: [
        { ...names, values: ['kube-system', 'kube-public', 'kube-node-lease', 'autoprobe'] },
        { key: 'autoprobe.dev/inject', operator: 'NotIn', values: ['disabled'] },
      ],
    });
  });
});
