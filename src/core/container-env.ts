/**
 * @module container-env — what a container's env and argv say, as far as the Pod spec shows it.
 *
 * Values from `valueFrom` (Secrets, ConfigMaps, fieldRefs) and from `envFrom` are unknown here;
 * they are reported as such rather than guessed. `$(VAR)` references are expanded as the kubelet
 * does (https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/),
 * with a bound: a value that would grow past MAX_VALUE characters is unknown (`too-large`), and
 * expansion stops as soon as it would, so a chain of doubling references costs what the Pod weighs.
 */
import { asArray, asString, isObject, stringList } from './k8s.js';
import type { JsonObject } from './k8s.js';
import { MAX_VALUE } from './limits.js';

/** What the spec says about one env var. */
export type EnvValue =
  | { readonly kind: 'literal'; readonly value: string }
  /** Set, to a value the spec does not show: `valueFrom`, or a value too large to read. */
  | { readonly kind: 'hidden'; readonly via: 'valueFrom' | 'too-large' }
  | { readonly kind: 'absent' };

/** The env of a container as the engine reads it. */
export interface ContainerEnv {
  /** Look a variable up; the last definition wins, as in the kubelet. */
  get(name: string): EnvValue;
  /** The container has `envFrom`, so any variable may be set without being visible. */
  readonly hasEnvFrom: boolean;
  readonly names: ReadonlySet<string>;
  /** Some value or argument was larger than MAX_VALUE and is treated as unknown. */
  readonly oversize: boolean;
}

/** readEnv builds the ContainerEnv of a container, with `$(VAR)` references expanded. */
export function readEnv(container: JsonObject): ContainerEnv {
  const values = new Map<string, EnvValue>();
  let oversize = false;
  const known = (name: string): string | undefined => {
    const v = values.get(name);
    return v?.kind === 'literal' ? v.value : undefined;
  };
  for (const entry of asArray(container.env)) {
    if (!isObject(entry)) continue;
    const name = asString(entry.name);
    if (name === undefined) continue;
    if (entry.valueFrom !== undefined) {
      values.set(name, { kind: 'hidden', via: 'valueFrom' });
      continue;
    }
    const expanded = expandReferences(asString(entry.value) ?? '', known);
    if (expanded === undefined) oversize = true;
    values.set(
      name,
      expanded === undefined
        ? { kind: 'hidden', via: 'too-large' }
        : { kind: 'literal', value: expanded },
    );
  }
  return {
    get: (name) => values.get(name) ?? { kind: 'absent' },
    hasEnvFrom: asArray(container.envFrom).length > 0,
    names: new Set(values.keys()),
    oversize,
  };
}

/** A container's command and args as the kubelet runs them (`$(VAR)` references expanded). */
export interface Argv {
  readonly command: readonly string[];
  readonly args: readonly string[];
  /** Some argument would be larger than MAX_VALUE expanded; it is kept as written. */
  readonly oversize: boolean;
}

/** argvOf returns the container's command and args, expanded. */
export function argvOf(container: JsonObject, env: ContainerEnv): Argv {
  let oversize = false;
  const expand = (words: string[]): string[] =>
    words.map((word) => {
      const out = expandWith(word, env);
      if (out === undefined) oversize = true;
      return out ?? word;
    });
  const command = expand(stringList(container.command));
  const args = expand(stringList(container.args));
  return { command, args, oversize };
}

/** expandWith expands `$(VAR)` in one word from the env; undefined when it grows too large. */
export function expandWith(value: string, env: ContainerEnv): string | undefined {
  return expandReferences(value, (name) => {
    const v = env.get(name);
    return v.kind === 'literal' ? v.value : undefined;
  });
}

/** literalLookup resolves a variable for shell expansion: its value, null if unset, else unknown. */
export function literalLookup(env: ContainerEnv): (name: string) => string | null | undefined {
  return (name) => {
    const v = env.get(name);
    if (v.kind === 'literal') return v.value;
    return v.kind === 'absent' && !env.hasEnvFrom ? null : undefined;
  };
}

const REFERENCE = /\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g;

/**
 * expandReferences replaces `$(NAME)` with known values and `$$` with `$`; unknown references stay
 * as written. It returns undefined, having done at most MAX_VALUE characters of work past the
 * input, when the result would be longer than MAX_VALUE.
 */
function expandReferences(
  value: string,
  lookup: (name: string) => string | undefined,
): string | undefined {
  if (value.length > MAX_VALUE) return undefined;
  if (!value.includes('$')) return value;
  let out = '';
  let last = 0;
  for (const m of value.matchAll(REFERENCE)) {
    const name = m[1];
    const replacement =
      m[0] === '$$' ? '$' : ((name !== undefined ? lookup(name) : undefined) ?? m[0]);
    out += value.slice(last, m.index) + replacement;
    last = m.index + m[0].length;
    if (out.length > MAX_VALUE) return undefined;
  }
  out += value.slice(last);
  return out.length > MAX_VALUE ? undefined : out;
}

/** referencedVariable returns NAME when `value` is exactly an unexpanded `$(NAME)`. */
export function referencedVariable(value: string): string | undefined {
  return /^\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)$/.exec(value)?.[1];
}
