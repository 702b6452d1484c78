/**
 * @module status — the `autoprobe.dev/status` annotation: what autoprobe injected, per container.
 * Deterministic (sorted, no timestamps, no ids) so that re-running changes nothing.
 */
import { PROBE_KINDS, isFamily, isProbeKind } from './families.js';
import type { Family, ProbeKind } from './families.js';
import { isObject } from './k8s.js';

/** What was injected into one container. */
export interface ContainerStatus {
  readonly family: Family;
  readonly probes: readonly ProbeKind[];
}

/** The status annotation's content: injected probes by container name. */
export type Status = Readonly<Record<string, ContainerStatus>>;

/** readStatus parses an existing annotation; anything unreadable counts as empty. */
export function readStatus(value: string | undefined): Status {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // A hand-edited or foreign value is replaced, not trusted.
    return {};
  }
  const containers = isObject(parsed) && isObject(parsed.containers) ? parsed.containers : {};
  const out: Record<string, ContainerStatus> = {};
  for (const [name, entry] of Object.entries(containers)) {
    if (!isObject(entry) || typeof entry.family !== 'string' || !isFamily(entry.family)) continue;
    const probes = Array.isArray(entry.probes)
      ? entry.probes.filter((p): p is ProbeKind => typeof p === 'string' && isProbeKind(p))
      : [];
    out[name] = { family: entry.family, probes };
  }
  return out;
}

/** mergeStatus adds new injections to an existing status. */
export function mergeStatus(existing: Status, added: Status): Status {
  const out: Record<string, ContainerStatus> = { ...existing };
  for (const [name, entry] of Object.entries(added)) {
    const before = out[name]?.probes ?? [];
    out[name] = {
      family: entry.family,
      probes: PROBE_KINDS.filter((k) => before.includes(k) || entry.probes.includes(k)),
    };
  }
  return out;
}

/** formatStatus renders the annotation value: compact JSON with sorted keys. */
export function formatStatus(status: Status): string {
  const containers: Record<string, { family: Family; probes: ProbeKind[] }> = {};
  for (const name of Object.keys(status).sort()) {
    const entry = status[name];
    if (entry !== undefined)
      containers[name] = {
        family: entry.family,
        probes: PROBE_KINDS.filter((k) => entry.probes.includes(k)),
      };
  }
  return JSON.stringify({ containers });
}
