/**
 * @module readiness-command — the exec readiness command for a family, image variant and version,
 * or why readiness must fall back to TCP.
 *
 * Rules (ground truth §7): commands must exist in that image at that version, must not need
 * credentials they cannot read, and run under their own timeout shorter than timeoutSeconds
 * (exec timeouts are enforced since Kubernetes 1.20, kubernetes#94115). Every command connects
 * over TCP to 127.0.0.1, so the init-time socket-only servers of the official images never count.
 */
import type { ImageVariant } from './catalog/index.js';
import type { ContainerEnv } from './container-env.js';
import type { Family } from './families.js';
import { flagValue, hasFlag } from './shell-words.js';
import { atLeast } from './version.js';
import type { EngineVersion } from './version.js';

/** An exec readiness command, or why there is none. */
export type ReadinessCommand =
  | { readonly ok: true; readonly command: readonly string[] }
  | { readonly ok: false; readonly why: string };

export interface CommandInput {
  readonly family: Family;
  readonly variant: ImageVariant;
  readonly version: EngineVersion | null;
  readonly port: number;
  readonly timeoutSeconds: number;
  readonly env: ContainerEnv;
  /** The server's words with `$(VAR)` left unexpanded, for finding password references. */
  readonly rawWords: readonly string[];
  readonly words: readonly string[];
}

const HOST = '127.0.0.1';

/** readinessCommand builds the exec readiness argv for a server container. */
export function readinessCommand(input: CommandInput): ReadinessCommand {
  const { variant } = input;
  if (!variant.execTools)
    return { ok: false, why: `the ${variant.variant} image's CLI tools are not verified` };
  if (!variant.shell)
    return { ok: false, why: 'the image may have no shell or timeout binary (distroless)' };
  if (input.timeoutSeconds < 2)
    return { ok: false, why: 'timeoutSeconds below 2 leaves no room for the command timeout' };
  const blocker = execBlocker(input);
  if (blocker !== undefined) return { ok: false, why: blocker };
  return BUILDERS[input.family](input, budgets(input.timeoutSeconds));
}

/** Outer `timeout` one second under timeoutSeconds; the tool's own timeout one under that. */
interface Budgets {
  readonly outer: string;
  readonly inner: string;
}

function budgets(timeoutSeconds: number): Budgets {
  const outer = Math.max(1, timeoutSeconds - 1);
  return { outer: String(outer), inner: String(Math.max(1, outer - 1)) };
}

/**
 * The outer hard stop, as argv words. SIGKILL, not timeout's default SIGTERM: against a listener
 * that accepts and never answers, test/probes measured rabbitmq-diagnostics (the Erlang VM treats
 * SIGTERM as a graceful init:stop()) running 8 s past its `timeout 24`, and MariaDB's mysqladmin
 * ignores SIGTERM until its own connect timeout. A probe tool has nothing to save. `-s SIG` is in
 * GNU coreutils, BusyBox (every version, unlike `-k`) and toybox.
 */
function hardStop(b: Budgets): string[] {
  return ['timeout', '-s', 'KILL', b.outer];
}

/** hardStop for a shell script. */
function hardStopWords(b: Budgets): string {
  return hardStop(b).join(' ');
}

type Builder = (input: CommandInput, b: Budgets) => ReadinessCommand;

const BUILDERS: Readonly<Record<Family, Builder>> = {
  postgres: postgresCommand,
  redis: redisCommand,
  mysql: (input, b) => exec([...hardStop(b), ...mysqlPing('mysqladmin', input.port, b)]),
  mariadb: mariadbCommand,
  mongo: mongoCommand,
  rabbitmq: (_input, b) =>
    exec([...hardStop(b), 'rabbitmq-diagnostics', '-q', 'check_running', '--timeout', b.inner]),
  kafka: kafkaCommand,
};

function exec(command: readonly string[]): ReadinessCommand {
  return { ok: true, command };
}

/** sh -c with a script; the image's own `sh` (dash, busybox ash) runs it. */
function shell(script: string): ReadinessCommand {
  return exec(['sh', '-c', script]);
}

// PostgreSQL: pg_isready over TCP with an explicit -U (libpq's default user is the OS account,
// `root` or an unnamed UID; postgresql.org/docs/current/app-pg-isready.html). Exit 0 only when
// the server accepts connections; 1 while starting or recovering.
function postgresCommand(input: CommandInput, b: Budgets): ReadinessCommand {
  const { variant } = input;
  const user = variant.user ?? { env: [], fallback: 'postgres' };
  const base = ['pg_isready', '-h', HOST, '-p', String(input.port)];
  let userArg: { literal: string } | { variable: string } = { literal: user.fallback };
  for (const name of user.env) {
    const v = input.env.get(name);
    if (v.kind === 'literal' && v.value !== '') userArg = { literal: v.value };
    if (v.kind === 'reference') userArg = { variable: name };
    if (v.kind !== 'absent') break;
  }
  const files = variant.readyFiles ?? [];
  if ('literal' in userArg && files.length === 0) {
    return exec([...hardStop(b), ...base, '-U', userArg.literal, '-t', b.inner]);
  }
  const u = 'literal' in userArg ? shellQuote(userArg.literal) : `"$${userArg.variable}"`;
  const check = `${hardStopWords(b)} ${base.join(' ')} -U ${u} -t ${b.inner}`;
  if (files.length === 0) return shell(`exec ${check}`);
  return shell(`${check} && { ${files.map((f) => `[ -f ${f} ]`).join(' || ')}; }`);
}

/** shellQuote single-quotes a word for sh. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_.@%+=:,/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

// Redis: redis-cli exits 0 on NOAUTH and LOADING replies (redis#5458), so the reply is compared
// with PONG. The password is passed as REDISCLI_AUTH (redis-cli >= 5.0.3), never -a (argv).
function redisCommand(input: CommandInput, b: Budgets): ReadinessCommand {
  const auth = redisAuth(input);
  if ('why' in auth) return { ok: false, why: auth.why };
  const cli = `${hardStopWords(b)} redis-cli -h ${HOST} -p ${input.port} ping`;
  return shell(`${auth.prelude}${cli} | grep -qx PONG`);
}

function redisAuth(input: CommandInput): { prelude: string } | { why: string } {
  const source = input.variant.password;
  if (source === undefined || input.env.get('REDISCLI_AUTH').kind !== 'absent')
    return { prelude: '' };
  for (const name of source.argsEnv) {
    const v = input.env.get(name);
    if (v.kind === 'reference')
      return { why: `${name} comes from a reference and may set a password` };
    if (v.kind === 'literal' && /--requirepass\b/.test(v.value))
      return { why: `${name} sets a password only visible in args` };
  }
  const flag = flagValue(input.rawWords, source.flags);
  if (flag !== undefined) {
    const name =
      /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(flag)?.[1] ??
      /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(flag)?.[1];
    if (name === undefined)
      return { why: 'the password is written in args; autoprobe will not copy it into a probe' };
    return { prelude: `REDISCLI_AUTH="$${name}"; export REDISCLI_AUTH; ` };
  }
  const fromEnv = source.env.map(
    (name) => `[ -n "\${${name}:-}" ] && export REDISCLI_AUTH="$${name}"; `,
  );
  const fromFile = source.fileEnv.map(
    (name) =>
      `[ -r "\${${name}:-}" ] && REDISCLI_AUTH="$(cat "$${name}")" && export REDISCLI_AUTH; `,
  );
  const prelude = [...fromEnv, ...fromFile].join('');
  const configFile = input.words.some((w) => !w.startsWith('-') && w.endsWith('.conf'));
  if (configFile && prelude === '')
    return { why: 'a redis.conf may set requirepass, which the probe cannot read' };
  return { prelude };
}

function mysqlPing(tool: string, port: number, b: Budgets): string[] {
  // ping exits 0 even on "Access denied": the server is up (dev.mysql.com mysqladmin).
  return [tool, 'ping', '-h', HOST, '-P', String(port), `--connect-timeout=${b.inner}`];
}

// MariaDB 11.0+ images have no mysqladmin; 10.2/10.3 have no mariadb-admin (MariaDB/mariadb-docker#512, #94).
function mariadbCommand(input: CommandInput, b: Budgets): ReadinessCommand {
  const { version } = input;
  if (version !== null) {
    const tool = atLeast(version, 10, 5) ? 'mariadb-admin' : 'mysqladmin';
    return exec([...hardStop(b), ...mysqlPing(tool, input.port, b)]);
  }
  const args = mysqlPing('', input.port, b).slice(1).join(' ');
  return shell(
    `if command -v mariadb-admin >/dev/null 2>&1; then exec ${hardStopWords(b)} mariadb-admin ${args}; ` +
      `else exec ${hardStopWords(b)} mysqladmin ${args}; fi`,
  );
}

// MongoDB: db.adminCommand('ping') needs no credentials. The legacy `mongo` shell is in <= 5.0
// images and is far cheaper; mongosh is the only shell from 6.0 (docker-library/mongo 9631e54a).
function mongoCommand(input: CommandInput, b: Budgets): ReadinessCommand {
  const args = [
    '--quiet',
    '--norc',
    '--host',
    HOST,
    '--port',
    String(input.port),
    '--eval',
    "db.adminCommand('ping').ok",
  ];
  const { version } = input;
  if (version !== null) {
    const tool = atLeast(version, 6) ? 'mongosh' : 'mongo';
    return exec([...hardStop(b), tool, ...args]);
  }
  const quoted = args.map((a) => (a.includes("'") ? `"${a}"` : a)).join(' ');
  return shell(
    `if command -v mongo >/dev/null 2>&1; then exec ${hardStopWords(b)} mongo ${quoted}; ` +
      `else exec ${hardStopWords(b)} mongosh ${quoted}; fi`,
  );
}

// Kafka (by override only): the JVM tool inherits JMX ports and KAFKA_OPTS javaagents from the
// broker env ("Port already in use"), so they are unset; the heap is kept small (bitnami/charts#12917).
function kafkaCommand(input: CommandInput, b: Budgets): ReadinessCommand {
  const scripts = input.variant.kafkaScripts;
  if (scripts === undefined) return { ok: false, why: 'this image has no Kafka CLI scripts' };
  const tool = `${scripts.prefix}kafka-broker-api-versions${scripts.suffix}`;
  return shell(
    'unset JMX_PORT KAFKA_JMX_OPTS KAFKA_OPTS; export KAFKA_HEAP_OPTS="-Xms32m -Xmx128m"; ' +
      `exec ${hardStopWords(b)} ${tool} --bootstrap-server ${HOST}:${input.port} >/dev/null`,
  );
}

function execBlocker(input: CommandInput): string | undefined {
  for (const blocker of input.variant.execBlockers ?? []) {
    if (blocker.flag !== undefined && hasFlag(input.words, [blocker.flag])) {
      const value = flagValue(input.words, [blocker.flag]);
      if (blocker.values === undefined || (value !== undefined && blocker.values.includes(value)))
        return blocker.why;
    }
    if (blocker.env !== undefined) {
      const v = input.env.get(blocker.env);
      const hit =
        v.kind === 'reference' ||
        (v.kind === 'literal' &&
          (blocker.values === undefined ||
            blocker.values.some((x) => v.value.toLowerCase().includes(x.toLowerCase()))));
      if (hit) return blocker.why;
    }
  }
  return undefined;
}
