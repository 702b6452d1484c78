/**
 * @module role — what a container of a family's image runs: the server, a client or one-shot
 * tool, a side role of the same image (Redis Sentinel, Kafka Connect), or something unknown.
 *
 * The same image runs many roles (ground truth §7.14): `postgres` runs pg_dump Jobs, `redis`
 * runs Sentinel, `bitnami/kafka` runs topic provisioning. Decide by command and args, read
 * through exec wrappers (numactl, gosu, tini, …: catalog/roles.ts) and `sh -c` scripts.
 */
import type { RoleTable, WrapperSpec } from './catalog/index.js';
import { SHELLS, WRAPPERS } from './catalog/index.js';
import { basename, splitScript } from './shell-words.js';
import type { Lookup, SimpleCommand } from './shell-words.js';

/** What the container runs. `words` are the server's arguments, for reading ports and flags. */
export type Role =
  | { readonly kind: 'server'; readonly how: string; readonly words: readonly string[] }
  | { readonly kind: 'client'; readonly tool: string }
  | { readonly kind: 'side'; readonly role: string }
  | { readonly kind: 'mixed'; readonly detail: string }
  | {
      readonly kind: 'unknown';
      readonly program: string;
      /** Every word of the command (wrappers skipped), for a container the user asserts is a server. */
      readonly words: readonly string[];
      /** What could not be read, when that is why the role is unknown. */
      readonly unreadable?: string;
    };

/** The container's argv as the kubelet runs it, and whether `command` replaces the entrypoint. */
export interface RoleInput {
  readonly command: readonly string[];
  readonly args: readonly string[];
  /** Resolves `$VAR` in scripts from the container's literal env. */
  readonly lookup: Lookup;
}

/** How deep entrypoints and script files are followed. */
const MAX_DEPTH = 3;

/** detectRole reads command + args against the family's role table. */
export function detectRole(input: RoleInput, table: RoleTable): Role {
  const argv = [...input.command, ...input.args];
  if (argv.length === 0) return { kind: 'server', how: 'image default command', words: [] };
  const side = sideRole(argv, table);
  if (side !== undefined) return { kind: 'side', role: side };
  const first = input.command.length === 0 ? input.args[0] : undefined;
  if (first !== undefined && (table.serverArgSuffixes ?? []).some((s) => first.endsWith(s))) {
    return {
      kind: 'server',
      how: `the image entrypoint runs the server with ${basename(first)}`,
      words: argv,
    };
  }
  return classifyArgv(stripWrappers(argv), { table, lookup: input.lookup }, 0);
}

interface Context {
  readonly table: RoleTable;
  readonly lookup: Lookup;
}

function classifyArgv(argv: readonly string[], ctx: Context, depth: number): Role {
  const first = argv[0];
  if (first === undefined) return { kind: 'server', how: 'image default command', words: [] };
  if (first.startsWith('-'))
    return { kind: 'server', how: 'flags to the image entrypoint', words: argv };
  if (first.includes('$')) {
    return {
      kind: 'unknown',
      program: first,
      words: argv,
      unreadable: 'the program name comes from a variable',
    };
  }
  const base = basename(first);
  const { table } = ctx;

  if (SHELLS.includes(base)) return classifyShell(argv, ctx, depth);
  if (matches(first, table.servers)) return { kind: 'server', how: `runs ${base}`, words: argv };
  if (matches(first, table.entrypoints)) {
    const next = argv[1];
    // `docker-entrypoint.sh pg_dump …` execs pg_dump; `… postgres -c …` or `…` alone starts the server.
    if (next !== undefined && !next.startsWith('-') && depth < MAX_DEPTH) {
      const inner = classifyArgv(stripWrappers(argv.slice(1)), ctx, depth + 1);
      if (inner.kind !== 'unknown') return inner;
    }
    return { kind: 'server', how: `runs the entrypoint ${base}`, words: argv };
  }
  if (matches(first, table.clients)) return { kind: 'client', tool: base };
  return { kind: 'unknown', program: first, words: argv };
}

function classifyShell(argv: readonly string[], ctx: Context, depth: number): Role {
  const dashC = argv.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a));
  if (dashC < 0) {
    // `bash /path/script.sh …` runs a script file: judge the script by its name.
    const rest = argv.slice(1).filter((a) => !a.startsWith('-'));
    return rest.length > 0 && depth < MAX_DEPTH
      ? classifyArgv(rest, ctx, depth + 1)
      : { kind: 'unknown', program: argv.join(' '), words: argv };
  }
  const script = splitScript(argv[dashC + 1] ?? '', ctx.lookup, argv.slice(dashC + 2));
  const program = `${basename(argv[0] ?? 'sh')} -c script`;
  const side = sideRole(script.words, ctx.table);
  if (side !== undefined) return { kind: 'side', role: side };
  const unknown = (unreadable?: string): Role =>
    unreadable === undefined
      ? { kind: 'unknown', program, words: script.words }
      : { kind: 'unknown', program, words: script.words, unreadable };

  const runs = (list: readonly string[]): SimpleCommand[] =>
    script.commands.filter((c) => matches(programOf(c), list));
  const { table } = ctx;
  const servers = [...runs(table.servers), ...runs(table.entrypoints)];
  const server = servers[0];
  if (server === undefined) {
    const client = runs(table.clients)[0];
    return client === undefined
      ? unknown(script.unreadable)
      : { kind: 'client', tool: basename(programOf(client)) };
  }
  const oneShot = runs(table.oneShot)[0];
  if (oneShot !== undefined) {
    return {
      kind: 'mixed',
      detail: `script starts ${basename(programOf(server))} and runs ${basename(programOf(oneShot))}: a one-shot job, not a long-running server`,
    };
  }
  if (script.unreadable !== undefined) return unknown(script.unreadable);
  const distinct = new Set(servers.map((c) => c.words.join('\u0000'))).size;
  if (distinct > 1) {
    return unknown(
      `the script starts ${basename(programOf(server))} in ${distinct} different ways`,
    );
  }
  const inner = classifyArgv(stripWrappers(server.words), ctx, depth + 1);
  if (inner.kind !== 'server') return inner;
  const how = `shell script ${server.exec ? 'execs' : 'runs'} ${basename(programOf(server))}`;
  return { kind: 'server', how, words: inner.words };
}

/** The program a simple command runs, looking through wrappers (`exec gosu redis redis-server`). */
function programOf(command: SimpleCommand): string {
  return stripWrappers(command.words)[0] ?? '';
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

/** stripWrappers drops leading exec wrappers and their own options (catalog WRAPPERS). */
export function stripWrappers(argv: readonly string[]): readonly string[] {
  let rest = argv;
  for (;;) {
    const head = rest[0];
    const spec = head === undefined ? undefined : WRAPPERS[basename(head)];
    if (spec === undefined) return rest;
    rest = rest.slice(wrapperLength(rest, spec));
  }
}

/** wrapperLength counts the wrapper's own words: its name, options, values and positionals. */
function wrapperLength(argv: readonly string[], spec: WrapperSpec): number {
  let i = 1;
  while (i < argv.length) {
    const word = argv[i] ?? '';
    if (word === '--') {
      i += 1;
      break;
    }
    if (word.startsWith('-') && word.length > 1) {
      i += spec.valueOptions.includes(word) ? 2 : 1;
    } else if (spec.assignments === true && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
      i += 1;
    } else break;
  }
  return Math.min(argv.length, i + spec.positionals);
}
