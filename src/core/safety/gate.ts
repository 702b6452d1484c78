/**
 * @module safety/gate — the last word on every probe the planner wants to add (DESIGN §1, "Safety
 * by construction"). It does not trust the planner's reading of the container: it reads the
 * container again as a whole (every word of its argv, scripts and args-env, its env, ports and
 * mounts), reads each probe back from the probe itself, and vetoes any probe that breaks one of
 * the invariants in invariants.ts, with a reason. What survives is what every surface renders.
 */
import type { Catalog, ImageVariant, ToolRule } from '../catalog/index.js';
import { argvOf, envSourcesOf, readEnv } from '../container-env.js';
import type { ContainerEnv } from '../container-env.js';
import { readCredentials, unreadable } from '../credentials.js';
import type { Credentials } from '../credentials.js';
import { flagHits } from '../argv.js';
import { execBlocker } from '../exec-blockers.js';
import { PROBE_FIELD, PROBE_KINDS } from '../families.js';
import type { Family, ProbeKind } from '../families.js';
import { detectHa } from '../ha.js';
import type { HaFinding } from '../ha.js';
import type { JsonObject, Probe } from '../k8s.js';
import { probeTimeCommand } from '../kubelet-expansion.js';
import { analyseListen } from '../listen.js';
import type { Listen } from '../listen.js';
import type { Mesh } from '../mesh.js';
import { declaredPorts, hiddenConfigOf, listeningPort } from '../port.js';
import type { DeclaredPort, Listening, PortOverride } from '../port.js';
import { quoted } from '../text.js';
import { TIMING_FIELDS, TIMING_MAX, minimumOf } from '../timing.js';
import { toolStatus } from '../tools.js';
import type { ImageFacts } from '../tools.js';
import { candidateWords } from '../words.js';
import { basename } from '../shell-words.js';
import { readExec } from './exec-shape.js';
import type { ExecShape } from './exec-shape.js';
import { INVARIANTS } from './invariants.js';
import type { InvariantId } from './invariants.js';

/** What the gate is given: the container as it is, its identity, the user's assertions, the probes. */
export interface GateInput {
  readonly family: Family;
  readonly variant: ImageVariant;
  /** The tools exec probes may use: the variant's, or the official ones the user asserted. */
  readonly tools: readonly ToolRule[];
  readonly image: ImageFacts;
  readonly container: JsonObject;
  /** The Pod's spec (volumes, for HA markers). */
  readonly spec: JsonObject;
  /** The Pod's service mesh (a fact of the Pod and its namespace, mesh.ts). */
  readonly mesh: Mesh;
  /** The port the user asserted by annotation, if any. */
  readonly portOverride: PortOverride | undefined;
  readonly catalog: Catalog;
  readonly probes: Readonly<Partial<Record<ProbeKind, Probe>>>;
}

/** A probe the gate dropped, and why. */
export interface Veto {
  readonly kind: ProbeKind;
  readonly invariant: InvariantId;
  readonly detail: string;
  readonly probe: Probe;
}

/** The probes that may be added, and the vetoed ones. */
export interface GateResult {
  readonly probes: Partial<Record<ProbeKind, Probe>>;
  readonly vetoes: readonly Veto[];
}

/** The facts the gate reads from the container itself (the lint reads the same, lint/lint.ts). */
export interface ContainerFacts {
  readonly input: GateInput;
  readonly env: ContainerEnv;
  readonly listening: Listening;
  readonly declared: readonly DeclaredPort[];
  readonly reach: Listen;
  readonly ha: HaFinding | undefined;
  readonly credentials: Credentials;
  readonly blocker: string | undefined;
  readonly asserted: number | undefined;
}

/** A failed check: the invariant and a one-line detail. */
export type Failure = { readonly invariant: InvariantId; readonly detail: string } | undefined;
type Facts = ContainerFacts;

/**
 * gate checks every probe against the invariants and returns those that hold. `facts` may be
 * read once for a container and shared with the lint (they do not depend on the probes).
 */
export function gate(
  input: GateInput,
  facts: ContainerFacts = readContainerFacts(input),
): GateResult {
  const kept: Partial<Record<ProbeKind, Probe>> = {};
  const vetoes: Veto[] = [];
  for (const kind of PROBE_KINDS) {
    const probe = input.probes[kind];
    if (probe === undefined) continue;
    const failure = checkProbe(kind, probe, facts);
    if (failure === undefined) kept[kind] = probe;
    else vetoes.push({ kind, probe, ...failure });
  }
  const liveness = kept.liveness;
  if (
    liveness !== undefined &&
    kept.startup === undefined &&
    input.container[PROBE_FIELD.startup] === undefined
  ) {
    delete kept.liveness;
    const why = vetoes.some((v) => v.kind === 'startup')
      ? 'the startup probe was vetoed'
      : 'no startup probe is added or set';
    vetoes.push({
      kind: 'liveness',
      probe: liveness,
      invariant: 'liveness-needs-startup',
      detail: why,
    });
  }
  return { probes: kept, vetoes };
}

/** vetoCode is the reason code of a veto's invariant. */
export function vetoCode(veto: Veto): (typeof INVARIANTS)[InvariantId]['code'] {
  return INVARIANTS[veto.invariant].code;
}

/** readContainerFacts reads the container as the gate judges it: env, argv words, ports, reach, HA, credentials. */
export function readContainerFacts(input: GateInput): ContainerFacts {
  const { container, variant, family, catalog } = input;
  const env = readEnv(container, envSourcesOf(input.spec));
  const argv = argvOf(container, env);
  const words = candidateWords(
    [...argv.command, ...argv.args],
    env,
    catalog.roles[family],
    variant.argsEnv,
  );
  const listen = {
    rules: variant.port,
    hidden: variant.hiddenConfig,
    profile: catalog.profiles[family],
    words,
    env,
    container,
  };
  const declared = declaredPorts(container);
  return {
    input,
    env,
    listening: listeningPort(listen),
    declared,
    reach: analyseListen(words, variant.bind),
    ha: detectHa({ family, variant, container, spec: input.spec, env, words, catalog }),
    credentials: readCredentials({
      variant,
      env,
      words,
      hiddenConfig: hiddenConfigOf(listen) !== undefined,
      catalog,
    }),
    blocker: execBlocker(variant, words, env),
    asserted: assertedPort(input.portOverride, declared),
  };
}

function checkProbe(kind: ProbeKind, probe: Probe, facts: Facts): Failure {
  const { container } = facts.input;
  if (container[PROBE_FIELD[kind]] !== undefined) {
    return { invariant: 'user-probe-kept', detail: `${kind} is already set on the container` };
  }
  return checkSound(kind, probe, facts);
}

/**
 * checkSound holds one probe, added or already there, to every invariant of a single probe (the
 * pairing of liveness with startup is the caller's): the first one it breaks, or undefined.
 */
export function checkSound(kind: ProbeKind, probe: Probe, facts: Facts): Failure {
  return (
    thresholds(kind, probe) ??
    (kind !== 'readiness' && facts.ha !== undefined
      ? {
          invariant: 'ha-readiness-only',
          detail: `${facts.ha.rule.manager} (${facts.ha.evidence}): no ${kind}`,
        }
      : undefined) ??
    (probe.tcpSocket !== undefined ? checkTcp(probe.tcpSocket.port, facts) : undefined) ??
    (probe.exec !== undefined ? checkExec(probe, facts) : undefined) ??
    (kind === 'startup' ? budget(probe, facts) : undefined)
  );
}

function thresholds(kind: ProbeKind, probe: Probe): Failure {
  for (const field of TIMING_FIELDS) {
    const value = probe[field];
    if (!Number.isInteger(value) || value < minimumOf(field) || value > TIMING_MAX) {
      return { invariant: 'thresholds-valid', detail: `${field} ${String(value)} is out of range` };
    }
  }
  if (kind !== 'readiness' && probe.successThreshold !== 1) {
    return { invariant: 'thresholds-valid', detail: `${kind} successThreshold must be 1` };
  }
  return undefined;
}

function checkTcp(port: number | string, facts: Facts): Failure {
  const { mesh } = facts.input;
  if (mesh.effect === 'intercepts') {
    return {
      invariant: 'tcp-means-what-it-says',
      detail: `${mesh.mesh} (${mesh.evidence}) answers every TCP connection`,
    };
  }
  if (facts.reach.tcp !== 'pod-ip') {
    return { invariant: 'tcp-reaches-server', detail: facts.reach.detail };
  }
  const number =
    typeof port === 'number' ? port : facts.declared.find((d) => d.name === port)?.number;
  if (number === undefined) {
    return {
      invariant: 'port-is-listening',
      detail: `port name ${port} is not a declared containerPort`,
    };
  }
  return portProblem(number, facts);
}

/** portProblem checks a probed port against what the server's own settings say. */
function portProblem(port: number, facts: Facts): Failure {
  const { listening, asserted } = facts;
  const fail = (detail: string): Failure => ({ invariant: 'port-is-listening', detail });
  switch (listening.kind) {
    case 'explicit':
      return port === listening.port
        ? undefined
        : fail(`probes ${port}; ${listening.source} says ${listening.port}`);
    case 'default':
      return port === listening.port || port === asserted
        ? undefined
        : fail(`probes ${port}; nothing sets the port, so the server listens on ${listening.port}`);
    case 'hidden':
      return port === asserted || facts.declared.some((d) => d.number === port)
        ? undefined
        : fail(
            `probes ${port}, which no declared containerPort or annotation names (${listening.why})`,
          );
    case 'error':
      return port === asserted
        ? undefined
        : fail(`probes ${port}; the server's port cannot be read (${listening.detail})`);
  }
}

function checkExec(probe: Probe, facts: Facts): Failure {
  const command = probe.exec?.command ?? [];
  const shape = readExec(command);
  return (
    execExpansion(command, facts) ??
    execTimeouts(shape, probe.timeoutSeconds, facts) ??
    execTools(shape, facts) ??
    execPorts(shape, facts) ??
    execCredentials(shape, facts)
  );
}

/** execExpansion checks the command is what the kubelet runs (kubelet-expansion.ts). */
function execExpansion(command: readonly string[], facts: Facts): Failure {
  const run = probeTimeCommand(command, facts.input.container);
  const changed = run.findIndex((word, i) => word !== command[i]);
  return changed < 0
    ? undefined
    : {
        invariant: 'exec-runs-as-built',
        detail: `the kubelet would expand word ${changed} ${quoted(command[changed] ?? '', 40)}`,
      };
}

/** Programs an exec probe may run without a timeout of their own: the shell's plumbing. */
const UTILITIES: ReadonlySet<string> = new Set([
  'sh',
  'timeout',
  '[',
  'test',
  'grep',
  'cat',
  'echo',
  'printf',
  'true',
  'false',
  'export',
  'unset',
  'command',
  'exit',
  'head',
  'tr',
]);

function isUtility(program: string): boolean {
  return UTILITIES.has(basename(program));
}

function execTimeouts(shape: ExecShape, timeoutSeconds: number, facts: Facts): Failure {
  const tools = shape.runs.filter((r) => !isUtility(r.program));
  if (tools.length === 0) return undefined;
  const loose = tools.find(
    (r) => r.timeoutSeconds === null || !(r.timeoutSeconds < timeoutSeconds),
  );
  if (loose === undefined) return facts.input.variant.shell ? undefined : noShell();
  return {
    invariant: 'exec-timeout',
    detail:
      loose.timeoutSeconds === null
        ? `${loose.program} runs without its own timeout`
        : `${loose.program} may run ${loose.timeoutSeconds} s, not below timeoutSeconds ${timeoutSeconds}`,
  };
}

function noShell(): Failure {
  return {
    invariant: 'tool-in-image',
    detail: 'the image may have no shell or timeout (distroless)',
  };
}

function execTools(shape: ExecShape, facts: Facts): Failure {
  const { tools, image, variant } = facts.input;
  if ((shape.shell || shape.runs.some((r) => isUtility(r.program))) && !variant.shell)
    return noShell();
  for (const run of shape.runs) {
    if (isUtility(run.program)) continue;
    const status = toolStatus(tools, run.program, image);
    if (status === 'yes' || (status === 'maybe' && shape.guards.has(run.program))) continue;
    const at = image.version === null ? 'of an unknown version' : `at ${image.version.text}`;
    return {
      invariant: 'tool-in-image',
      detail: `${run.program} is not known to be in the ${variant.variant} image ${at}`,
    };
  }
  return undefined;
}

function execPorts(shape: ExecShape, facts: Facts): Failure {
  const ports = [
    ...flagHits(shape.words, ['-p', '-P', '--port']).map((h) => h.value),
    ...flagHits(shape.words, ['--bootstrap-server']).map((h) => /:(\d+)$/.exec(h.value)?.[1] ?? ''),
    ...[...shape.text.matchAll(/\/dev\/tcp\/[^/\s]+\/(\S+?)(?=['"\s]|$)/g)].map((m) => m[1] ?? ''),
  ];
  for (const value of ports) {
    const port = /^\d{1,5}$/.test(value) ? Number.parseInt(value, 10) : undefined;
    if (port === undefined) {
      return {
        invariant: 'port-is-listening',
        detail: `the command's port ${JSON.stringify(value)} is not a number`,
      };
    }
    const problem = portProblem(port, facts);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Programs that only open a connection (bash's /dev/tcp): they speak no protocol, need no login. */
const CONNECT_ONLY: ReadonlySet<string> = new Set(['bash']);

function execCredentials(shape: ExecShape, facts: Facts): Failure {
  const fail = (detail: string): Failure => ({ invariant: 'credentials-readable', detail });
  const speaks = shape.runs.some((r) => !isUtility(r.program) && !CONNECT_ONLY.has(r.program));
  if (!speaks) return undefined;
  if (facts.blocker !== undefined) return fail(facts.blocker);
  const source = facts.input.variant.password;
  if (source === undefined) return undefined;
  const { credentials, env } = facts;
  const cli = source.cliEnv;
  const used = [
    ...shape.text.matchAll(
      new RegExp(`${cli}="\\$(?:\\(cat "\\$)?\\{?([A-Za-z_][A-Za-z0-9_]*)`, 'g'),
    ),
  ].map((m) => m[1] ?? '');
  for (const name of used) {
    const why = unreadable(name, env, facts.input.catalog);
    if (why !== undefined) return fail(why);
  }
  if (credentials.kind === 'none') return undefined;
  if (credentials.kind === 'unreadable') return fail(credentials.why);
  if (env.get(cli).kind !== 'absent') return undefined;
  const names = new Set(credentials.sources.map((s) => s.name));
  return used.some((n) => names.has(n))
    ? undefined
    : fail(`the server may need a password and the command does not send it (${cli})`);
}

function budget(probe: Probe, facts: Facts): Failure {
  const minimum = facts.input.catalog.profiles[facts.input.family].recoveryMinimumSeconds;
  const seconds = probe.initialDelaySeconds + probe.periodSeconds * probe.failureThreshold;
  return seconds >= minimum
    ? undefined
    : {
        invariant: 'startup-budget',
        detail: `${seconds} s is below the ${minimum} s recovery minimum`,
      };
}

function assertedPort(
  override: PortOverride | undefined,
  declared: readonly DeclaredPort[],
): number | undefined {
  if (override === undefined || 'invalid' in override) return undefined;
  const { value } = override;
  return typeof value === 'number' ? value : declared.find((d) => d.name === value)?.number;
}
