// The program around the commands: help, version, exit codes, and the built binary.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCliCommands } from '../../src/cli/commands.js';
import { exitCodeOf } from '../../src/cli/run-main.js';
import { AutoprobeError } from '../../src/core/index.js';
import { EXIT } from '../../src/program.js';
import type { CommandRegistrar } from '../../src/program.js';
import { ROOT, runCli } from './helpers/run-cli.js';

const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

/** A command whose action fails the way a bug would. */
const failing: CommandRegistrar = (program) => {
  program.command('boom').action(() => {
    throw new TypeError('unexpected');
  });
};

describe('the autoprobe program', () => {
  it('prints the version from package.json with --version', async () => {
    const run = await runCli(['--version']);
    expect(run).toEqual({ code: EXIT.ok, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('lists inject and explain with --help', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toMatch(/^Usage: autoprobe /);
    expect(run.stdout).toContain('inject [options]');
    expect(run.stdout).toContain('explain [options]');
  });

  it('documents -f, -o and --config in the help of inject', async () => {
    const run = await runCli(['inject', '--help']);
    expect(run.code).toBe(EXIT.ok);
    for (const flag of ['-f, --filename <path>', '-o, --output <format>', '--config <file>']) {
      expect(run.stdout).toContain(flag);
    }
  });

  it('prints the help on stderr and exits with the usage code without a command', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain('Usage: autoprobe');
  });

  it('maps an unexpected error to the internal exit code with one line on stderr', async () => {
    const run = await runCli(['boom'], { registrars: [registerCliCommands, failing] });
    expect(run.code).toBe(EXIT.internal);
    expect(run.stderr).toBe('autoprobe: internal error: unexpected\n');
  });

  it.each([
    ['AP_ERR_MANIFEST_PARSE', EXIT.inputErrors],
    ['AP_ERR_MANIFEST_KIND', EXIT.inputErrors],
    ['AP_ERR_INPUT_READ', EXIT.inputErrors],
    ['AP_ERR_USAGE', EXIT.usage],
    ['AP_ERR_CONFIG_INVALID', EXIT.usage],
    ['AP_ERR_CONFIG_READ', EXIT.usage],
    ['AP_ERR_PATCH_INVALID', EXIT.internal],
    ['AP_ERR_INTERNAL', EXIT.internal],
  ] as const)('maps %s to exit code %i', (code, exit) => {
    expect(exitCodeOf(new AutoprobeError(code, 'x'))).toBe(exit);
  });
});

describe('the built binary', () => {
  const main = join(ROOT, 'dist', 'main.js');

  beforeAll(() => {
    if (existsSync(main)) return;
    // Type errors are the lint step's business; tsc still emits, and this test needs the output.
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(existsSync(main), `npm run build did not produce dist/main.js:\n${build.stdout}`).toBe(
      true,
    );
  }, 120_000);

  it('prints the version with node dist/main.js --version', () => {
    const run = spawnSync(process.execPath, [main, '--version'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(EXIT.ok);
    expect(run.stdout).toBe(`${VERSION}\n`);
  });

  it('sets the process exit code from the same mapping', () => {
    const run = spawnSync(process.execPath, [main, 'inject', '-f', 'does-not-exist.yaml'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(EXIT.inputErrors);
    expect(run.stderr).toContain('does-not-exist.yaml: cannot be read');
  });
});
