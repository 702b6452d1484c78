/**
 * @module cli/workloads — where each workload kind keeps its Pod template, and the walk that finds
 * the templates in a document (recursing into `List` items). Other objects have no template.
 */
import { asString, isObject, metadataOf } from '../core/index.js';
import type { JsonObject } from '../core/index.js';

/** A path from a document's root: map keys and sequence indexes. */
export type NodePath = readonly (string | number)[];

/** A Pod template found in a document, and the object that owns it. */
export interface Workload {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string | null;
  /** Where the template sits in the document (`[]` for a Pod itself). */
  readonly path: NodePath;
  readonly template: JsonObject;
}

/** What a walk found: templates, and List items that are not Kubernetes objects. */
export interface Found {
  readonly workloads: readonly Workload[];
  readonly problems: readonly string[];
}

interface TemplateRule {
  /** API groups the kind is matched in: a CRD may reuse a kind name with another shape. */
  readonly groups: readonly string[];
  readonly path: NodePath;
}

const WORKLOAD = ['spec', 'template'] as const;
const APPS = ['apps', 'extensions'] as const;

/** TEMPLATE_PATHS lists the kinds autoprobe edits and where their Pod template lives. */
export const TEMPLATE_PATHS: ReadonlyMap<string, TemplateRule> = new Map([
  ['Pod', { groups: [''], path: [] }],
  ['ReplicationController', { groups: [''], path: WORKLOAD }],
  ['Deployment', { groups: APPS, path: WORKLOAD }],
  ['StatefulSet', { groups: ['apps'], path: WORKLOAD }],
  ['DaemonSet', { groups: APPS, path: WORKLOAD }],
  ['ReplicaSet', { groups: APPS, path: WORKLOAD }],
  ['Job', { groups: ['batch'], path: WORKLOAD }],
  ['CronJob', { groups: ['batch'], path: ['spec', 'jobTemplate', 'spec', 'template'] }],
]);

/** notKubernetesObject says why `value` is not an object with string apiVersion and kind. */
export function notKubernetesObject(value: unknown): string | undefined {
  if (!isObject(value)) {
    const what = Array.isArray(value) ? 'a sequence' : value === null ? 'null' : typeof value;
    return `not a Kubernetes object (${what}, expected a mapping)`;
  }
  if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
    return 'not a Kubernetes object (apiVersion and kind must be strings)';
  }
  return undefined;
}

/** findWorkloads walks a Kubernetes object (already checked) and returns its Pod templates. */
export function findWorkloads(object: JsonObject): Found {
  const workloads: Workload[] = [];
  const problems: string[] = [];
  visit(object, [], { workloads, problems });
  return { workloads, problems };
}

interface Sink {
  readonly workloads: Workload[];
  readonly problems: string[];
}

function visit(object: JsonObject, at: NodePath, sink: Sink): void {
  const kind = asString(object.kind) ?? '';
  if (isListKind(kind)) {
    const items: unknown = object.items;
    if (!Array.isArray(items)) return;
    items.forEach((item: unknown, i) => {
      const problem = notKubernetesObject(item);
      if (problem !== undefined)
        sink.problems.push(`${describePath([...at, 'items', i])}: ${problem}`);
      else if (isObject(item)) visit(item, [...at, 'items', i], sink);
    });
    return;
  }
  const rule = TEMPLATE_PATHS.get(kind);
  if (rule === undefined || !rule.groups.includes(apiGroup(asString(object.apiVersion) ?? ''))) {
    return;
  }
  const template = rule.path.length === 0 ? object : valueAt(object, rule.path);
  if (!isObject(template)) return;
  const metadata = metadataOf(object);
  sink.workloads.push({
    kind,
    namespace: asString(metadata.namespace) ?? null,
    name: asString(metadata.name) ?? asString(metadata.generateName) ?? null,
    path: [...at, ...rule.path],
    template,
  });
}

/** isListKind: `List` and typed lists (`PodList`, `DeploymentList`…) carry objects in `items`. */
export function isListKind(kind: string): boolean {
  return kind.endsWith('List');
}

function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

function valueAt(object: JsonObject, path: NodePath): unknown {
  let node: unknown = object;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return node;
}

/** describePath renders `items[2].items[0]` for messages. */
export function describePath(path: NodePath): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`))
    .join('');
}
