/** @module version — the engine version an image tag names, when it names one. */

/** A dotted engine version; missing parts are null (`16` → 16.null.null). */
export interface EngineVersion {
  readonly major: number;
  readonly minor: number | null;
  readonly text: string;
}

/**
 * versionFromTag extracts the engine version with the variant's tag pattern. Floating tags
 * (`latest`, `lts`, `rolling`, `bookworm`) and digest-only references give null: the caller
 * must then pick commands that work on every supported version.
 */
export function versionFromTag(tag: string | null, pattern: string): EngineVersion | null {
  if (tag === null) return null;
  const text = new RegExp(pattern).exec(tag)?.[1];
  if (text === undefined) return null;
  const [major, minor] = text.split('.').map((part) => Number.parseInt(part, 10));
  if (major === undefined || Number.isNaN(major)) return null;
  return { major, minor: minor === undefined || Number.isNaN(minor) ? null : minor, text };
}

/** atLeast compares a version with `major.minor`; an unknown minor counts as 0. */
export function atLeast(version: EngineVersion, major: number, minor = 0): boolean {
  return version.major > major || (version.major === major && (version.minor ?? 0) >= minor);
}
