/**
 * @module probes — build the probes one server container gets, each kind decided on its own.
 *
 * Liveness and startup are TCP (cheap, lenient); liveness always sits behind a startup probe whose
 * budget covers the engine's recovery (the safety gate holds that). Readiness may be strict: exec
 * where a cheap command exists that can read the credentials it needs, TCP otherwise. A probe the
 * user set is never touched. Servers run by an HA manager get readiness only.
 */
import type { Catalog, FamilyProfile, ImageVariant, Timing, ToolRule } from './catalog/index.js';
import type { ContainerEnv } from './container-env.js';
import { readCredentials } from './credentials.js';
import type { FamilyPolicy } from './engine-config.js';
import { PROBE_FIELD, PROBE_KINDS } from './families.js';
import type { Family, ProbeKind } from './families.js';
import type { HaFinding } from './ha.js';
import type { JsonObject, Probe } from './k8s.js';
import { ANNOTATIONS } from './keys.js';
import { analyseListen } from './listen.js';
import type { Listen } from './listen.js';
import type { ContainerOverrides } from './overrides.js';
import { hiddenConfigOf, resolvePort } from './port.js';
import type { PortResult } from './port.js';
import { MIN_EXEC_TIMEOUT_SECONDS, connectCheck, readinessCommand } from './readiness-command.js';
import type { Mesh } from './mesh.js';
import { toolStatus } from './tools.js';
import { reason } from './reasons.js';
import type { Reason } from './reasons.js';
import { mergeTiming } from './timing.js';
import type { ImageFacts } from './tools.js';

export interface ProbeInput {
  readonly family: Family;
  readonly variant: ImageVariant;
  /** The tools exec probes may use: the variant's, or the official ones the user asserted. */
  readonly tools: readonly ToolRule[];
  readonly image: ImageFacts;
  readonly container: JsonObject;
  readonly env: ContainerEnv;
  /** The server's words: its argv or script command, and its args-env. */
  readonly words: readonly string[];
  readonly policy: FamilyPolicy;
  readonly profile: FamilyProfile;
  readonly overrides: ContainerOverrides;
  /** The pod's restartPolicy is Never: a failed liveness/startup probe would fail the pod. */
  readonly restartNever: boolean;
  /** The Pod's service mesh: under one that intercepts, a tcpSocket probe always passes. */
  readonly mesh: Mesh;
  readonly ha: HaFinding | undefined;
  readonly catalog: Catalog;
}

/** The probes to add and the reasons for each choice. */
export interface BuiltProbes {
  readonly probes: Partial<Record<ProbeKind, Probe>>;
  readonly reasons: Reason[];
}

/** buildProbes decides liveness, readiness and startup for a server container. */
export function buildProbes(input: ProbeInput): BuiltProbes {
  const reasons: Reason[] = [];
  const listenInput = {
    rules: input.variant.port,
    hidden: input.variant.hiddenConfig,
    profile: input.profile,
    words: input.words,
    env: input.env,
    container: input.container,
  };
  const port = resolvePort({ ...listenInput, override: input.overrides.port });
  const listen = analyseListen(input.words, input.variant.bind);
  if (!port.ok) reasons.push(reason(port.code, port.detail));
  else
    reasons.push(
      reason(
        'port',
        `${port.number}${port.probePort !== port.number ? ` (${port.probePort})` : ''} from ${port.source}`,
      ),
    );
  if (listen.tcp === 'none')
    return { probes: {}, reasons: [...reasons, reason('no-tcp-listener', listen.detail)] };
  if (listen.tcp === 'loopback-only')
    reasons.push(reason('loopback-only', `${listen.detail}; TCP probes dial the pod IP`));
  if (input.ha !== undefined) {
    reasons.push(
      reason('ha-managed', `${input.ha.rule.manager} (${input.ha.evidence}): ${input.ha.rule.why}`),
    );
  }

  const ctx: BuildContext = {
    input,
    port,
    listen,
    reasons,
    hiddenConfig: hiddenConfigOf(listenInput) !== undefined,
    meshed: { inside: [], withheld: [] },
  };
  const probes: Partial<Record<ProbeKind, Probe>> = {};
  for (const kind of PROBE_KINDS) {
    if (!wants(kind, input, reasons)) continue;
    const probe = buildOne(kind, ctx);
    if (probe !== undefined) probes[kind] = probe;
  }
  meshReasons(input.mesh, ctx.meshed, reasons);
  return { probes, reasons };
}

/** wants says whether a kind is absent, enabled and allowed; it records why not otherwise. */
function wants(kind: ProbeKind, input: ProbeInput, reasons: Reason[]): boolean {
  if (input.container[PROBE_FIELD[kind]] !== undefined) {
    reasons.push(reason('probe-present', `${kind} set by the user, kept`));
    return false;
  }
  if (!input.policy.probes[kind]) {
    reasons.push(reason('probe-disabled', `${kind} disabled for ${input.family} in config`));
    return false;
  }
  if (input.overrides.probes !== undefined && !input.overrides.probes.has(kind)) {
    reasons.push(reason('probe-disabled', `${kind} not in ${ANNOTATIONS.probes}`));
    return false;
  }
  if (kind === 'readiness') return true;
  if (input.ha !== undefined) return false;
  if (input.restartNever) {
    reasons.push(
      reason(
        'restart-policy-never',
        `no ${kind}: with restartPolicy Never a failed check fails the pod`,
      ),
    );
    return false;
  }
  if (kind === 'liveness' && input.policy.liveness === null) {
    reasons.push(reason('liveness-not-recommended', input.profile.livenessWhy));
    return false;
  }
  return true;
}

interface BuildContext {
  readonly input: ProbeInput;
  readonly port: PortResult;
  readonly listen: Listen;
  readonly reasons: Reason[];
  readonly hiddenConfig: boolean;
  /** Under an intercepting mesh: the kinds checked from inside the container, and withheld. */
  readonly meshed: { readonly inside: ProbeKind[]; readonly withheld: ProbeKind[] };
}

function buildOne(kind: ProbeKind, ctx: BuildContext): Probe | undefined {
  const { input, port } = ctx;
  if (kind === 'readiness') return buildReadiness(ctx);
  if (!port.ok || ctx.listen.tcp !== 'pod-ip') return undefined;
  const base = kind === 'startup' ? input.policy.startup : input.policy.liveness;
  if (base === null) return undefined;
  return tcpCheck(kind, mergeTiming(base, input.overrides.timings?.[kind]), ctx);
}

/**
 * tcpCheck is a tcpSocket probe, or where a mesh proxy answers every connection (linkerd2#7777)
 * the same check made from inside the container, or nothing if the image has no way to make it.
 */
function tcpCheck(kind: ProbeKind, timing: Timing, ctx: BuildContext): Probe | undefined {
  const { input, port } = ctx;
  if (!port.ok) return undefined;
  if (input.mesh.effect !== 'intercepts') return tcpProbe(port.probePort, timing);
  const inside =
    input.variant.shell &&
    timing.timeoutSeconds >= MIN_EXEC_TIMEOUT_SECONDS &&
    toolStatus(input.tools, 'bash', input.image) === 'yes';
  if (!inside) {
    ctx.meshed.withheld.push(kind);
    return undefined;
  }
  ctx.meshed.inside.push(kind);
  return {
    exec: { command: [...connectCheck(port.number, timing.timeoutSeconds)] },
    ...timingFields(timing),
  };
}

/** meshReasons says which environment changed which probes. */
function meshReasons(mesh: Mesh, meshed: BuildContext['meshed'], reasons: Reason[]): void {
  if (mesh.effect === 'none') return;
  const who = `${mesh.mesh} (${mesh.evidence})`;
  if (mesh.effect === 'rewrites') {
    reasons.push(
      reason(
        'mesh-detected',
        `${who}: its injector rewrites the TCP probes into checks from inside the pod`,
      ),
    );
  } else if (mesh.effect === 'passes') {
    reasons.push(
      reason('mesh-detected', `${who}: kubelet probes reach the server, TCP probes stay true`),
    );
  }
  if (meshed.inside.length > 0) {
    reasons.push(
      reason(
        'mesh-in-container',
        `${who} answers every TCP connection (linkerd2#7777): ${meshed.inside.join(', ')} connect from inside the container`,
      ),
    );
  }
  if (meshed.withheld.length > 0) {
    reasons.push(
      reason(
        'mesh-tcp-withheld',
        `${who} answers every TCP connection and the image has no bash for a check from inside: no ${meshed.withheld.join(', ')}`,
      ),
    );
  }
}

function buildReadiness(ctx: BuildContext): Probe | undefined {
  const { input, port } = ctx;
  if (!port.ok) return undefined;
  const patch = input.overrides.timings?.readiness;
  const mode = input.overrides.readiness ?? input.policy.readinessMode;
  if (mode === 'exec') {
    const timing = mergeTiming(input.policy.readinessExec, patch);
    const command = port.tlsOnly
      ? { ok: false as const, why: 'only a TLS listener is open' }
      : readinessCommand({
          ...input,
          port: port.number,
          timeoutSeconds: timing.timeoutSeconds,
          credentials: readCredentials({ ...input, hiddenConfig: ctx.hiddenConfig }),
        });
    if (command.ok) return { exec: { command: [...command.command] }, ...timingFields(timing) };
    ctx.reasons.push(reason('readiness-tcp', `exec readiness not used: ${command.why}`));
  } else {
    ctx.reasons.push(
      reason(
        'readiness-tcp',
        input.profile.readinessMode === 'tcp'
          ? input.profile.readinessWhy
          : 'readiness mode tcp by config or annotation',
      ),
    );
  }
  if (ctx.listen.tcp !== 'pod-ip') return undefined;
  return tcpCheck('readiness', mergeTiming(input.policy.readinessTcp, patch), ctx);
}

function tcpProbe(port: number | string, timing: Timing): Probe {
  return { tcpSocket: { port }, ...timingFields(timing) };
}

/** Fields in a fixed order, so rendered probes are deterministic. */
function timingFields(t: Timing): Timing {
  return {
    initialDelaySeconds: t.initialDelaySeconds,
    periodSeconds: t.periodSeconds,
    timeoutSeconds: t.timeoutSeconds,
    successThreshold: t.successThreshold,
    failureThreshold: t.failureThreshold,
  };
}
