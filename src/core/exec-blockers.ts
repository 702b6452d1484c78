/**
 * @module exec-blockers — settings under which a family's exec readiness cannot work as built
 * (a TLS-only listener the CLI would need certificates for), from the catalog's ExecBlocker data.
 */
import type { ImageVariant } from './catalog/index.js';
import type { ContainerEnv } from './container-env.js';
import { flagHits, hasFlag } from './argv.js';

/** execBlocker returns why exec readiness cannot work for this server, or undefined. */
export function execBlocker(
  variant: ImageVariant,
  words: readonly string[],
  env: ContainerEnv,
): string | undefined {
  for (const blocker of variant.execBlockers ?? []) {
    if (blocker.flag !== undefined && hasFlag(words, [blocker.flag])) {
      const values = flagHits(words, [blocker.flag]).map((h) => h.value);
      if (blocker.values === undefined || values.some((v) => blocker.values?.includes(v) === true))
        return blocker.why;
    }
    if (blocker.env !== undefined) {
      const v = env.get(blocker.env);
      const hit =
        v.kind === 'hidden' ||
        (v.kind === 'literal' &&
          (blocker.values === undefined ||
            blocker.values.some((x) => v.value.toLowerCase().includes(x.toLowerCase()))));
      if (hit) return blocker.why;
    }
  }
  return undefined;
}
