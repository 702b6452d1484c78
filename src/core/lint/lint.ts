/**
 * @module lint/lint — findings on the probes a container already has, judged against what the
 * engine knows of its image, version, port, bind address, credentials, HA manager and mesh. The
 * safety gate's checks of a single probe (safety/gate.ts) apply to a user's probe as to an added
 * one; rules.ts adds the hazards only hand-written probes have. Pure.
 */
import { flagHits } from '../argv.js';
import { PROBE_FIELD, PROBE_KINDS } from '../families.js';
import type { ProbeKind } from '../families.js';
import { kafkaListenerPorts } from '../kafka-listeners.js';
import { isObject } from '../k8s.js';
import type { JsonObject, Probe } from '../k8s.js';
import { readExec } from '../safety/exec-shape.js';
import { checkSound, readContainerFacts } from '../safety/gate.js';
import type { ContainerFacts, GateInput } from '../safety/gate.js';
import { basename } from '../shell-words.js';
import { toolStatus } from '../tools.js';
import { HEAVY_CLIS, INVARIANT_LINT, LINT_RULES } from './rules.js';
import type { LintCode, Severity } from './rules.js';

/** One finding on one probe of a container. */
export interface Finding {
  readonly code: LintCode;
  readonly probe: ProbeKind;
  readonly severity: Severity;
  readonly message: string;
  /** The probes autoprobe adds remove the hazard (a startup probe in front of a bare liveness). */
  readonly resolved: boolean;
}

/** A probe as the user wrote it, with the API's defaults filled in. */
type UserProbe = Probe & { readonly httpGet?: { readonly port: number | string } };

// The API's defaults for unset fields (pod-v1 Probe reference).
const DEFAULTS = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
} as const;

/** userProbes reads the probes the container has (none when it has none). */
export function userProbes(container: JsonObject): Partial<Record<ProbeKind, UserProbe>> {
  const out: Partial<Record<ProbeKind, UserProbe>> = {};
  for (const kind of PROBE_KINDS) {
    const raw = container[PROBE_FIELD[kind]];
    if (isObject(raw)) out[kind] = readProbe(raw);
  }
  return out;
}

function readProbe(raw: JsonObject): UserProbe {
  const timing = Object.fromEntries(
    Object.entries(DEFAULTS).map(([field, fallback]) => [field, raw[field] ?? fallback]),
  ) as Record<keyof typeof DEFAULTS, number>;
  const port = (handler: unknown): number | string | undefined => {
    const value = isObject(handler) ? handler.port : undefined;
    return typeof value === 'number' || typeof value === 'string' ? value : undefined;
  };
  const command =
    isObject(raw.exec) && Array.isArray(raw.exec.command)
      ? raw.exec.command.filter((w): w is string => typeof w === 'string')
      : undefined;
  const tcp = port(raw.tcpSocket);
  const http = port(raw.httpGet);
  return {
    ...timing,
    ...(command === undefined ? {} : { exec: { command } }),
    ...(tcp === undefined ? {} : { tcpSocket: { port: tcp } }),
    ...(http === undefined ? {} : { httpGet: { port: http } }),
  };
}

/**
 * lintContainer judges the probes in `input.probes` (the container's own, from userProbes) and
 * returns the findings, at most one per rule and probe. `facts` are the gate's reading of the
 * container, shared with the gate's own run.
 */
export function lintContainer(
  input: GateInput,
  facts: ContainerFacts = readContainerFacts(input),
): Finding[] {
  const probes = input.probes as Partial<Record<ProbeKind, UserProbe>>;
  if (Object.keys(probes).length === 0) return [];
  const findings: Finding[] = [];
  const add = (code: LintCode, probe: ProbeKind, detail: string): void => {
    if (findings.some((f) => f.code === code && f.probe === probe)) return;
    findings.push({
      code,
      probe,
      severity: LINT_RULES[code].severity,
      message: detail,
      resolved: false,
    });
  };
  for (const kind of PROBE_KINDS) {
    const probe = probes[kind];
    if (probe === undefined) continue;
    const failure = checkSound(kind, probe, facts);
    const code = failure === undefined ? undefined : INVARIANT_LINT[failure.invariant];
    // The gate holds an added probe to the one port autoprobe picks; a user's may use another
    // port the server listens on too (a Kafka node's controller listener).
    const elsewhere = code === 'probe-port-not-listening' && listensOn(probe, facts);
    if (failure !== undefined && code !== undefined && !elsewhere) add(code, kind, failure.detail);
    for (const [rule, detail] of ownChecks(kind, probe, facts)) add(rule, kind, detail);
  }
  const liveness = probes.liveness;
  if (liveness !== undefined && probes.startup === undefined) {
    const minimum = input.catalog.profiles[input.family].recoveryMinimumSeconds;
    const seconds = budgetOf(liveness);
    if (seconds < minimum) {
      add(
        'liveness-without-startup',
        'liveness',
        `no startup probe, and liveness gives up after ${seconds} s, below the ${minimum} s recovery minimum`,
      );
    }
  }
  return findings;
}

/** resolvedBy marks the findings that the probes autoprobe adds (`added`) make harmless. */
export function resolvedBy(findings: readonly Finding[], added: readonly string[]): Finding[] {
  return findings.map((f) =>
    f.code === 'liveness-without-startup' && added.includes('startup')
      ? {
          ...f,
          resolved: true,
          message: `${f.message}; the startup probe autoprobe adds covers it`,
        }
      : f,
  );
}

/** listensOn: the probe's tcpSocket port is one of the server's other listeners. */
function listensOn(probe: Probe, facts: ContainerFacts): boolean {
  const port = probe.tcpSocket?.port;
  const number =
    typeof port === 'string' ? facts.declared.find((d) => d.name === port)?.number : port;
  if (number === undefined) return false;
  return facts.input.variant.port.some(
    (rule) =>
      rule.from === 'kafka-listeners' && kafkaListenerPorts(rule, facts.env).includes(number),
  );
}

function budgetOf(probe: Probe): number {
  return probe.initialDelaySeconds + probe.periodSeconds * probe.failureThreshold;
}

/** The rules only a hand-written probe can break. */
function ownChecks(kind: ProbeKind, probe: UserProbe, facts: ContainerFacts): [LintCode, string][] {
  const command = probe.exec?.command;
  return [
    ...(command === undefined ? [] : execChecks(kind, command, facts)),
    ...(probe.httpGet === undefined ? [] : httpChecks(probe.httpGet.port, facts)),
  ];
}

function execChecks(
  kind: ProbeKind,
  command: readonly string[],
  facts: ContainerFacts,
): [LintCode, string][] {
  const out: [LintCode, string][] = [];
  const { tools, image, variant } = facts.input;
  const shape = readExec(command);
  const programs = shape.runs.map((r) => basename(r.program));
  const heavy = programs.find((p) => HEAVY_CLIS.some((re) => re.test(p)));
  if (heavy !== undefined && kind !== 'readiness') {
    out.push(['heavy-cli-in-liveness', `${heavy} starts a runtime on every ${kind} run`]);
  }
  // Only a tool the catalog knows can be missing: it lists what each image has, not all it has.
  const missing = programs.find(
    (p) => tools.some((t) => t.name === p) && toolStatus(tools, p, image) === 'no',
  );
  if (missing !== undefined) {
    const at = image.version?.text ?? 'this tag';
    out.push(['probe-tool-missing', `${missing} is not in the ${variant.variant} image at ${at}`]);
  } else if (shape.shell && !variant.shell) {
    out.push(['probe-tool-missing', `the ${variant.variant} image has no shell`]);
  }
  if (programs.includes('pg_isready') && flagHits(shape.words, ['-h', '--host']).length === 0) {
    out.push(['pg-isready-over-socket', 'pg_isready without -h checks the Unix socket']);
  }
  return out;
}

function httpChecks(port: number | string, facts: ContainerFacts): [LintCode, string][] {
  const number =
    typeof port === 'number' ? port : facts.declared.find((d) => d.name === port)?.number;
  const { listening } = facts;
  const serverPort =
    listening.kind === 'explicit' || listening.kind === 'default' ? listening.port : undefined;
  return number !== undefined && number === serverPort
    ? [
        [
          'http-probe-on-server-port',
          `port ${number} speaks the ${facts.input.family} protocol, not HTTP`,
        ],
      ]
    : [];
}
