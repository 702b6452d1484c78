/**
 * @module safety/exec-shape — what an exec probe's command runs, read back from the command itself
 * (argv, or a `sh -c` script): each program, the `timeout` it runs under, the tools it guards with
 * `command -v`, and its words. The safety gate judges the command by this, not by how it was built.
 */
import { SHELLS } from '../catalog/index.js';
import { basename, splitScript } from '../shell-words.js';

/** One program the command runs, and the `timeout` (seconds) it runs under, if any. */
export interface ExecRun {
  readonly program: string;
  readonly timeoutSeconds: number | null;
}

/** An exec command as the gate reads it. */
export interface ExecShape {
  readonly runs: readonly ExecRun[];
  /** Programs the script tests with `command -v` before running them. */
  readonly guards: ReadonlySet<string>;
  readonly words: readonly string[];
  /** The command as one text (for finding variable references). */
  readonly text: string;
  /** The command goes through `sh -c`. */
  readonly shell: boolean;
}

/** readExec reads an exec command. */
export function readExec(command: readonly string[]): ExecShape {
  const [first] = command;
  const text = command.join(' ');
  // `sh -c script`, also with other options around -c (`sh -ec …`, Bitnami's `sh -c -e …`).
  let at = 1;
  while ((command[at] ?? '').startsWith('-')) at += 1;
  const options = command.slice(1, at);
  const script = command[at];
  if (
    first !== undefined &&
    SHELLS.includes(basename(first)) &&
    options.some((o) => /^-[a-z]*c[a-z]*$/.test(o)) &&
    script !== undefined
  ) {
    const parsed = splitScript(script);
    const runs: ExecRun[] = [{ program: first, timeoutSeconds: null }];
    const guards = new Set<string>();
    for (const c of parsed.commands) {
      if (c.words[0] === 'command' && c.words[1] === '-v' && c.words[2] !== undefined) {
        guards.add(c.words[2]);
        continue;
      }
      runs.push(...runsOf(c.words));
    }
    return { runs, guards, words: parsed.words, text, shell: true };
  }
  return { runs: runsOf(command), guards: new Set(), words: command, text, shell: false };
}

/** runsOf reads one simple command: `timeout [opts] N prog …` is `timeout` and `prog` under N. */
function runsOf(words: readonly string[]): ExecRun[] {
  const program = words[0];
  if (program === undefined) return [];
  // `exec prog …` runs prog in the shell's place.
  if (program === 'exec') return runsOf(words.slice(1));
  if (basename(program) !== 'timeout') return [{ program, timeoutSeconds: null }];
  let i = 1;
  while (i < words.length && (words[i] ?? '').startsWith('-')) {
    const option = words[i] ?? '';
    i += ['-s', '--signal', '-k', '--kill-after'].includes(option) ? 2 : 1;
  }
  const seconds = duration(words[i] ?? '');
  const inner = words[i + 1];
  const runs: ExecRun[] = [{ program, timeoutSeconds: null }];
  if (inner !== undefined) runs.push({ program: inner, timeoutSeconds: seconds });
  return runs;
}

/** A `timeout` duration (`4`, `2.5`, `1m`) in seconds; NaN when it is not one. */
function duration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(value);
  if (m === null) return Number.NaN;
  const scale = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] ?? ''] ?? Number.NaN;
  return Number(m[1]) * scale;
}
