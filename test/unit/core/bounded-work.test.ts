// Bounded work (issue #12): nothing the engine derives from a Pod grows faster than the Pod. Over
// heavy generated Pods (doubling $(VAR) chains into the variables autoprobe reads, long words and
// scripts, wide Pods around the limits), the patch stays within a fixed multiple of the Pod's own
// size and no probe carries a value longer than the engine reads. The chain that made a 1 KB Pod
// a 26 MB patch is here as a plain case.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_CONFIG,
  diffPatch,
  mutateTemplate,
  planPod,
} from '../../../src/core/index.js';
import type { JsonObject } from '../../../src/core/index.js';
import {
  MAX_ANNOTATIONS_BYTES,
  MAX_CONTAINERS,
  MAX_POD_ARGV_CHARS,
  MAX_POD_ENV_ENTRIES,
  MAX_SCRIPT,
  MAX_SCRIPT_WORDS,
  MAX_VALUE,
} from '../../../src/core/limits.js';
import { splitScript } from '../../../src/core/shell-words.js';
import {
  PATCH_FLOOR,
  PATCH_MULTIPLE,
  TARGETS,
  chainEnv,
  heavyPodArb,
} from '../../generators/heavy-pods.js';

/** The longest word a probe command holds: a value the engine read plus its own template. */
const MAX_PROBE_WORD = MAX_VALUE + 1024;

function patchBytes(pod: JsonObject): number {
  const { mutated } = mutateTemplate(pod, DEFAULT_ENGINE_CONFIG);
  return JSON.stringify(diffPatch(pod, mutated)).length;
}

function doublingPod(steps: number): JsonObject {
  const env: JsonObject[] = [{ name: 'V0', value: 'x'.repeat(100) }];
  for (let i = 1; i <= steps; i++) env.push({ name: `V${i}`, value: `$(V${i - 1})$(V${i - 1})` });
  env.push({ name: 'POSTGRES_USER', value: `$(V${steps})` });
  return { spec: { containers: [{ name: 'db', image: 'postgres:16', env }] } };
}

function containers(count: number, extra: JsonObject = {}): JsonObject[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `c${i}`,
    image: 'postgres:16',
    ...extra,
  }));
}

describe('bounded work', () => {
  it('keeps the patch of the 1 KB doubling chain (it was 35 MB) near the size of a plain one', () => {
    const pod = doublingPod(18);
    expect(JSON.stringify(pod).length).toBeLessThan(1200);
    const plain = patchBytes({ spec: { containers: [{ name: 'db', image: 'postgres:16' }] } });
    expect(patchBytes(pod)).toBeLessThan(plain + 256);
  });

  it('keeps the patch within a fixed multiple of the Pod for every chain into a variable it reads', () => {
    const chains = Object.entries(TARGETS).flatMap(([image, targets]) =>
      targets.flatMap((target) =>
        ['6380', 'x'.repeat(100)].flatMap((seed) =>
          [1, 2, 3].flatMap((fanout) =>
            Array.from({ length: 20 }, (_, i) => ({ image, target, seed, fanout, steps: i + 1 })),
          ),
        ),
      ),
    );
    for (const { image, target, seed, fanout, steps } of chains) {
      const env = chainEnv(seed, steps, fanout, target);
      const args = ['--requirepass', `$(V${steps})`];
      const pod = { spec: { containers: [{ name: 'db', image, env, args }] } };
      const bound = PATCH_MULTIPLE * JSON.stringify(pod).length + PATCH_FLOOR;
      expect(patchBytes(pod), `${image} ${target} ${fanout}^${steps}`).toBeLessThanOrEqual(bound);
    }
  });

  it('keeps the patch within a fixed multiple of the Pod, and every probe word bounded', () => {
    fc.assert(
      fc.property(heavyPodArb, (pod) => {
        const podBytes = JSON.stringify(pod).length;
        const { plan, mutated } = mutateTemplate(pod, DEFAULT_ENGINE_CONFIG);
        const patch = JSON.stringify(diffPatch(pod, mutated)).length;
        expect(patch).toBeLessThanOrEqual(PATCH_MULTIPLE * podBytes + PATCH_FLOOR);
        for (const d of plan.decisions) {
          if (d.action !== 'inject') continue;
          for (const probe of Object.values(d.probes)) {
            for (const word of probe.exec?.command ?? []) {
              expect(word.length).toBeLessThanOrEqual(MAX_PROBE_WORD);
            }
          }
        }
      }),
      { numRuns: 100, seed: 20261204 },
    );
  });
});

describe('the limits of one review', () => {
  const noticeOf = (pod: JsonObject): string[] => {
    const plan = planPod(pod, DEFAULT_ENGINE_CONFIG);
    expect(plan.decisions).toEqual([]);
    return plan.notices.map((n) => `${n.code}: ${n.detail}`);
  };

  it('leaves a Pod with more containers than it reviews alone, with a notice', () => {
    expect(
      planPod({ spec: { containers: containers(MAX_CONTAINERS) } }, DEFAULT_ENGINE_CONFIG)
        .decisions,
    ).toHaveLength(MAX_CONTAINERS);
    expect(noticeOf({ spec: { containers: containers(MAX_CONTAINERS + 1) } })).toEqual([
      `pod-too-large: ${MAX_CONTAINERS + 1} containers, over the ${MAX_CONTAINERS} autoprobe reviews: the pod is left alone`,
    ]);
  });

  it('counts init and ephemeral containers towards the limit', () => {
    const spec = {
      containers: containers(MAX_CONTAINERS - 1),
      initContainers: [{ name: 'init', image: 'busybox' }],
      ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
    };
    expect(noticeOf({ spec })[0]).toMatch(/^pod-too-large: 65 containers/);
  });

  it('leaves a Pod alone past the env entries or the command characters it reads', () => {
    const env = Array.from({ length: MAX_POD_ENV_ENTRIES + 1 }, (_, i) => ({
      name: `E${i}`,
      value: 'v',
    }));
    expect(
      noticeOf({ spec: { containers: [{ name: 'db', image: 'postgres:16', env }] } })[0],
    ).toMatch(/env entries, over the 4096/);
    const args = ['-c', 'x'.repeat(MAX_POD_ARGV_CHARS)];
    expect(
      noticeOf({ spec: { containers: [{ name: 'db', image: 'postgres:16', args }] } })[0],
    ).toMatch(/characters of command and args/);
  });

  it("leaves a Pod alone whose annotations are over the API's limit", () => {
    const metadata = { annotations: { big: 'a'.repeat(MAX_ANNOTATIONS_BYTES) } };
    expect(noticeOf({ metadata, spec: { containers: containers(1) } })[0]).toMatch(
      /annotations over the API's 262144 bytes/,
    );
  });

  it('does not read a script past its length or word limit', () => {
    expect(splitScript(`${'x'.repeat(MAX_SCRIPT)} ; exec postgres`).unreadable).toMatch(
      /longer than/,
    );
    const words = splitScript(`${'a '.repeat(MAX_SCRIPT_WORDS)}; exec postgres`);
    expect(words.unreadable).toMatch(/more than 2048 words/);
    expect(words.words.length).toBeLessThanOrEqual(MAX_SCRIPT_WORDS);
  });
});

describe('the expansion budget of a container', () => {
  it('keeps a chain that extends each value by one character from growing quadratically', () => {
    // 4,000 entries, each the one before plus "x": 8 M characters unbounded, under 4096 each.
    const env = [{ name: 'E0', value: 'x' }];
    for (let i = 1; i < 4000; i++) env.push({ name: `E${i}`, value: `$(E${i - 1})x` });
    env.push({ name: 'POSTGRES_USER', value: '$(E3999)' });
    const plan = planPod(
      { spec: { containers: [{ name: 'db', image: 'postgres:16', env }] } },
      DEFAULT_ENGINE_CONFIG,
    );
    const [db] = plan.decisions;
    expect(db?.reasons.map((r) => r.code)).toContain('value-too-large');
    expect(db?.action === 'inject' ? db.probes.readiness?.exec?.command.join(' ') : '').toContain(
      '-U "$POSTGRES_USER"',
    );
  });
});
