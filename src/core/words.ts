/**
 * @module words — the words of every command in a container that may start or configure its
 * server: the argv, each simple command of its `sh -c` scripts (whichever of them starts the
 * server), and its args-env, with exec wrappers' own options dropped and plain shell utilities
 * and the family's clients left out (`mkdir -p /x` says nothing about a port). The safety gate
 * and the HA markers read these, so they do not depend on which command the planner picked.
 * Bounded: scripts are read by splitScript, with its limits.
 */
import type { RoleTable } from './catalog/index.js';
import { SHELLS } from './catalog/index.js';
import type { ContainerEnv } from './container-env.js';
import { literalLookup } from './container-env.js';
import { stripWrappers } from './role.js';
import { basename, splitScript } from './shell-words.js';

/** Shell utilities that run in start scripts and never start or configure a server. */
const UTILITIES: ReadonlySet<string> = new Set([
  'mkdir',
  'rm',
  'cp',
  'mv',
  'ln',
  'chmod',
  'chown',
  'chgrp',
  'touch',
  'ls',
  'cat',
  'echo',
  'printf',
  'sleep',
  'test',
  '[',
  'true',
  'false',
  'sed',
  'awk',
  'grep',
  'cut',
  'tr',
  'head',
  'tail',
  'find',
  'xargs',
  'tee',
  'wait',
  'trap',
  'set',
  'cd',
  'export',
  'unset',
  'readonly',
  'umask',
  'ulimit',
  'id',
  'whoami',
  'hostname',
  'date',
  'kill',
  'exit',
  'shift',
  'read',
  'nc',
  'curl',
  'wget',
  'getent',
  'nslookup',
  'ping',
]);

/**
 * serverWords lists the words of every command that may be the server or its entrypoint: not a
 * shell utility and not one of the family's clients. The args-env values follow, split as the
 * entrypoint splits them.
 */
export function candidateWords(
  argv: readonly string[],
  env: ContainerEnv,
  table: RoleTable,
  argsEnv: readonly string[] = [],
): string[] {
  const out: string[] = [];
  const lookup = literalLookup(env);
  const visit = (words: readonly string[], depth: number): void => {
    const command = stripWrappers(words);
    const program = basename(command[0] ?? '');
    if (program === '' || UTILITIES.has(program) || table.clients.includes(program)) return;
    const dashC = command.findIndex((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(w));
    if (SHELLS.includes(program) && dashC > 0 && depth < 3) {
      const script = splitScript(command[dashC + 1] ?? '', lookup, command.slice(dashC + 2));
      for (const c of script.commands) visit(c.words, depth + 1);
      return;
    }
    out.push(...command);
  };
  // The args of the image entrypoint (no command) are the server's own flags.
  if (argv[0]?.startsWith('-') === true) out.push(...argv);
  else visit(argv, 0);
  return [...out, ...argsEnvWords(env, argsEnv)];
}

/** argsEnvWords splits the literal values of args-env variables into words, as the entrypoint does. */
export function argsEnvWords(env: ContainerEnv, names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const v = env.get(name);
    return v.kind === 'literal' ? v.value.split(/\s+/).filter((w) => w !== '') : [];
  });
}
