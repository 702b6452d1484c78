// Properties of the engine over generated Pods: patches apply, runs are idempotent, user probes
// survive, every injected probe is valid for the API, and the input is never changed.
import fc from 'fast-check';
import fastJsonPatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_CONFIG,
  FAMILIES,
  buildEngineConfig,
  deepFreeze,
  mutateTemplate,
  probesOf,
  verifiedPatch,
} from '../../../src/core/index.js';
import type { Probe } from '../../../src/core/index.js';
import { podArb } from '../../generators/pods.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 500);
// Hundreds of generated Pods per test: a loaded machine can take longer than vitest's 5 s default
// (a CI run beside a soak took 6.9 s), and this limit is there to catch hangs, not to time them.
const PROPERTY_TIMEOUT_MS = 60_000;
const KINDS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
type Container = Record<string, unknown> & {
  name: string;
  ports?: { containerPort: number; name?: string }[];
};

function containersOf(pod: { spec: Record<string, unknown> }): Container[] {
  return [
    ...((pod.spec.containers as Container[] | undefined) ?? []),
    ...((pod.spec.initContainers as Container[] | undefined) ?? []),
  ];
}

/** The seconds of every hard-stop `timeout -s KILL N` in an exec command, direct or inside `sh -c`. */
function commandTimeouts(command: readonly string[]): number[] {
  return [...command.join(' ').matchAll(/(?:^|\s)timeout -s KILL (\d+)/g)].map((m) => Number(m[1]));
}

function checkProbe(kind: (typeof KINDS)[number], probe: Probe, container: Container): void {
  for (const field of [
    'periodSeconds',
    'timeoutSeconds',
    'failureThreshold',
    'successThreshold',
  ] as const) {
    expect(probe[field]).toBeGreaterThanOrEqual(1);
  }
  expect(probe.initialDelaySeconds).toBeGreaterThanOrEqual(0);
  if (kind !== 'readinessProbe') expect(probe.successThreshold).toBe(1);
  const actions = [probe.tcpSocket, probe.exec].filter((a) => a !== undefined);
  expect(actions).toHaveLength(1);
  if (probe.tcpSocket !== undefined) {
    const { port } = probe.tcpSocket;
    if (typeof port === 'number') {
      expect(Number.isInteger(port) && port >= 1 && port <= 65535).toBe(true);
    } else {
      expect(
        (container.ports ?? []).some((p) => p.name === port),
        `named port ${port} exists`,
      ).toBe(true);
    }
  }
  if (probe.exec !== undefined) {
    const timeouts = commandTimeouts(probe.exec.command);
    expect(timeouts.length, probe.exec.command.join(' ')).toBeGreaterThan(0);
    for (const t of timeouts) expect(t).toBeLessThan(probe.timeoutSeconds);
  }
}

describe('engine properties over generated pods', () => {
  it(
    'patches apply, user probes survive, injected probes are valid, input is untouched',
    () => {
      fc.assert(
        fc.property(podArb, (pod) => {
          const frozen = deepFreeze(structuredClone(pod));
          const { plan, mutated } = mutateTemplate(frozen, DEFAULT_ENGINE_CONFIG);
          const ops = verifiedPatch(frozen, mutated);
          const applied = fastJsonPatch.applyPatch(
            structuredClone(pod),
            ops,
            true,
            false,
          ).newDocument;
          expect(applied).toEqual(mutated);
          for (const op of ops) expect(op.op).toBe('add');

          const before = containersOf(pod);
          const after = containersOf(mutated);
          expect(after.map((c) => c.name)).toEqual(before.map((c) => c.name));
          after.forEach((c, i) => {
            const original = before[i]!;
            for (const kind of KINDS) {
              if (original[kind] !== undefined) expect(c[kind]).toEqual(original[kind]);
              else if (c[kind] !== undefined) checkProbe(kind, c[kind] as Probe, c);
            }
            expect(c.unknownField).toEqual(original.unknownField);
          });
          for (const d of plan.decisions) {
            if (d.list !== 'containers' && d.action === 'inject')
              expect(d.list).toBe('initContainers');
            expect(d.action === 'inject').toBe(Object.keys(probesOf(d)).length > 0);
          }
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a second run adds nothing',
    () => {
      fc.assert(
        fc.property(podArb, (pod) => {
          const once = mutateTemplate(pod, DEFAULT_ENGINE_CONFIG).mutated;
          const twice = mutateTemplate(once, DEFAULT_ENGINE_CONFIG).mutated;
          expect(verifiedPatch(once, twice)).toEqual([]);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'under random annotations, configurations and meshes, no added probe breaks a safety invariant',
    () => {
      const configArb = fc.record({
        startup: fc.boolean(),
        liveness: fc.boolean(),
        failureThreshold: fc.integer({ min: 1, max: 400 }),
        mesh: fc.constantFrom('auto', 'none', 'linkerd', 'istio', 'ambient' as const),
      });
      fc.assert(
        fc.property(podArb, configArb, (pod, c) => {
          const config = buildEngineConfig({
            mesh: c.mesh,
            families: Object.fromEntries(
              FAMILIES.map((f) => [
                f,
                {
                  probes: { startup: c.startup, liveness: c.liveness },
                  timings: { startup: { failureThreshold: c.failureThreshold } },
                },
              ]),
            ),
          });
          const { plan, mutated } = mutateTemplate(pod, config);
          // `none` turns detection off (docs/meshes.md); every other setting keeps Linkerd's.
          const meshed =
            c.mesh === 'linkerd' ||
            (c.mesh !== 'none' &&
              JSON.stringify(pod.metadata).includes('linkerd.io/inject":"enabled'));
          for (const d of plan.decisions) {
            if (d.action !== 'inject') continue;
            const container = containersOf(mutated).find((x) => x.name === d.container);
            // Liveness only together with a startup probe, added now or already there.
            if (d.probes.liveness !== undefined) {
              expect(d.probes.startup ?? container?.startupProbe, d.container).toBeDefined();
            }
            const startup = d.probes.startup;
            if (startup !== undefined) {
              const minimum = config.catalog.profiles[d.family].recoveryMinimumSeconds;
              expect(
                startup.initialDelaySeconds + startup.periodSeconds * startup.failureThreshold,
              ).toBeGreaterThanOrEqual(minimum);
            }
            // Under a mesh that answers every connection, no tcpSocket probe at all.
            if (meshed) {
              for (const probe of Object.values(d.probes)) expect(probe.tcpSocket).toBeUndefined();
            }
          }
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('the generator exercises injection, skips and user probes (the properties are not vacuous)', () => {
    const pods = fc.sample(podArb, { numRuns: 400, seed: 42 });
    const decisions = pods.flatMap((p) => mutateTemplate(p, DEFAULT_ENGINE_CONFIG).plan.decisions);
    const injected = decisions.filter((d) => d.action === 'inject').length;
    const execReadiness = decisions.filter((d) => probesOf(d).readiness?.exec !== undefined).length;
    expect(injected / decisions.length).toBeGreaterThan(0.2);
    expect(execReadiness).toBeGreaterThan(20);
    expect(
      decisions.filter((d) => d.reasons.some((r) => r.code === 'probe-present')).length,
    ).toBeGreaterThan(20);
  });

  it(
    'plain init containers and ephemeral containers are never probed',
    () => {
      fc.assert(
        fc.property(podArb, (pod) => {
          const { plan } = mutateTemplate(pod, DEFAULT_ENGINE_CONFIG);
          const initNames = new Set(
            ((pod.spec.initContainers as Container[] | undefined) ?? [])
              .filter((c) => c.restartPolicy !== 'Always')
              .map((c) => c.name),
          );
          for (const d of plan.decisions)
            if (initNames.has(d.container)) expect(d.action).toBe('skip');
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
