/**
 * @module cli/run-main — builds the one commander program, runs it, and maps every error to an
 * exit code and a stderr message. This is the only place where errors become exit codes.
 */
import { Command, CommanderError } from 'commander';
import { isAutoprobeError } from '../core/index.js';
import type { ErrorCode } from '../core/index.js';
import { EXIT } from '../program.js';
import type { CommandRegistrar, Io } from '../program.js';
import { processIo } from './process-io.js';
import { readVersion } from './version.js';

/** What runMain needs: the command registrars, and optionally fake streams (tests). */
export interface RunOptions {
  readonly registerCommands: readonly CommandRegistrar[];
  /** The streams to use; when omitted, the process's own, and `process.exitCode` is set. */
  readonly io?: Io;
}

type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const EXIT_BY_CODE: Readonly<Partial<Record<ErrorCode, ExitCode>>> = {
  AP_ERR_MANIFEST_PARSE: EXIT.inputErrors,
  AP_ERR_MANIFEST_KIND: EXIT.inputErrors,
  AP_ERR_INPUT_READ: EXIT.inputErrors,
  AP_ERR_LINT_FINDINGS: EXIT.inputErrors,
  AP_ERR_KUBE_FORBIDDEN: EXIT.inputErrors,
  AP_ERR_KUBE_API: EXIT.inputErrors,
  AP_ERR_USAGE: EXIT.usage,
  AP_ERR_CONFIG_INVALID: EXIT.usage,
  AP_ERR_CONFIG_READ: EXIT.usage,
  // Serving certificate or key files that cannot be used are invalid configuration too.
  AP_ERR_TLS: EXIT.usage,
};

/** runMain parses `argv` (process.argv form), runs the command and returns its exit code. */
export async function runMain(argv: readonly string[], options: RunOptions): Promise<number> {
  const io = options.io ?? processIo();
  let code: number;
  try {
    await buildProgram(io, options.registerCommands).parseAsync(argv);
    code = EXIT.ok;
  } catch (error) {
    code = exitCodeOf(error);
    // commander has already printed its own message (and help/version are not failures).
    if (!(error instanceof CommanderError)) io.stderr.write(describeError(error));
  }
  if (options.io === undefined) process.exitCode = code;
  return code;
}

/** exitCodeOf maps an error to the documented exit codes (program.ts EXIT). */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (isAutoprobeError(error)) return EXIT_BY_CODE[error.code] ?? EXIT.internal;
  return EXIT.internal;
}

function buildProgram(io: Io, registrars: readonly CommandRegistrar[]): Command {
  const program = new Command('autoprobe')
    .description(
      'Gives database and message-broker Pods the health probes they lack: a mutating admission ' +
        'webhook (serve) and the same engine over manifests (inject, explain).',
    )
    .version(readVersion())
    // Subcommands copy these settings when they are created, so set them before registering.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)');
  for (const register of registrars) register(program, io);
  return program;
}

/**
 * describeError renders the stderr lines: one per detail when there are details (each already
 * names its file and document), then the summary. Causes are not printed: they can quote input.
 */
function describeError(error: unknown): string {
  if (!isAutoprobeError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return `autoprobe: internal error: ${firstLine(message)}\n`;
  }
  const lines = [...error.details, firstLine(error.message) + systemCode(error.cause)];
  return lines.map((line) => `autoprobe: ${line}\n`).join('');
}

/** systemCode names a file system error by its code (ENOENT, EACCES…), never by its message. */
function systemCode(cause: unknown): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? ` (${code})` : '';
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}
