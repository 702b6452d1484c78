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
import { MAX_EXPANSION, MAX_VALUE } from './limits.js';

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

/**
 * Service-link variables the kubelet defines for every Service of the namespace (unless
 * `enableServiceLinks: false`): `<SVC>_SERVICE_HOST`, `<SVC>_SERVICE_PORT[_<NAME>]`, `<SVC>_PORT`
 * and `<SVC>_PORT_<N>_<PROTO>[_PROTO|_PORT|_ADDR]`. A reference to one may resolve at run time
 * (https://kubernetes.io/docs/concepts/services-networking/connect-applications-service/#environment-variables).
 */
const SERVICE_LINK =
  /_SERVICE_(?:HOST|PORT)(?:_|$)|_PORT(?:_\d+_(?:TCP|UDP|SCTP)(?:_(?:PROTO|PORT|ADDR))?)?$/;

/** Where a container's env comes from besides its own `env` list. */
export interface EnvSources {
  /** The Pod's `enableServiceLinks` (default true): Service variables exist at run time. */
  readonly serviceLinks: boolean;
}

/** envSourcesOf reads the Pod-level settings that add variables to every container's env. */
export function envSourcesOf(spec: JsonObject): EnvSources {
  return { serviceLinks: spec.enableServiceLinks !== false };
}

/**
 * readEnv builds the ContainerEnv of a container, with `$(VAR)` references expanded as the kubelet
 * expands them: from the entries declared before, envFrom and the Service variables
 * (k8s.io/kubernetes pkg/kubelet/kubelet_pods.go makeEnvironmentVariables). A reference to a
 * variable whose value the spec does not show makes the whole value unknown; a reference to one
 * that cannot exist at run time stays as written, as the kubelet leaves it.
 */
export function readEnv(
  container: JsonObject,
  sources: EnvSources = { serviceLinks: true },
): ContainerEnv {
  const values = new Map<string, EnvValue>();
  const hasEnvFrom = asArray(container.envFrom).length > 0;
  let oversize = false;
  let grown = 0;
  const resolve = (name: string): Resolved => {
    const v = values.get(name);
    if (v?.kind === 'literal') return v.value;
    if (v?.kind === 'hidden') return v;
    // Not declared before: envFrom or a Service may still define it at run time.
    if (hasEnvFrom || (sources.serviceLinks && SERVICE_LINK.test(name))) {
      return { kind: 'hidden', via: 'valueFrom' };
    }
    return undefined;
  };
  for (const entry of asArray(container.env)) {
    if (!isObject(entry)) continue;
    const name = asString(entry.name);
    if (name === undefined) continue;
    if (entry.valueFrom !== undefined) {
      values.set(name, { kind: 'hidden', via: 'valueFrom' });
      continue;
    }
    const value = asString(entry.value) ?? '';
    let expanded = expandReferences(value, resolve);
    // What expansion added counts against the container's budget; plain values cost nothing.
    if (typeof expanded === 'string' && expanded !== value) {
      grown += expanded.length;
      if (grown > MAX_EXPANSION) expanded = TOO_LARGE;
    }
    if (typeof expanded !== 'string' && expanded.via === 'too-large') oversize = true;
    values.set(
      name,
      typeof expanded === 'string' ? { kind: 'literal', value: expanded } : expanded,
    );
  }
  return {
    get: (name) => values.get(name) ?? { kind: 'absent' },
    hasEnvFrom,
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
      // Without a reference a word is what the Pod says, however long (a script is read up to
      // MAX_SCRIPT by the script reader).
      if (!word.includes('$')) return word;
      const out = expandWith(word, env);
      if (out === undefined) oversize = true;
      return out ?? word;
    });
  const command = expand(stringList(container.command));
  const args = expand(stringList(container.args));
  return { command, args, oversize };
}

/**
 * expandWith expands `$(VAR)` in one command or args word from the env; a reference to a variable
 * the spec does not show stays as written (`$(REDIS_PASSWORD)`), so readers see which variable the
 * word takes at run time. Undefined when the word would grow past MAX_VALUE.
 */
function expandWith(value: string, env: ContainerEnv): string | undefined {
  const expanded = expandReferences(value, (name) => {
    const v = env.get(name);
    return v.kind === 'literal' ? v.value : undefined;
  });
  return typeof expanded === 'string' ? expanded : undefined;
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

/** What a reference resolves to: a value, unknown (hidden), or nothing (stays as written). */
type Resolved = string | Extract<EnvValue, { kind: 'hidden' }> | undefined;

const TOO_LARGE = { kind: 'hidden', via: 'too-large' } as const;

/**
 * expandReferences replaces `$(NAME)` with known values and `$$` with `$`; references that
 * resolve to nothing stay as written. The result is hidden when a reference is, or when it would
 * be longer than MAX_VALUE (found having done at most MAX_VALUE characters of work past the input).
 */
function expandReferences(
  value: string,
  resolve: (name: string) => Resolved,
): string | Extract<EnvValue, { kind: 'hidden' }> {
  if (value.length > MAX_VALUE) return TOO_LARGE;
  if (!value.includes('$')) return value;
  let out = '';
  let last = 0;
  for (const m of value.matchAll(REFERENCE)) {
    const name = m[1];
    const resolved = m[0] === '$$' ? '$' : name !== undefined ? resolve(name) : undefined;
    if (typeof resolved === 'object') return resolved;
    out += value.slice(last, m.index) + (resolved ?? m[0]);
    last = m.index + m[0].length;
    if (out.length > MAX_VALUE) return TOO_LARGE;
  }
  out += value.slice(last);
  return out.length > MAX_VALUE ? TOO_LARGE : out;
}

/** referencedVariable returns NAME when `value` is exactly an unexpanded `$(NAME)`. */
export function referencedVariable(value: string): string | undefined {
  return /^\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)$/.exec(value)?.[1];
}
