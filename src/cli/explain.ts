/**
 * @module cli/explain — `autoprobe explain`: one row per container with the engine's decision and
 * why, for people (table) or machines (JSON). Nothing is mutated.
 */
import { planPod } from '../core/index.js';
import type { ContainerDecision, EngineConfig, Notice, PodFacts } from '../core/index.js';
import type { Io } from '../program.js';
import { renderExplainJson, renderExplainTable } from './explain-render.js';
import type { Manifest } from './manifests.js';
import { loadManifests } from './pipeline.js';
import type { ManifestOptions } from './pipeline.js';
import { throwIfProblems } from './problems.js';
import type { NodePath, Workload } from './workloads.js';

/** Output formats of explain: `wide` adds the reasons' details and the source file. */
export const EXPLAIN_FORMATS = ['table', 'wide', 'json'] as const;

/** Options of `autoprobe explain`. */
export interface ExplainOptions extends ManifestOptions {
  readonly output: (typeof EXPLAIN_FORMATS)[number];
}

/** One container's decision and the object it belongs to. */
export interface ExplainRow {
  readonly file: string;
  readonly document: number;
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string | null;
  /** Where the Pod template sits in its document (workloads.ts). */
  readonly path: NodePath;
  readonly decision: ContainerDecision;
  /** The pod's ignored (invalid) autoprobe annotations. */
  readonly notices: readonly Notice[];
}

/** runExplain prints the decisions; input problems are thrown after the output. */
export async function runExplain(options: ExplainOptions, io: Io): Promise<void> {
  const { engine, manifests, problems } = await loadManifests(options, io);
  const rows = manifests.flatMap((manifest) => explainManifest(manifest, engine));
  io.stdout.write(
    options.output === 'json'
      ? renderExplainJson(rows)
      : renderExplainTable(rows, options.output === 'wide'),
  );
  throwIfProblems(problems);
}

/** explainManifest plans every Pod template of the manifest (the same plan inject renders). */
export function explainManifest(manifest: Manifest, engine: EngineConfig): ExplainRow[] {
  return manifest.workloads.flatMap((workload) =>
    explainWorkload(workload, engine, { file: manifest.file, document: manifest.document }),
  );
}

/**
 * explainWorkload plans one Pod template: a row per container. `facts` are what the caller knows
 * of the Pod's surroundings (audit: its namespace).
 */
export function explainWorkload(
  workload: Workload,
  engine: EngineConfig,
  where: Pick<ExplainRow, 'file' | 'document'>,
  facts?: PodFacts,
): ExplainRow[] {
  const plan = planPod(workload.template, engine, facts);
  return plan.decisions.map((decision) => ({
    ...where,
    kind: workload.kind,
    namespace: workload.namespace,
    name: workload.name,
    path: workload.path,
    decision,
    notices: plan.notices,
  }));
}
