/**
 * @module probes — build the probes one server container gets, each kind decided on its own.
 *
 * Liveness and startup are TCP (cheap, lenient); liveness always sits behind a startup probe whose
 * budget covers the engine's recovery. Readiness may be strict: exec where a cheap, credential-free
 * command exists, TCP otherwise. A probe the user set is never touched.
 */
import type { FamilyProfile, ImageVariant, Timing } from './catalog/index.js';
import type { ContainerEnv } from './container-env.js';
import type { FamilyPolicy } from './engine-config.js';
import { PROBE_KINDS } from './families.js';
import type { Family, ProbeKind } from './families.js';
import type { JsonObject, Probe } from './k8s.js';
import { ANNOTATIONS } from './keys.js';
import { analyseListen } from './listen.js';
import type { Listen } from './listen.js';
import type { ContainerOverrides } from './overrides.js';
import { resolvePort } from './port.js';
import type { PortResult } from './port.js';
import { readinessCommand } from './readiness-command.js';
import { reason } from './reasons.js';
import type { Reason } from './reasons.js';
import { mergeTiming } from './timing.js';
import type { EngineVersion } from './version.js';

export interface ProbeInput {
  readonly family: Family;
  readonly variant: ImageVariant;
  readonly version: EngineVersion | null;
  readonly container: JsonObject;
  readonly env: ContainerEnv;
  readonly words: readonly string[];
  readonly rawWords: readonly string[];
  readonly policy: FamilyPolicy;
  readonly profile: FamilyProfile;
  readonly overrides: ContainerOverrides;
  /** The pod's restartPolicy is Never: a failed liveness/startup probe would fail the pod. */
  readonly restartNever: boolean;
}

/** The probes to add and the reasons for each choice. */
export interface BuiltProbes {
  readonly probes: Partial<Record<ProbeKind, Probe>>;
  readonly reasons: Reason[];
}

const FIELD: Readonly<Record<ProbeKind, string>> = {
  liveness: 'livenessProbe',
  readiness: 'readinessProbe',
  startup: 'startupProbe',
};

/** buildProbes decides liveness, readiness and startup for a server container. */
export function buildProbes(input: ProbeInput): BuiltProbes {
  const reasons: Reason[] = [];
  const port = resolvePort({
    rules: input.variant.port,
    hidden: input.variant.hiddenConfig,
    profile: input.profile,
    words: input.words,
    env: input.env,
    container: input.container,
    override: input.overrides.port,
  });
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

  const probes: Partial<Record<ProbeKind, Probe>> = {};
  for (const kind of PROBE_KINDS) {
    const wanted = wants(kind, input, reasons);
    if (!wanted) continue;
    const probe = buildOne(kind, { input, port, listen, reasons });
    if (probe !== undefined) probes[kind] = probe;
  }
  if (Object.keys(probes).length > 0) {
    reasons.push(reason('injected', PROBE_KINDS.filter((k) => k in probes).join(', ')));
  }
  return { probes, reasons };
}

/** wants says whether a kind is absent, enabled and allowed; it records why not otherwise. */
function wants(kind: ProbeKind, input: ProbeInput, reasons: Reason[]): boolean {
  if (input.container[FIELD[kind]] !== undefined) {
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
  if (input.restartNever) {
    reasons.push(
      reason(
        'restart-policy-never',
        `no ${kind}: with restartPolicy Never a failed check fails the pod`,
      ),
    );
    return false;
  }
  if (
    kind === 'liveness' &&
    (input.policy.liveness === null || input.variant.withhold?.liveness !== undefined)
  ) {
    reasons.push(
      reason(
        'liveness-not-recommended',
        input.variant.withhold?.liveness ?? input.profile.livenessWhy,
      ),
    );
    return false;
  }
  return true;
}

interface BuildContext {
  readonly input: ProbeInput;
  readonly port: PortResult;
  readonly listen: Listen;
  readonly reasons: Reason[];
}

function buildOne(kind: ProbeKind, ctx: BuildContext): Probe | undefined {
  const { input, port } = ctx;
  const patch = input.overrides.timings?.[kind];
  if (kind === 'readiness') return buildReadiness(ctx);
  if (!port.ok || ctx.listen.tcp !== 'pod-ip') return undefined;
  const base = kind === 'startup' ? input.policy.startup : input.policy.liveness;
  if (base === null) return undefined;
  // The API requires successThreshold 1 for liveness and startup probes.
  return tcpProbe(port.probePort, mergeTiming(base, patch, { successThreshold: 1 }));
}

function buildReadiness(ctx: BuildContext): Probe | undefined {
  const { input, port } = ctx;
  if (!port.ok) return undefined;
  const patch = input.overrides.timings?.readiness;
  const mode = input.overrides.readiness ?? input.policy.readinessMode;
  if (mode === 'exec') {
    const timing = mergeTiming(input.policy.readinessExec, patch);
    const variant =
      input.overrides.readiness === 'exec' && !input.variant.execTools
        ? { ...input.variant, execTools: true }
        : input.variant;
    const command = port.tlsOnly
      ? { ok: false as const, why: 'only a TLS listener is open' }
      : readinessCommand({
          ...input,
          variant,
          port: port.number,
          timeoutSeconds: timing.timeoutSeconds,
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
  return tcpProbe(port.probePort, mergeTiming(input.policy.readinessTcp, patch));
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
