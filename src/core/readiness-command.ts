/**
 * @module readiness-command — the exec readiness command for a family, image variant and version,
 * or why readiness must fall back to TCP.
 *
 * Rules (ground truth §7): commands must exist in that image at that version (catalog tools), must
 * not need credentials they cannot read (credentials.ts), and run under their own timeout shorter
 * than timeoutSeconds (exec timeouts are enforced since Kubernetes 1.20, kubernetes#94115). Every
 * command connects over TCP to 127.0.0.1, so the init-time socket-only servers of the official
 * images never count.
 */
import type { ImageVariant, ToolRule } from './catalog/index.js';
import type { ContainerEnv } from './container-env.js';
import type { Credentials } from './credentials.js';
import { execBlocker } from './exec-blockers.js';
import type { Family } from './families.js';
import { shellQuote } from './shell-quote.js';
import { toolStatus } from './tools.js';
import type { ImageFacts } from './tools.js';

/** An exec readiness command, or why there is none. */
export type ReadinessCommand =
  | { readonly ok: true; readonly command: readonly string[] }
  | { readonly ok: false; readonly why: string };

export interface CommandInput {
  readonly family: Family;
  readonly variant: ImageVariant;
  /** The tools the command may use: the variant's, or the official ones the user asserted. */
  readonly tools: readonly ToolRule[];
  readonly image: ImageFacts;
  readonly port: number;
  readonly timeoutSeconds: number;
  readonly env: ContainerEnv;
  readonly words: readonly string[];
  readonly credentials: Credentials;
}

const HOST = '127.0.0.1';

/** The smallest timeoutSeconds that leaves room for the command's own timeouts (outer, inner). */
export const MIN_EXEC_TIMEOUT_SECONDS = 2;

/** readinessCommand builds the exec readiness argv for a server container. */
export function readinessCommand(input: CommandInput): ReadinessCommand {
  const { variant } = input;
  if (input.tools.length === 0)
    return { ok: false, why: `the ${variant.variant} image's CLI tools are not verified` };
  if (!variant.shell)
    return { ok: false, why: 'the image may have no shell or timeout binary (distroless)' };
  if (input.timeoutSeconds < MIN_EXEC_TIMEOUT_SECONDS)
    return { ok: false, why: 'timeoutSeconds below 2 leaves no room for the command timeout' };
  const blocker = execBlocker(variant, input.words, input.env);
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

/**
 * connectCheck is an exec probe that only connects to the port from inside the container (bash's
 * /dev/tcp): what a tcpSocket probe means, where a mesh proxy would answer the kubelet's own
 * connection whatever the server does (linkerd/linkerd2#7777). Loopback traffic from inside the
 * container is not redirected to the proxy.
 */
export function connectCheck(port: number, timeoutSeconds: number): readonly string[] {
  return [...hardStop(budgets(timeoutSeconds)), 'bash', '-c', `exec 3<>/dev/tcp/${HOST}/${port}`];
}

/** hardStop for a shell script. */
function hardStopWords(b: Budgets): string {
  return hardStop(b).join(' ');
}

type Builder = (input: CommandInput, b: Budgets) => ReadinessCommand;

const BUILDERS: Readonly<Record<Family, Builder>> = {
  postgres: postgresCommand,
  redis: redisCommand,
  mysql: (input, b) => pick(input, b, ['mysqladmin'], mysqlPingArgs(input.port, b)),
  mariadb: (input, b) =>
    pick(input, b, ['mariadb-admin', 'mysqladmin'], mysqlPingArgs(input.port, b)),
  mongo: (input, b) => pick(input, b, ['mongo', 'mongosh'], mongoPingArgs(input.port)),
  rabbitmq: (input, b) =>
    pick(input, b, ['rabbitmq-diagnostics'], ['-q', 'check_running', '--timeout', b.inner]),
  kafka: kafkaCommand,
};

function exec(command: readonly string[]): ReadinessCommand {
  return { ok: true, command };
}

/** sh -c with a script; the image's own `sh` (dash, busybox ash) runs it. */
function shell(script: string): ReadinessCommand {
  return exec(['sh', '-c', script]);
}

/**
 * pick runs the first tool (in preference order) the image surely has at this version; when the
 * version is unknown and the candidates depend on it, the command picks at run time with
 * `command -v`, in the same order.
 */
function pick(
  input: CommandInput,
  b: Budgets,
  candidates: readonly string[],
  args: readonly string[],
): ReadinessCommand {
  const status = candidates.map((tool) => ({
    tool,
    status: toolStatus(input.tools, tool, input.image),
  }));
  const sure = status.find((s) => s.status === 'yes');
  if (sure !== undefined) return exec([...hardStop(b), sure.tool, ...args]);
  const maybe = status.filter((s) => s.status === 'maybe').map((s) => s.tool);
  if (maybe.length === 0)
    return { ok: false, why: `the image has none of ${candidates.join(', ')} at this version` };
  const quoted = args.map(shellQuote).join(' ');
  const run = (tool: string): string => `exec ${hardStopWords(b)} ${tool} ${quoted}`;
  const branches = maybe.map(
    (tool, i) =>
      `${i === 0 ? 'if' : 'elif'} command -v ${tool} >/dev/null 2>&1; then ${run(tool)}; `,
  );
  return shell(`${branches.join('')}else exit 1; fi`);
}

// PostgreSQL: pg_isready over TCP with an explicit -U (libpq's default user is the OS account,
// `root` or an unnamed UID; postgresql.org/docs/current/app-pg-isready.html). Exit 0 only when
// the server accepts connections; 1 while starting or recovering.
function postgresCommand(input: CommandInput, b: Budgets): ReadinessCommand {
  const { variant } = input;
  if (toolStatus(input.tools, 'pg_isready', input.image) === 'no')
    return { ok: false, why: 'the image has no pg_isready' };
  const user = variant.user ?? { env: [], fallback: 'postgres' };
  const base = ['pg_isready', '-h', HOST, '-p', String(input.port)];
  let userArg: { literal: string } | { variable: string } = { literal: user.fallback };
  for (const name of user.env) {
    const v = input.env.get(name);
    // A `$` in the value would meet the kubelet's probe-time $(VAR) expansion (kubelet-expansion.ts):
    // the shell reads the variable at run time instead.
    if (v.kind === 'literal' && v.value !== '') {
      userArg = v.value.includes('$') ? { variable: name } : { literal: v.value };
    }
    if (v.kind === 'hidden') userArg = { variable: name };
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

// Redis: redis-cli exits 0 on NOAUTH and LOADING replies (redis#5458), so the reply is compared
// with PONG. The password is passed as REDISCLI_AUTH (redis-cli >= 5.0.3), never -a (argv).
function redisCommand(input: CommandInput, b: Budgets): ReadinessCommand {
  if (toolStatus(input.tools, 'redis-cli', input.image) === 'no')
    return { ok: false, why: 'the image has no redis-cli' };
  const { credentials } = input;
  if (credentials.kind === 'unreadable') return { ok: false, why: credentials.why };
  const cliEnv = input.variant.password?.cliEnv ?? 'REDISCLI_AUTH';
  const prelude =
    credentials.kind === 'none' || input.env.get(cliEnv).kind !== 'absent'
      ? ''
      : credentials.sources
          .map((s) =>
            s.kind === 'env'
              ? `[ -n "\${${s.name}:-}" ] && export ${cliEnv}="$${s.name}"; `
              : `[ -r "\${${s.name}:-}" ] && ${cliEnv}="$(cat "$${s.name}")" && export ${cliEnv}; `,
          )
          .join('');
  const cli = `${hardStopWords(b)} redis-cli -h ${HOST} -p ${input.port} ping`;
  return shell(`${prelude}${cli} | grep -qx PONG`);
}

/** `ping` exits 0 even on "Access denied": the server is up (dev.mysql.com mysqladmin). */
function mysqlPingArgs(port: number, b: Budgets): string[] {
  return ['ping', '-h', HOST, '-P', String(port), `--connect-timeout=${b.inner}`];
}

/** db.adminCommand('ping') needs no credentials; the legacy shell is far cheaper than mongosh. */
function mongoPingArgs(port: number): string[] {
  return [
    '--quiet',
    '--norc',
    '--host',
    HOST,
    '--port',
    String(port),
    '--eval',
    "db.adminCommand('ping').ok",
  ];
}

// Kafka (by override only): the JVM tool inherits JMX ports and KAFKA_OPTS javaagents from the
// broker env ("Port already in use"), so they are unset; the heap is kept small (bitnami/charts#12917).
function kafkaCommand(input: CommandInput, b: Budgets): ReadinessCommand {
  const scripts = input.variant.kafkaScripts;
  const tool =
    scripts === undefined
      ? undefined
      : `${scripts.prefix}kafka-broker-api-versions${scripts.suffix}`;
  if (tool === undefined || toolStatus(input.tools, tool, input.image) === 'no')
    return { ok: false, why: 'this image has no Kafka CLI scripts' };
  return shell(
    'unset JMX_PORT KAFKA_JMX_OPTS KAFKA_OPTS; export KAFKA_HEAP_OPTS="-Xms32m -Xmx128m"; ' +
      `exec ${hardStopWords(b)} ${tool} --bootstrap-server ${HOST}:${input.port} >/dev/null`,
  );
}
