/**
 * @module e2e/tests/latency — how long the real kube-apiserver takes to admit a Pod with and
 * without autoprobe in the chain, on the same apiserver: a few hundred creates per series,
 * interleaved round by round so that drift (etcd growth, GC, CPU contention) hits every series
 * alike, after a warm-up. Printed as a table and written to coverage/e2e/latency.json (per
 * apiserver version). The numbers are figures, not assertions; the test asserts only that every
 * create succeeded and that autoprobe did its job on the injected series.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNamespace,
  createPod,
  hasStatus,
  registerWebhook,
  renderTable,
  reviewBarrier,
  summarize,
  waitForWebhook,
  writeLatencyReport,
} from '../harness/index.js';
import type { LatencyRow, RegisteredWebhook } from '../harness/index.js';
import { useAutoprobe, useCluster } from '../harness/vitest-context.js';

const ROUNDS = Number.parseInt(process.env.AUTOPROBE_E2E_LATENCY_ROUNDS ?? '300', 10);
const WARMUP = 20;

const cluster = useCluster();
const autoprobe = useAutoprobe(cluster, { scope: 'optin', mode: 'enforce' });
let hook: RegisteredWebhook | undefined;
let without: string;
let withAutoprobe: string;

const pod = (image: string): V1Pod => ({
  metadata: { generateName: 'lat-' },
  spec: {
    containers: [
      {
        name: 'main',
        image,
        ports: [{ containerPort: image.startsWith('postgres') ? 5432 : 8080 }],
      },
    ],
  },
});

interface Series {
  readonly name: string;
  readonly namespace: () => string;
  readonly pod: V1Pod;
  readonly patched: boolean;
  readonly samples: number[];
}

beforeAll(async () => {
  const ap = autoprobe.current;
  hook = await registerWebhook(cluster, {
    name: 'e2e-latency',
    url: ap.webhookUrl,
    caPem: ap.caPem,
    tenant: 'latency',
  });
  without = await createNamespace(cluster, { prefix: 'latency-none', tenant: 'none' });
  withAutoprobe = await createNamespace(cluster, {
    prefix: 'latency-autoprobe',
    tenant: 'latency',
    labels: { 'autoprobe.dev/inject': 'enabled' },
  });
  await waitForWebhook(cluster, { namespace: withAutoprobe });
});

afterAll(async () => {
  await hook?.delete();
});

describe('Pod create latency', () => {
  it(
    `is measured over ${ROUNDS} creates per series, with and without autoprobe`,
    { timeout: 600_000 },
    async () => {
      const series: Series[] = [
        {
          name: 'no webhook in the chain',
          namespace: () => without,
          pod: pod('postgres:16.4'),
          patched: false,
        },
        {
          name: 'autoprobe: probes added (postgres)',
          namespace: () => withAutoprobe,
          pod: pod('postgres:16.4'),
          patched: true,
        },
        {
          // The image prefilter keeps it from autoprobe: the apiserver evaluates a CEL condition.
          name: 'autoprobe: excluded by the prefilter (nginx)',
          namespace: () => withAutoprobe,
          pod: pod('nginx:1.27'),
          patched: false,
        },
        {
          // Sent (its last path component is a catalog one), reviewed, left alone (a lookalike).
          name: 'autoprobe: reviewed, nothing to add',
          namespace: () => withAutoprobe,
          pod: pod('registry.example.com/team/postgres:16.4'),
          patched: false,
        },
      ].map((s) => ({ ...s, samples: [] }));

      for (let round = 0; round < WARMUP + ROUNDS; round++) {
        // Rotate the order so no series always runs first (right after the previous round's last).
        for (let k = 0; k < series.length; k++) {
          const s = series[(round + k) % series.length]!;
          const res = await createPod(cluster, s.namespace(), s.pod);
          expect(hasStatus(res.pod)).toBe(s.patched);
          if (round >= WARMUP) {
            s.samples.push(res.durationMs);
          }
        }
      }

      // autoprobe's own time per review, from its log (the part of the webhook call spent inside it).
      const ap = autoprobe.current;
      await reviewBarrier(cluster, ap, withAutoprobe);
      const reviews = ap
        .reviews()
        .filter((r) => r.namespace === withAutoprobe && !r.dryRun && r.pod === 'lat-*');
      const byOutcome = (outcome: string): number[] =>
        reviews
          .filter((r) => r.outcome === outcome)
          .slice(-ROUNDS)
          .map((r) => r.durationMs);

      const rows: LatencyRow[] = [
        ...series.map((s) => ({ series: `apiserver create: ${s.name}`, ...summarize(s.samples) })),
        { series: 'inside autoprobe: review that patches', ...summarize(byOutcome('patched')) },
        {
          series: 'inside autoprobe: review with nothing to add',
          ...summarize(byOutcome('unchanged')),
        },
      ];
      const base = rows[0]!;
      const added = rows[1]!;
      const excluded = rows[2]!;
      const file = writeLatencyReport({
        kubeVersion: cluster.version,
        rounds: ROUNDS,
        warmup: WARMUP,
        addedByAutoprobeMs: {
          median: Math.round((added.median - base.median) * 100) / 100,
          p99: Math.round((added.p99 - base.p99) * 100) / 100,
        },
        addedForExcludedMs: {
          median: Math.round((excluded.median - base.median) * 100) / 100,
          p99: Math.round((excluded.p99 - base.p99) * 100) / 100,
        },
        rows,
      });
      process.stdout.write(
        `\nPod create latency, kube-apiserver v${cluster.version} (${ROUNDS} creates per series, ` +
          `sequential, one keep-alive connection):\n${renderTable(rows)}\n` +
          `autoprobe adds ${(added.median - base.median).toFixed(2)} ms at the median and ` +
          `${(added.p99 - base.p99).toFixed(2)} ms at p99; to a Pod the prefilter excludes ` +
          `${(excluded.median - base.median).toFixed(2)} ms at the median. Written to ${file}\n\n`,
      );
      for (const s of series) expect(s.samples).toHaveLength(ROUNDS);
      // The excluded series never reached autoprobe; the reviewed one always did.
      expect(byOutcome('unchanged')).toHaveLength(ROUNDS);
      expect(reviews.length).toBe((WARMUP + ROUNDS) * 2);
    },
  );
});
