/**
 * @module ha — recognise a server run by an HA manager or in a cluster mode that stops it on
 * purpose (catalog/ha.ts), from the image variant, the programs, flags and env the container shows,
 * and the names of what it mounts.
 */
import type { Catalog, HaRule, ImageVariant } from './catalog/index.js';
import type { ContainerEnv } from './container-env.js';
import { hasFlag } from './argv.js';
import type { Family } from './families.js';
import { asArray, asString, isObject } from './k8s.js';
import type { JsonObject } from './k8s.js';
import { basename } from './shell-words.js';

/** An HA manager and the evidence for it. */
export interface HaFinding {
  readonly rule: HaRule;
  readonly evidence: string;
}

export interface HaInput {
  readonly family: Family;
  readonly variant: ImageVariant;
  readonly container: JsonObject;
  /** The Pod's spec, for the names of mounted volumes' ConfigMaps. */
  readonly spec: JsonObject;
  readonly env: ContainerEnv;
  /** Every word of the container (words.ts allWords). */
  readonly words: readonly string[];
  readonly catalog: Catalog;
}

/** detectHa returns the HA manager of the container's server, or undefined. */
export function detectHa(input: HaInput): HaFinding | undefined {
  const { catalog, variant } = input;
  if (variant.ha !== undefined) {
    const rule = catalog.ha.find((r) => r.id === variant.ha);
    if (rule !== undefined) return { rule, evidence: `image ${variant.variant}` };
  }
  for (const rule of catalog.ha) {
    if (!rule.families.includes(input.family)) continue;
    const evidence = evidenceFor(rule, input);
    if (evidence !== undefined) return { rule, evidence };
  }
  return undefined;
}

function evidenceFor(rule: HaRule, input: HaInput): string | undefined {
  const program = input.words.find((w) => (rule.programs ?? []).includes(basename(w)));
  if (program !== undefined) return `runs ${basename(program)}`;
  const env = [...input.env.names].find((name) =>
    (rule.env ?? []).some((p) => nameMatches(name, p)),
  );
  if (env !== undefined) return `env ${env}`;
  const flag = (rule.flags ?? []).find((f) => hasFlag(input.words, [f]));
  if (flag !== undefined) return `flag ${flag}`;
  const markers = rule.markers ?? [];
  if (markers.length === 0) return undefined;
  const marked = (text: string): boolean => markers.some((m) => text.toLowerCase().includes(m));
  const value = [...input.env.names].find((name) => {
    const v = input.env.get(name);
    return v.kind === 'literal' && marked(v.value);
  });
  if (value !== undefined) return `env ${value} mentions ${rule.manager}`;
  const mounted = mountedNames(input.container, input.spec).find(marked);
  return mounted === undefined ? undefined : `mounts ${mounted}`;
}

function nameMatches(name: string, pattern: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

/** The names and paths the container mounts, with the ConfigMaps behind them. */
function mountedNames(container: JsonObject, spec: JsonObject): string[] {
  const volumes = new Map<string, JsonObject>();
  for (const v of asArray(spec.volumes)) {
    const name = isObject(v) ? asString(v.name) : undefined;
    if (name !== undefined && isObject(v)) volumes.set(name, v);
  }
  return asArray(container.volumeMounts).flatMap((m) => {
    if (!isObject(m)) return [];
    const name = asString(m.name) ?? '';
    const volume = volumes.get(name);
    const configMap = isObject(volume?.configMap) ? asString(volume.configMap.name) : undefined;
    return [name, asString(m.mountPath) ?? '', configMap ?? ''].filter((s) => s !== '');
  });
}
