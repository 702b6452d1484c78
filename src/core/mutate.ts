/**
 * @module mutate — render a plan into a mutated copy of the Pod or template (probes + status
 * annotation). The input is never changed; patches come from diffing the two (patch.ts).
 */
import type { PodPlan } from './plan.js';
import { isObject, metadataOf } from './k8s.js';
import type { JsonObject, PodTemplate } from './k8s.js';
import { ANNOTATIONS } from './keys.js';
import { PROBE_KINDS } from './families.js';
import type { ProbeKind } from './families.js';
import { formatStatus, mergeStatus, readStatus } from './status.js';
import type { ContainerStatus } from './status.js';

const FIELD: Readonly<Record<ProbeKind, string>> = {
  liveness: 'livenessProbe',
  readiness: 'readinessProbe',
  startup: 'startupProbe',
};

/** applyPlan returns a deep copy of `template` with the plan's probes and the status annotation. */
export function applyPlan<T extends PodTemplate>(template: T, plan: PodPlan): T {
  const injected = plan.decisions.filter((d) => d.action === 'inject');
  if (injected.length === 0) return structuredClone(template);
  const copy = structuredClone(template);
  const spec = copy.spec as JsonObject;
  const added: Record<string, ContainerStatus> = {};
  for (const decision of injected) {
    const list = spec[decision.list];
    const container: unknown = Array.isArray(list) ? list[decision.index] : undefined;
    if (!isObject(container) || decision.family === null) continue;
    const kinds: ProbeKind[] = [];
    for (const kind of PROBE_KINDS) {
      const probe = decision.probes[kind];
      // Never overwrite: the plan already skipped present probes; this is the last guard.
      if (probe === undefined || container[FIELD[kind]] !== undefined) continue;
      container[FIELD[kind]] = structuredClone(probe);
      kinds.push(kind);
    }
    if (kinds.length > 0) added[decision.container] = { family: decision.family, probes: kinds };
  }
  if (Object.keys(added).length === 0) return copy;
  const metadata = metadataOf(copy);
  if (!isObject(copy.metadata)) copy.metadata = metadata;
  const annotations = isObject(metadata.annotations)
    ? metadata.annotations
    : (metadata.annotations = {});
  const previous = readStatus(
    typeof annotations[ANNOTATIONS.status] === 'string'
      ? (annotations[ANNOTATIONS.status] as string)
      : undefined,
  );
  annotations[ANNOTATIONS.status] = formatStatus(mergeStatus(previous, added));
  return copy;
}
