/**
 * @module config/load — read the config file (YAML or JSON) once; the only place that touches the
 * file system and the environment for configuration.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { AutoprobeError } from '../core/index.js';
import { parseConfig } from './config.js';
import type { Config } from './config.js';

/** loadConfig reads and validates `path`; without a path it returns the defaults. */
export async function loadConfig(path: string | undefined): Promise<Config> {
  if (path === undefined) return parseConfig(undefined, 'defaults');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new AutoprobeError('AP_ERR_CONFIG_READ', `${path}: cannot read the configuration file`, {
      cause,
    });
  }
  return parseConfigText(text, path);
}

/** parseConfigText parses YAML (a superset of JSON) and validates it. */
export function parseConfigText(text: string, source: string): Config {
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
  return parseConfig(raw === null ? undefined : raw, source);
}
