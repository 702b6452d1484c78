// The engine against the truth of generated servers: every flag form, wrapper and script, custom
// images with the family annotation. No added probe may dial a port the server does not listen
// on, ask a password-protected server without its password, or fight an HA manager.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_CONFIG, formatReason, planPod, probesOf } from '../../../src/core/index.js';
import type { InjectDecision, Probe } from '../../../src/core/index.js';
import { serverCaseArb } from '../../generators/servers.js';
import type { ServerCase } from '../../generators/servers.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 500);
const TIMEOUT_MS = 60_000;

function decide(c: ServerCase): InjectDecision | undefined {
  const [decision] = planPod(c.pod, DEFAULT_ENGINE_CONFIG).decisions;
  return decision?.action === 'inject' ? decision : undefined;
}

function reasonsOf(c: ServerCase): string {
  const [decision] = planPod(c.pod, DEFAULT_ENGINE_CONFIG).decisions;
  return decision?.reasons.map(formatReason).join(' | ') ?? 'no decision';
}

function tcpPort(probe: Probe, c: ServerCase): number | undefined {
  const port = probe.tcpSocket?.port;
  if (typeof port !== 'string') return port;
  const container = (
    c.pod.spec.containers as { ports?: { name: string; containerPort: number }[] }[]
  )[0];
  return container?.ports?.find((p) => p.name === port)?.containerPort;
}

/** The port an exec command connects to (`-p N`, `-P N`, `--port N`). */
function execPort(probe: Probe): number | undefined {
  const m = /(?:^|\s)(?:-p|-P|--port) (\d+)/.exec(probe.exec?.command.join(' ') ?? '');
  return m === null ? undefined : Number(m[1]);
}

describe('the engine against the truth of generated servers', () => {
  it(
    'probes only the port the server listens on, with its password, never against an HA manager',
    () => {
      fc.assert(
        fc.property(serverCaseArb, (c) => {
          const d = decide(c);
          // Every generated server is readable: the engine injects, and the gate vetoes nothing
          // (it never drops a probe the planner had right).
          expect(d, reasonsOf(c)).toBeDefined();
          if (d === undefined) return;
          expect(d.vetoed, reasonsOf(c)).toEqual([]);
          const minimum =
            DEFAULT_ENGINE_CONFIG.catalog.profiles[c.truth.family].recoveryMinimumSeconds;
          for (const [kind, probe] of Object.entries<Probe>(d.probes)) {
            if (probe.tcpSocket !== undefined) expect(tcpPort(probe, c), kind).toBe(c.truth.port);
            const port = execPort(probe);
            if (port !== undefined) expect(port, kind).toBe(c.truth.port);
          }
          const readiness = d.probes.readiness?.exec?.command.join(' ');
          if (c.truth.needsPassword && readiness !== undefined) {
            expect(readiness).toContain(`REDISCLI_AUTH="$${c.truth.passwordEnv ?? ''}"`);
          }
          if (c.truth.ha) expect(d.kinds).toEqual(['readiness']);
          if (d.probes.liveness !== undefined) expect(d.probes.startup).toBeDefined();
          const startup = d.probes.startup;
          if (startup !== undefined) {
            expect(
              startup.initialDelaySeconds + startup.periodSeconds * startup.failureThreshold,
            ).toBeGreaterThanOrEqual(minimum);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it('the generator reaches injections, exec readiness with a password, HA and every wrapper', () => {
    const cases = fc.sample(serverCaseArb, { numRuns: 600, seed: 7 });
    const decided = cases.map((c) => ({ c, d: decide(c) }));
    const injected = decided.filter((x) => x.d !== undefined);
    expect(injected.length / cases.length).toBeGreaterThan(0.6);
    expect(
      injected.filter(
        (x) => x.c.truth.needsPassword && probesOf(x.d!).readiness?.exec !== undefined,
      ).length,
    ).toBeGreaterThan(20);
    expect(injected.filter((x) => x.c.truth.ha).length).toBeGreaterThan(20);
    expect(
      injected.filter((x) => x.c.truth.port !== 5432 && x.c.truth.port !== 6379).length,
    ).toBeGreaterThan(100);
  });
});
