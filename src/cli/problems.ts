/** @module cli/problems — input problems, collected per file and document while the rest goes on. */
import { AutoprobeError } from '../core/index.js';

/** The error codes an input problem can carry; runMain maps all of them to EXIT.inputErrors. */
export type InputErrorCode = 'AP_ERR_MANIFEST_PARSE' | 'AP_ERR_MANIFEST_KIND' | 'AP_ERR_INPUT_READ';

/**
 * One file or document that could not be processed. `message` names a place (line, field path),
 * never the content: manifests carry Secrets and env values.
 */
export interface InputProblem {
  readonly code: InputErrorCode;
  /** The file as the user named it, `-` for stdin. */
  readonly file: string;
  /** 1-based document number in the file; absent when the whole file failed. */
  readonly document: number | null;
  readonly message: string;
}

/** formatProblem renders `FILE: document N: message` (or `FILE: message` for a whole file). */
export function formatProblem(problem: InputProblem): string {
  const where =
    problem.document === null ? problem.file : `${problem.file}: document ${problem.document}`;
  return `${where}: ${problem.message}`;
}

/**
 * throwIfProblems ends a command that has already written its output: the problems go to runMain
 * as one AutoprobeError whose details are the lines to print, and the exit code says "partial".
 */
export function throwIfProblems(problems: readonly InputProblem[]): void {
  const first = problems[0];
  if (first === undefined) return;
  const what = problems.length === 1 ? '1 input problem' : `${problems.length} input problems`;
  throw new AutoprobeError(first.code, `${what}; everything else was processed`, {
    details: problems.map(formatProblem),
  });
}
