/**
 * @module mesh — which service mesh a Pod runs in, and what that does to its TCP probes
 * (catalog/meshes.ts), from the Pod's annotations, labels and containers and its namespace's
 * labels and annotations. The configuration may say instead (`mesh`), for the CLI, which sees no
 * namespaces, and for clusters whose mesh autoprobe cannot see.
 */
import type { MeshRule } from './catalog/index.js';
import { asArray, asString, isObject } from './k8s.js';
import type { JsonObject } from './k8s.js';

/** How the mesh is decided: detected (`auto`), ignored (`none`), or named for every Pod. */
export const MESH_SETTINGS = ['auto', 'none', 'linkerd', 'istio', 'ambient'] as const;
/** One of MESH_SETTINGS. */
export type MeshSetting = (typeof MESH_SETTINGS)[number];

/** What the engine knows of a Pod's namespace: its labels and annotations. */
export interface NamespaceView {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The mesh a Pod runs in and its effect on TCP probes, with the evidence. */
export type Mesh =
  | { readonly effect: 'none' }
  | {
      readonly effect: MeshRule['effect'];
      readonly mesh: string;
      readonly evidence: string;
    };

/** What mesh detection reads: the Pod, its namespace, the setting and the catalog's rules. */
export interface MeshInput {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: JsonObject;
  readonly namespace: NamespaceView | null;
  readonly setting: MeshSetting;
  readonly rules: readonly MeshRule[];
}

/** detectMesh decides the mesh of a Pod. */
export function detectMesh(input: MeshInput): Mesh {
  const { setting, rules } = input;
  if (setting === 'none') return { effect: 'none' };
  const pod = podLookup(input.labels, input.annotations);
  const detected = firstMatch(input, pod);
  if (setting === 'auto') return detected ?? { effect: 'none' };
  // Said for every Pod, but a proxy that answers every connection still wins where the Pod or
  // its namespace shows one: a wrong setting must not bring back an always-passing TCP probe.
  if (setting === 'ambient') {
    return detected?.effect === 'intercepts'
      ? detected
      : { effect: 'passes', mesh: 'istio ambient', evidence: 'config mesh: ambient' };
  }
  if (setting === 'linkerd') {
    const optedOut = rules.some(
      (r) => r.mesh === 'linkerd' && matchesAny(r.optOut, pod) !== undefined,
    );
    return optedOut
      ? { effect: 'none' }
      : { effect: 'intercepts', mesh: 'linkerd', evidence: 'config mesh: linkerd' };
  }
  // istio: the injector rewrites unless detection shows it already ran or will not rewrite.
  return detected?.effect === 'intercepts'
    ? detected
    : { effect: 'rewrites', mesh: 'istio', evidence: 'config mesh: istio' };
}

/** A key's value in a Pod's labels or annotations, or undefined. */
type Lookup = (key: string) => string | undefined;

/** podLookup reads a key from the annotations, then the labels, without merging the two. */
function podLookup(
  labels: Readonly<Record<string, string>>,
  annotations: Readonly<Record<string, string>>,
): Lookup {
  return (key) => (Object.hasOwn(annotations, key) ? annotations[key] : labels[key]);
}

function recordLookup(values: Readonly<Record<string, string>>): Lookup {
  return (key) => (Object.hasOwn(values, key) ? values[key] : undefined);
}

function firstMatch(input: MeshInput, pod: Lookup): Mesh | undefined {
  const { labels, annotations, spec, namespace } = input;
  for (const rule of input.rules) {
    if (matchesAny(rule.optOut, pod) !== undefined) continue;
    if (!requiresHold(rule.requires, pod)) continue;
    const evidence =
      proxyContainer(rule, spec) ??
      prefixed('pod annotation', matchesAny(rule.podAnnotations, recordLookup(annotations))) ??
      prefixed('pod label', matchesAny(rule.podLabels, recordLookup(labels))) ??
      prefixed(
        'namespace annotation',
        matchesAny(rule.namespaceAnnotations, recordLookup(namespace?.annotations ?? {})),
      ) ??
      prefixed(
        'namespace label',
        matchesAny(rule.namespaceLabels, recordLookup(namespace?.labels ?? {})),
      );
    if (evidence !== undefined) return { effect: rule.effect, mesh: rule.mesh, evidence };
  }
  return undefined;
}

function proxyContainer(rule: MeshRule, spec: JsonObject): string | undefined {
  const names = [...asArray(spec.containers), ...asArray(spec.initContainers)].map((c) =>
    isObject(c) ? asString(c.name) : undefined,
  );
  const found = names.find((n) => n !== undefined && (rule.proxyContainers ?? []).includes(n));
  return found === undefined ? undefined : `container ${found}`;
}

/** matchesAny returns `key=value` of the first marker that holds, or undefined. */
function matchesAny(
  markers: Readonly<Record<string, readonly string[]>> | undefined,
  values: Lookup,
): string | undefined {
  for (const [key, accepted] of Object.entries(markers ?? {})) {
    const value = values(key);
    if (value !== undefined && (accepted.length === 0 || accepted.includes(value))) {
      return `${key}=${value}`;
    }
  }
  return undefined;
}

function requiresHold(
  required: Readonly<Record<string, readonly string[]>> | undefined,
  values: Lookup,
): boolean {
  return Object.entries(required ?? {}).every(([key, accepted]) => {
    const value = values(key);
    return value !== undefined && (accepted.length === 0 || accepted.includes(value));
  });
}

function prefixed(where: string, found: string | undefined): string | undefined {
  return found === undefined ? undefined : `${where} ${found}`;
}
