/**
 * @module probes/harness/results — one row per executed probe, collected across test files
 * (each appends to `rows/<file>.jsonl`) and reported by the global teardown as a table on stdout
 * and as `results.json`.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './paths.js';

/** One executed probe. */
export interface ResultRow {
  readonly family: string;
  /** The catalog variant the engine chose (`official`, `bitnami`, …). */
  readonly variant: string;
  readonly image: string;
  readonly case: string;
  /** `0` or `non-zero`. */
  readonly expected: '0' | 'non-zero';
  readonly exit: number;
  readonly durationMs: number;
  readonly timeoutSeconds: number;
  readonly verdict: 'pass' | 'FAIL';
  /** The server the probe ran against (`PostgreSQL 15.18 (Debian)`), or what stood in for it. */
  readonly server: string;
  /** The rendered argv, space-joined (arguments with spaces JSON-quoted). */
  readonly command: string;
  /** First non-empty lines of the probe's stdout and stderr. */
  readonly output: string;
}

export const ROWS_DIR = join(RESULTS_DIR, 'rows');

/** recordRow appends a row to this file's rows (a JSON line). */
export function recordRow(file: string, row: ResultRow): void {
  mkdirSync(ROWS_DIR, { recursive: true });
  appendFileSync(join(ROWS_DIR, `${file}.jsonl`), `${JSON.stringify(row)}\n`);
}

/** readRows gathers every row written in this run, in file then execution order. */
export function readRows(): ResultRow[] {
  if (!existsSync(ROWS_DIR)) return [];
  return readdirSync(ROWS_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      readFileSync(join(ROWS_DIR, f), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as ResultRow),
    );
}

const COLUMNS: readonly (readonly [string, (r: ResultRow) => string])[] = [
  ['family', (r) => r.family],
  ['variant (image)', (r) => `${r.variant} (${r.image})`],
  ['case', (r) => r.case],
  ['expected', (r) => r.expected],
  ['exit', (r) => String(r.exit)],
  ['ms', (r) => String(r.durationMs)],
  ['timeoutSeconds', (r) => String(r.timeoutSeconds)],
  ['verdict', (r) => r.verdict],
];

/** renderTable lays the rows out as a fixed-width text table. */
export function renderTable(rows: readonly ResultRow[]): string {
  const cells = rows.map((r) => COLUMNS.map(([, get]) => get(r)));
  const widths = COLUMNS.map(([title], i) =>
    Math.max(title.length, ...cells.map((c) => (c[i] ?? '').length)),
  );
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) =>
        i === 4 || i === 5 || i === 6 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    line(COLUMNS.map(([title]) => title)),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
  ].join('\n');
}
