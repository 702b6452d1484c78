// Warnings and audit annotations stay within the apiserver's limits and say what matters.
import { describe, expect, it } from 'vitest';
import {
  AUDIT_KEYS,
  MAX_WARNINGS,
  MAX_WARNING_LENGTH,
  capWarnings,
  renderAuditAnnotations,
  renderWarnings,
} from '../../src/admission/index.js';
import type { ContainerDecision, Finding, ProbeKind } from '../../src/core/index.js';
import { causeOf, notice, reason } from '../../src/core/index.js';

const tcp = {
  tcpSocket: { port: 5432 },
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
};

const where = {
  list: 'containers',
  index: 0,
  image: 'postgres:16',
  vetoed: [],
  findings: [],
} as const;

function inject(container: string, kinds: ProbeKind[]): ContainerDecision {
  return {
    ...where,
    container,
    family: 'postgres',
    variant: 'official',
    action: 'inject',
    reasons: [reason('classified', 'postgres')],
    probes: Object.fromEntries(kinds.map((k) => [k, tcp])),
    kinds,
  };
}

function skip(container: string, ...codes: Parameters<typeof reason>[0][]): ContainerDecision {
  const reasons = [reason('classified', 'redis'), ...codes.map((c) => reason(c, 'why'))];
  return {
    ...where,
    container,
    family: 'postgres',
    variant: 'official',
    action: 'skip',
    reasons,
    cause: causeOf(reasons) ?? reason('role-unknown', ''),
  };
}

// The apiserver prefixes `<webhook name>/` and checks a qualified name
// (k8s.io/apiserver/pkg/admission/attributes.go checkKeyFormat).
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

describe('renderWarnings', () => {
  it('summarises an audit injection per container', () => {
    expect(
      renderWarnings('audit', [inject('db', ['liveness', 'readiness', 'startup'])], []),
    ).toEqual(['autoprobe audit: would add liveness,readiness,startup to db (postgres)']);
  });

  it('says nothing in enforce mode except annotation notices', () => {
    expect(
      renderWarnings(
        'enforce',
        [inject('db', ['liveness'])],
        [notice('annotation-invalid', 'autoprobe.dev/port: bad, ignored')],
      ),
    ).toEqual(['autoprobe: autoprobe.dev/port: bad, ignored']);
  });

  it('names each probe the safety gate vetoed, in either mode', () => {
    const vetoed: ContainerDecision = {
      ...inject('db', ['readiness']),
      vetoed: [{ kind: 'liveness', invariant: 'liveness-needs-startup', detail: 'x', probe: tcp }],
    };
    expect(renderWarnings('enforce', [vetoed], [])).toEqual([
      'autoprobe: vetoed liveness for db (postgres): liveness-needs-startup',
    ]);
  });

  it("warns about the lint's error findings on the user's probes, not its warnings", () => {
    const finding = (severity: 'error' | 'warning', resolved: boolean): Finding => ({
      code: 'liveness-without-startup',
      probe: 'liveness',
      severity,
      message: 'no startup probe',
      resolved,
    });
    const decision = (f: Finding): ContainerDecision => ({
      ...skip('db', 'probe-present'),
      findings: [f],
    });
    expect(renderWarnings('enforce', [decision(finding('error', false))], [])).toEqual([
      'autoprobe lint: db liveness: liveness-without-startup: no startup probe',
    ]);
    expect(renderWarnings('enforce', [decision(finding('warning', false))], [])).toEqual([]);
    // Resolved by the probes autoprobe adds: no hazard once they are added, still one in audit.
    expect(renderWarnings('enforce', [decision(finding('error', true))], [])).toEqual([]);
    expect(renderWarnings('audit', [decision(finding('error', true))], [])).toContain(
      'autoprobe lint: db liveness: liveness-without-startup: no startup probe',
    );
  });

  it('keeps notices ahead of audit summaries, so the cap never folds them away', () => {
    const decisions = Array.from({ length: 9 }, (_, i) => inject(`c${i}`, ['liveness']));
    const warnings = renderWarnings('audit', decisions, [
      notice('annotation-invalid', 'autoprobe.dev/port: container "c1": bad, ignored'),
    ]);
    expect(warnings[0]).toBe('autoprobe: autoprobe.dev/port: container "c1": bad, ignored');
  });

  it('explains an audit skip of a recognised engine by its decisive reason', () => {
    expect(renderWarnings('audit', [skip('cache', 'probe-present', 'port-ambiguous')], [])).toEqual(
      ['autoprobe audit: would skip cache (postgres): port-ambiguous'],
    );
  });

  it('keeps quiet about skips that are the user choice', () => {
    expect(
      renderWarnings('audit', [skip('db', 'pod-opted-out'), skip('x', 'probe-present')], []),
    ).toEqual([]);
  });

  it('keeps at most five warnings of at most 120 characters', () => {
    const decisions = Array.from({ length: 9 }, (_, i) =>
      inject(`container-${'x'.repeat(120)}-${i}`, ['liveness']),
    );
    const warnings = renderWarnings('audit', decisions, []);
    expect(warnings).toHaveLength(MAX_WARNINGS);
    for (const w of warnings) expect(w.length).toBeLessThanOrEqual(MAX_WARNING_LENGTH);
    expect(warnings.at(-1)).toBe('autoprobe: 5 more, see the autoprobe log');
  });

  it('cuts on characters, not in the middle of a surrogate pair', () => {
    const [w] = capWarnings(['😀'.repeat(200)]);
    expect(Array.from(w ?? '')).toHaveLength(MAX_WARNING_LENGTH);
    expect(w?.endsWith('...')).toBe(true);
  });
});

describe('renderAuditAnnotations', () => {
  it('writes valid keys and small values in audit mode', () => {
    const annotations = renderAuditAnnotations('audit', [
      inject('db', ['liveness', 'readiness', 'startup']),
      skip('cache', 'port-ambiguous'),
    ]);
    expect(annotations).toEqual({
      [AUDIT_KEYS.mode]: 'audit',
      [AUDIT_KEYS.wouldInject]: 'db=liveness+readiness+startup',
      [AUDIT_KEYS.skipped]: 'cache=port-ambiguous',
    });
    for (const key of Object.keys(annotations)) expect(key).toMatch(QUALIFIED_NAME_PART);
  });

  it('records what was injected in enforce mode', () => {
    expect(renderAuditAnnotations('enforce', [inject('db', ['startup'])])).toEqual({
      mode: 'enforce',
      injected: 'db=startup',
    });
  });

  it('caps long values', () => {
    const many = Array.from({ length: 50 }, (_, i) =>
      inject(`container-${i}`, ['liveness', 'readiness']),
    );
    const value = renderAuditAnnotations('audit', many)[AUDIT_KEYS.wouldInject] ?? '';
    expect(value.length).toBeLessThanOrEqual(256);
  });

  it('uses only keys that are valid qualified-name parts', () => {
    for (const key of Object.values(AUDIT_KEYS)) expect(key).toMatch(QUALIFIED_NAME_PART);
  });
});
