/**
 * @module server/config-store — the configuration in use and the per-request settings derived
 * from it, swapped as a whole when the config file is reloaded.
 */
import type { Config } from '../config/config.js';
import type { ServeEnv } from './env.js';
import type { RuntimeSettings } from './server-deps.js';

/** The configuration in use and the per-request settings derived from it. */
export interface ConfigStore {
  readonly get: () => Config;
  readonly runtime: () => RuntimeSettings;
  readonly set: (config: Config) => void;
}

/** configStore holds `initial` until `set` replaces it. */
export function configStore(initial: Config, env: ServeEnv): ConfigStore {
  let current = initial;
  let runtime = runtimeOf(initial, env);
  return {
    get: () => current,
    runtime: () => runtime,
    set: (next) => {
      current = next;
      runtime = runtimeOf(next, env);
    },
  };
}

/** runtimeOf derives the per-request settings; the webhook's own namespace is always excluded. */
export function runtimeOf(config: Config, env: ServeEnv): RuntimeSettings {
  const own = env.podNamespace === undefined ? [] : [env.podNamespace];
  return {
    admission: {
      mode: config.mode,
      scope: config.scope,
      excludedNamespaces: [...new Set([...config.excludedNamespaces, ...own])],
      engine: config.engine,
    },
    requestTimeoutMs: config.server.requestTimeoutMs,
    maxInFlightMiB: config.server.maxInFlightMiB,
  };
}
