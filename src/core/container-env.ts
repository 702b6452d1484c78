/**
 * @module container-env — what a container's env and argv say, as far as the Pod spec shows it.
 *
 * Values from `valueFrom` (Secrets, ConfigMaps, fieldRefs) and from `envFrom` are unknown here;
 * they are reported as such rather than guessed.
 */
import { asArray, asString, isObject, stringList } from './k8s.js';
import type { JsonObject } from './k8s.js';

/** What the spec says about one env var. */
export type EnvValue =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'reference' }
  | { readonly kind: 'absent' };

/** The env of a container as the engine reads it. */
export interface ContainerEnv {
  /** Look a variable up; the last definition wins, as in the kubelet. */
  get(name: string): EnvValue;
  /** The container has `envFrom`, so any variable may be set without being visible. */
  readonly hasEnvFrom: boolean;
  readonly names: ReadonlySet<string>;
}

/** readEnv builds the ContainerEnv of a container, with `$(VAR)` references expanded. */
export function readEnv(container: JsonObject): ContainerEnv {
  const values = new Map<string, EnvValue>();
  for (const entry of asArray(container.env)) {
    if (!isObject(entry)) continue;
    const name = asString(entry.name);
    if (name === undefined) continue;
    const literal = asString(entry.value);
    if (entry.valueFrom !== undefined) values.set(name, { kind: 'reference' });
    else values.set(name, { kind: 'literal', value: expand(literal ?? '', values) });
  }
  return {
    get: (name) => values.get(name) ?? { kind: 'absent' },
    hasEnvFrom: asArray(container.envFrom).length > 0,
    names: new Set(values.keys()),
  };
}

/**
 * argvOf returns the container's command followed by its args, with `$(VAR)` expanded the way
 * the kubelet does (https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/).
 * Unresolvable references stay as written.
 */
export function argvOf(
  container: JsonObject,
  env: ContainerEnv,
): { command: string[]; args: string[] } {
  const lookup = (name: string): string | undefined => {
    const v = env.get(name);
    return v.kind === 'literal' ? v.value : undefined;
  };
  const expandAll = (list: string[]): string[] => list.map((s) => expandWith(s, lookup));
  return {
    command: expandAll(stringList(container.command)),
    args: expandAll(stringList(container.args)),
  };
}

function expand(value: string, known: ReadonlyMap<string, EnvValue>): string {
  return expandWith(value, (name) => {
    const v = known.get(name);
    return v?.kind === 'literal' ? v.value : undefined;
  });
}

/** `$$` escapes a `$`; `$(NAME)` is replaced when NAME is known. */
function expandWith(value: string, lookup: (name: string) => string | undefined): string {
  if (!value.includes('$')) return value;
  return value.replace(
    /\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g,
    (match, name: string | undefined) => {
      if (match === '$$') return '$';
      return (name !== undefined ? lookup(name) : undefined) ?? match;
    },
  );
}

/** referencedVariable returns NAME when `value` is exactly an unexpanded `$(NAME)`. */
export function referencedVariable(value: string): string | undefined {
  return /^\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)$/.exec(value)?.[1];
}
