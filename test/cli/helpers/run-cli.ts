/** Runs the autoprobe program in-process with fake streams (no module mocks, no child process). */
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { registerCliCommands } from '../../../src/cli/commands.js';
import { runMain } from '../../../src/cli/run-main.js';
import type { CommandRegistrar, Io } from '../../../src/program.js';

/** The repository root: examples/ and package.json live here. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What a run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of a fake run. */
export interface RunCliOptions {
  readonly stdin?: string;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly registrars?: readonly CommandRegistrar[];
}

/** runCli runs `autoprobe ...args` and collects stdout and stderr. */
export async function runCli(
  args: readonly string[],
  options: RunCliOptions = {},
): Promise<CliRun> {
  const stdout = collector();
  const stderr = collector();
  const io: Io = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
  };
  const code = await runMain(['node', 'autoprobe', ...args], {
    registerCommands: options.registrars ?? [registerCliCommands],
    io,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done): void {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}
