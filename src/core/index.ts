/** @module core — the pure engine: (object, config, facts) → decisions, mutated copy, patch. */
import { applyPlan } from './mutate.js';
import type { EngineConfig } from './engine-config.js';
import type { PodTemplate } from './k8s.js';
import { planPod } from './plan.js';
import type { PodPlan } from './plan.js';

export * from './families.js';
export * from './image-ref.js';
export * from './classify-image.js';
export * from './engine-config.js';
export * from './errors.js';
export * from './keys.js';
export * from './k8s.js';
export * from './patch.js';
export * from './plan.js';
export * from './reasons.js';
export * from './scope.js';
export * from './status.js';
export { applyPlan } from './mutate.js';
export { DEFAULT_CATALOG } from './catalog/index.js';
export type * from './catalog/index.js';

/** The outcome of running the engine over one Pod or template. */
export interface TemplateResult<T> {
  readonly plan: PodPlan;
  readonly mutated: T;
}

/** mutateTemplate plans and renders: the decisions and a mutated deep copy (input untouched). */
export function mutateTemplate<T extends PodTemplate>(
  template: T,
  config: EngineConfig,
): TemplateResult<T> {
  const plan = planPod(template, config);
  return { plan, mutated: applyPlan(template, plan) };
}
