/**
 * @module cli/lint — `autoprobe lint`: the lint's findings on the probes the manifests already
 * have (src/core/lint), for CI pipelines. It renders the findings of the same plan explain and
 * inject use; an error finding makes the command fail (exit 1).
 */
import { AutoprobeError, LINT_RULES } from '../core/index.js';
import type { Io } from '../program.js';
import { explainManifest } from './explain.js';
import { renderLintSarif } from './lint-sarif.js';
import type { SarifInput } from './lint-sarif.js';
import { loadManifests } from './pipeline.js';
import type { ManifestOptions } from './pipeline.js';
import { throwIfProblems } from './problems.js';
import { formatTable } from './table.js';

/** Output formats of lint. */
export const LINT_FORMATS = ['table', 'json', 'sarif'] as const;

/** Options of `autoprobe lint`. */
export interface LintOptions extends ManifestOptions {
  readonly output: (typeof LINT_FORMATS)[number];
}

/** One finding and where it is. */
type LintRow = SarifInput;

/** runLint prints the findings; unreadable input, then error findings, fail the command. */
export async function runLint(options: LintOptions, io: Io): Promise<void> {
  const { engine, manifests, problems } = await loadManifests(options, io);
  const rows = manifests.flatMap((manifest) =>
    explainManifest(manifest, engine).flatMap((row) =>
      row.decision.findings.map((finding) => ({ manifest, row, finding })),
    ),
  );
  const render = { table: renderLintTable, json: renderLintJson, sarif: renderLintSarif };
  io.stdout.write(render[options.output](rows));
  throwIfProblems(problems);
  // A finding the probes autoprobe adds resolve does not fail the pipeline (lint.md).
  const errors = rows.filter((r) => r.finding.severity === 'error' && !r.finding.resolved).length;
  if (errors > 0) {
    throw new AutoprobeError(
      'AP_ERR_LINT_FINDINGS',
      `${errors} error finding${errors === 1 ? '' : 's'}: probes that can kill or hide a healthy pod`,
    );
  }
}

function renderLintJson(rows: readonly LintRow[]): string {
  const items = rows.map(({ row, finding }) => ({
    file: row.file,
    document: row.document,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    container: row.decision.container,
    image: row.decision.image,
    family: row.decision.family,
    ...finding,
    fix: LINT_RULES[finding.code].fix,
  }));
  return `${JSON.stringify(items, null, 2)}\n`;
}

function renderLintTable(rows: readonly LintRow[]): string {
  if (rows.length === 0) return 'no findings\n';
  const lines = rows.map(({ row, finding }) => [
    `${row.file}#${row.document}`,
    `${row.kind}/${row.name ?? '-'}`,
    row.decision.container,
    finding.probe,
    finding.severity,
    finding.code,
    finding.message,
  ]);
  const errors = rows.filter((r) => r.finding.severity === 'error').length;
  return (
    formatTable(['FILE', 'OBJECT', 'CONTAINER', 'PROBE', 'SEVERITY', 'CODE', 'MESSAGE'], lines) +
    `\n${rows.length} findings, ${errors} errors (docs/lint.md: every rule and its fix)\n`
  );
}
