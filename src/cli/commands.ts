/**
 * @module cli/commands — the `inject`, `explain` and `lint` subcommands: their flags and help. Actions
 * only translate flags into options; failures are thrown for runMain to report.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { AutoprobeError } from '../core/index.js';
import type { CommandRegistrar, Io } from '../program.js';
import { EXPLAIN_FORMATS, runExplain } from './explain.js';
import { INJECT_FORMATS, runInject } from './inject.js';
import { LINT_FORMATS, runLint } from './lint.js';
import type { ManifestOptions } from './pipeline.js';

/** The flag values as commander hands them over. */
interface RawOptions {
  readonly filename: string[];
  readonly output: string;
  readonly config?: string;
  readonly mesh?: string;
}

const INJECT_HELP = `
Examples:
  autoprobe inject -f deploy/ > deploy.probed.yaml
  kustomize build overlays/prod | autoprobe inject -f - | kubectl apply -f -
  autoprobe inject -f statefulset.yaml -o json --config autoprobe.yaml`;

const EXPLAIN_HELP = `
Examples:
  autoprobe explain -f examples/
  autoprobe explain -f deploy/ -o json | jq '.[] | select(.action == "skip") | .reasons'`;

const LINT_HELP = `
Exit codes: 0 no error finding (warnings may be printed), 1 an error finding or unreadable
input, 2 bad usage or configuration.

Examples:
  autoprobe lint -f deploy/
  helm template my-release chart/ | autoprobe lint -f - -o json
  autoprobe lint -f deploy/ -o sarif > autoprobe.sarif   # GitHub code scanning`;

/** registerCliCommands adds `inject`, `explain` and `lint` to the program. */
export const registerCliCommands: CommandRegistrar = (program: Command, io: Io): void => {
  withInputOptions(program.command('inject'))
    .description('print the manifests with the missing health probes added')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(INJECT_FORMATS).default('yaml'),
    )
    .addHelpText('after', INJECT_HELP)
    .action(async (_options: unknown, command: Command) => {
      await runInject(toOptions(command, INJECT_FORMATS), io);
    });

  withInputOptions(program.command('explain'))
    .description('show, per container, what inject would do and why')
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(EXPLAIN_FORMATS)
        .default('table'),
    )
    .addHelpText('after', EXPLAIN_HELP)
    .action(async (_options: unknown, command: Command) => {
      await runExplain(toOptions(command, EXPLAIN_FORMATS), io);
    });

  withInputOptions(program.command('lint'))
    .description('check the probes the manifests already have against what each engine needs')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(LINT_FORMATS).default('table'),
    )
    .addHelpText('after', LINT_HELP)
    .action(async (_options: unknown, command: Command) => {
      await runLint(toOptions(command, LINT_FORMATS), io);
    });
};

function withInputOptions(command: Command): Command {
  return command
    .requiredOption(
      '-f, --filename <path>',
      'manifest file, directory (recursive: *.yaml, *.yml, *.json) or - for stdin; repeatable',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--config <file>', 'autoprobe configuration file (catalog and timing overrides)')
    .option(
      '--mesh <mesh>',
      'the service mesh the Pods run in (auto|none|linkerd|istio|ambient); the CLI sees no namespaces, so auto only sees the Pods themselves',
    );
}

/** toOptions reads the parsed flags into a command's options. */
function toOptions<F extends string>(
  command: Command,
  formats: readonly F[],
): ManifestOptions & { readonly output: F } {
  const raw = command.opts<RawOptions>();
  // commander enforces the choices already; this narrows the type without a cast.
  const output = formats.find((format) => format === raw.output);
  if (output === undefined) {
    throw new AutoprobeError('AP_ERR_USAGE', `-o must be one of ${formats.join(', ')}`);
  }
  return { filenames: raw.filename, config: raw.config, mesh: raw.mesh, output };
}
