// The matchConditions prefilter is a superset of the engine: every Pod the engine would change
// passes it, evaluated with a CEL implementation (@bufbuild/cel, conformance-tested against
// cel-spec) over every catalog name in every reference form and through every mirror, the shared
// case table, the real-world corpus, generated and heavy Pods, and configured images and mirrors.
// And it is a filter: Pods with no candidate container do not pass.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prefilterExpression } from '../../src/admission/index.js';
import { parseManifests } from '../../src/cli/manifests.js';
import {
  DEFAULT_CATALOG,
  DEFAULT_ENGINE_CONFIG,
  buildEngineConfig,
  mutateTemplate,
} from '../../src/core/index.js';
import type { EngineConfig, JsonObject } from '../../src/core/index.js';
import { CASES } from '../cases/cases.js';
import { passesPrefilter } from '../generators/cel.js';
import { heavyPodArb } from '../generators/heavy-pods.js';
import { podArb } from '../generators/pods.js';

const passes = passesPrefilter;

/** changes says whether the engine adds anything to the Pod. */
function changes(pod: JsonObject, config: EngineConfig): boolean {
  return mutateTemplate(pod, config).plan.decisions.some((d) => d.action === 'inject');
}

/** holds checks the superset property for one Pod and says whether the engine changed it. */
function holds(pod: JsonObject, config: EngineConfig, expression: string, what: string): boolean {
  const changed = changes(pod, config);
  if (changed) expect(passes(expression, pod), what).toBe(true);
  return changed;
}

const EXPRESSION = prefilterExpression(DEFAULT_CATALOG);
const podWith = (image: string): JsonObject => ({
  spec: { containers: [{ name: 'c', image }] },
});

describe('the matchConditions prefilter', () => {
  it('passes every catalog image in every reference form, and through every mirror', () => {
    const suffixes = [
      '',
      ':16',
      ':7.4-alpine',
      `@sha256:${'a'.repeat(64)}`,
      `:8@sha256:${'b'.repeat(64)}`,
    ];
    const refs = DEFAULT_CATALOG.images
      .flatMap((v) => v.names)
      .flatMap((name) => [
        name,
        name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, ''),
        ...DEFAULT_CATALOG.mirrors.flatMap((m) =>
          name.startsWith(`${m.upstream}/`) ? [`${m.prefix}${name.slice(m.upstream.length)}`] : [],
        ),
      ])
      .flatMap((ref) => suffixes.map((suffix) => ref + suffix));
    const injected = refs.filter((ref) =>
      holds(podWith(ref), DEFAULT_ENGINE_CONFIG, EXPRESSION, ref),
    );
    expect(injected.length).toBeGreaterThan(200);
  });

  it('passes configured images and mirrors, including a mirror that is a whole image', () => {
    const config = buildEngineConfig({
      images: [{ name: 'registry.example.com/team/pg', family: 'postgres' }],
      mirrors: [
        { prefix: 'harbor.example.com/hub', upstream: 'docker.io' },
        { prefix: 'registry.example.com/dbs/main-cache', upstream: 'docker.io/library/redis' },
      ],
    });
    const expression = prefilterExpression(config.catalog);
    for (const image of [
      'registry.example.com/team/pg:1.2',
      'harbor.example.com/hub/library/postgres:16',
      'harbor.example.com/hub/bitnami/redis:7.4',
      'registry.example.com/dbs/main-cache:7',
    ]) {
      expect(holds(podWith(image), config, expression, image), image).toBe(true);
    }
  });

  it('passes every Pod of the shared case table that the engine changes', () => {
    for (const c of CASES) holds(c.pod, DEFAULT_ENGINE_CONFIG, EXPRESSION, c.name);
  });

  it(
    'passes every workload of the real-world corpus that the engine changes',
    { timeout: 60_000 },
    () => {
      const root = new URL('../fixtures/real-world/manifests/', import.meta.url).pathname;
      let changed = 0;
      let skipped = 0;
      for (const name of readdirSync(root)) {
        const { manifests } = parseManifests({
          file: name,
          text: readFileSync(join(root, name), 'utf8'),
        });
        for (const w of manifests.flatMap((m) => m.workloads)) {
          const pod = w.template;
          if (holds(pod, DEFAULT_ENGINE_CONFIG, EXPRESSION, `${name} ${w.kind}/${w.name ?? ''}`)) {
            changed += 1;
          } else if (!passes(EXPRESSION, pod)) skipped += 1;
        }
      }
      expect(changed).toBeGreaterThan(50);
      // The corpus has plenty of Pods without a database, which the apiserver no longer sends.
      expect(skipped).toBeGreaterThan(20);
    },
  );

  it('passes every generated and heavy Pod that the engine changes', () => {
    fc.assert(
      fc.property(fc.oneof(podArb, heavyPodArb), (pod) => {
        holds(pod, DEFAULT_ENGINE_CONFIG, EXPRESSION, JSON.stringify(pod).slice(0, 300));
      }),
      { numRuns: 300, seed: 20261204 },
    );
  }, 60_000);

  it('passes a Pod that names a family by annotation, whatever its images', () => {
    const pod = {
      metadata: { annotations: { 'autoprobe.dev/family': 'db=postgres' } },
      spec: { containers: [{ name: 'db', image: 'registry.example.com/team/database:1' }] },
    };
    expect(passes(EXPRESSION, pod)).toBe(true);
  });

  it('does not pass Pods with no candidate: other images, full probes, lookalike names, too many containers', () => {
    const probes = { livenessProbe: {}, readinessProbe: {}, startupProbe: {} };
    for (const pod of [
      podWith('nginx:1.27'),
      podWith('prometheuscommunity/postgres-exporter:v0.15'),
      podWith('example.com/postgres-operator:1'),
      podWith('docker.io/library/redisinsight:2'),
      { spec: { containers: [{ name: 'db', image: 'postgres:16', ...probes }] } },
      {
        spec: {
          initContainers: [{ name: 'init', image: 'postgres:16' }],
          containers: [{ name: 'a', image: 'nginx' }],
        },
      },
      {
        spec: {
          containers: Array.from({ length: 65 }, (_, i) => ({
            name: `c${i}`,
            image: 'postgres:16',
          })),
        },
      },
    ]) {
      expect(passes(EXPRESSION, pod), JSON.stringify(pod).slice(0, 120)).toBe(false);
    }
    // A native sidecar counts.
    expect(
      passes(EXPRESSION, {
        spec: {
          initContainers: [{ name: 'cache', image: 'redis:7', restartPolicy: 'Always' }],
          containers: [{ name: 'a', image: 'nginx' }],
        },
      }),
    ).toBe(true);
  });
});
