#!/usr/bin/env node
/**
 * @module main — the `autoprobe` binary: wires the CLI commands (inject, explain, lint), the
 * cluster audit (audit) and the server command (serve) into one program, and maps errors to exit codes in one place.
 */
import { runMain } from './cli/run-main.js';
import { registerAuditCommand } from './audit/audit-command.js';
import { registerCliCommands } from './cli/commands.js';
import { registerServeCommand } from './server/serve-command.js';

await runMain(process.argv, {
  registerCommands: [registerCliCommands, registerAuditCommand, registerServeCommand],
});
