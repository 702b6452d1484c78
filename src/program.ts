/**
 * @module program — the contract between the binary's entry point and the command modules:
 * each surface (cli/, server/) registers its commands on the one commander program.
 */
import type { Command } from 'commander';

/** The process streams and environment a command may use; tests pass fakes. */
export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Registers one or more subcommands. Actions report failures by throwing AutoprobeError. */
export type CommandRegistrar = (program: Command, io: Io) => void;

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  /** Some input could not be processed (the rest was). */
  inputErrors: 1,
  /** Bad usage or invalid configuration: nothing was done. */
  usage: 2,
  /** An unexpected internal error. */
  internal: 3,
} as const;
