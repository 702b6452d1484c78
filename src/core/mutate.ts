/**
 * @module mutate — render a plan into a mutated copy of the Pod or template (probes + status
 * annotation). The input is never changed; patches come from diffing the two (patch.ts).
 */
import type { InjectDecision, PodPlan } from './plan.js';
import { isObject, metadataOf } from './k8s.js';
import type { JsonObject, PodTemplate } from './k8s.js';
import { ANNOTATIONS } from './keys.js';
import { PROBE_FIELD } from './families.js';
import type { ProbeKind } from './families.js';
import { formatStatus, mergeStatus, readStatus } from './status.js';
import type { ContainerStatus } from './status.js';

/**
 * applyPlan returns a copy of `template` with the plan's probes and the status annotation. The
 * copy is made on write: the objects on the way to a change (the Pod, its spec and metadata, the
 * container lists and the containers that get probes, the annotations) are new, and everything
 * else is shared with `template`, which is never changed. Both are treated as immutable from then
 * on; sharing is what keeps the diff (patch.ts) proportional to what changed rather than to the
 * size of the Pod (a deep copy was half the cost of a review, docs/benchmarks.md).
 */
export function applyPlan<T extends PodTemplate>(template: T, plan: PodPlan): T {
  const copy: T = { ...template };
  const injected = plan.decisions.filter((d): d is InjectDecision => d.action === 'inject');
  if (injected.length === 0 || !isObject(template.spec)) return copy;
  const spec: JsonObject = { ...template.spec };
  copy.spec = spec;
  const lists = new Map<string, unknown[]>();
  const added: Record<string, ContainerStatus> = {};
  for (const decision of injected) {
    const list = lists.get(decision.list) ?? copyList(spec, decision.list, lists);
    const original: unknown = list?.[decision.index];
    if (list === undefined || !isObject(original)) continue;
    const container: JsonObject = { ...original };
    const kinds = addProbes(container, decision);
    if (kinds.length === 0) continue;
    list[decision.index] = container;
    added[decision.container] = { family: decision.family, probes: kinds };
  }
  if (Object.keys(added).length === 0) return copy;
  const metadata: JsonObject = { ...metadataOf(template) };
  copy.metadata = metadata;
  const annotations: JsonObject = isObject(metadata.annotations) ? { ...metadata.annotations } : {};
  metadata.annotations = annotations;
  const previous = readStatus(
    typeof annotations[ANNOTATIONS.status] === 'string'
      ? (annotations[ANNOTATIONS.status] as string)
      : undefined,
  );
  annotations[ANNOTATIONS.status] = formatStatus(mergeStatus(previous, added));
  return copy;
}

/** addProbes sets the decision's probes on `container` (a copy) and returns the kinds added. */
function addProbes(container: JsonObject, decision: InjectDecision): ProbeKind[] {
  const kinds: ProbeKind[] = [];
  for (const kind of decision.kinds) {
    const probe = decision.probes[kind];
    // Never overwrite: the plan and the safety gate already skipped present probes.
    if (probe === undefined || container[PROBE_FIELD[kind]] !== undefined) continue;
    container[PROBE_FIELD[kind]] = cloneProbe(probe);
    kinds.push(kind);
  }
  return kinds;
}

/**
 * cloneProbe copies a probe the plan built (plain JSON data), so the Pod never shares objects
 * with the plan. structuredClone costs several microseconds per call whatever the size, which
 * added up to a tenth of a review's engine time over a few probes per container.
 */
function cloneProbe<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneProbe) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) copy[key] = cloneProbe(inner);
  return copy as T;
}

/** copyList replaces `spec[name]` with a copy of the list (once per list), or undefined. */
function copyList(
  spec: JsonObject,
  name: string,
  lists: Map<string, unknown[]>,
): unknown[] | undefined {
  const original = spec[name];
  if (!Array.isArray(original)) return undefined;
  const list = [...(original as unknown[])];
  spec[name] = list;
  lists.set(name, list);
  return list;
}
