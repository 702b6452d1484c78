/**
 * @module cli/lint-sarif — `autoprobe lint -o sarif`: the findings as a SARIF 2.1.0 log (OASIS,
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/sarif-v2.1.0-errata01-os-complete.html),
 * which GitHub code scanning accepts: one rule per lint code, one result per finding, located at
 * the line of the probe's key in its file.
 */
import { isMap, isScalar } from 'yaml';
import { LINT_RULES } from '../core/index.js';
import type { Finding, LintCode } from '../core/index.js';
import { PROBE_FIELD } from '../core/index.js';
import type { ExplainRow } from './explain.js';
import type { Manifest } from './manifests.js';
import { readVersion } from './version.js';

const SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const DOCS = 'https://github.com/autoprobe/autoprobe/blob/main/docs/lint.md';

/** One finding, the row it belongs to, and the manifest it was read from. */
export interface SarifInput {
  readonly manifest: Manifest;
  readonly row: ExplainRow;
  readonly finding: Finding;
}

/** renderLintSarif prints the SARIF log of the findings. */
export function renderLintSarif(findings: readonly SarifInput[]): string {
  const codes = Object.keys(LINT_RULES) as LintCode[];
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'autoprobe',
            version: readVersion(),
            informationUri: 'https://github.com/autoprobe/autoprobe',
            rules: codes.map((code) => ({
              id: code,
              name: code,
              shortDescription: { text: LINT_RULES[code].rule },
              help: { text: LINT_RULES[code].fix },
              helpUri: `${DOCS}#${code}`,
              defaultConfiguration: { level: LINT_RULES[code].severity },
              properties: { source: LINT_RULES[code].source },
            })),
          },
        },
        results: findings.map(({ manifest, row, finding }) => ({
          ruleId: finding.code,
          ruleIndex: codes.indexOf(finding.code),
          // A finding the added probes resolve is a note: no longer a hazard once autoprobe runs.
          level: finding.resolved ? 'note' : finding.severity,
          message: {
            text: `${row.kind}/${row.name ?? '-'} container ${row.decision.container}, ${finding.probe} probe: ${finding.message}`,
          },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: row.file === '-' ? 'stdin' : row.file },
                region: { startLine: lineOf(manifest, row, finding) },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** lineOf is the 1-based line of the probe's key (`livenessProbe:`), or of the document's start. */
function lineOf(manifest: Manifest, row: ExplainRow, finding: Finding): number {
  const { lines, doc } = manifest;
  if (lines === null) return 1;
  const container = doc.getIn([...row.path, 'spec', row.decision.list, row.decision.index], true);
  const field = PROBE_FIELD[finding.probe];
  const pair = isMap(container)
    ? container.items.find((p) => isScalar(p.key) && p.key.value === field)
    : undefined;
  const key = pair !== undefined && isScalar(pair.key) ? pair.key : undefined;
  const offset = key?.range?.[0] ?? doc.contents?.range?.[0];
  return offset === undefined ? 1 : lines.linePos(offset).line;
}
