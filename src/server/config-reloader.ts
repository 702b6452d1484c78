/**
 * @module server/config-reloader — reload the config file when it changes (a ConfigMap volume
 * update included, see file-watch.ts). The new file is validated in full; an invalid one keeps
 * the last good configuration, and every problem is logged and counted. Command-line flags are
 * applied again on top, so they keep winning.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import type { FastifyBaseLogger } from 'fastify';
import { parseConfigText } from '../config/load.js';
import type { Config } from '../config/config.js';
import type { ConfigOverrides } from '../config/overrides.js';
import { isAutoprobeError } from '../core/index.js';
import { watchFiles } from './file-watch.js';
import type { FileWatch } from './file-watch.js';
import type { Metrics } from './metrics.js';

/** Options of watchConfig. */
export interface ConfigReloaderOptions {
  readonly path: string;
  readonly overrides?: ConfigOverrides;
  /** The configuration in use. */
  readonly current: () => Config;
  /** Installs a new, valid configuration. */
  readonly apply: (config: Config) => void;
  readonly logger: FastifyBaseLogger;
  readonly metrics: Metrics;
  readonly debounceMs?: number;
  readonly pollMs?: number;
}

/** What a reload did. */
export type ReloadResult = 'applied' | 'unchanged' | 'invalid';

/** A running config watch. */
export interface ConfigReloader extends FileWatch {
  /** Re-reads the file now. */
  reload(): Promise<ReloadResult>;
}

/** watchConfig starts watching the config file; `initialText` is the text the process started with. */
export function watchConfig(options: ConfigReloaderOptions, initialText: string): ConfigReloader {
  const { path, logger, metrics } = options;
  let seen = digest(initialText);
  let running: Promise<ReloadResult> | undefined;

  const attempt = async (): Promise<ReloadResult> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (seen === 'unreadable') return 'unchanged';
      seen = 'unreadable';
      metrics.configReloads.inc({ result: 'failure' });
      logger.error({ err: error, path }, 'config file cannot be read; keeping the last good one');
      return 'invalid';
    }
    // Polls and unrelated events in the directory re-read the same text: nothing to do.
    if (digest(text) === seen) return 'unchanged';
    seen = digest(text);
    let next: Config;
    try {
      next = parseConfigText(text, path, options.overrides);
    } catch (error) {
      metrics.configReloads.inc({ result: 'failure' });
      const problems = isAutoprobeError(error) ? error.details : [String(error)];
      logger.error({ path, problems }, 'config file is invalid; keeping the last good one');
      return 'invalid';
    }
    const before = options.current();
    options.apply(next);
    metrics.configReloads.inc({ result: 'success' });
    logger.info({ path, mode: next.mode, scope: next.scope }, 'config reloaded');
    if (!isDeepStrictEqual(before.server, next.server)) {
      logger.warn({ path }, 'server settings (ports, TLS, timeouts) take effect after a restart');
    }
    return 'applied';
  };
  const reload = (): Promise<ReloadResult> => {
    running ??= attempt().finally(() => {
      running = undefined;
    });
    return running;
  };
  const watch = watchFiles([path], () => void reload(), {
    debounceMs: options.debounceMs ?? 250,
    pollMs: options.pollMs ?? 10_000,
    onError: (error) => {
      logger.warn({ err: error }, 'config directory watch failed; polling');
    },
  });
  return {
    close: () => {
      watch.close();
    },
    reload,
  };
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
