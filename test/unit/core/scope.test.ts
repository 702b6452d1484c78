// Namespace scope and mode from config and labels.
import { describe, expect, it } from 'vitest';
import { decideScope } from '../../../src/core/index.js';
import type { Mode, Scope } from '../../../src/core/index.js';

const EXCLUDED = ['kube-system', 'kube-public', 'kube-node-lease', 'autoprobe'];

function verdict(
  scope: Scope,
  mode: Mode,
  name: string,
  labels: Record<string, string> | null,
): string {
  const d = decideScope({ name, labels }, { scope, mode, excludedNamespaces: EXCLUDED });
  return d.act ? d.mode : 'skip';
}

describe('decideScope', () => {
  it.each<[Scope, Mode, string, Record<string, string> | null, string]>([
    ['optin', 'enforce', 'team', { 'autoprobe.dev/inject': 'enabled' }, 'enforce'],
    ['optin', 'enforce', 'team', {}, 'skip'],
    ['optin', 'enforce', 'team', null, 'enforce'],
    [
      'optin',
      'enforce',
      'team',
      { 'autoprobe.dev/inject': 'enabled', 'autoprobe.dev/mode': 'audit' },
      'audit',
    ],
    [
      'optin',
      'audit',
      'team',
      { 'autoprobe.dev/inject': 'enabled', 'autoprobe.dev/mode': 'enforce' },
      'audit',
    ],
    ['optin', 'enforce', 'kube-system', { 'autoprobe.dev/inject': 'enabled' }, 'skip'],
    ['cluster', 'enforce', 'team', {}, 'enforce'],
    ['cluster', 'enforce', 'team', null, 'enforce'],
    ['cluster', 'enforce', 'team', { 'autoprobe.dev/inject': 'disabled' }, 'skip'],
    ['cluster', 'enforce', 'team', { 'autoprobe.dev/mode': 'audit' }, 'audit'],
    ['cluster', 'audit', 'team', {}, 'audit'],
    ['cluster', 'enforce', 'kube-node-lease', {}, 'skip'],
    ['cluster', 'enforce', 'autoprobe', {}, 'skip'],
  ])('%s/%s namespace %s labels %j → %s', (scope, mode, name, labels, expected) => {
    expect(verdict(scope, mode, name, labels)).toBe(expected);
  });
});
