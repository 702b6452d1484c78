/**
 * @module operator — recognise Pods whose probes an operator owns, by labels, ownerReferences
 * and agent sidecars listed in the catalog.
 */
import type { OperatorRule } from './catalog/index.js';
import { isImageRef, parseImageRef } from './image-ref.js';
import { asArray, asString, isObject, listContainers } from './k8s.js';
import type { JsonObject, PodMetadata } from './k8s.js';

/** detectOperator returns the operator that manages the pod and the evidence, or undefined. */
export function detectOperator(
  pod: PodMetadata,
  spec: JsonObject,
  rules: readonly OperatorRule[],
): { operator: string; evidence: string } | undefined {
  const { labels } = pod;
  const groups = ownerGroups(pod.metadata);
  const images = containerImageNames(spec);
  for (const rule of rules) {
    const key = rule.labelKeys?.find((k) => k in labels);
    if (key !== undefined) return { operator: rule.operator, evidence: `label ${key}` };
    const pair = Object.entries(rule.labels ?? {}).find(([k, v]) => labels[k] === v);
    if (pair !== undefined)
      return { operator: rule.operator, evidence: `label ${pair[0]}=${pair[1]}` };
    const group = rule.ownerApiGroups?.find((g) => groups.has(g));
    if (group !== undefined)
      return { operator: rule.operator, evidence: `ownerReference in ${group}` };
    const sibling = rule.siblingImages?.find((i) => images.has(i));
    if (sibling !== undefined)
      return { operator: rule.operator, evidence: `agent container ${sibling}` };
  }
  return undefined;
}

function ownerGroups(metadata: JsonObject): Set<string> {
  const groups = new Set<string>();
  for (const owner of asArray(metadata.ownerReferences)) {
    const apiVersion = isObject(owner) ? asString(owner.apiVersion) : undefined;
    const slash = apiVersion?.indexOf('/') ?? -1;
    if (apiVersion !== undefined && slash > 0) groups.add(apiVersion.slice(0, slash));
  }
  return groups;
}

function containerImageNames(spec: JsonObject): Set<string> {
  const names = new Set<string>();
  for (const slot of listContainers(spec)) {
    const image = asString(slot.container.image);
    const ref = image === undefined ? undefined : parseImageRef(image);
    if (ref !== undefined && isImageRef(ref)) names.add(ref.name);
  }
  return names;
}
