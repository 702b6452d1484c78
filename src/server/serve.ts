/**
 * @module server/serve — `autoprobe serve` composed: config, logger, metrics, TLS, namespace
 * cache, the two listeners, the reloaders, and the shutdown sequence. Each piece is built
 * elsewhere and only wired here (the one composition root of the server).
 *
 * The shutdown sequence is shutdown.ts; the signals that start it are serve-command.ts.
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import { loadConfig, parseConfigText } from '../config/load.js';
import type { ConfigOverrides } from '../config/overrides.js';
import { AutoprobeError } from '../core/index.js';
import type { NamespaceLookup } from '../kube/namespace-cache.js';
import { buildServer, lastConnectionAt, secureContextOptions, secureServerOf } from './app.js';
import { recordCertificate, watchCertificate } from './cert-reloader.js';
import { watchConfig } from './config-reloader.js';
import { configStore } from './config-store.js';
import type { ConfigStore } from './config-store.js';
import type { ServeEnv } from './env.js';
import type { FileWatch } from './file-watch.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import type { Metrics } from './metrics.js';
import { startNamespaces } from './namespaces.js';
import { buildOpsServer } from './ops-app.js';
import { createReadiness } from './readiness.js';
import type { TlsOptions } from './server-deps.js';
import { startSelfManagedTls } from './serve-certificates.js';
import { createShutdown } from './shutdown.js';
import { prepareTls } from './tls-setup.js';
import type { InitialTls } from './tls-setup.js';

/** What startServe needs. */
export interface ServeOptions {
  readonly configPath?: string;
  readonly overrides?: ConfigOverrides;
  readonly env: ServeEnv;
  /** Where log lines go (stdout by default). */
  readonly logDestination?: DestinationStream;
  /** Replaces the namespace label source (tests). */
  readonly namespaces?: NamespaceLookup;
  /** Debounce and poll of the file watches (tests shorten them). */
  readonly watch?: { readonly debounceMs: number; readonly pollMs: number };
}

/** A running server. */
export interface RunningServe {
  readonly webhookUrl: string;
  readonly opsUrl: string;
  readonly logger: Logger;
  /** Resolves when shutdown has finished. */
  readonly closed: Promise<void>;
  /** Starts (or joins) the shutdown; the delay applies to SIGTERM, not to an interactive SIGINT. */
  shutdown(signal?: string): Promise<void>;
  /** The configured shutdown delay (it may change with a config reload). */
  shutdownDelayMs(): number;
}

/** startServe starts both listeners and returns once they accept connections. */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const { config, text } = await initialConfig(options);
  const logger = createLogger({
    level: config.logLevel,
    ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
  });
  const metrics = createMetrics(new Registry());
  const readiness = createReadiness();
  // Self-managed certificates are written to files first, then served and reloaded like any.
  const managed = await startSelfManagedTls(config.server.tls, options.env, logger);
  const tls = await prepareTls(
    managed === null ? config.server.tls : { ...config.server.tls, ...managed.files },
    logger,
  );
  recordCertificate(metrics, tls.material);

  const store = configStore(config, options.env);
  const namespaces =
    options.namespaces === undefined
      ? await startNamespaces(options.env.kube, logger, metrics)
      : { namespaces: options.namespaces, stop: () => Promise.resolve() };
  const app = buildServer({
    logger,
    metrics,
    runtime: store.runtime,
    namespace: (name) => namespaces.namespaces.getNamespace(name),
    draining: readiness.draining,
    tls: tls.material,
    keepAliveTimeoutMs: config.server.keepAliveTimeoutMs,
  });
  const ops = buildOpsServer({ logger, registry: metrics.registry, readiness });
  const { host, port, metricsPort } = config.server;
  let webhookUrl: string;
  let opsUrl: string;
  try {
    webhookUrl = await listen(app, { host, port }, 'admission webhook (POST /mutate)', 'https:');
    opsUrl = await listen(ops, { host, port: metricsPort }, 'health and metrics', 'http:');
  } catch (error) {
    // Close whatever did start, or the open listener would keep the failed process alive.
    managed?.watch.close();
    await Promise.allSettled([app.close(), ops.close(), namespaces.stop()]);
    throw error;
  }
  readiness.markTlsLoaded();

  const watches = startWatches(options, { store, tls, app, logger, metrics, text });
  if (managed !== null) watches.push(managed.watch);
  logger.info(
    { webhookUrl: `${webhookUrl}/mutate`, opsUrl, mode: config.mode, scope: config.scope },
    'autoprobe webhook started',
  );
  const delayMs = (): number => store.get().server.shutdownDelayMs;
  const shutdown = createShutdown({
    readiness,
    logger,
    delayMs,
    watches,
    app,
    ops,
    namespaces,
    lastConnectionAt: () => lastConnectionAt(app),
  });
  return {
    webhookUrl,
    opsUrl,
    logger,
    closed: shutdown.closed,
    shutdown: shutdown.run,
    shutdownDelayMs: delayMs,
  };
}

interface WatchContext {
  readonly store: ConfigStore;
  readonly tls: InitialTls;
  readonly app: FastifyInstance;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly text: string | undefined;
}

/** startWatches reloads the certificate (when it came from files) and the config file. */
function startWatches(options: ServeOptions, ctx: WatchContext): FileWatch[] {
  const { store, tls, app, logger, metrics, text } = ctx;
  const watches: FileWatch[] = [];
  if (tls.files !== null) {
    const apply = (material: TlsOptions): void => {
      secureServerOf(app)?.setSecureContext(secureContextOptions(material));
    };
    watches.push(
      watchCertificate({ ...tls.files, ...options.watch, logger, metrics, apply }, tls.material),
    );
  }
  if (options.configPath !== undefined && text !== undefined) {
    const apply = (next: Config): void => {
      store.set(next);
      logger.level = next.logLevel;
    };
    const reloader = watchConfig(
      {
        path: options.configPath,
        overrides: options.overrides ?? {},
        current: store.get,
        apply,
        logger,
        metrics,
        ...options.watch,
      },
      text,
    );
    watches.push(reloader);
  }
  return watches;
}

async function initialConfig(
  options: ServeOptions,
): Promise<{ config: Config; text: string | undefined }> {
  const path = options.configPath;
  if (path === undefined)
    return { config: await loadConfig(undefined, options.overrides), text: undefined };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new AutoprobeError('AP_ERR_CONFIG_READ', `${path}: cannot read the configuration file`, {
      cause,
    });
  }
  return { config: parseConfigText(text, path, options.overrides), text };
}

/** listen starts one listener; a port that cannot be bound is a configuration error. */
async function listen(
  app: FastifyInstance,
  where: { readonly host: string; readonly port: number },
  what: string,
  scheme: 'http:' | 'https:',
): Promise<string> {
  // Fastify names the scheme from its own `https` option, which the serverFactory replaces.
  const named = (address: string): string => address.replace(/^https?:/, scheme);
  try {
    return named(
      await app.listen({
        ...where,
        listenTextResolver: (address) => `${what} listening at ${named(address)}`,
      }),
    );
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    throw new AutoprobeError(
      'AP_ERR_CONFIG_INVALID',
      `${what}: cannot listen on ${where.host}:${where.port} (${code})`,
      { cause },
    );
  }
}
