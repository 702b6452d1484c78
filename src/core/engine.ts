/** @module engine — the engine's one entry point: plan a Pod or template, then render the plan. */
import type { EngineConfig } from './engine-config.js';
import type { PodTemplate } from './k8s.js';
import { applyPlan } from './mutate.js';
import { planPod } from './plan.js';
import type { PodFacts, PodPlan } from './plan.js';

/** The outcome of running the engine over one Pod or template. */
export interface TemplateResult<T> {
  readonly plan: PodPlan;
  readonly mutated: T;
}

/**
 * mutateTemplate plans and renders: the decisions, and a copy of the template with the probes
 * added that shares every untouched part with the input (which is never changed; mutate.ts).
 */
export function mutateTemplate<T extends PodTemplate>(
  template: T,
  config: EngineConfig,
  facts?: PodFacts,
): TemplateResult<T> {
  const plan = planPod(template, config, facts);
  return { plan, mutated: applyPlan(template, plan) };
}
