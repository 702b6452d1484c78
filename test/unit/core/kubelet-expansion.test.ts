// The kubelet's probe-time expansion of exec commands, case by case from the upstream tests
// (k8s.io/kubernetes third_party/forked/golang/expansion/expand_test.go) and the env mapping of
// pkg/kubelet/container/helpers.go: raw values, "" for valueFrom, undeclared names as written.
import { describe, expect, it } from 'vitest';
import { probeTimeCommand } from '../../../src/core/kubelet-expansion.js';

const container = {
  env: [
    { name: 'VAR_A', value: 'A' },
    { name: 'VAR_REF', value: '$(VAR_A)' },
    { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
  ],
};

describe('probeTimeCommand', () => {
  it.each([
    ['$(VAR_A)', 'A'],
    ['___$(VAR_A)___', '___A___'],
    ['$(VAR_REF)', '$(VAR_A)'],
    ['$(SECRET)', ''],
    ['$(UNKNOWN)', '$(UNKNOWN)'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$', '$'],
    ['$(VAR_A', '$(VAR_A'],
    ['$VAR_A', '$VAR_A'],
    ['${VAR_A}', '${VAR_A}'],
    ['x$', 'x$'],
    ['$()', '$()'],
    ['"$(cat "$FILE")"', '"$(cat "$FILE")"'],
  ])('expands %s to %s', (word, expanded) => {
    expect(probeTimeCommand([word], container)).toEqual([expanded]);
  });

  it('uses the last definition of a name', () => {
    const env = [
      { name: 'X', value: '1' },
      { name: 'X', value: '2' },
    ];
    expect(probeTimeCommand(['$(X)'], { env })).toEqual(['2']);
  });
});
