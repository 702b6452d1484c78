/**
 * @module config/overrides — command-line flags layered over the config file before validation,
 * so a flag is checked by the same schema as the file and always wins, also after a reload.
 */

/**
 * The settings `autoprobe serve` accepts as flags. Values are raw on purpose (a mode is
 * `enforce`/`audit`, a port an integer): the file's schema validates them with everything else.
 */
export interface ConfigOverrides {
  readonly mode?: string;
  readonly scope?: string;
  readonly mesh?: string;
  readonly server?: {
    readonly port?: number | string;
    readonly metricsPort?: number | string;
    readonly tls?: { readonly certFile?: string; readonly keyFile?: string };
  };
}

/** hasOverrides says whether any flag was given. */
export function hasOverrides(overrides: ConfigOverrides | undefined): boolean {
  return overrides !== undefined && Object.keys(prune(overrides)).length > 0;
}

/**
 * applyOverrides returns `raw` with the overrides merged in (objects merged key by key, other
 * values replaced). A raw value that is not an object is returned as is, so the schema reports it.
 */
export function applyOverrides(raw: unknown, overrides: ConfigOverrides | undefined): unknown {
  if (overrides === undefined) return raw;
  const base = raw ?? {};
  if (!isPlainObject(base)) return raw;
  return merge(base, prune(overrides));
}

function merge(
  base: Record<string, unknown>,
  top: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const below = out[key];
    out[key] = isPlainObject(value) && isPlainObject(below) ? merge(below, value) : value;
  }
  return out;
}

/** prune drops undefined values and the objects left empty, so unset flags change nothing. */
function prune(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (isPlainObject(v)) {
      const inner = prune(v);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else out[key] = v;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
