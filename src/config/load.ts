/**
 * @module config/load — read the config file (YAML or JSON) once; the only place that touches the
 * file system and the environment for configuration.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { AutoprobeError } from '../core/index.js';
import { parseConfig } from './config.js';
import type { Config } from './config.js';
import { hasOverrides } from './overrides.js';
import type { ConfigOverrides } from './overrides.js';

/**
 * loadConfig reads and validates `path` (without a path: the defaults), with command-line
 * `overrides` layered on top.
 */
export async function loadConfig(
  path: string | undefined,
  overrides?: ConfigOverrides,
): Promise<Config> {
  if (path === undefined) {
    return parseConfig(undefined, hasOverrides(overrides) ? 'flags' : 'defaults', overrides);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new AutoprobeError('AP_ERR_CONFIG_READ', `${path}: cannot read the configuration file`, {
      cause,
    });
  }
  return parseConfigText(text, path, overrides);
}

/** parseConfigText parses YAML (a superset of JSON) and validates it, overrides merged in. */
export function parseConfigText(text: string, source: string, overrides?: ConfigOverrides): Config {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (cause) {
    const message = cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause);
    throw new AutoprobeError('AP_ERR_CONFIG_INVALID', `${source}: not valid YAML: ${message}`, {
      cause,
      details: [`${source}: ${message}`],
    });
  }
  return parseConfig(raw === null ? undefined : raw, source, overrides);
}
