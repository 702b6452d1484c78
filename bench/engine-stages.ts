/**
 * @module bench/engine-stages — the CPU of one review's decision, stage by stage, measured in this
 * process on the mixed corpus: parsing the body, planning, rendering the mutated copy, diffing,
 * checking the patch, and writing the answer. It splits the autoprobe-minus-idle gap of the
 * server benchmark into the parts of handleReview (src/admission/handle.ts), in the same order.
 *
 * It loads the same build the server benchmark runs (dist/, or `--main`), so before/after
 * comparisons of two builds cover the engine too. Each review is parsed from its bytes again in
 * every round, as in the server, so the engine works on fresh objects and pays for its garbage.
 */
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CorpusEntry } from './corpus.js';
import { ROOT } from './lib/servers.js';

import type * as AdmissionModule from '../src/admission/index.js';
import type * as ConfigModule from '../src/config/config.js';
import type * as CoreModule from '../src/core/index.js';

/** The stages, in the order a review goes through them. */
export const STAGES = ['parse', 'plan', 'apply', 'diff', 'check', 'answer'] as const;
/** One of STAGES. */
export type Stage = (typeof STAGES)[number];

/** Mean CPU microseconds per review of each stage, and how many reviews got a patch. */
export interface EngineStages {
  readonly reviews: number;
  readonly patched: number;
  readonly rounds: number;
  readonly us: Readonly<Record<Stage, number>>;
  /** plan + apply + diff + check + answer: the decision without the body's JSON.parse. */
  readonly engineUs: number;
}

async function load<T>(main: string, path: string): Promise<T> {
  return (await import(pathToFileURL(join(dirname(main), path)).href)) as T;
}

/** measureEngineStages times every stage over `corpus`, `rounds` times after one warm-up round. */
export async function measureEngineStages(
  corpus: readonly CorpusEntry[],
  options: { readonly rounds: number; readonly main?: string },
): Promise<EngineStages> {
  const main = options.main ?? join(ROOT, 'dist', 'main.js');
  const core = await load<typeof CoreModule>(main, 'core/index.js');
  const admission = await load<typeof AdmissionModule>(main, 'admission/index.js');
  const { parseConfig } = await load<typeof ConfigModule>(main, 'config/config.js');
  const config = parseConfig({ mode: 'enforce', scope: 'cluster' }, 'bench');
  const { engine } = config;
  // Reviews from excluded namespaces are only parsed, as in the server (the corpus has some).
  const excluded = new Set(config.excludedNamespaces);
  const totals: Record<Stage, bigint> = {
    parse: 0n,
    plan: 0n,
    apply: 0n,
    diff: 0n,
    check: 0n,
    answer: 0n,
  };
  let patched = 0;
  let sink = 0;

  const once = (entry: CorpusEntry, keep: boolean): void => {
    let t = process.hrtime.bigint();
    const lap = (stage: Stage, less = 0n): bigint => {
      const now = process.hrtime.bigint();
      const spent = now - t - less;
      if (keep) totals[stage] += spent > 0n ? spent : 0n;
      t = now;
      return spent;
    };
    const body = JSON.parse(entry.body) as {
      request: { uid: string; namespace: string; object: object };
    };
    lap('parse');
    if (excluded.has(body.request.namespace)) return;
    const pod = body.request.object;
    const plan = core.planPod(pod, engine);
    lap('plan');
    const mutated = core.applyPlan(pod, plan);
    lap('apply');
    const inject = plan.decisions.some((d) => d.action === 'inject');
    const ops = inject ? core.diffPatch(pod, mutated) : [];
    const diffNs = lap('diff');
    // verifiedPatch diffs again before it checks; only the check is this stage's.
    if (ops.length > 0) core.verifiedPatch(pod, mutated);
    lap('check', ops.length > 0 ? diffNs : 0n);
    const response = admission.patched(body.request.uid, ops, {
      warnings: admission.renderWarnings('enforce', plan.decisions, plan.notices),
      auditAnnotations: admission.renderAuditAnnotations('enforce', plan.decisions),
    });
    sink += JSON.stringify(admission.toWireReview(response)).length;
    lap('answer');
    if (keep && ops.length > 0) patched += 1;
  };

  for (const entry of corpus) once(entry, false);
  for (let round = 0; round < options.rounds; round++)
    for (const entry of corpus) once(entry, true);
  if (sink === 0) throw new Error('the engine answered nothing');
  const reviews = corpus.length * options.rounds;
  const us = Object.fromEntries(
    STAGES.map((s) => [s, Math.round(Number(totals[s]) / 1e3 / reviews)]),
  ) as Record<Stage, number>;
  return {
    reviews: corpus.length,
    patched: Math.round(patched / options.rounds),
    rounds: options.rounds,
    us,
    engineUs: us.plan + us.apply + us.diff + us.check + us.answer,
  };
}
