/** Assertions shared by every surface that runs the case table. */
import { expect } from 'vitest';
import type { ExpectedContainer } from './types.js';

/** A decision as any surface reports it (explain JSON, admission, engine). */
export interface ReportedDecision {
  readonly container: string;
  readonly family: string | null;
  readonly action: string;
  readonly reasons: readonly string[];
  readonly probes: Readonly<Record<string, unknown>>;
}

interface ProbeShape {
  readonly tcpSocket?: { readonly port: number | string };
  readonly exec?: { readonly command: readonly string[] };
}

/**
 * checkDecisions asserts every expected container's decision; an empty expectation means the Pod
 * is left alone: no decision injects anything.
 */
export function checkDecisions(
  decisions: readonly ReportedDecision[],
  expected: Readonly<Record<string, ExpectedContainer>>,
): void {
  if (Object.keys(expected).length === 0) {
    expect(decisions.filter((d) => d.action === 'inject').map((d) => d.container)).toEqual([]);
  }
  for (const [name, want] of Object.entries(expected)) {
    const got = decisions.find((d) => d.container === name);
    expect(got, `decision for container ${name}`).toBeDefined();
    if (got === undefined) continue;
    const context = `${name}: ${got.reasons.join(' | ')}`;
    expect(got.family, context).toBe(want.family);
    expect(got.action, context).toBe(want.action);
    expect(Object.keys(got.probes).sort(), context).toEqual([...want.probes].sort());
    for (const code of want.reasons ?? []) {
      expect(
        got.reasons.some((r) => r === code || r.startsWith(`${code}:`)),
        `${context} lacks ${code}`,
      ).toBe(true);
    }
    const probes = got.probes as Record<string, ProbeShape | undefined>;
    if (want.port !== undefined) {
      for (const probe of Object.values(probes)) {
        if (probe?.tcpSocket !== undefined) expect(probe.tcpSocket.port, context).toBe(want.port);
      }
    }
    const command = probes.readiness?.exec?.command;
    if (want.readinessCommand !== undefined)
      expect(command, context).toEqual(want.readinessCommand);
    for (const part of want.readinessIncludes ?? []) {
      expect(command?.join(' ') ?? '', context).toContain(part);
    }
    for (const part of want.livenessIncludes ?? []) {
      expect(probes.liveness?.exec?.command.join(' ') ?? '', context).toContain(part);
    }
  }
}
