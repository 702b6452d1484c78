/**
 * @module role — what a container of a family's image runs: the server, a client or one-shot
 * tool, a side role of the same image (Redis Sentinel, Kafka Connect), or something unknown.
 *
 * The same image runs many roles (ground truth §7.14): `postgres` runs pg_dump Jobs, `redis`
 * runs Sentinel, `bitnami/kafka` runs topic provisioning. Decide by command and args.
 */
import type { RoleTable } from './catalog/index.js';
import { SHELLS, WRAPPERS } from './catalog/index.js';
import { basename, splitScript } from './shell-words.js';

/** What the container runs. `words` are the server's arguments, for reading ports and flags. */
export type Role =
  | { readonly kind: 'server'; readonly how: string; readonly words: readonly string[] }
  | { readonly kind: 'client'; readonly tool: string }
  | { readonly kind: 'side'; readonly role: string }
  | { readonly kind: 'mixed'; readonly detail: string }
  | { readonly kind: 'unknown'; readonly program: string };

/** detectRole reads command + args against the family's role table. */
export function detectRole(
  command: readonly string[],
  args: readonly string[],
  table: RoleTable,
): Role {
  const argv = [...command, ...args];
  if (argv.length === 0) return { kind: 'server', how: 'image default command', words: [] };
  const side = sideRole(argv, table);
  if (side !== undefined) return { kind: 'side', role: side };
  return classifyArgv(stripWrappers(argv), table, 0);
}

function classifyArgv(argv: readonly string[], table: RoleTable, depth: number): Role {
  const first = argv[0];
  if (first === undefined) return { kind: 'server', how: 'image default command', words: [] };
  if (first.startsWith('-'))
    return { kind: 'server', how: 'flags to the image entrypoint', words: argv };
  const base = basename(first);

  if (SHELLS.includes(base)) return classifyShell(argv, table, depth);
  if (matches(first, table.servers)) return { kind: 'server', how: `runs ${base}`, words: argv };
  if (matches(first, table.entrypoints)) {
    const next = argv[1];
    // `docker-entrypoint.sh pg_dump …` execs pg_dump; `… postgres -c …` or `…` alone starts the server.
    if (next !== undefined && !next.startsWith('-') && depth < 3) {
      const inner = classifyArgv(argv.slice(1), table, depth + 1);
      if (inner.kind !== 'unknown') return inner;
    }
    return { kind: 'server', how: `runs the entrypoint ${base}`, words: argv };
  }
  if (matches(first, table.clients)) return { kind: 'client', tool: base };
  return { kind: 'unknown', program: first };
}

function classifyShell(argv: readonly string[], table: RoleTable, depth: number): Role {
  const dashC = argv.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a));
  if (dashC < 0) {
    // `bash /path/script.sh …` runs a script file: judge the script by its name.
    const rest = argv.slice(1).filter((a) => !a.startsWith('-'));
    return rest.length > 0 && depth < 3
      ? classifyArgv(rest, table, depth + 1)
      : { kind: 'unknown', program: argv.join(' ') };
  }
  const script = argv[dashC + 1] ?? '';
  const { words, commands } = splitScript(script);
  const side = sideRole(words, table);
  if (side !== undefined) return { kind: 'side', role: side };

  const runs = (list: readonly string[]): string | undefined =>
    commands.find((c) => matches(c, list));
  const server = runs(table.servers) ?? runs(table.entrypoints);
  const oneShot = runs(table.oneShot);
  if (server !== undefined && oneShot !== undefined) {
    return {
      kind: 'mixed',
      detail: `script starts ${basename(server)} and runs ${basename(oneShot)}: a one-shot job, not a long-running server`,
    };
  }
  if (server !== undefined)
    return { kind: 'server', how: `shell script runs ${basename(server)}`, words };
  const client = runs(table.clients);
  if (client !== undefined) return { kind: 'client', tool: basename(client) };
  return { kind: 'unknown', program: `${basename(argv[0] ?? 'sh')} -c script` };
}

function sideRole(words: readonly string[], table: RoleTable): string | undefined {
  for (const word of words) {
    const hit = table.sideRoles.find((s) => s.token === word || s.token === basename(word));
    if (hit !== undefined) return hit.role;
  }
  return undefined;
}

/** A program matches a list entry by full path when the entry is a path, else by basename. */
function matches(program: string, list: readonly string[]): boolean {
  const base = basename(program);
  return list.some((entry) => (entry.startsWith('/') ? entry === program : entry === base));
}

function stripWrappers(argv: readonly string[]): readonly string[] {
  let rest = argv;
  for (let guard = 0; guard < 4; guard++) {
    const head = rest[0];
    if (head === undefined) return rest;
    const skip = WRAPPERS[basename(head)];
    if (skip === undefined) return rest;
    let i = 1;
    // Skip the wrapper's own flags, `--`, and env-style assignments.
    while (i < rest.length && /^(-.*|[A-Za-z_][A-Za-z0-9_]*=.*)$/.test(rest[i] ?? '')) i++;
    rest = rest.slice(i + skip);
  }
  return rest;
}
