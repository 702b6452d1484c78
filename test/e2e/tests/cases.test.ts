/**
 * @module e2e/tests/cases — the shared case table (test/cases) through a real kube-apiserver, the
 * fourth surface after the engine, the CLI and POST /mutate: every case's Pod is created in an
 * opted-in namespace and must be accepted, so every patch autoprobe makes passes the apiserver's
 * own validation; the probes stored are exactly the decided ones (kinds, ports, readiness
 * commands), and the decisions autoprobe logs (at debug) match the table.
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { prefilterExpression } from '../../../src/admission/index.js';
import { DEFAULT_CATALOG } from '../../../src/core/index.js';
import { CASES } from '../../cases/cases.js';
import type { Case } from '../../cases/types.js';
import { checkDecisions } from '../../cases/check.js';
import { passesPrefilter } from '../../generators/cel.js';
import type { ReportedDecision } from '../../cases/check.js';
import { createNamespace, createPod, PROBE_FIELDS, reviewBarrier } from '../harness/index.js';
import type { ProbeKind } from '../harness/index.js';
import { useAutoprobe, useCluster, useOptedInNamespace } from '../harness/vitest-context.js';

const cluster = useCluster();
const autoprobe = useAutoprobe(cluster, {
  scope: 'optin',
  mode: 'enforce',
  config: { logLevel: 'debug' },
});
const opted = useOptedInNamespace(cluster, autoprobe, 'cases');
let ns: string;

beforeAll(() => {
  ns = opted.current;
});

type Lists = 'containers' | 'initContainers';

/** The probes the webhook added to each container: present when stored, absent when sent. */
function addedProbes(sent: V1Pod, stored: V1Pod): Map<string, Record<string, unknown>> {
  const added = new Map<string, Record<string, unknown>>();
  for (const list of ['containers', 'initContainers'] as Lists[]) {
    const before: V1Container[] = sent.spec?.[list] ?? [];
    for (const container of stored.spec?.[list] ?? []) {
      const was = before.find((c) => c.name === container.name);
      const probes: Record<string, unknown> = {};
      for (const [kind, field] of Object.entries(PROBE_FIELDS) as [
        ProbeKind,
        (typeof PROBE_FIELDS)[ProbeKind],
      ][]) {
        if (container[field] !== undefined && was?.[field] === undefined)
          probes[kind] = container[field];
      }
      added.set(container.name, probes);
    }
  }
  return added;
}

interface LoggedDecision {
  readonly container: string;
  readonly family: string | null;
  readonly action: string;
  readonly reasons: readonly string[];
}

/** The decisions autoprobe logged for the Pod named `name` in `namespace`. */
async function loggedDecisions(namespace: string, name: string): Promise<LoggedDecision[]> {
  const ap = autoprobe.current;
  const review = await ap.waitForReview((r) => r.namespace === namespace && r.pod === name);
  const logged = await ap.waitForLogLine(
    (l) => l.msg === 'admission decisions' && l.uid === review.uid,
  );
  return (logged.decisions ?? []) as LoggedDecision[];
}

/**
 * namespaceFor creates the case's own namespace (its mesh labels and annotations, opted in) and
 * waits until autoprobe's namespace cache knows it: dry runs of the case's Pod until the decisions
 * show every expected reason (a namespace created a moment ago is unknown to the watch).
 */
async function namespaceFor(c: Case, i: number): Promise<string> {
  if (c.namespace === undefined) return ns;
  const namespace = await createNamespace(cluster, {
    prefix: `case-${i}`,
    tenant: 'cases',
    labels: { 'autoprobe.dev/inject': 'enabled', ...c.namespace.labels },
    ...(c.namespace.annotations === undefined ? {} : { annotations: c.namespace.annotations }),
  });
  const wanted = Object.entries(c.expect).flatMap(([container, e]) =>
    (e.reasons ?? []).map((code) => ({ container, code })),
  );
  const deadline = Date.now() + 20_000;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const name = `warmup-${i}-${attempt}`;
    await createPod(cluster, namespace, podOf(c, name, namespace), { dryRun: true });
    const decisions = await loggedDecisions(namespace, name);
    const seen = wanted.every((w) =>
      decisions.some(
        (d) => d.container === w.container && d.reasons.some((r) => r.startsWith(w.code)),
      ),
    );
    if (seen) return namespace;
  }
  throw new Error(`autoprobe did not see namespace ${namespace} with its labels in time`);
}

function podOf(c: Case, name: string, namespace: string): V1Pod {
  return structuredClone({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...c.pod.metadata, name, namespace },
    spec: c.pod.spec,
  }) as unknown as V1Pod;
}

const PREFILTER = prefilterExpression(DEFAULT_CATALOG);

/**
 * noReview checks a Pod the prefilter excludes: stored as sent, and never reviewed (a marker sent
 * after it is, so the review log is current); the table must expect nothing to be added.
 */
async function noReview(c: Case, namespace: string, name: string): Promise<void> {
  const sent = podOf(c, name, namespace);
  const { pod: stored } = await createPod(cluster, namespace, sent);
  expect([...addedProbes(sent, stored).values()].filter((p) => Object.keys(p).length > 0)).toEqual(
    [],
  );
  expect(Object.values(c.expect).filter((e) => e.action === 'inject')).toEqual([]);
  await reviewBarrier(cluster, autoprobe.current, namespace);
  const reviewed = autoprobe.current.reviews().filter((r) => r.namespace === namespace);
  expect(reviewed.map((r) => r.pod)).not.toContain(name);
}

describe('shared cases through the apiserver', () => {
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const name = `case-${i}`;
      const namespace = await namespaceFor(c, i);
      if (!passesPrefilter(PREFILTER, c.pod)) {
        await noReview(c, namespace, name);
        return;
      }
      const sent = podOf(c, name, namespace);
      const { pod: stored } = await createPod(cluster, namespace, sent);
      const decisions = await loggedDecisions(namespace, name);
      const added = addedProbes(sent, stored);
      const reported: ReportedDecision[] = decisions.map((d) => ({
        ...d,
        probes: added.get(d.container) ?? {},
      }));
      checkDecisions(reported, c.expect);
    });
  });
});
