/**
 * @module tools — which readiness CLIs an image has at a version (catalog ToolRule data). The
 * planner picks from it; the safety gate checks every exec command against it.
 */
import type { ToolRule } from './catalog/index.js';
import { atLeast } from './version.js';
import type { EngineVersion } from './version.js';

/** Whether an image at a version has a tool: yes, no, or maybe (the version is not known). */
export type ToolStatus = 'yes' | 'no' | 'maybe';

/** What is known of the image: the engine version its tag names, and the tag itself. */
export interface ImageFacts {
  readonly version: EngineVersion | null;
  readonly tag: string | null;
}

/** toolStatus looks `name` up in the variant's tools for the image's version and tag. */
export function toolStatus(
  tools: readonly ToolRule[],
  name: string,
  image: ImageFacts,
): ToolStatus {
  const rule = tools.find((t) => t.name === name);
  if (rule === undefined) return 'no';
  if (rule.absentInTags !== undefined) {
    // A digest-only or floating reference does not say which variant it is.
    if (image.tag === null) return 'maybe';
    if (new RegExp(rule.absentInTags).test(image.tag)) return 'no';
  }
  const { version } = image;
  if (rule.since === undefined && rule.before === undefined) return 'yes';
  if (version === null) return 'maybe';
  const since = rule.since === undefined || atLeast(version, ...parts(rule.since));
  const before = rule.before === undefined || !atLeast(version, ...parts(rule.before));
  return since && before ? 'yes' : 'no';
}

function parts(version: string): [number, number] {
  const [major = 0, minor = 0] = version.split('.').map((p) => Number.parseInt(p, 10));
  return [major, minor];
}
