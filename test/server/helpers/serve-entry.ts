/**
 * A minimal binary with only the `serve` command, so the process-level tests exercise the real
 * command (flags, env, signals, exit code) without depending on the CLI commands' modules.
 */
import { Command } from 'commander';
import { registerServeCommand } from '../../../src/server/serve-command.js';

const program = new Command('autoprobe').exitOverride();
registerServeCommand(program, {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
