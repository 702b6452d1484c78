/**
 * @module server/serve-command — the `autoprobe serve` command: flags, environment, and the
 * process signals. Flags override the config file (and keep overriding after a reload). SIGTERM
 * and SIGINT start the graceful shutdown (close-with-grace); a second signal, or a drain longer
 * than the shutdown delay plus DRAIN_TIMEOUT_MS, exits at once with code 1.
 */
import { existsSync } from 'node:fs';
import closeWithGrace from 'close-with-grace';
import type { Command } from 'commander';
import type { ConfigOverrides } from '../config/overrides.js';
import type { CommandRegistrar, Io } from '../program.js';
import { readServeEnv } from './env.js';

/** How long in-flight requests may take to finish once the listener stops accepting. */
export const DRAIN_TIMEOUT_MS = 10_000;

/** The flags of `autoprobe serve`, as commander parses them. */
export interface ServeFlags {
  readonly config?: string;
  readonly mode?: string;
  readonly scope?: string;
  readonly port?: string;
  readonly metricsPort?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
}

/** registerServeCommand adds `serve` to the program. */
export const registerServeCommand: CommandRegistrar = (program: Command, io: Io) => {
  program
    .command('serve')
    .description('run the admission webhook (HTTPS) with health and metrics on a second port')
    .option('--config <file>', 'config file (YAML); reloaded when it changes')
    .option('--mode <mode>', 'enforce (patch pods) or audit (only report)')
    .option('--scope <scope>', 'optin (labelled namespaces) or cluster (all but excluded)')
    .option('--port <n>', 'HTTPS port of POST /mutate (default 8443)')
    .option('--metrics-port <n>', 'HTTP port of /healthz, /readyz, /metrics (default 8080)')
    .option('--tls-cert <file>', 'serving certificate (PEM); reloaded when it changes')
    .option('--tls-key <file>', 'serving key (PEM); without both, a development CA is generated')
    .action(async (flags: ServeFlags) => {
      await runServe(flags, io);
    });
};

/** runServe starts the server and resolves once it has shut down. */
export async function runServe(flags: ServeFlags, io: Io): Promise<void> {
  // Loaded here, not at the top: the CLI commands share this binary and should not pay for
  // Fastify, pino and prom-client at start-up (~0.5 s).
  const { startServe } = await import('./serve.js');
  const running = await startServe({
    ...(flags.config === undefined ? {} : { configPath: flags.config }),
    overrides: overridesOf(flags),
    env: readServeEnv(io.env, existsSync),
    logDestination: io.stdout,
  });
  const { logger } = running;
  closeWithGrace(
    {
      delay: false,
      logger: {
        error: (message: unknown) => {
          logger.error({ message }, 'shutdown');
        },
      },
    },
    async ({ signal, err }) => {
      if (err !== undefined) logger.fatal({ err }, 'unexpected error; shutting down');
      const deadline = setTimeout(() => {
        logger.error({ timeoutMs: DRAIN_TIMEOUT_MS }, 'in-flight requests did not finish; exiting');
        process.exit(1);
      }, running.shutdownDelayMs() + DRAIN_TIMEOUT_MS);
      deadline.unref();
      await running.shutdown(signal);
    },
  );
  await running.closed;
}

/** overridesOf turns flags into config overrides; the schema validates the values. */
export function overridesOf(flags: ServeFlags): ConfigOverrides {
  const tls = {
    ...(flags.tlsCert === undefined ? {} : { certFile: flags.tlsCert }),
    ...(flags.tlsKey === undefined ? {} : { keyFile: flags.tlsKey }),
  };
  return {
    ...(flags.mode === undefined ? {} : { mode: flags.mode }),
    ...(flags.scope === undefined ? {} : { scope: flags.scope }),
    server: {
      ...portOf('port', flags.port),
      ...portOf('metricsPort', flags.metricsPort),
      // A lone --tls-cert is reported by the config validation, with every other problem.
      ...(Object.keys(tls).length === 0 ? {} : { tls }),
    },
  };
}

function portOf(
  key: 'port' | 'metricsPort',
  value: string | undefined,
): Partial<Record<'port' | 'metricsPort', number | string>> {
  if (value === undefined) return {};
  // A number when it is one; otherwise the raw text, so the schema names the bad flag value.
  return { [key]: /^\d{1,5}$/.test(value) ? Number.parseInt(value, 10) : value };
}
