/**
 * @module words — every word a container's argv, its `sh -c` scripts and its args-env show, for
 * the checks that must not depend on which of them starts the server (the safety gate, the HA
 * and credential markers). Bounded: scripts are read by splitScript, with its limits.
 */
import type { ContainerEnv } from './container-env.js';
import { literalLookup } from './container-env.js';
import { SHELLS } from './catalog/index.js';
import { basename, splitScript } from './shell-words.js';

/** allWords lists the argv, the words of any `sh -c` script in it, and the args-env values split. */
export function allWords(
  argv: readonly string[],
  env: ContainerEnv,
  argsEnv: readonly string[] = [],
): string[] {
  const out: string[] = [...argv];
  const lookup = literalLookup(env);
  argv.forEach((word, i) => {
    const shell = argv.slice(0, i).some((w) => SHELLS.includes(basename(w)));
    if (shell && i > 0 && /^-[a-z]*c[a-z]*$/.test(argv[i - 1] ?? '')) {
      out.push(...splitScript(word, lookup, argv.slice(i + 1)).words);
    }
  });
  return [...out, ...argsEnvWords(env, argsEnv)];
}

/** argsEnvWords splits the literal values of args-env variables into words, as the entrypoint does. */
export function argsEnvWords(env: ContainerEnv, names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const v = env.get(name);
    return v.kind === 'literal' ? v.value.split(/\s+/).filter((w) => w !== '') : [];
  });
}
